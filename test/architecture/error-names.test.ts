import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One name, one class (issue 13): two exported classes of one name let an auto-import pick the
 * wrong one (the stores layer's `StoreUnavailableError` for the GraphQL type, say), and a domain
 * class beside an `…Error` twin (`RedemptionInProgress` / `RedemptionInProgressError`) means an
 * error defined twice and a chain of `instanceof` to keep in step.
 */

const SRC = join(import.meta.dirname, '../../src');
const EXPORTED_CLASS = /^export\s+(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every exported class in src/, name → the files that export it. */
function exportedClasses(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(EXPORTED_CLASS)) {
      const name = match[1] ?? '';
      found.set(name, [...(found.get(name) ?? []), relative(SRC, file)]);
    }
  }
  return found;
}

describe('class names in src/', () => {
  const classes = exportedClasses();

  it('finds the classes it checks (the scan is not empty)', () => {
    // A few that must be there whatever else changes: the scan reads every folder.
    for (const name of ['GatewayError', 'StoreApiError', 'RedemptionInProgress', 'SandboxCore', 'GrantStore'])
      expect(classes.get(name)).toHaveLength(1);
  });

  it('no class name is exported by two files', () => {
    const twice = [...classes]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('no class X is exported beside a class XError (an error defined twice)', () => {
    const twins = [...classes.keys()]
      .filter((name) => classes.has(`${name}Error`))
      .map((name) => `${name} / ${name}Error`);
    expect(twins).toEqual([]);
  });
});
