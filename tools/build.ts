/**
 * `npm run build`: compiles src/ and commands/ to JavaScript in dist/ (tsconfig.build.json), then copies
 * the files the program reads at run time next to the code that reads them, at the same relative paths
 * as in the repository: the shipped corpus (found from src/store/corpus.ts as ../../corpus/) and the
 * evaluation's own questions. `npm run start:prod` then runs `node dist/src/main.js`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = new URL('dist/', `file://${root}`);
/** Read at run time from these paths (relative to the repository and to dist/ alike). */
const ASSETS = ['corpus/', 'src/eval/questions.json'];

// A stale file from a deleted module would otherwise stay importable (commands/ is loaded by listing it).
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
for (const asset of ASSETS)
  cpSync(new URL(asset, `file://${root}`), new URL(asset, dist), { recursive: true });
process.stdout.write(`Built into ${fileURLToPath(dist)}; run it with npm run start:prod.\n`);
