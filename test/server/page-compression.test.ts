import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/server/create-gateway.js';
import { pickEncoding } from '../../src/server/page-compression.js';
import { type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';

/** Sandbox mode's GraphiQL page as a browser asks for it, with `acceptEncoding` (none: not sent). */
describe("GraphiQL's page is compressed for clients that accept it (issue 28 point 5)", () => {
  let mode: SandboxMode;
  let gateway: ReturnType<typeof createGateway>;
  beforeAll(async () => {
    mode = await startSandboxMode();
    gateway = createGateway(mode.config, mode.options);
  });
  afterAll(async () => {
    await gateway.dispose();
    await mode.sandbox.close();
  });

  const page = (acceptEncoding?: string) =>
    gateway.fetch('http://localhost/graphql', {
      headers: {
        accept: 'text/html',
        ...(acceptEncoding !== undefined && { 'accept-encoding': acceptEncoding }),
      },
    });

  it('br for a browser (Chromium sends gzip, deflate, br, zstd): the same page in under 2 MB instead of 9', async () => {
    const plain = await page();
    expect(plain.headers.get('content-encoding')).toBeNull();
    const html = Buffer.from(await plain.arrayBuffer());
    expect(html.length).toBeGreaterThan(8_000_000);

    const answer = await page('gzip, deflate, br, zstd');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).toBe('br');
    expect(answer.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const body = Buffer.from(await answer.arrayBuffer());
    expect(Number(answer.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBeLessThan(2_000_000);
    expect(brotliDecompressSync(body).equals(html)).toBe(true);
  });

  it('gzip when br is refused or not offered; a JSON answer is never compressed', async () => {
    const gz = await page('br;q=0, gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const html = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString();
    expect(html).toContain('<!doctype html>');
    const json = await gateway.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-encoding': 'gzip, br',
        authorization: `Bearer ${mode.apiKey}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(json.headers.get('content-encoding')).toBeNull();
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('reads Accept-Encoding as RFC 9110 does', () => {
    expect(pickEncoding(null)).toBeNull();
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding('gzip, br')).toBe('br');
    expect(pickEncoding(' GZIP ;q=0.5')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*, br;q=0')).toBe('gzip');
  });
});
