/**
 * Starts interaction handlers one per event-loop turn, in arrival order.
 *
 * Why: a burst of interactions often arrives in one socket read, and discord.js then emits them all in the
 * same turn. Started at once, every handler would run its search before any reply left, because the HTTP client
 * (undici) writes a request on a kept-alive connection only in a later turn (`setImmediate`). Every user
 * of the burst would then wait for the whole burst. One start per turn lets each reply go out while the
 * next question is answered, so Discord processes replies while the bot computes the next ones (in
 * `npm run bench -- --only discord` this lowered the median of 50 simultaneous /asks; the slowest still
 * waits for the whole burst's CPU).
 * Handlers still run concurrently once started (a document download does not hold up questions).
 */
export function onePerTurn<T>(start: (item: T) => unknown): (item: T) => void {
  const waiting: T[] = [];
  let scheduled = false;
  const next = (): void => {
    const item = waiting.shift();
    if (waiting.length > 0) setImmediate(next);
    else scheduled = false;
    if (item !== undefined) start(item);
  };
  return (item) => {
    waiting.push(item);
    if (!scheduled) {
      scheduled = true;
      setImmediate(next);
    }
  };
}
