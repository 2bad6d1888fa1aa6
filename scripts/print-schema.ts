/**
 * `npm run schema:print` writes schema/schema.graphql (sorted SDL from the Pothos schema);
 * `npm run schema:check` (`--check`) exits 1 when that file differs from what the code prints.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { printSortedSchema } from '../src/graphql/schema.js';

const file = new URL('../schema/schema.graphql', import.meta.url);
const printed = printSortedSchema();

if (process.argv.includes('--check')) {
  const onDisk = await readFile(file, 'utf8').catch(() => '');
  if (onDisk !== printed) {
    console.error('schema/schema.graphql is stale: the GraphQL schema in src/graphql changed.');
    console.error('Run `npm run schema:print` (then `npm run codegen`) and commit the result.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  await writeFile(file, printed);
  console.log('wrote schema/schema.graphql');
}
