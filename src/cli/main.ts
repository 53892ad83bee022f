/** `npm run cli -- <command>`: the terminal commands. See run.ts. */
import { loadDotEnv } from '../config.ts';
import { runCli } from './run.ts';

loadDotEnv();
process.exitCode = await runCli(
  process.argv.slice(2),
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  { env: process.env },
);
