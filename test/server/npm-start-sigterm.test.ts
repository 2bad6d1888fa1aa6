import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 24 (12): `kill` (SIGTERM) of `npm start` ended npm but left the gateway listening on both
 * ports. npm forwards the signal to its child, `sh -c "<script>"`; dash (Debian's sh) does not exec a
 * lone command, and dies of the signal without passing it on, orphaning what it started. Here: a real
 * `npm start`, SIGTERM to npm's pid only, then both ports must refuse connections.
 */

/** Every descendant of `pid` now (to clean up after a failure: only processes this test started). */
function descendants(pid: number): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const children = out.split('\n').filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const refuses = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('npm start on SIGTERM', () => {
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone: the case passed.
      }
    }
  });

  it('kill -TERM of npm stops the gateway too: both ports closed', async () => {
    const npm = spawn('npm', ['start'], {
      env: { ...process.env, PORT: '0', SANDBOX_PORT: '0', SHUTDOWN_DRAIN_DELAY_MS: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    npm.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
    });
    const exited = once(npm, 'exit');
    let gateway = '';
    let sandbox = '';
    for (let i = 0; i < 600 && !(gateway && sandbox); i++) {
      await sleep(50);
      gateway = /Entitlement gateway on (http:\/\/[^/\s]+)\/graphql/.exec(seen)?.[1] ?? '';
      sandbox = /Sandbox:\s+(http:\/\/\S+)/.exec(seen)?.[1] ?? '';
    }
    expect(gateway, seen).not.toBe('');
    started.push(...descendants(npm.pid ?? 0));
    expect(await refuses(gateway)).toBe(false);

    process.kill(npm.pid ?? 0, 'SIGTERM');
    await exited;
    let closed = false;
    for (let i = 0; i < 100 && !closed; i++) {
      await sleep(50);
      closed = (await refuses(gateway)) && (await refuses(sandbox));
    }
    expect({ gateway: await refuses(gateway), sandbox: await refuses(sandbox) }).toEqual({
      gateway: true,
      sandbox: true,
    });
  }, 60_000);
});
