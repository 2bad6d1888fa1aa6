import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // Vite would resolve `graphql` to its ESM build (index.mjs) for our sources while Pothos and Yoga,
  // loaded by Node, get the CommonJS build: two graphql instances ("another module or realm").
  // Point ours at the one Node loads.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // Each file starts its own sandbox on port 0, so files may run in parallel safely.
    pool: 'forks',
    // Vitest's default on a 2-core machine is one file at a time, while most files spend their time
    // waiting (leases, child processes, sandbox delays): three at once took the suite from 404 s to
    // 178 s on the CI machine (2 cores), every test passing.
    maxWorkers: 3,
  },
});
