/** Settings added with /settings: their defaults, and one line per mistake. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it.each([
    [{}, 90],
    [{ INSIGHTS_RETENTION_DAYS: '30' }, 30],
    [{ INSIGHTS_RETENTION_DAYS: ' ' }, 90],
  ])('INSIGHTS_RETENTION_DAYS %j → %d days', (env, days) => {
    expect(loadConfig(env).insightsRetentionDays).toBe(days);
  });

  it.each([
    ['0', 'INSIGHTS_RETENTION_DAYS must be at least 1'],
    ['400', 'INSIGHTS_RETENTION_DAYS must be at most 365'],
    ['ninety', 'INSIGHTS_RETENTION_DAYS must be a whole number of days from 1 to 365'],
  ])('refuses INSIGHTS_RETENTION_DAYS=%s in one line', (value, line) => {
    expect(() => loadConfig({ INSIGHTS_RETENTION_DAYS: value })).toThrow(line);
  });
});
