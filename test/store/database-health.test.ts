/**
 * The `database` health check and the database error count (issue 12, with ops' /healthz and /metrics):
 * the library says whether its database answers, and counts every failed operation. The failing case drops
 * the PostgreSQL database from under a running library, as a lost server would.
 */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { openLibrary } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { backends } from './backends.ts';
import { temporaryDir } from './helpers.ts';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`database health (${backend.name})`, () => {
    it('answers ok while the database answers', async () => {
      const root = await temporaryDir('verbatim-health-');
      const library = await openLibrary({
        dataDir: root.dir,
        databaseUrl: await backend.databaseUrl(),
        logger: silentLogger(),
      });
      try {
        expect(await library.checkDatabase()).toEqual({
          ok: true,
          detail: `${backend.name.startsWith('SQLite') ? 'SQLite' : 'PostgreSQL'} answers`,
        });
      } finally {
        await library.close();
        await root.remove();
      }
    });
  });
}

const postgres = backends().find((backend) => backend.name.startsWith('PostgreSQL'));
describe.skipIf(postgres?.skip !== false)('database health (PostgreSQL gone)', () => {
  it('fails, naming the database, and counts the failed operations', async () => {
    const root = await temporaryDir('verbatim-health-');
    const url = (await postgres?.databaseUrl()) as string;
    const failures: string[] = [];
    const library = await openLibrary({
      dataDir: root.dir,
      databaseUrl: url,
      logger: silentLogger(),
      onDatabaseError: (operation) => failures.push(operation),
    });
    try {
      const info = inject('postgres');
      const admin = new pg.Client({ connectionString: 'adminUrl' in info ? info.adminUrl : '' });
      await admin.connect();
      const name = new URL(url).pathname.slice(1);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
      const check = await library.checkDatabase();
      expect(check?.ok).toBe(false);
      expect(check?.detail).toMatch(
        new RegExp(`^the database postgres://verbatim_test@127\\.0\\.0\\.1:\\d+/${name} does not answer: `),
      );
      expect(failures).toContain('ping');
    } finally {
      await library.close();
      await root.remove();
    }
  });
});
