/** Reading the evaluation's data files: the only I/O of src/eval besides main.ts. */
import { existsSync, readFileSync } from 'node:fs';
import { VerbatimError } from '../core/index.ts';
import { parseOwnQuestions, type OwnQuestion } from './own-set.ts';
import { parseSquad, type SquadSet } from './squad.ts';

const QUESTIONS_FILE = new URL('./questions.json', import.meta.url);

/** The own question set, validated. */
export function loadOwnQuestions(): OwnQuestion[] {
  return parseOwnQuestions(JSON.parse(readFileSync(QUESTIONS_FILE, 'utf8')));
}

/** SQuAD v1.1 dev; throws VerbatimError BAD_OPTION with one sentence when the file is missing or wrong. */
export function loadSquad(squadPath: string): SquadSet {
  if (!existsSync(squadPath)) {
    throw new VerbatimError(
      'BAD_OPTION',
      `SQuAD file not found at ${squadPath}: pass --squad PATH, or --only own to skip SQuAD.`,
    );
  }
  try {
    return parseSquad(JSON.parse(readFileSync(squadPath, 'utf8')));
  } catch (error) {
    throw new VerbatimError(
      'BAD_OPTION',
      `${squadPath} is not SQuAD v1.1 JSON (${(error as Error).message}): pass the dev-v1.1.json file.`,
    );
  }
}
