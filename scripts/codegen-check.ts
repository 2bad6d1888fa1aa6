/**
 * `npm run codegen:check`: runs graphql-codegen in memory (nothing is written) and exits 1 when
 * src/client/generated/ differs from what codegen.ts produces from the current schema/ files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config, { OUTPUT_DIR } from '../codegen.js';

const root = resolve(import.meta.dirname, '..');
// `generate(…, false)` returns the files instead of writing them.
const outputs: { filename: string; content: string }[] = await generate(
  { ...config, cwd: root, silent: true },
  false,
);

const expected = new Map(outputs.map((o) => [relative(root, resolve(root, o.filename)), o.content]));
const dir = resolve(root, OUTPUT_DIR);
const onDisk = (await readdir(dir).catch(() => [])).map((name) => relative(root, join(dir, name)));

const problems: string[] = [];
for (const [file, content] of expected) {
  const current = await readFile(resolve(root, file), 'utf8').catch(() => undefined);
  if (current === undefined) problems.push(`${file} is missing`);
  else if (current !== content) problems.push(`${file} is out of date`);
}
for (const file of onDisk) if (!expected.has(file)) problems.push(`${file} is not generated any more`);

if (problems.length > 0) {
  console.error(`The generated client is stale:\n  ${problems.join('\n  ')}`);
  console.error(
    'Run `npm run codegen` (after `npm run schema:print` if the schema changed) and commit the result.',
  );
  process.exit(1);
}
console.log(`${OUTPUT_DIR} is up to date (${expected.size} files).`);
