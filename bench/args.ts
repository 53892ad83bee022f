/** The benchmark's command line: `npm run bench -- [--sizes 2k,20k,100k] [--quick] [--json]`. */
import { parseArgs } from 'node:util';
import { parseSize, type CorpusSize } from './corpus.ts';

export interface BenchArgs {
  sizes: CorpusSize[];
  quick: boolean;
  json: boolean;
  /** `discord`: measure only the /ask round trip (no corpora, no stall), for iterating on the bot. */
  only: 'discord' | 'members' | 'memory' | 'semantic' | 'startup' | 'stored' | undefined;
  /** As typed, for the table's header. */
  command: string;
}

export const USAGE = `Usage: npm run bench -- [--sizes 2k,20k,100k] [--quick] [--json] [--only discord|members|memory|semantic|startup|stored]
  --sizes   corpus sizes, comma-separated (default 2k,20k,100k); 2k is SQuAD dev, others are generated
  --quick   fewer queries per size (for a fast look; figures are noisier)
  --json    print one JSON object instead of the table
  --only discord  measure only the /ask round trip through the Discord layer
  --only members  measure only the bot's memory over many distinct members (100,000 /asks; 10,000 with --quick)
  --only memory   measure only memory with 1,000 servers (50 active) on demand against load-everything
  --only semantic measure only the semantic stage's cost (encoder, memory, vectoring)
  --only startup  measure only ready of the compiled program against tsx (npm run start:prod vs npm start)
  --only stored   measure only start-up with ~1 GB of stored server documents (log-in, every server answering; ~1 GB in bench/data/)`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '2k,20k,100k' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const sizes = values.sizes
    .split(',')
    .filter((size) => size.trim() !== '')
    .map(parseSize);
  if (
    values.only !== undefined &&
    values.only !== 'discord' &&
    values.only !== 'members' &&
    values.only !== 'memory' &&
    values.only !== 'semantic' &&
    values.only !== 'startup' &&
    values.only !== 'stored'
  )
    throw new Error(
      `--only: the parts that run alone are discord, members, memory, semantic, startup and stored, not ${values.only}`,
    );
  if (sizes.length === 0) throw new Error('--sizes: give at least one size, such as 2k');
  return {
    sizes,
    quick: values.quick,
    json: values.json,
    only: values.only,
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
  };
}
