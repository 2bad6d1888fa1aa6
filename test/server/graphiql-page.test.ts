import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/server/create-gateway.js';
import { GRAPHIQL_ASSETS_PATH, splitGraphiQLPage } from '../../src/server/graphiql-assets.js';
import { pickEncoding } from '../../src/server/page-compression.js';
import { type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';

/** Sandbox mode's GraphiQL page and its assets as a browser asks for them (test/browser/ runs the page). */
describe("GraphiQL's page: small, compressed, its assets cached (issue 28 point 5)", () => {
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

  const get = (path: string, acceptEncoding?: string, accept = 'text/html') =>
    gateway.fetch(`http://localhost${path}`, {
      headers: { accept, ...(acceptEncoding !== undefined && { 'accept-encoding': acceptEncoding }) },
    });
  const assetUrls = (html: string) =>
    [...html.matchAll(/(?:src|href)="(\/graphql\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');

  it('the page is under 1.5 MB with gzip (a few hundred bytes), and the assets it names add up to the bundled page', async () => {
    const answer = await get('/graphql', 'gzip');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const wire = Buffer.from(await answer.arrayBuffer());
    expect(wire.length).toBeLessThan(1_500_000);
    expect(wire.length).toBeLessThan(2_000);
    const html = gunzipSync(wire).toString();
    expect(html).toContain(`Bearer ${mode.apiKey}`);
    const urls = assetUrls(html);
    expect(urls.map((u) => u.replace(/-[0-9a-f]{16}\./, '-<hash>.'))).toEqual([
      '/graphql/assets/graphiql-<hash>.ico',
      '/graphql/assets/graphiql-<hash>.css',
      '/graphql/assets/graphiql-<hash>.js',
    ]);
    let total = html.length;
    for (const url of urls) {
      // No key: the assets are public and static.
      const asset = await get(url, 'gzip, deflate, br', '*/*');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const bytes = Buffer.from(await asset.arrayBuffer());
      if (url.endsWith('.ico')) {
        expect(asset.headers.get('content-type')).toBe('image/x-icon');
        total += bytes.toString('base64').length;
        continue;
      }
      expect(asset.headers.get('content-encoding')).toBe('br');
      total += brotliDecompressSync(bytes).toString().length;
    }
    // The 9 MB of the bundled page, now in parts a browser keeps.
    expect(total).toBeGreaterThan(8_900_000);
    expect(total).toBeLessThan(9_200_000);
  });

  it('a name that is not an asset is the edge 404, and a JSON answer is never compressed', async () => {
    expect((await get(`${GRAPHIQL_ASSETS_PATH}graphiql-0000000000000000.js`, 'gzip', '*/*')).status).toBe(
      404,
    );
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

  it('splits the bundled page of the installed GraphiQL, and leaves a page of another shape whole', () => {
    const split = splitGraphiQLPage(renderGraphiQL({ title: 't' }));
    expect(split?.assets.size).toBe(3);
    expect(splitGraphiQLPage('<html><body>no parts</body></html>')).toBeNull();
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
