import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/harness/postgres-global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; keep two files at a time on two cores.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
