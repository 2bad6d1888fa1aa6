import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/server/api-keys.js';

const OLD_KEY = 'old-key-0123456789abcdef';
const NEW_KEY = 'new-key-fedcba9876543210';

function config(dir: string, keys: { name: string; key: string }[]) {
  return JSON.stringify({
    ledger: { dataDir: join(dir, 'ledger') },
    apps: {
      demo: {
        onestore: {
          clientId: 'com.example.rotation',
          clientSecret: { env: 'ROTATION_TEST_SECRET' },
          // Never called: the test only asks for __typename.
          baseUrl: 'http://127.0.0.1:9',
        },
      },
    },
    apiKeys: keys.map((k) => ({ name: k.name, sha256: sha256Hex(k.key), apps: ['demo'], scopes: ['read'] })),
  });
}

/** Collects the child's stdout and waits for a line matching `pattern`; answers its first group. */
function watch(child: ChildProcess) {
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  return {
    output: () => seen,
    async waitFor(pattern: RegExp): Promise<string> {
      for (let i = 0; i < 300; i++) {
        const match = pattern.exec(seen);
        if (match) return match[1] ?? match[0];
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${pattern} in: ${seen}`);
    },
  };
}

/** An operator rotates keys: edit the config file, `kill -HUP`, no restart. */
describe('API key rotation on SIGHUP', () => {
  let dir = '';
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts an added key and refuses a removed one after SIGHUP', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-rotation-'));
    const file = join(dir, 'gateway.json');
    await writeFile(file, config(dir, [{ name: 'old', key: OLD_KEY }]));
    const { REDIS_URL: _unused, ...env } = process.env;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', file], {
      env: { ...env, PORT: '0', LOG_LEVEL: 'info', ROTATION_TEST_SECRET: 'not-used' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out = watch(child);
    const base = await out.waitFor(/Entitlement gateway on (http:\/\/[^/\s]+)\/graphql/);
    const status = async (key: string) =>
      (
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: '{ __typename }' }),
        })
      ).status;

    expect(await status(OLD_KEY)).toBe(200);
    expect(await status(NEW_KEY)).toBe(401);

    await writeFile(file, config(dir, [{ name: 'new', key: NEW_KEY }]));
    child.kill('SIGHUP');
    await out.waitFor(/API keys reloaded/);

    expect(await status(NEW_KEY)).toBe(200);
    expect(await status(OLD_KEY)).toBe(401);
    const reloaded =
      out
        .output()
        .split('\n')
        .find((line) => line.includes('API keys reloaded')) ?? '';
    expect(JSON.parse(reloaded)).toMatchObject({ keys: ['new'] });
    // Names are logged, never keys or their hashes.
    expect(out.output()).not.toContain(NEW_KEY);
    expect(out.output()).not.toContain(sha256Hex(NEW_KEY));

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(0);
  }, 30_000);
});
