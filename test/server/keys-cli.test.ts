import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runKeys } from '../../src/cli/keys.js';
import { resolveConfig } from '../../src/config/load.js';
import { ApiKeyRing } from '../../src/server/api-keys.js';

/** `npm run keys -- create ...`: a fresh key, printed once, and an `apiKeys` entry that admits it. */

const config = (entry: unknown) =>
  resolveConfig(
    { apps: { game: { nhncloud: { appSeq: '1' } }, other: { nhncloud: { appSeq: '2' } } }, apiKeys: [entry] },
    {},
  );

describe('keys CLI', () => {
  it('prints a key and an entry the config accepts; the gateway identifies the key with it', () => {
    const result = runKeys(['create', '--name', 'backend', '--apps', 'game,other', '--scopes', 'read,write']);
    if (!result.ok) throw new Error(result.error);
    const [keyLine = '', , entryLine = ''] = result.lines;
    const key = /: (egk_[A-Za-z0-9_-]{43})$/.exec(keyLine)?.[1] ?? '';
    expect(key).not.toBe('');
    const entry = JSON.parse(entryLine) as Record<string, unknown>;
    expect(entry).toMatchObject({ name: 'backend', apps: ['game', 'other'], scopes: ['read', 'write'] });
    // The entry holds the hash only, never the key.
    expect(entryLine).not.toContain(key);
    const ring = new ApiKeyRing(config(entry).apiKeys);
    expect(ring.identify(key)?.keyName).toBe('backend');
    expect(ring.identify(`${key}x`)).toBeUndefined();
  });

  it('takes the support scope (issue 27): the entry the config accepts holds it', () => {
    const result = runKeys(['create', '--name', 'desk-alice', '--apps', 'game', '--scopes', 'support']);
    if (!result.ok) throw new Error(result.error);
    const entry = JSON.parse(result.lines[2] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ name: 'desk-alice', apps: ['game'], scopes: ['support'] });
    expect(config(entry).apiKeys[0]?.scopes).toEqual(['support']);
  });

  it('every key is new', () => {
    const keys = new Set(
      Array.from({ length: 20 }, () => {
        const r = runKeys(['create', '--name', 'n', '--apps', 'game', '--scopes', 'read']);
        return r.ok ? r.lines[0] : '';
      }),
    );
    expect(keys.size).toBe(20);
  });

  it.each([
    [['create', '--name', 'n', '--apps', 'game']],
    [['create', '--apps', 'game', '--scopes', 'read']],
    [['delete', '--name', 'n', '--apps', 'game', '--scopes', 'read']],
    [['create', '--name', 'n', '--apps', 'game', '--scopes', 'read,admin']],
  ])('refuses %j', (argv) => {
    expect(runKeys(argv).ok).toBe(false);
  });

  it('runs as a command: exit 0 with three lines, exit 2 on bad input', async () => {
    const run = promisify(execFile);
    const tsx = 'node_modules/.bin/tsx';
    const { stdout } = await run(tsx, [
      'src/cli/keys.ts',
      'create',
      '--name',
      'b',
      '--apps',
      'game',
      '--scopes',
      'read',
    ]);
    expect(stdout.trim().split('\n')).toHaveLength(3);
    await expect(run(tsx, ['src/cli/keys.ts', 'create'])).rejects.toMatchObject({ code: 2 });
  });
});
