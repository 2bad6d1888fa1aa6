import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../config/schema.js';
import { sha256Hex } from '../server/api-keys.js';

const USAGE = 'usage: npm run keys -- create --name NAME --apps a,b --scopes read,write[,support]';

/** A new key and the `apiKeys` entry that admits it; the key itself is stored nowhere. */
export function createKey(input: { name: string; apps: string[]; scopes: Scope[] }): {
  key: string;
  entry: { name: string; sha256: string; apps: string[]; scopes: Scope[] };
} {
  // 32 random bytes: a key is never guessable, so one SHA-256 (no slow hash) is enough to store it.
  const key = `egk_${randomBytes(32).toString('base64url')}`;
  return { key, entry: { name: input.name, sha256: sha256Hex(key), apps: input.apps, scopes: input.scopes } };
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/** Lines to print (stdout) or a problem (stderr, exit 2). */
export function runKeys(argv: string[]): { ok: true; lines: string[] } | { ok: false; error: string } {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { name: { type: 'string' }, apps: { type: 'string' }, scopes: { type: 'string' } },
  });
  const name = typeof values.name === 'string' ? values.name : '';
  const apps = list(typeof values.apps === 'string' ? values.apps : undefined);
  const scopes = list(typeof values.scopes === 'string' ? values.scopes : undefined);
  if (positionals[0] !== 'create' || !name || apps.length === 0 || scopes.length === 0)
    return { ok: false, error: USAGE };
  const bad = scopes.find((s) => !isScope(s));
  if (bad !== undefined) return { ok: false, error: `unknown scope "${bad}" (scopes: ${SCOPES.join(', ')})` };
  const { key, entry } = createKey({ name, apps, scopes: scopes.filter(isScope) });
  return {
    ok: true,
    lines: [
      `API key (shown once; give it to the client, store it nowhere else): ${key}`,
      'Add this entry to "apiKeys" in the gateway config:',
      JSON.stringify(entry),
    ],
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = runKeys(process.argv.slice(2));
  if (result.ok) for (const line of result.lines) console.log(line);
  else {
    console.error(result.error);
    process.exitCode = 2;
  }
}
