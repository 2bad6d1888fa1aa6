import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every request-scoped loader is `@pothos/plugin-dataloader`'s (issue 25, point 5): the plugin is a
 * dependency, the builder registers it, and no `src` file builds a DataLoader or a context cache of
 * its own, so each loader is the one its type's ref hands out (`getDataloader(ctx)`) and the
 * plugin's `clearAllDataLoaders` reaches it.
 */

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The src files (relative) whose text matches `pattern`. */
const filesMatching = (pattern: RegExp) =>
  sourceFiles(SRC)
    .filter((file) => pattern.test(readFileSync(file, 'utf8')))
    .map((file) => relative(SRC, file));

describe('request-scoped loaders', () => {
  it('@pothos/plugin-dataloader is a pinned dependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@pothos/plugin-dataloader']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('the builder registers the plugin after errors and scope-auth', () => {
    const builder = readFileSync(join(SRC, 'graphql/builder.ts'), 'utf8');
    expect(builder).toMatch(/from '@pothos\/plugin-dataloader'/);
    expect(builder).toMatch(/plugins: \[ErrorsPlugin, ScopeAuthPlugin, DataloaderPlugin, RelayPlugin\]/);
  });

  it('no src file makes a DataLoader or a context cache itself', () => {
    expect(filesMatching(/new DataLoader\b|from 'dataloader'/)).toEqual([]);
    expect(filesMatching(/\bcreateContextCache\b/)).toEqual([]);
  });

  it('each kind of read is a loadable type of the plugin', () => {
    expect(filesMatching(/\bconst \w+Type = loadableType</).sort()).toEqual(
      [
        'graphql/types/gamebase-subscription.ts',
        'graphql/types/item.ts',
        'graphql/types/player.ts',
        'graphql/types/purchase.ts',
        'graphql/types/subscription.ts',
      ].sort(),
    );
  });
});
