/**
 * The interactive terminal mode (`npm start` without a Discord token): a prompt where a line is a
 * question, plus the slash commands /ask, /source, /help and /quit. Everything is written to `output`;
 * on a TTY with styling, elsewhere as plain text.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isVerbatimError, type Scope } from '../core/index.ts';
import { describeSemanticStatus, type Library } from '../library.ts';
import type { Logger } from '../log.ts';
import { writeLine } from './context.ts';
import { formatAskResult, formatDocumentDetails, formatDocumentList } from './format.ts';
import { styleFor, type OutputStream } from './style.ts';

export interface ReplOptions {
  library: Library;
  input: Readable & { isTTY?: boolean };
  output: Writable & OutputStream;
  logger: Logger;
  /** A server's own documents to search besides the shipped corpus. */
  scope?: Scope;
  /** Passages per answer; the engine's default when absent. */
  limit?: number;
}

export const REPL_HELP = [
  'Type a question and press Enter: the answer is quoted word for word from the documents, with its source.',
  '  /ask <question>   the same, spelled out',
  '  /source           list the documents',
  '  /source <id>      everything known about one document',
  '  /help             this help',
  '  /quit             leave (or Ctrl-D)',
].join('\n');

const NO_ANSWER_HINT = 'Type /source to see what the corpus covers.';

/** Resolves when the user quits (/quit, Ctrl-D or the end of piped input). */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { library, input, output } = options;
  const interactive = input.isTTY === true && output.isTTY === true;
  const lines = createInterface({
    input,
    output,
    terminal: interactive,
    prompt: 'verbatim> ',
    crlfDelay: Infinity,
  });
  const count = library.list(options.scope).length;
  await writeLine(
    output,
    `Ask a question about ${count} document${count === 1 ? '' : 's'}; /help for commands, /quit to leave.`,
  );
  if (interactive) lines.prompt();
  try {
    for await (const line of lines) {
      const reply = await answerLine(line.trim(), options);
      if (reply === QUIT) break;
      if (reply !== '') await writeLine(output, `${reply}\n`);
      if (interactive) lines.prompt();
    }
  } finally {
    lines.close();
  }
}

const QUIT = Symbol('quit');

/** The reply to one line, '' for nothing, or QUIT. A user's mistake is a one-line reply, never a stack trace. */
async function answerLine(line: string, options: ReplOptions): Promise<string | typeof QUIT> {
  const style = styleFor(options.output);
  try {
    if (line === '') return '';
    if (!line.startsWith('/')) return await ask(line, options);
    const [command = '', ...rest] = line.split(/\s+/);
    const argument = line.slice(command.length).trim();
    switch (command.toLowerCase()) {
      case '/quit':
      case '/exit':
        return QUIT;
      case '/help':
        return REPL_HELP;
      case '/ask':
        return argument === '' ? 'Usage: /ask <question>' : await ask(argument, options);
      case '/source':
        if (rest.length > 1) return 'Usage: /source, or /source <id>';
        return argument === ''
          ? `${formatDocumentList(options.library.list(options.scope), style)}\n${describeSemanticStatus(options.library.semanticStatus(options.scope))}`
          : formatDocumentDetails(options.library.describe(argument, options.scope), style);
      default:
        return `Unknown command ${style.safe(command)}. Type /help for the commands.`;
    }
  } catch (error) {
    if (isVerbatimError(error)) return error.message.replace(/\s*\n\s*/g, ' ');
    options.logger.error({ err: error }, 'unexpected error in the terminal mode');
    return 'Sorry, something went wrong answering that; it has been logged.';
  }
}

async function ask(question: string, options: ReplOptions): Promise<string> {
  const result = await options.library.ask(question, {
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  });
  return formatAskResult(result, styleFor(options.output), NO_ANSWER_HINT);
}
