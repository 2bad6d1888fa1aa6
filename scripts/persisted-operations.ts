/**
 * `npm run persisted:print` writes schema/persisted-operations.json (sha256 hex of each
 * schema/operations/*.graphql file's text → that text); `npm run persisted:check` (`--check`)
 * exits 1 when the file differs from what the operations give. `--manifest PATH` checks or writes
 * another file (the tests use it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { buildManifest, MANIFEST_FILE, manifestJson } from '../src/server/persisted-operations.js';

const at = process.argv.indexOf('--manifest');
const given = at === -1 ? undefined : process.argv[at + 1];
const file = given === undefined ? MANIFEST_FILE : pathToFileURL(given);
const printed = manifestJson(await buildManifest());

if (process.argv.includes('--check')) {
  const onDisk = await readFile(file, 'utf8').catch(() => '');
  if (onDisk !== printed) {
    console.error(`${file.pathname} is stale: schema/operations changed.`);
    console.error('Run `npm run persisted:print` and commit the result.');
    process.exit(1);
  }
  console.log(`${file.pathname} is up to date.`);
} else {
  await writeFile(file, printed);
  console.log(`wrote ${file.pathname}`);
}
