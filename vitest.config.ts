import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // Each file starts its own sandbox on port 0, so files may run in parallel safely.
    pool: 'forks',
  },
});
