/** Interactions of a burst start one per event-loop turn, all of them, in the order they arrived. */
import { describe, expect, it } from 'vitest';
import { onePerTurn } from '../../src/discord/pacing.ts';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('onePerTurn', () => {
  it('starts a burst in arrival order, one per turn, so earlier replies can leave in between', async () => {
    const started: string[] = [];
    const enqueue = onePerTurn((name: string) => started.push(name));
    for (const name of ['first', 'second', 'third']) enqueue(name);
    expect(started).toEqual([]);
    await nextTurn();
    expect(started).toEqual(['first']);
    await nextTurn();
    expect(started).toEqual(['first', 'second']);
    await nextTurn();
    expect(started).toEqual(['first', 'second', 'third']);
  });

  it('keeps going after a quiet spell and when items arrive while it runs', async () => {
    const started: number[] = [];
    const enqueue = onePerTurn((n: number) => {
      started.push(n);
      if (n === 1) enqueue(3);
    });
    enqueue(1);
    enqueue(2);
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(started).toEqual([1, 2, 3]);
    enqueue(4);
    for (let turn = 0; turn < 2; turn++) await nextTurn();
    expect(started).toEqual([1, 2, 3, 4]);
  });
});
