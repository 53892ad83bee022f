/**
 * The eval's command line: `[--json] [--squad PATH] [--only squad|own] [--limit-questions N]`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VerbatimError } from '../core/index.ts';

/** `../shared/data/dev-v1.1.json` next to the repository, whatever the working directory. */
export const DEFAULT_SQUAD_PATH = fileURLToPath(
  new URL('../../../shared/data/dev-v1.1.json', import.meta.url),
);

export const EVAL_USAGE = 'npm run eval -- [--json] [--squad PATH] [--only squad|own] [--limit-questions N]';

export interface EvalArgs {
  json: boolean;
  /** As given, or the default relative to the working directory (it is shown in messages as it is). */
  squadPath: string;
  only: 'squad' | 'own' | undefined;
  limitQuestions: number | undefined;
}

/** Parses the command line; throws VerbatimError BAD_OPTION with a sentence saying what is accepted. */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean', default: false },
        squad: { type: 'string' },
        only: { type: 'string' },
        'limit-questions': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new VerbatimError(
      'BAD_OPTION',
      `${(error as Error).message.replace(/\.?$/, '')}. Usage: ${EVAL_USAGE}`,
    );
  }
  const only = values.only;
  if (only !== undefined && only !== 'squad' && only !== 'own') {
    throw new VerbatimError('BAD_OPTION', `--only takes "squad" or "own", not "${only}".`);
  }
  let limitQuestions: number | undefined;
  if (values['limit-questions'] !== undefined) {
    limitQuestions = Number(values['limit-questions']);
    if (!Number.isInteger(limitQuestions) || limitQuestions < 1) {
      throw new VerbatimError(
        'BAD_OPTION',
        `--limit-questions takes a whole number of at least 1, not "${values['limit-questions']}".`,
      );
    }
  }
  return {
    json: values.json,
    squadPath: values.squad === undefined ? path.relative(process.cwd(), DEFAULT_SQUAD_PATH) : values.squad,
    only,
    limitQuestions,
  };
}
