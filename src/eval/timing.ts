import { performance } from 'node:perf_hooks';

export interface Measured<T> {
  value: T;
  /** Wall-clock milliseconds, from `performance.now()`. */
  ms: number;
}

export function measure<T>(work: () => T): Measured<T> {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}
