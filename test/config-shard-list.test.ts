/**
 * SHARD_LIST: the shards one machine runs out of SHARD_COUNT, so several machines share the bot. A mistake
 * in it would make two machines serve (and write) the same servers, or leave servers unserved, so every
 * wrong value stops the start with one line that says what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('Configuration problem:');
    expect(lines.at(-1)).toBe('See .env.example.');
    return lines.slice(1, -1).join('\n');
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('SHARD_LIST', () => {
  it('is every shard of SHARD_COUNT when unset (one machine)', () => {
    expect(loadConfig({}).shardList).toEqual([0]);
    expect(loadConfig({ SHARD_COUNT: '4' }).shardList).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['0-3', [0, 1, 2, 3]],
    ['4-7', [4, 5, 6, 7]],
    ['0,2,5', [0, 2, 5]],
    ['5, 0 ,2', [0, 2, 5]],
    ['0-1,6', [0, 1, 6]],
    ['7', [7]],
  ])('runs %s of SHARD_COUNT=8', (list, ids) => {
    expect(loadConfig({ SHARD_COUNT: '8', SHARD_LIST: list }).shardList).toEqual(ids);
  });

  it.each([
    ['0-8', 'SHARD_LIST shard 8 is out of range: SHARD_COUNT is 8, so shard ids run from 0 to 7'],
    ['9', 'SHARD_LIST shard 9 is out of range: SHARD_COUNT is 8, so shard ids run from 0 to 7'],
    ['0-3,2', 'SHARD_LIST names shard 2 twice: each shard is listed once'],
    ['1,1', 'SHARD_LIST names shard 1 twice: each shard is listed once'],
    ['3-1', 'SHARD_LIST range 3-1 is empty: write the lower id first, as in 1-3'],
    [',', 'SHARD_LIST must be shard ids and ranges separated by commas, such as 0-3 or 0,2,5'],
    ['0-', 'SHARD_LIST must be shard ids and ranges separated by commas, such as 0-3 or 0,2,5'],
    ['a', 'SHARD_LIST must be shard ids and ranges separated by commas, such as 0-3 or 0,2,5'],
    ['-1', 'SHARD_LIST must be shard ids and ranges separated by commas, such as 0-3 or 0,2,5'],
    ['100', 'SHARD_LIST shard 100 is out of range: SHARD_COUNT is 8, so shard ids run from 0 to 7'],
    ['6-4000000000', 'SHARD_LIST shard 8 is out of range: SHARD_COUNT is 8, so shard ids run from 0 to 7'],
    [
      '99999999999999999999',
      'SHARD_LIST shard 100000000000000000000 is out of range: SHARD_COUNT is 8, so shard ids run from 0 to 7',
    ],
  ])('refuses %s with one line', (list, line) => {
    expect(problem({ SHARD_COUNT: '8', SHARD_LIST: list })).toBe(line);
  });

  it('checks the ids against the default SHARD_COUNT of 1', () => {
    expect(problem({ SHARD_LIST: '0-3' })).toBe(
      'SHARD_LIST shard 1 is out of range: SHARD_COUNT is 1, so shard ids run from 0 to 0',
    );
    expect(loadConfig({ SHARD_LIST: '0' }).shardList).toEqual([0]);
  });

  it('is reported with the other problems, one line each', () => {
    expect(problem({ SHARD_COUNT: 'many', SHARD_LIST: '0-', LOG_LEVEL: 'loud' }).split('\n').sort()).toEqual([
      expect.stringMatching(/^LOG_LEVEL /),
      expect.stringMatching(/^SHARD_COUNT /),
      'SHARD_LIST must be shard ids and ranges separated by commas, such as 0-3 or 0,2,5',
    ]);
  });
});
