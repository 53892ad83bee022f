/**
 * Leftovers of interrupted atomic writes. Every file the bot writes atomically is first written as
 * `.<name>.<pid>-<random>.tmp` in the same folder, then renamed over the real one; a kill between the two
 * leaves the temporary file, and the real one untouched. Nothing ever reads a temporary file, so at start
 * every folder the bot writes is swept of them (server folders are swept by guild-store.ts as it loads them).
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.ts';

export const TEMPORARY_FILE = /^\..+\.tmp$/;

/** Removes the temporary files directly in `dir` (a missing folder has none); returns how many went. */
export async function removeTemporaryFiles(dir: string, logger: Logger): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((n) => TEMPORARY_FILE.test(n))) {
    const file = join(dir, name);
    try {
      await fs.rm(file, { force: true });
      removed++;
      logger.info({ file }, 'Removed an unfinished temporary file from an interrupted write');
    } catch (error) {
      logger.warn({ file, err: error }, 'Could not remove a temporary file left by an interrupted write');
    }
  }
  return removed;
}
