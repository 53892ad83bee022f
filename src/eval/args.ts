/**
 * The eval's command line: `[--json] [--squad PATH] [--only squad|own] [--limit-questions N]`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VerbatimError, type EngineOptionsInput } from '../core/index.ts';

/** `../shared/data/dev-v1.1.json` next to the repository, whatever the working directory. */
export const DEFAULT_SQUAD_PATH = fileURLToPath(
  new URL('../../../shared/data/dev-v1.1.json', import.meta.url),
);

export const EVAL_USAGE =
  "npm run eval -- [--json] [--squad PATH] [--only squad|own] [--limit-questions N] [--options '{JSON engine options}'] [--no-baseline] [--no-semantic] [--half tune]";

export interface EvalArgs {
  json: boolean;
  /** As given, or the default relative to the working directory (it is shown in messages as it is). */
  squadPath: string;
  only: 'squad' | 'own' | undefined;
  limitQuestions: number | undefined;
  /** Engine options for an ablation (`--options '{"glossaryWeight":0}'`); empty means the defaults. */
  engineOptions: EngineOptionsInput;
  /** `tune`: the own set's test half is neither kept nor printed (for choosing parameters); default both. */
  half: 'tune' | 'both';
  /** Also run with the semantic stage (the real encoder; vectors cached in .cache/eval-vectors). */
  semantic: boolean;
  /** Skip plain MiniSearch (quicker ablation runs); the README figures always include it. */
  baseline: boolean;
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
        options: { type: 'string' },
        'no-baseline': { type: 'boolean', default: false },
        half: { type: 'string' },
        'no-semantic': { type: 'boolean', default: false },
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
  if (values.half !== undefined && values.half !== 'tune') {
    throw new VerbatimError(
      'BAD_OPTION',
      `--half takes "tune" (the test half is printed by default), not "${values.half}".`,
    );
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
  let engineOptions: EngineOptionsInput = {};
  if (values.options !== undefined) {
    try {
      engineOptions = JSON.parse(values.options) as EngineOptionsInput;
    } catch {
      throw new VerbatimError(
        'BAD_OPTION',
        `--options takes a JSON object of engine options, not "${values.options}".`,
      );
    }
    if (typeof engineOptions !== 'object' || engineOptions === null || Array.isArray(engineOptions)) {
      throw new VerbatimError(
        'BAD_OPTION',
        `--options takes a JSON object of engine options, not "${values.options}".`,
      );
    }
  }
  return {
    json: values.json,
    engineOptions,
    baseline: !values['no-baseline'],
    half: values.half === 'tune' ? 'tune' : 'both',
    semantic: !values['no-semantic'],
    squadPath: values.squad === undefined ? path.relative(process.cwd(), DEFAULT_SQUAD_PATH) : values.squad,
    only,
    limitQuestions,
  };
}
