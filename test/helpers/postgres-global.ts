/**
 * vitest global setup: one throwaway PostgreSQL server for the whole run (see postgres.ts), its admin URL
 * handed to the tests through `inject('postgres')`. When none can be started, the PostgreSQL suites are
 * skipped and this says why, in the run's output.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { adminUrl: string; version: string } | { unavailable: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await startPostgres();
  if ('unavailable' in started) {
    process.stderr.write(`\nPostgreSQL suite SKIPPED: ${started.unavailable}.\n\n`);
    project.provide('postgres', started);
    return async () => undefined;
  }
  process.stderr.write(
    `\nPostgreSQL suite: throwaway server ${started.version} on ${new URL(started.adminUrl).host}.\n\n`,
  );
  project.provide('postgres', { adminUrl: started.adminUrl, version: started.version });
  return () => started.stop();
}
