import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * At folder level, imports run one way (issue 25): no top-level folder of `src/` imports a folder
 * that, directly or through others, imports it back. Biome's `noImportCycles` sees files only; two
 * folders can import each other with no file cycle, and then neither can be understood, tested or
 * replaced without the other. Type-only, side-effect and dynamic imports all count.
 */

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/` relative path with `/` separators. */
const rel = (file: string) => relative(SRC, file).split(sep).join('/');
/** A file's top-level folder; files at the top of `src/` (main.ts) are the `.` entry points. */
const folderOf = (path: string) => (path.includes('/') ? (path.split('/')[0] ?? '.') : '.');

/** Every relative import of every `src` file that crosses a top-level folder, as `from -> to` file pairs. */
function crossFolderImports(): string[] {
  const imports: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const from = rel(file);
      const to = rel(resolve(dirname(file), fileName).replace(/\.js$/, '.ts'));
      if (folderOf(from) !== folderOf(to)) imports.push(`${from} -> ${to}`);
    }
  }
  return imports;
}

/** The folder graph's strongly connected components of more than one folder (Tarjan). */
function loops(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === node ? undefined : stack.pop())
      component.push(top);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The shortest folder path from `from` to `to` inside `within`, both ends included. */
function path(edges: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string, within: string[]) {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let node = queue.shift(); node !== undefined && node !== to; node = queue.shift())
    for (const next of edges.get(node) ?? [])
      if (within.includes(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
  const steps = [to];
  for (let node = to; node !== from; node = previous.get(node) ?? from)
    steps.unshift(previous.get(node) ?? from);
  return steps;
}

/** Each folder import inside a loop closed by the shortest way back: one cycle per such import, rotations merged. */
function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const found = new Map<string, string[]>();
  for (const component of loops(edges))
    for (const from of component)
      for (const to of edges.get(from) ?? []) {
        if (!component.includes(to)) continue;
        const cycle = [from, ...path(edges, to, from, component)];
        const ring = cycle.slice(1);
        const start = ring.indexOf([...ring].sort()[0] ?? '');
        const key = [...ring.slice(start), ...ring.slice(0, start)].join(' ');
        found.set(key, cycle);
      }
  return [...found.values()];
}

describe('folder-level imports', () => {
  const imports = crossFolderImports();
  const edges = new Map<string, Set<string>>();
  for (const pair of imports) {
    const [from = '', to = ''] = pair.split(' -> ');
    const folders = edges.get(folderOf(from)) ?? new Set<string>();
    folders.add(folderOf(to));
    edges.set(folderOf(from), folders);
  }

  it('reads the imports it judges (a sample of the layers is there)', () => {
    for (const [from, to] of [
      ['server', 'graphql'],
      ['graphql', 'redemption'],
      ['redemption', 'ledger'],
      ['entitlements', 'stores'],
      ['config', 'vocabulary'],
    ] as const)
      expect(edges.get(from)?.has(to), `${from} -> ${to}`).toBe(true);
  });

  it('no folder of src/ imports a folder that imports it back, directly or not', () => {
    // Each loop as its folders in order, and per step the file imports that make it (the first
    // three, and how many), so the import to cut is plain.
    const report = cycles(edges).map((cycle) => ({
      cycle: cycle.join(' → '),
      steps: cycle.slice(1).map((to, i) => {
        const from = cycle[i] ?? '';
        const files = imports.filter((pair) => {
          const [a = '', b = ''] = pair.split(' -> ');
          return folderOf(a) === from && folderOf(b) === to;
        });
        return `${from} → ${to}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` (+${files.length - 3})` : ''}`;
      }),
    }));
    expect(report).toEqual([]);
  });

  it('src/events imports nothing of ledger/, graphql/ or server/', () => {
    expect(
      [...(edges.get('events') ?? [])].filter((to) => ['ledger', 'graphql', 'server'].includes(to)),
    ).toEqual([]);
  });
});
