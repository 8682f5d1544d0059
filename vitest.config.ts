import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real HTTP servers and SQLite files; forks keep native modules and workers isolated.
    pool: 'forks',
  },
});
