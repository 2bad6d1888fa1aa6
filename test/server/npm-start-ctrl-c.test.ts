import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 24 (12): `npm start` execs node, so the gateway is npm's direct child. A Ctrl-C
 * in a terminal sends SIGINT to the whole foreground process group (npm and node), and npm forwards
 * the signal to its child as well: node gets SIGINT twice. The same happens with SIGTERM sent to the
 * group (systemd's default KillMode=control-group, `kill -TERM -<pgid>`). Were main.ts to listen with
 * `process.once`, the second signal would find no listener and kill the gateway on the spot: no
 * drain, no grace for in-flight requests, no ledger close, no "shut down" line.
 */
describe('npm start, a signal to the whole process group (Ctrl-C, systemd)', () => {
  const groups: number[] = [];
  afterAll(() => {
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the group: the gateway shuts down gracefully ("shut down" logged)`, async () => {
      const npm = spawn('npm', ['start'], {
        env: {
          ...process.env,
          PORT: '0',
          SANDBOX_PORT: '0',
          SHUTDOWN_DRAIN_DELAY_MS: '0',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, as a terminal's foreground job or a systemd unit is.
        detached: true,
      });
      groups.push(npm.pid ?? 0);
      let out = '';
      npm.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      npm.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const exited = once(npm, 'exit');
      for (let i = 0; i < 600 && !/Entitlement gateway on/.test(out); i++) await sleep(50);
      expect(out).toMatch(/Entitlement gateway on/);
      process.kill(-(npm.pid ?? 0), signal);
      await exited;
      await sleep(200);
      const lines = out.split('\n').filter((line) => line.includes('"msg"'));
      expect(
        lines.some((line) => line.includes('"msg":"shut down"')),
        out.slice(-1500),
      ).toBe(true);
    }, 60_000);
  }
});
