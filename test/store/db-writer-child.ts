/**
 * Run as a child process by db-kill.test.ts: writes document versions for ever through the store (five
 * documents in turn, each version a large text so a transaction takes a moment) and prints the number of
 * each version once its transaction has committed. argv: DATA_DIR, then DATABASE_URL or "-" for SQLite,
 * then the first version number.
 */
import { openDocumentDatabase } from '../../src/store/db/index.ts';
import { silentLogger } from '../../src/log.ts';
import { versionDocument } from './db-kill-versions.ts';

const [dataDir = '', url = '-', first = '0'] = process.argv.slice(2);
const store = await openDocumentDatabase({
  dataDir,
  databaseUrl: url === '-' ? undefined : url,
  logger: silentLogger(),
});
for (let version = Number(first); ; version++) {
  await store.save(versionDocument(version));
  process.stdout.write(`${version}\n`);
}
