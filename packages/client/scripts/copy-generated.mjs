// One source of truth: the typed documents are the repository's codegen output (npm run codegen at the
// root writes src/client/generated); the package's build copies them in rather than keeping its own.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'src/generated'), { recursive: true });
copyFileSync(join(root, '../../src/client/generated/graphql.ts'), join(root, 'src/generated/graphql.ts'));
