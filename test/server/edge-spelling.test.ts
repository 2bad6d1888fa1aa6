import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORS_ALLOWED_METHODS } from '../../src/server/cors.js';
import { GRAPHQL_METHODS, GRAPHQL_PATH } from '../../src/server/edge.js';

/**
 * One spelling of the GraphQL path and of its methods: `GRAPHQL_PATH` and `GRAPHQL_METHODS` in
 * edge.ts. A second literal beside them (Yoga's endpoint, the access log's default, CORS's
 * methods) is how an edge rule and the code behind it drift apart.
 */
const DIR = join(import.meta.dirname, '../../src/server');
const DEFINED_IN = 'edge.ts';
const LITERALS = [/['"]\/graphql['"]/, /['"]GET, POST['"]/, /\['GET', 'POST'\]/];

describe('the GraphQL path and methods are spelled once', () => {
  it('no module of src/server but edge.ts spells them as a literal', async () => {
    const found: string[] = [];
    for (const file of await readdir(DIR)) {
      if (!file.endsWith('.ts') || file === DEFINED_IN) continue;
      const lines = (await readFile(join(DIR, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (LITERALS.some((literal) => literal.test(line))) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it("CORS allows exactly the edge's methods", () => {
    expect(CORS_ALLOWED_METHODS).toBe(GRAPHQL_METHODS.join(', '));
    expect(GRAPHQL_PATH).toBe('/graphql');
  });
});
