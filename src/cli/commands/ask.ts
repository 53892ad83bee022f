import { createInterface } from 'node:readline';
import { isVerbatimError, VerbatimError, type AskOptions } from '../../core/index.ts';
import type { Library } from '../../library.ts';
import { parseCommandArgs, parseLimit, parseServer } from '../args.ts';
import { withLibrary, writeLine, type CliCommand, type CliContext } from '../context.ts';
import { formatAskResult } from '../format.ts';
import { askErrorToJson, askResultToJson } from '../json.ts';
import { styleFor } from '../style.ts';

const usage = 'ask [question] [--json] [--limit N] [--corpus DIR] [--server ID] [--semantic|--no-semantic]';
const flags = {
  json: { type: 'boolean' },
  semantic: { type: 'boolean' },
  'no-semantic': { type: 'boolean' },
  limit: { type: 'string' },
  corpus: { type: 'string' },
  server: { type: 'string' },
} as const;

export const NO_ANSWER_HINT = 'Run `npm run cli -- list` to see what the corpus covers.';

export const askCommand: CliCommand = {
  name: 'ask',
  usage,
  summary:
    'Quote the passages that answer a question; with no question and piped input, one question per line.',
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(args, flags, usage);
    const options: AskOptions = {};
    const limit = parseLimit(values.limit);
    if (limit !== undefined) options.limit = limit;
    const scope = parseServer(values.server ?? context.config.discordGuildId);
    if (scope !== undefined) options.scope = scope;
    const json = values.json === true;
    const question = positionals.join(' ');

    if (positionals.length === 0 && context.io.stdin.isTTY === true) {
      throw new VerbatimError(
        'EMPTY_QUESTION',
        'ask needs a question: npm run cli -- ask "your question", or pipe one question per line.',
      );
    }
    if (values.semantic === true && values['no-semantic'] === true) {
      throw new VerbatimError('BAD_OPTION', 'Give --semantic or --no-semantic, not both.');
    }
    const semantic = values.semantic === true ? true : values['no-semantic'] === true ? false : 'config';
    return withLibrary(
      context,
      { ...(values.corpus === undefined ? {} : { folder: values.corpus }), semantic },
      async (library) => {
        // A one-off command has no prompt to keep responsive: it waits for the model (a second or so)
        // so that its answers are the bot's, not the lexical fallback of a bot still starting.
        await library.semanticReady();
        if (positionals.length > 0) {
          await writeLine(context.io.stdout, await render(library, question, options, json, context));
          return 0;
        }
        return askEachLine(library, options, json, context);
      },
    );
  },
};

async function render(
  library: Library,
  question: string,
  options: AskOptions,
  json: boolean,
  context: CliContext,
): Promise<string> {
  const result = await library.ask(question, options);
  if (json) return JSON.stringify(askResultToJson(result));
  return formatAskResult(result, styleFor(context.io.stdout), NO_ANSWER_HINT);
}

/**
 * Batch mode: one question per input line, one result per output line (JSON) or block (text). Blank
 * lines are skipped; a question that cannot be asked still gets its line, with the error, so outputs stay
 * aligned with inputs, and the exit code is 1 at the end.
 */
async function askEachLine(
  library: Library,
  options: AskOptions,
  json: boolean,
  context: CliContext,
): Promise<number> {
  let failed = 0;
  const lines = createInterface({ input: context.io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let output: string;
    try {
      output = await render(library, line, options, json, context);
    } catch (error) {
      if (!isVerbatimError(error)) throw error;
      failed++;
      output = json
        ? JSON.stringify(askErrorToJson(line, error.code, error.message))
        : `error: ${error.message}`;
    }
    await writeLine(
      context.io.stdout,
      json ? output : `? ${styleFor(context.io.stdout).safe(line)}\n${output}\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}
