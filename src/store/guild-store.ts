/**
 * How documents that moderators added were stored before the database (src/store/db/): one folder per
 * Discord server. Only the one-time import (src/store/db/import.ts) reads these folders now, with this code,
 * so it reads exactly what earlier versions wrote:
 *
 *     <dataDir>/guilds/<guildId>/<docId>.txt    the text exactly as stored and quoted
 *     <dataDir>/guilds/<guildId>/<docId>.json   its DocumentMeta, with who added and last changed it
 *
 * Writes are atomic: each file is written to a temporary file in the same folder, flushed to disk (fsync)
 * and renamed over the old one, and the folder is then flushed so the rename itself survives a crash. The
 * text is renamed first and the metadata last; if the metadata cannot be put in place, the previous text
 * is put back, so a failed write leaves what was stored as it was. Reading never fails as a whole: a file
 * that cannot be read or parsed is reported and skipped.
 */
import * as nodeFs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { guildIdInScope, guildScope } from '../core/index.ts';
import type { Scope, SourceDocument } from '../core/index.ts';
import { decodeUtf8Text } from '../ingest/decode.ts';
import type { Logger } from '../log.ts';
import { DOCUMENT_ID_PATTERN } from './ids.ts';
import { describeIssue, storedMetaSchema, withoutUndefined } from './meta.ts';

/** The file operations the store uses; tests swap one for a failing version to prove writes are atomic. */
export type StoreFileSystem = Pick<
  typeof nodeFs,
  'mkdir' | 'open' | 'readdir' | 'readFile' | 'rename' | 'unlink'
>;

export interface GuildStoreOptions {
  /** The data directory (`DATA_DIR`); documents live under `<dataDir>/guilds/`. */
  dataDir: string;
  logger: Logger;
  /** Default: node:fs/promises. */
  fs?: StoreFileSystem;
}

/** Discord ids are digits; anything else that could escape the folder is refused. */
const GUILD_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
const TEMP_FILE = /^\..+\.tmp$/;

/** The guild id inside a server scope, or undefined for any other scope (the shipped corpus). */
export function guildIdOfScope(scope: Scope): string | undefined {
  const id = guildIdInScope(scope);
  return id !== undefined && GUILD_ID_PATTERN.test(id) ? id : undefined;
}

export class GuildStore {
  readonly dataDir: string;
  readonly #logger: Logger;
  readonly #fs: StoreFileSystem;

  constructor(options: GuildStoreOptions) {
    this.dataDir = options.dataDir;
    this.#logger = options.logger;
    this.#fs = options.fs ?? nodeFs;
  }

  /** Every stored document of every server. Unreadable files are logged as warnings and skipped. */
  async loadAll(): Promise<SourceDocument[]> {
    const guildsDir = join(this.dataDir, 'guilds');
    let guildIds: string[];
    try {
      guildIds = (await this.#fs.readdir(guildsDir, { withFileTypes: true }))
        .filter((entry) => {
          if (entry.isDirectory() && GUILD_ID_PATTERN.test(entry.name)) return true;
          this.#skip(join(guildsDir, entry.name), 'not a server folder');
          return false;
        })
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const documents: SourceDocument[] = [];
    for (const guildId of guildIds) documents.push(...(await this.#loadGuild(guildId)));
    return documents;
  }

  /** Writes (or overwrites) one document's text and metadata atomically. */
  async save(document: SourceDocument): Promise<void> {
    const { id, scope } = document.meta;
    const dir = this.#folderOf(scope);
    assertId(id);
    await this.#fs.mkdir(dir, { recursive: true });
    const textPath = join(dir, `${id}.txt`);
    const metaPath = join(dir, `${id}.json`);
    const tempText = tempPath(dir, `${id}.txt`);
    const tempMeta = tempPath(dir, `${id}.json`);
    try {
      await this.#writeDurably(tempText, document.text);
      await this.#writeDurably(tempMeta, `${JSON.stringify(document.meta, null, 2)}\n`);
      const previousText = await this.#readIfExists(textPath);
      await this.#fs.rename(tempText, textPath);
      try {
        await this.#fs.rename(tempMeta, metaPath);
      } catch (error) {
        await this.#restoreText(dir, textPath, previousText);
        throw error;
      }
      await this.#syncDir(dir);
    } finally {
      await this.#removeQuietly(tempText);
      await this.#removeQuietly(tempMeta);
    }
  }

  /** Deletes both files of a document. The metadata goes first: a text left alone is skipped on load. */
  async delete(scope: Scope, id: string): Promise<void> {
    const dir = this.#folderOf(scope);
    assertId(id);
    await this.#unlinkIfExists(join(dir, `${id}.json`));
    await this.#unlinkIfExists(join(dir, `${id}.txt`));
    await this.#syncDir(dir);
  }

  #folderOf(scope: Scope): string {
    const guildId = guildIdOfScope(scope);
    if (guildId === undefined)
      throw new Error(`GuildStore: "${scope}" is not a server's scope (guild:<id>).`);
    return join(this.dataDir, 'guilds', guildId);
  }

  async #loadGuild(guildId: string): Promise<SourceDocument[]> {
    const dir = join(this.dataDir, 'guilds', guildId);
    const scope = guildScope(guildId);
    let names: string[];
    try {
      names = (await this.#fs.readdir(dir)).sort();
    } catch (error) {
      this.#skip(dir, errorText(error));
      return [];
    }
    const present = new Set(names);
    const documents: SourceDocument[] = [];
    for (const name of names) {
      const path = join(dir, name);
      if (TEMP_FILE.test(name)) {
        // Left by a write that was interrupted; what it replaced is intact, so the leftover can go.
        await this.#removeQuietly(path);
        this.#logger.info({ file: path }, 'Removed an unfinished temporary file from an interrupted write');
      } else if (name.endsWith('.json')) {
        const document = await this.#loadDocument(dir, name.slice(0, -'.json'.length), scope);
        if (document !== undefined) documents.push(document);
      } else if (name.endsWith('.txt')) {
        if (!present.has(`${name.slice(0, -'.txt'.length)}.json`))
          this.#skip(path, 'its metadata file is missing');
      } else {
        this.#skip(path, 'not a document file');
      }
    }
    return documents;
  }

  async #loadDocument(dir: string, id: string, scope: Scope): Promise<SourceDocument | undefined> {
    const metaPath = join(dir, `${id}.json`);
    const textPath = join(dir, `${id}.txt`);
    try {
      if (!DOCUMENT_ID_PATTERN.test(id)) throw new Error('the file name is not a document id');
      const parsed = storedMetaSchema.safeParse(JSON.parse(await this.#fs.readFile(metaPath, 'utf8')));
      if (!parsed.success) throw new Error(parsed.error.issues.slice(0, 3).map(describeIssue).join('; '));
      const meta = parsed.data;
      if (meta.id !== id) throw new Error(`its id "${meta.id}" does not match the file name`);
      if (meta.scope !== scope) throw new Error(`its scope "${meta.scope}" does not match the folder`);
      const text = decodeUtf8Text(await this.#fs.readFile(textPath), textPath);
      return { meta: withoutUndefined(meta), text };
    } catch (error) {
      this.#skip(metaPath, errorText(error));
      return undefined;
    }
  }

  #skip(file: string, reason: string): void {
    this.#logger.warn({ file, reason }, `Skipped a stored document that cannot be used: ${reason}`);
  }

  async #writeDurably(path: string, data: string | Uint8Array): Promise<void> {
    const handle = await this.#fs.open(path, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Puts back the text a failed save replaced (or removes the new one when there was none). */
  async #restoreText(dir: string, textPath: string, previous: Uint8Array | undefined): Promise<void> {
    try {
      if (previous === undefined) {
        await this.#unlinkIfExists(textPath);
      } else {
        const temp = tempPath(dir, 'restore.txt');
        try {
          await this.#writeDurably(temp, previous);
          await this.#fs.rename(temp, textPath);
        } finally {
          await this.#removeQuietly(temp);
        }
      }
      await this.#syncDir(dir);
    } catch (error) {
      this.#logger.error(
        { file: textPath, err: error },
        'Could not put back the text of a document after a failed write',
      );
    }
  }

  async #readIfExists(path: string): Promise<Uint8Array | undefined> {
    try {
      return await this.#fs.readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async #unlinkIfExists(path: string): Promise<void> {
    try {
      await this.#fs.unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async #removeQuietly(path: string): Promise<void> {
    try {
      await this.#fs.unlink(path);
    } catch {
      // Already gone (the normal case after a rename), or the folder is unwritable: nothing to clean.
    }
  }

  /** Flushes the folder itself, so renames and deletions in it are on disk. */
  async #syncDir(dir: string): Promise<void> {
    const handle = await this.#fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

function assertId(id: string): void {
  if (!DOCUMENT_ID_PATTERN.test(id)) throw new Error(`GuildStore: "${id}" is not a valid document id.`);
}

function tempPath(dir: string, name: string): string {
  return join(dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
