import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

/**
 * Persisted operations mode (`persistedOperations: true`): the gateway runs only the documents of
 * `schema/operations/*.graphql`, listed in `schema/persisted-operations.json` as sha256 (hex) of
 * each file's exact text → that text. A client sends either
 * - the hash alone, Apollo APQ style: `extensions: { persistedQuery: { version: 1, sha256Hash } }`;
 * - or the full document, accepted only when its exact text hashes to a manifest entry. This keeps
 *   clients without APQ support working and lets an APQ client's retry with the text succeed; it
 *   grants nothing more, since the text is the listed operation byte for byte.
 * Anything else is rejected before it is parsed, so no resolver and no store runs for it.
 */

/** Paths resolved from this module; `dist/server` and `src/server` both sit two levels below the root. */
export const OPERATIONS_DIR = new URL('../../schema/operations/', import.meta.url);
export const MANIFEST_FILE = new URL('../../schema/persisted-operations.json', import.meta.url);

/** What an arbitrary document is told. */
export const PERSISTED_ONLY_MESSAGE =
  'This gateway runs only persisted operations: send extensions.persistedQuery.sha256Hash of an operation in schema/persisted-operations.json.';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The manifest of `dir`'s `.graphql` files: hash → document, in file name order. */
export async function buildManifest(dir: URL = OPERATIONS_DIR): Promise<Record<string, string>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.graphql')).sort();
  const manifest: Record<string, string> = {};
  for (const file of files) {
    const text = await readFile(new URL(file, dir), 'utf8');
    manifest[sha256(text)] = text;
  }
  return manifest;
}

/** The manifest as written to disk: stable, so `persisted:check` can compare text. */
export const manifestJson = (manifest: Record<string, string>): string =>
  `${JSON.stringify(manifest, null, 2)}\n`;

/** Reads the manifest once at start-up; a missing or malformed file stops the gateway from starting. */
export function loadManifest(file: URL = MANIFEST_FILE): ReadonlyMap<string, string> {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file.pathname}: not a JSON object of hash → document`);
  const manifest = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    // An entry whose key is not its text's hash would let a document in under another's name.
    if (typeof document !== 'string' || sha256(document) !== hash)
      throw new Error(`${file.pathname}: entry ${hash.slice(0, 12)}… is stale; run npm run persisted:print`);
    manifest.set(hash, document);
  }
  return manifest;
}

/**
 * A full document that is in the manifest is turned into its hash-only form, which the Yoga
 * plugin (next) then accepts; every other document reaches that plugin as is and is rejected.
 */
function fullTextAsHash(manifest: ReadonlyMap<string, string>): Plugin {
  return {
    onParams({ params, setParams }) {
      if (typeof params.query !== 'string') return;
      const hash = sha256(params.query);
      if (!manifest.has(hash)) return;
      const { query: _query, ...rest } = params;
      const extensions = typeof params.extensions === 'object' ? params.extensions : {};
      setParams({ ...rest, extensions: { ...extensions, persistedQuery: { version: 1, sha256Hash: hash } } });
    },
  };
}

export function persistedOperationsPlugins(manifest: ReadonlyMap<string, string>): Plugin[] {
  return [
    fullTextAsHash(manifest),
    usePersistedOperations({
      getPersistedOperation: (hash) => manifest.get(hash) ?? null,
      allowArbitraryOperations: false,
      customErrors: {
        persistedQueryOnly: {
          message: PERSISTED_ONLY_MESSAGE,
          extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
        },
        // Apollo clients look for this exact message (then resend with the text).
        notFound: {
          message: 'PersistedQueryNotFound',
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
        },
      },
    }),
  ];
}
