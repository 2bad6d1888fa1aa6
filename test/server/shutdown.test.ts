import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { subscribe } from '../helpers/sse.js';
import { WsReader, wsClient } from '../helpers/ws-stream.js';

/** Everything the child printed so far, kept from its start so that no line is missed between waits. */
function collect(child: ChildProcess): () => string {
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  return () => seen;
}

/**
 * Waits until the output holds `pattern`; returns its first capture group. Lines printed together
 * may arrive in one chunk, so each wait reads the whole output, not only what came after it.
 */
async function waitForLine(child: ChildProcess, output: () => string, pattern: RegExp): Promise<string> {
  for (;;) {
    const match = pattern.exec(output());
    if (match?.[1]) return match[1];
    if (child.exitCode !== null)
      throw new Error(`exited with ${child.exitCode} before printing ${pattern}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `npm start` as an operator runs it: SIGTERM turns readiness off first, keeps serving while load
 * balancers notice, lets the in-flight request finish, ends each live event stream (SSE and
 * graphql-ws, whose socket then closes with 1001) with `complete` (rather than holding on until the grace period cuts it), then exits 0.
 */
describe('graceful shutdown of the gateway process', () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      SHUTDOWN_DRAIN_DELAY_MS: '1000',
      SHUTDOWN_GRACE_MS: '5000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

  const output = collect(child);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('drains, finishes the in-flight request, completes the live stream and exits 0 within the grace period', async () => {
    const gateway = await waitForLine(child, output, /Entitlement gateway on (http:\/\/[^/\s]+)\/graphql/);
    const sandbox = await waitForLine(child, output, /Sandbox:\s+(http:\/\/\S+)/);
    // A slow store, so a request is still in flight when the signal comes.
    await fetch(`${sandbox}/sandbox/v1/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'onestore.getPurchaseDetails', latencyMs: 1500 }),
    });
    const inFlight = fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-key' },
      body: JSON.stringify({
        query:
          '{ purchase(app: "demo", productId: "gem_100", purchaseToken: "DEMOINAPP00000000001") { __typename } }',
      }),
    }).then((r) => r.json() as Promise<{ data?: { purchase?: { __typename: string } } }>);
    const stream = await subscribe(
      `${gateway}/graphql`,
      'subscription { gatewayEvents(app: "demo") { id } }',
      {},
      { key: 'demo-key' },
    );
    expect(stream.response.status).toBe(200);
    // The same over graphql-ws; eager, so the socket is the server's to close.
    const closes: { code: number; reason: string }[] = [];
    const socket = wsClient(`${gateway}/graphql`, { key: 'demo-key', eager: true }, closes);
    const wsStream = new WsReader(socket, 'subscription { gatewayEvents(app: "demo") { id } }', {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = once(child, 'exit');
    const signalled = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const ready = await fetch(`${gateway}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { draining: boolean } }).checks.draining).toBe(true);
    expect((await fetch(`${gateway}/healthz`)).status).toBe(200);

    expect((await inFlight).data?.purchase?.__typename).toBe('Purchase');
    // The stream stays open while draining, then is completed by the server, not cut.
    expect(await stream.payload(10_000)).toBe('complete');
    let item = await wsStream.next(10_000);
    while (item.kind === 'next') item = await wsStream.next(10_000);
    expect(item).toEqual({ kind: 'complete' });
    const [code] = await exited;
    expect(code).toBe(0);
    expect(closes).toEqual([{ code: 1001, reason: 'Going away' }]);
    // Drain 1 s + in-flight 1.5 s; the 5 s grace period (SHUTDOWN_GRACE_MS) never had to cut anything.
    expect(Date.now() - signalled).toBeLessThan(4_500);
  }, 30_000);
});
