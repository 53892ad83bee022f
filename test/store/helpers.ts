/** Shared helpers for the store and library tests: temporary data directories and a logger that remembers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { guildScope } from '../../src/core/index.ts';
import type { SourceDocument } from '../../src/core/index.ts';
import type { Logger } from '../../src/log.ts';
import { SQLITE_FILE } from '../../src/store/db/connect.ts';

export interface LogLine {
  level: number;
  msg: string;
  file?: string;
  reason?: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines are kept in `lines` (parsed), for asserting on warnings. */
export function capturingLogger(): { logger: Logger; lines: LogLine[]; warnings: () => LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { logger, lines, warnings: () => lines.filter((line) => line.level === 40) };
}

export async function temporaryDir(
  prefix = 'verbatim-store-',
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const GUILD_A = '111111111111111111';
export const GUILD_B = '222222222222222222';

export function storedDocument(id: string, text: string, guildId = GUILD_A): SourceDocument {
  return {
    meta: {
      id,
      title: `Title of ${id}`,
      publisher: 'Test publisher',
      date: '2024-05-01',
      dateEstimated: false,
      url: '',
      language: 'und',
      scope: guildScope(guildId),
      added: { userId: '42', userName: 'mod', at: '2024-05-01T10:00:00.000Z' },
    },
    text,
  };
}

/**
 * A second, raw connection to the SQLite database under `dataDir`: the tests read what was committed, and
 * break things (a trigger that fails a write, a damaged row) the way a disk or another program could.
 */
export function rawSqlite(dataDir: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(join(dataDir, SQLITE_FILE), { timeout: 10_000 });
  return db;
}

/** The ids stored for `guildId`, from the database itself (not from the library's memory). */
export function storedIds(dataDir: string, guildId = GUILD_A): string[] {
  const db = rawSqlite(dataDir);
  try {
    return (
      db.prepare('select id from documents where scope = ? order by id').all(guildScope(guildId)) as {
        id: string;
      }[]
    ).map((row) => row.id);
  } finally {
    db.close();
  }
}

/** The texts stored for `guildId`, from the database itself. */
export function storedTexts(dataDir: string, guildId: string): string[] {
  const db = rawSqlite(dataDir);
  try {
    return (
      db.prepare('select text from documents where scope = ? order by id').all(guildScope(guildId)) as {
        text: string;
      }[]
    ).map((row) => row.text);
  } catch (error) {
    // No database yet: nothing was ever stored.
    if (/no such table/.test(String(error))) return [];
    throw error;
  } finally {
    db.close();
  }
}
