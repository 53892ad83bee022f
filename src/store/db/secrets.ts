/**
 * Secrets every process of the bot shares, kept in the database because the database is the one thing
 * every shard on every machine reaches (each machine has its own DATA_DIR). A secret is written once, by the
 * first process that asks for it, and never changed: an insert that does nothing when the name exists, then
 * a read, so processes starting at once on several machines all end up with the one that was stored first.
 */
import { unavailable, type StoreDatabase } from './connect.ts';

/** The value stored under `name`, or `candidate` when none was: it is stored now, unless another got there first. */
export async function sharedSecret(
  database: StoreDatabase,
  name: string,
  candidate: Buffer,
): Promise<Buffer> {
  try {
    await database.db
      .insertInto('secrets')
      .values({ name, value: candidate.toString('base64') })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const row = await database.db
      .selectFrom('secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return Buffer.from(row.value, 'base64');
  } catch (error) {
    throw unavailable(database.location, error);
  }
}
