import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineExceededError, UpstreamProtocolError } from '../../src/stores/errors.js';
import { HttpClient } from '../../src/stores/http/http-client.js';

/**
 * The response collector behind HttpClient (collect-response.ts) against a plain node:http peer
 * that answers the way no store sandbox does: chunked bodies, bodies that stall half-way, and
 * repeated headers.
 */
let server: Server;
let origin: string;
let served = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    served += 1;
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":"');
      setTimeout(() => res.end(`${'x'.repeat(400)}"}`), 10);
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":'); // the rest never comes
    } else {
      res.setHeader('x-repeated', ['one', 'two']);
      res.setHeader('X-Mixed-Case', 'kept');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"parts":');
      setTimeout(() => res.end('[1,2,3]}'), 5);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const read = (client: HttpClient, path: string) =>
  client.execute({
    endpoint: 'test.read',
    method: 'GET',
    url: new URL(path, origin),
    headers: { accept: 'application/json' },
    safeToRetry: true,
  });

describe('collecting an upstream answer', () => {
  it('a body in several chunks arrives whole, with repeated headers as arrays and names lower-cased', async () => {
    const client = new HttpClient({ store: 'onestore' });
    const response = await read(client, '/parts');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ parts: [1, 2, 3] });
    expect(response.headers['x-repeated']).toEqual(['one', 'two']);
    expect(response.headers['x-mixed-case']).toBe('kept');
    expect(response.headers['content-type']).toBe('application/json');
    await client.close();
  });

  it('a chunked body passing the cap is RESPONSE_TOO_LARGE, not retried, and the client keeps working', async () => {
    const client = new HttpClient({ store: 'onestore', maxResponseBytes: 100 });
    const before = served;
    const err = await read(client, '/chunked').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect(served - before).toBe(1);
    const next = await read(client, '/parts');
    expect(next.status).toBe(200);
    await client.close();
  });

  it('a body that stalls past the deadline is DeadlineExceeded', async () => {
    const client = new HttpClient({ store: 'onestore', deadlineMs: 150 });
    const err = await read(client, '/stall').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await client.close();
  });

  it("a caller's abort during the body ends the call as ABORTED", async () => {
    const client = new HttpClient({ store: 'onestore' });
    const controller = new AbortController();
    const pending = client
      .execute({
        endpoint: 'test.read',
        method: 'GET',
        url: new URL('/stall', origin),
        headers: {},
        safeToRetry: true,
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const err = await pending;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'ABORTED' });
    await client.close();
  });
});
