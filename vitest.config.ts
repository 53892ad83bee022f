import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One throwaway PostgreSQL server for the run (skipped, and said so, where none can start).
    globalSetup: ['test/helpers/postgres-global.ts'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.cache/vitest-report.json' }]],
  },
});
