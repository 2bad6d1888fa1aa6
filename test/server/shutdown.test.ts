import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

/** Reads the child's stdout until `pattern` matches; returns the first capture group. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before printing ${pattern}: ${seen}`)),
    );
  });
}

/**
 * `npm start` as an operator runs it: SIGTERM turns readiness off first, keeps serving while load
 * balancers notice, lets the in-flight request finish, then exits 0.
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

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('drains, finishes the in-flight request and exits 0', async () => {
    const gateway = await waitForLine(child, /Entitlement gateway on (http:\/\/[^/\s]+)\/graphql/);
    const sandbox = await waitForLine(child, /Sandbox:\s+(http:\/\/\S+)/);
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
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const ready = await fetch(`${gateway}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { draining: boolean } }).checks.draining).toBe(true);
    expect((await fetch(`${gateway}/healthz`)).status).toBe(200);

    expect((await inFlight).data?.purchase?.__typename).toBe('Purchase');
    const [code] = await exited;
    expect(code).toBe(0);
  }, 30_000);
});
