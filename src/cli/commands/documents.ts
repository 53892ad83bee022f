/**
 * add, update and remove: the moderators' document commands, for a server's own documents stored under
 * DATA_DIR. The same library calls as the bot's, so a document added here is what /ask finds there.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { userInfo } from 'node:os';
import { VerbatimError, type Provenance, type Scope } from '../../core/index.ts';
import { addEach, expandZips, fetchUrl } from '../../library.ts';
import type { DocumentSource, DocumentSummary, IncomingFile } from '../../library.ts';
import { expectPositionals, parseCommandArgs, parseServer } from '../args.ts';
import { withLibrary, writeLine, type CliCommand, type CliContext } from '../context.ts';
import { documentToJson } from '../json.ts';

const metadataFlags = {
  title: { type: 'string' },
  publisher: { type: 'string' },
  date: { type: 'string' },
  url: { type: 'string' },
  server: { type: 'string' },
  json: { type: 'boolean' },
} as const;
const metadataUsage = '[--title T] [--publisher P] [--date YYYY-MM-DD] [--url U] [--server ID] [--json]';

const addUsage = `add <file|folder>... ${metadataUsage}  (or without <file>: --url U fetches that page or PDF)`;

/** Files one `add` reads from a folder (its own files, not its subfolders'), like ten attachments or a zip. */
const FOLDER_FILES_MAX = 100;
export const addCommand: CliCommand = {
  name: 'add',
  usage: addUsage,
  summary: 'Add a .txt, .md, .html or .pdf file, or a page fetched with --url, to a server’s documents.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, metadataFlags, addUsage);
    const scope = serverScope(values.server, context, 'add');
    const paths = await filesOf(positionals);
    if (paths.length > 1 || paths.some((path) => /\.zip$/i.test(path)) || positionals.length > paths.length)
      return addSeveral(paths, scope, values, context);
    const [file] = paths;
    if (file === undefined && values.url === undefined)
      throw new VerbatimError('BAD_OPTION', `Missing <file> (or give --url). Usage: ${addUsage}`);
    // The same fetcher, with the same bounds and private-address check, as the bot's /document add url:.
    const source = file === undefined ? await fetchUrl(values.url ?? '') : await readSource(file);
    return withLibrary(context, {}, async (library) => {
      const summary = await library.add({ scope, source, ...metadata(values), actor: terminalActor() });
      await report(context, summary, values.json === true, 'Added');
      return 0;
    });
  },
};

/** Each positional as files: a folder stands for its own .txt, .md, .html, .pdf and .zip files, by name. */
async function filesOf(positionals: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const given of positionals) {
    const info = await stat(given).catch(() => undefined);
    if (info?.isDirectory() !== true) {
      paths.push(given);
      continue;
    }
    const names = (await readdir(given, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && /\.(txt|md|markdown|html?|pdf|zip)$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    if (names.length > FOLDER_FILES_MAX)
      throw new VerbatimError(
        'BAD_OPTION',
        `"${given}" holds ${names.length} documents; add at most ${FOLDER_FILES_MAX} at once.`,
      );
    paths.push(...names.map((name) => join(given, name)));
  }
  return paths;
}

/** Several files (or a folder, or a zip): each added on its own, one line each; exit 1 when any was skipped. */
async function addSeveral(
  paths: readonly string[],
  scope: Scope,
  values: { title?: string; publisher?: string; date?: string; url?: string; json?: boolean },
  context: CliContext,
): Promise<number> {
  if (values.title !== undefined || values.url !== undefined)
    throw new VerbatimError(
      'BAD_OPTION',
      '--title and --url belong to one document: with several files each is titled from its own content.',
    );
  return withLibrary(context, {}, async (library) => {
    let skipped = 0;
    for (const path of paths) {
      let incoming: IncomingFile;
      try {
        const source = await readSource(path);
        incoming = { name: path, source: source as Extract<DocumentSource, { kind: 'file' }> };
      } catch (error) {
        if (!(error instanceof VerbatimError)) throw error;
        incoming = { name: path, skipped: error.message };
      }
      const common = { scope, ...metadata(values), actor: terminalActor() };
      for (const outcome of await addEach(library, await expandZips([incoming]), common)) {
        if (outcome.added === undefined) skipped += 1;
        const line =
          values.json === true
            ? JSON.stringify(
                outcome.added
                  ? { file: outcome.name, added: documentToJson(outcome.added) }
                  : { file: outcome.name, skipped: outcome.skipped },
              )
            : outcome.added
              ? `Added ${outcome.added.meta.id}: ${outcome.added.meta.title} (from ${outcome.name}).`
              : `Skipped ${outcome.name}: ${outcome.skipped ?? ''}`;
        await writeLine(context.io.stdout, line);
      }
    }
    return skipped === 0 ? 0 : 1;
  });
}

const updateUsage = `update <id> [file] ${metadataUsage}`;
export const updateCommand: CliCommand = {
  name: 'update',
  usage: updateUsage,
  summary: 'Replace a server document’s content (from a file) and/or its metadata; its id stays.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, metadataFlags, updateUsage);
    const [id = '', file] = expectPositionals(positionals, ['<id>', '[file]'], updateUsage, 1);
    const scope = serverScope(values.server, context, 'update');
    const source = file === undefined ? undefined : await readSource(file);
    if (source === undefined && Object.keys(metadata(values)).length === 0) {
      throw new VerbatimError(
        'BAD_OPTION',
        `update needs a file or at least one of --title, --publisher, --date, --url. Usage: ${updateUsage}`,
      );
    }
    return withLibrary(context, {}, async (library) => {
      const summary = await library.update({
        id,
        scope,
        ...(source ? { source } : {}),
        ...metadata(values),
        actor: terminalActor(),
      });
      await report(context, summary, values.json === true, 'Updated');
      return 0;
    });
  },
};

const removeUsage = 'remove <id> [--server ID]';
export const removeCommand: CliCommand = {
  name: 'remove',
  usage: removeUsage,
  summary: 'Delete one of a server’s documents.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, { server: { type: 'string' } }, removeUsage);
    const [id = ''] = expectPositionals(positionals, ['<id>'], removeUsage);
    const scope = serverScope(values.server, context, 'remove');
    return withLibrary(context, {}, async (library) => {
      await library.remove(scope, id, terminalActor());
      await writeLine(context.io.stdout, `Removed ${id}.`);
      return 0;
    });
  },
};

/** `--server`, else DISCORD_GUILD_ID; the shipped corpus is read-only, so one of them is needed. */
function serverScope(flag: string | undefined, context: CliContext, command: string): Scope {
  const scope = parseServer(flag ?? context.config.discordGuildId);
  if (scope === undefined) {
    throw new VerbatimError(
      'BAD_OPTION',
      `${command} needs --server <id> (or DISCORD_GUILD_ID): documents are stored per Discord server, and the shipped corpus is read-only.`,
    );
  }
  return scope;
}

function metadata(values: { title?: string; publisher?: string; date?: string; url?: string }) {
  const given: { title?: string; publisher?: string; date?: string; url?: string } = {};
  if (values.title !== undefined) given.title = values.title;
  if (values.publisher !== undefined) given.publisher = values.publisher;
  if (values.date !== undefined) given.date = values.date;
  if (values.url !== undefined) given.url = values.url;
  return given;
}

async function readSource(file: string): Promise<DocumentSource> {
  try {
    const bytes = await readFile(file);
    return {
      kind: 'file',
      fileName: basename(file),
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'unknown error');
    throw new VerbatimError('UNREADABLE_FILE', `Cannot read "${file}": ${why}.`);
  }
}

/** Who did it, as recorded with the document: the terminal's user. */
function terminalActor(): Omit<Provenance, 'at'> {
  let name = 'terminal';
  try {
    name = `${userInfo().username} (terminal)`;
  } catch {
    // No user database entry (some containers): the generic name says enough.
  }
  return { userId: 'terminal', userName: name };
}

async function report(
  context: CliContext,
  summary: DocumentSummary,
  json: boolean,
  verb: string,
): Promise<void> {
  const { meta } = summary;
  const text = json
    ? JSON.stringify(documentToJson(summary))
    : `${verb} ${meta.id}: ${meta.title} (${summary.paragraphs} paragraph${summary.paragraphs === 1 ? '' : 's'}).`;
  await writeLine(context.io.stdout, text);
}
