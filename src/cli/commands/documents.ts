/**
 * add, update and remove: the moderators' document commands, for a server's own documents stored under
 * DATA_DIR. The same library calls as the bot's, so a document added here is what /ask finds there.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { VerbatimError, type Provenance, type Scope } from '../../core/index.ts';
import { fetchUrl } from '../../library.ts';
import type { DocumentSource, DocumentSummary } from '../../library.ts';
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

const addUsage = `add <file> ${metadataUsage}  (or without <file>: --url U fetches that page or PDF)`;
export const addCommand: CliCommand = {
  name: 'add',
  usage: addUsage,
  summary: 'Add a .txt, .md, .html or .pdf file, or a page fetched with --url, to a server’s documents.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, metadataFlags, addUsage);
    const [file] = expectPositionals(positionals, ['<file>'], addUsage, 1);
    const scope = serverScope(values.server, context, 'add');
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
