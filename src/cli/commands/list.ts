import { expectPositionals, parseCommandArgs, parseServer } from '../args.ts';
import { withLibrary, writeLine, type CliCommand } from '../context.ts';
import { formatDocumentList } from '../format.ts';
import { documentToJson } from '../json.ts';
import { styleFor } from '../style.ts';

const usage = 'list [--json] [--corpus DIR] [--server ID]';
const flags = { json: { type: 'boolean' }, corpus: { type: 'string' }, server: { type: 'string' } } as const;

export const listCommand: CliCommand = {
  name: 'list',
  usage,
  summary: 'List the documents: the shipped corpus, plus a server’s own with --server.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, flags, usage);
    expectPositionals(positionals, [], usage);
    const scope = parseServer(values.server ?? context.config.discordGuildId);
    return withLibrary(
      context,
      values.corpus === undefined ? {} : { folder: values.corpus },
      async (library) => {
        const summaries = library.list(scope);
        const output =
          values.json === true
            ? JSON.stringify({ documents: summaries.map(documentToJson) })
            : formatDocumentList(summaries, styleFor(context.io.stdout));
        await writeLine(context.io.stdout, output);
        return 0;
      },
    );
  },
};
