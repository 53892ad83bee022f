/**
 * `kill -9` in the middle of document writes, against both databases: after it, every document is one
 * whole version (text, metadata, revision and audit row together), every version the writer reported as
 * committed is there, and no version is half there. The writer is a real child process (like
 * snapshot-kill.test.ts), killed at a random moment while it writes ~200 kB transactions back to back.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { silentLogger } from '../../src/log.ts';
import { openDocumentDatabase } from '../../src/store/db/index.ts';
import { backends } from './backends.ts';
import { DOCUMENTS, versionOf } from './db-kill-versions.ts';
import { GUILD_A, temporaryDir } from './helpers.ts';

const SCOPE = guildScope(GUILD_A);

/** Starts the writer at `first`, waits until it has reported `commits` versions, then SIGKILLs it. */
async function killWhileWriting(
  dataDir: string,
  url: string | undefined,
  first: number,
  commits: number,
): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/store/db-writer-child.ts', dataDir, url ?? '-', String(first)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let acknowledged = first - 1;
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) acknowledged = Math.max(acknowledged, Number(line));
      if (acknowledged >= first + commits - 1) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the writer exited by itself (${code})`)));
  });
  await exited;
  return acknowledged;
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`kill -9 during document writes (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    beforeEach(async () => {
      root = await temporaryDir('verbatim-db-kill-');
    });
    afterEach(async () => {
      await root.remove();
    });

    it('leaves every document whole, keeps every committed version, and no half-written one', async () => {
      const url = await backend.databaseUrl();
      let next = 0;

      for (let round = 0; round < 3; round++) {
        // The kill lands after 5 to 14 commits, usually in the middle of the next transaction.
        const acknowledged = await killWhileWriting(root.dir, url, next, 5 + Math.floor(Math.random() * 10));
        const store = await openDocumentDatabase({
          dataDir: root.dir,
          databaseUrl: url,
          logger: silentLogger(),
        });
        try {
          const documents = await store.loadAll();
          expect(documents).toHaveLength(DOCUMENTS);
          let newest = -1;
          for (const document of documents) {
            const version = versionOf(document.text);
            const id = document.meta.id;
            expect(id).toBe(`ledger-${version % DOCUMENTS}`);
            expect(document.meta.title).toBe(`Ledger, version ${version}`);
            // The versions of this document, one revision each, with no gap and nothing after the current.
            const revisions = await store.revisions(SCOPE, id);
            const versions = revisions.map((revision) => versionOf(revision.text));
            const first = versions[0] ?? 0;
            expect(versions).toEqual(versions.map((_, i) => first + i * DOCUMENTS));
            expect(versions[versions.length - 1]).toBe(version);
            const audit = await store.database.db
              .selectFrom('audit')
              .select(['revision'])
              .where('document_id', '=', id)
              .orderBy('id')
              .execute();
            expect(audit.map((row) => row.revision)).toEqual(revisions.map((revision) => revision.revision));
            newest = Math.max(newest, version);
          }
          // What the writer reported committed is there (and at most the one in flight after it).
          expect(newest).toBeGreaterThanOrEqual(acknowledged);
          expect(newest).toBeLessThanOrEqual(acknowledged + 1);
          next = newest + 1;
        } finally {
          await store.close();
        }
      }
    }, 60_000);
  });
}
