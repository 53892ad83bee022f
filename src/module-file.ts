/**
 * Modules that are started by path (a shard process, a worker thread, the evaluation) rather than
 * imported: under tsx they are the `.ts` sources, in the build (`npm run build`, dist/) the compiled `.js`
 * files next to the caller. tsc rewrites the extension of `import` specifiers, not of these paths.
 */

/** True when `moduleUrl` (the caller's `import.meta.url`) is compiled JavaScript rather than TypeScript. */
export function isCompiled(moduleUrl: string): boolean {
  return new URL(moduleUrl).pathname.endsWith('.js');
}

/** `relative` (written with `.ts`, as in the sources) resolved from `moduleUrl`, with the build's extension. */
export function siblingModule(relative: string, moduleUrl: string): URL {
  const path = isCompiled(moduleUrl) ? relative.replace(/\.ts$/, '.js') : relative;
  return new URL(path, moduleUrl);
}

/**
 * Node flags a child process needs to run `moduleUrl`'s siblings: the tsx loader under tsx, none compiled.
 * tsx is resolved only when needed, since a production install (`npm ci --omit=dev`) has none.
 */
export function loaderArgs(moduleUrl: string): string[] {
  return isCompiled(moduleUrl) ? [] : ['--import', import.meta.resolve('tsx')];
}
