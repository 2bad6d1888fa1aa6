import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';

/** docs/gateway.example.json, the config a newcomer starts from, changed one way per test. */
const EXAMPLE = readFileSync(new URL('../../docs/gateway.example.json', import.meta.url), 'utf8');
const ENV = {
  ONESTORE_CLIENT_SECRET_MY_GAME: 'secret-for-my-game',
  ONESTORE_CLIENT_SECRET_MY_GAME_GLOBAL: 'secret-for-my-game-global',
  GAMEBASE_SECRET_KEY_MY_GAME: 'gamebase-secret-for-my-game',
  MY_GAME_WEBHOOK_SECRET: 'whsec-test',
};
const dir = mkdtempSync(join(tmpdir(), 'config-errors-'));

/** The problems `text` as a config file gives, or [] when it loads. */
async function problemsOf(text: string): Promise<readonly string[]> {
  const path = join(dir, 'gateway.json');
  writeFileSync(path, text);
  try {
    await loadConfigFile(path, ENV);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.replace(path, '<file>'));
  }
}

const withTopLevel = (key: string, value: unknown) => {
  const config = JSON.parse(EXAMPLE) as Record<string, unknown>;
  config[key] = value;
  return JSON.stringify(config, null, 2);
};

describe('config file errors say where and what (issue 28 point 4)', () => {
  it('the example loads as it is', async () => {
    expect(await problemsOf(EXAMPLE)).toEqual([]);
  });

  it('a JSON syntax error gives its line and column, never the text around it', async () => {
    // A missing comma after a property whose value looks like a secret: V8's own message quotes it.
    const lines = ['{', '  "apiKeys": "sha-of-a-secret-key-value"', '  "apps": {}', '}'];
    expect(await problemsOf(lines.join('\n'))).toEqual([
      '<file>: not valid JSON at line 3, column 3: comma expected',
    ]);
    expect(await problemsOf('{\n  "apps": {},\n}\n')).toEqual([
      '<file>: not valid JSON at line 3, column 1: property name expected',
    ]);
    expect(await problemsOf('{ "apps": {} // a comment\n}')).toEqual([
      '<file>: not valid JSON at line 1, column 14: invalid comment token',
    ]);
    expect(await problemsOf('')).toEqual(['<file>: not valid JSON at line 1, column 1: value expected']);
    for (const text of [lines.join('\n'), '{"x": "s3cr3t" "y"}'])
      for (const p of await problemsOf(text)) expect(p).not.toMatch(/sha-of-a-secret|s3cr3t/);
  });

  it("an app's webhooks pasted at the top level are told where they belong", async () => {
    const endpoints = [
      {
        name: 'backend',
        url: 'https://game.example.com/hooks/gateway',
        secret: { env: 'MY_GAME_WEBHOOK_SECRET' },
      },
    ];
    expect(await problemsOf(withTopLevel('webhooks', endpoints))).toEqual([
      'webhooks: Invalid input: expected object, received array (a list of endpoints belongs under apps.<name>.webhooks; the top-level webhooks object holds delivery settings)',
    ]);
  });

  it('a store section at the top level belongs under apps.<name>; a top-level section inside an app, beside apps', async () => {
    expect(await problemsOf(withTopLevel('gamebase', { appId: 'x' }))).toEqual([
      '(root): Unrecognized key: "gamebase" (gamebase belongs under apps.<name>)',
    ]);
    const config = JSON.parse(EXAMPLE) as { apps: Record<string, Record<string, unknown>> };
    const app = config.apps['my-game'];
    if (!app) throw new Error('the example has no my-game');
    app.ledger = { dataDir: './data' };
    expect(await problemsOf(JSON.stringify(config))).toEqual([
      'apps.my-game: Unrecognized key: "ledger" (ledger belongs at the top level, beside apps)',
    ]);
  });
});
