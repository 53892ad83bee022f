/** Invariants of the fake's building blocks: shard placement and Discord's message rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardOf, snowflake, snowflakeOnShard } from '../helpers/entities.ts';
import { LIMITS, checkChoices, checkMessage, formErrorBody, pings } from '../helpers/message-rules.ts';

describe('snowflakes and shards', () => {
  it('places a guild id made for a shard on that shard', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 64 })
          .chain((count) => fc.tuple(fc.integer({ min: 0, max: count - 1 }), fc.constant(count))),
        ([shard, count]) => shardOf(snowflakeOnShard(shard, count), count) === shard,
      ),
    );
  });

  it('makes distinct 18-19 digit ids', () => {
    const ids = Array.from({ length: 1000 }, () => snowflake());
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => /^\d{18,19}$/.test(id))).toBe(true);
  });
});

describe('message rules', () => {
  it('lets nothing ping when allowed_mentions parses nothing', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.constantFrom('@everyone', '@here', '<@123456789012345678>', '<@&123456789012345678>')),
        (text, mentions) => {
          const result = pings({ content: `${text}${mentions.join(' ')}`, allowed_mentions: { parse: [] } });
          return !result.everyone && result.users.length === 0 && result.roles.length === 0;
        },
      ),
    );
  });

  it('pings everything in the content when allowed_mentions is absent', () => {
    expect(pings({ content: '@here <@!123456789012345678> <@&223456789012345678>' })).toEqual({
      everyone: true,
      users: ['123456789012345678'],
      roles: ['223456789012345678'],
    });
  });

  it.each([
    ['content over 2000', { content: 'x'.repeat(LIMITS.content + 1) }, 'content'],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ description: 'x' })) }, 'embeds'],
    ['a description over 4096', { embeds: [{ description: 'x'.repeat(4097) }] }, 'embeds'],
    [
      'embeds over 6000 in all',
      { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] },
      'embeds',
    ],
    [
      '26 fields',
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
      'embeds',
    ],
    [
      'a custom_id over 100',
      {
        components: [
          { type: 1, components: [{ type: 2, style: 1, label: 'a', custom_id: 'x'.repeat(101) }] },
        ],
      },
      'components',
    ],
  ])('refuses %s', (_what, body, field) => {
    const errors = checkMessage(body, 0);
    expect(errors.length).toBeGreaterThan(0);
    expect(formErrorBody(errors)).toMatchObject({ code: 50035, errors: { [field]: {} } });
  });

  it('counts characters, not UTF-16 units, against the content limit', () => {
    expect(checkMessage({ content: '😀'.repeat(LIMITS.content) }, 0)).toEqual([]);
  });

  it('refuses an empty message with 50006, but not one that only carries a file', () => {
    expect(formErrorBody(checkMessage({ content: '' }, 0))).toEqual({
      code: 50006,
      message: 'Cannot send an empty message',
    });
    expect(checkMessage({}, 1)).toEqual([]);
  });

  it('refuses more than 25 autocomplete choices or a name over 100 characters', () => {
    expect(
      checkChoices(Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }))),
    ).not.toEqual([]);
    expect(checkChoices([{ name: 'x'.repeat(101), value: 'v' }])).not.toEqual([]);
    expect(checkChoices([{ name: 'ok', value: 'v' }])).toEqual([]);
  });
});
