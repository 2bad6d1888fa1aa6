import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerNodeFlags } from '../../bench/lib/docker-flags.js';

/**
 * Only the public face of our dependencies (issue 25): a dependency's own files (`undici/lib/…`),
 * its private state (prom-client's `hashMap`) or V8 flags changed at run time depend on one pinned
 * version's layout, and an upgrade (a security fix) can break them or silently mis-measure.
 */

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
/** Every module a file names: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\s]+)['"]/g;

const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(join(SRC, file), 'utf8') }));

/** `pkg/sub/path` → [`pkg`, `./sub/path`]; scoped names keep their scope. */
function splitSpecifier(specifier: string): [name: string, subpath: string] {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return [parts.slice(0, length).join('/'), rest === '' ? '.' : `./${rest}`];
}

/** The subpaths a package declares in its `exports` (none: only its entry point is public). */
function declaredSubpaths(name: string): Set<string> {
  const manifest = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return new Set(['.']);
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown };
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return new Set(['.']);
  const keys = Object.keys(exports);
  return new Set(keys.some((key) => key.startsWith('.')) ? keys : ['.']);
}

/** A specifier beyond what its package declares (wildcard subpaths count as declared). */
function isDeepImport(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return false;
  const [name, subpath] = splitSpecifier(specifier);
  if (subpath === '.') return false;
  const declared = declaredSubpaths(name);
  if (declared.has(subpath)) return false;
  return ![...declared].some(
    (key) => key.includes('*') && subpath.startsWith(key.slice(0, key.indexOf('*'))),
  );
}

describe('src/ uses only the public APIs of its dependencies', () => {
  it('reads every source file (the scan is not empty)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.some(({ file }) => file === 'main.ts')).toBe(true);
  });

  it('tells a deep import from a declared one', () => {
    expect(isDeepImport('undici/lib/dispatcher/pool.js')).toBe(true);
    expect(isDeepImport('rate-limiter-flexible/lib/RateLimiterMemory.js')).toBe(true);
    expect(isDeepImport('undici')).toBe(false);
    expect(isDeepImport('graphql-yoga')).toBe(false);
    expect(isDeepImport('zod/v4/core')).toBe(false);
    expect(isDeepImport('zod/lib/private.js')).toBe(true);
  });

  it('imports no file of a dependency beyond its declared exports', () => {
    const found = sources.flatMap(({ file, text }) =>
      [...text.matchAll(SPECIFIER)]
        .map((match) => match[1] ?? '')
        .filter(isDeepImport)
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(found).toEqual([]);
  });

  it('touches no prom-client internals and sets no V8 flag at run time', () => {
    const found = sources
      .filter(({ text }) => /\bhashMap\b|\bsetFlagsFromString\b/.test(text))
      .map(({ file }) => file);
    expect(found).toEqual([]);
  });
});

describe('the bench runs the gateway as the Docker image does', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it("reads the node flags from the Dockerfile's CMD, with the image's default and its variable", () => {
    const flags = dockerNodeFlags(dockerfile, {});
    expect(flags.some((flag) => /^--max-old-space-size=\d+$/.test(flag))).toBe(true);
    expect(dockerNodeFlags(dockerfile, { GATEWAY_MAX_OLD_SPACE_MB: '512' })).toContain(
      '--max-old-space-size=512',
    );
    // The image's shell gives the default for an empty value too.
    expect(dockerNodeFlags(dockerfile, { GATEWAY_MAX_OLD_SPACE_MB: '' })).toEqual(flags);
  });

  it("this Node takes the image's flags (a V8 that dropped one would refuse to start: `bad option`)", () => {
    const run = spawnSync(process.execPath, [...dockerNodeFlags(dockerfile, {}), '-e', '0'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('gives every gateway contestant and the soak those flags, from the Dockerfile rather than a copy', () => {
    const contestants = readFileSync(join(ROOT, 'bench/lib/contestants.ts'), 'utf8');
    expect(contestants).toMatch(/gateway: \{ kind: 'gateway', script: 'gateway\.js', dockerFlags: true \}/);
    for (const file of [
      'bench/lib/contestants.ts',
      'bench/soak.ts',
      'bench/ledger.ts',
      'bench/live-heap.ts',
    ]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/max-old-space-size=\d/);
    }
  });
});
