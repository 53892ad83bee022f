import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { siblingModule } from '../../module-file.ts';
import type { CliCommand } from '../context.ts';

const evalEntry = fileURLToPath(siblingModule('../../eval/main.ts', import.meta.url));

/**
 * `eval` is `npm run eval` under another name: its arguments go to src/eval/main.ts unchanged, in a
 * child process with this process's Node flags (the TypeScript loader), so the evaluation owns its argv,
 * output and exit code.
 */
export const evalCommand: CliCommand = {
  name: 'eval',
  usage: 'eval [options of npm run eval]',
  summary: 'Run the retrieval evaluation (SQuAD dev and our own questions); same as npm run eval.',
  run(args) {
    return new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, evalEntry, ...args], { stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 0 : 2)));
    });
  },
};
