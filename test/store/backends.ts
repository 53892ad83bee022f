/**
 * The two databases every store test runs against: SQLite (always) and PostgreSQL (the throwaway server
 * of test/helpers/postgres-global.ts; skipped, with the reason in the suite's name, when none started).
 */
import { inject } from 'vitest';
import { freshDatabase } from '../helpers/postgres.ts';

export interface Backend {
  name: string;
  /** Set when this backend cannot run here: the suite is skipped and its name says why. */
  skip: boolean;
  /** DATABASE_URL for a new, empty database (PostgreSQL), or undefined (SQLite under DATA_DIR). */
  databaseUrl(): Promise<string | undefined>;
}

export function backends(): Backend[] {
  const postgres = inject('postgres');
  return [
    { name: 'SQLite', skip: false, databaseUrl: () => Promise.resolve(undefined) },
    'adminUrl' in postgres
      ? { name: 'PostgreSQL', skip: false, databaseUrl: () => freshDatabase(postgres.adminUrl) }
      : {
          name: `PostgreSQL (SKIPPED: ${postgres.unavailable})`,
          skip: true,
          databaseUrl: () => Promise.reject(new Error(postgres.unavailable)),
        },
  ];
}
