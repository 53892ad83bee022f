/**
 * Settings parsed by loadConfig: /settings' defaults (INSIGHTS_RETENTION_DAYS), and the abuse limits'
 * settings with their units, defaulted when absent, refused with one line each.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { VerbatimError } from '../src/core/index.ts';

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

describe('limit settings', () => {
  it('default to the documented values', () => {
    const config = loadConfig({});
    expect(config.downloadLimits).toEqual({ connectMs: 10_000, idleMs: 10_000, totalMs: 30_000 });
    expect(config.extraction).toEqual({
      timeMs: 30_000,
      memoryMb: 256,
      maxPdfPages: 1000,
      maxHtmlDepth: 200,
      maxTextChars: 2_000_000,
    });
    expect(config.quotas).toEqual({
      documents: 200,
      bytes: 20 * 1024 * 1024,
      paragraphs: 20_000,
      addsPerHour: 30,
    });
  });

  it('read seconds (decimals allowed) and megabytes in their units', () => {
    const config = loadConfig({
      DOWNLOAD_CONNECT_SECONDS: '2.5',
      DOWNLOAD_IDLE_SECONDS: '3',
      DOWNLOAD_TOTAL_SECONDS: '60',
      EXTRACT_SECONDS: '0.5',
      EXTRACT_MEMORY_MB: '512',
      QUOTA_MEGABYTES: '5',
      QUOTA_ADDS_PER_HOUR: '4',
    });
    expect(config.downloadLimits).toEqual({ connectMs: 2500, idleMs: 3000, totalMs: 60_000 });
    expect(config.extraction).toMatchObject({ timeMs: 500, memoryMb: 512 });
    expect(config.quotas).toMatchObject({ bytes: 5 * 1024 * 1024, addsPerHour: 4 });
  });

  it('refuse a bad value with one line naming the setting and its range', () => {
    let error: unknown;
    try {
      loadConfig({ DOWNLOAD_IDLE_SECONDS: 'soon', EXTRACT_MEMORY_MB: '64', QUOTA_DOCUMENTS: '0' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VerbatimError);
    expect((error as VerbatimError).message.split('\n').slice(1, -1)).toEqual([
      'DOWNLOAD_IDLE_SECONDS must be a number of seconds from 0.1 to 120',
      'EXTRACT_MEMORY_MB must be at least 128',
      'QUOTA_DOCUMENTS must be at least 1',
    ]);
  });
});
