import { expectPositionals, parseCommandArgs, parseServer } from '../args.ts';
import { withLibrary, writeLine, type CliCommand } from '../context.ts';
import { formatDocumentDetails } from '../format.ts';
import { documentToJson } from '../json.ts';
import { styleFor } from '../style.ts';

const usage = 'show <id> [--json] [--corpus DIR] [--server ID]';
const flags = { json: { type: 'boolean' }, corpus: { type: 'string' }, server: { type: 'string' } } as const;

export const showCommand: CliCommand = {
  name: 'show',
  usage,
  summary: 'Everything known about one document.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, flags, usage);
    const [id = ''] = expectPositionals(positionals, ['<id>'], usage);
    const scope = parseServer(values.server ?? context.config.discordGuildId);
    return withLibrary(
      context,
      values.corpus === undefined ? {} : { folder: values.corpus },
      async (library) => {
        const summary = library.describe(id, scope);
        const output =
          values.json === true
            ? JSON.stringify(documentToJson(summary))
            : formatDocumentDetails(summary, styleFor(context.io.stdout));
        await writeLine(context.io.stdout, output);
        return 0;
      },
    );
  },
};
