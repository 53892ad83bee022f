/**
 * Work elsewhere in this process that grows its resident memory on purpose, for the extraction guard to
 * tell apart from a hostile upload. The guard measures the whole process's resident memory (PDF.js's
 * ArrayBuffers escape the worker's heap limit), so without this the sentence encoder loading its model
 * (~300 MB) or growing its WebAssembly memory on a larger batch would be blamed on whatever file was being
 * read at that moment, and a moderator's ordinary PDF refused as too big.
 */
let inProgress = 0;

/** Marks memory-growing work as started; the returned function marks it finished (once, however called). */
export function beginMemoryWork(): () => void {
  inProgress += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inProgress -= 1;
  };
}

/** Whether some marked work is running now. */
export function memoryWorkInProgress(): boolean {
  return inProgress > 0;
}
