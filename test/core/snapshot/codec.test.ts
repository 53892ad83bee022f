/** The snapshot's building blocks: base64 as the standard defines it, and packed arrays that come back intact. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ContentHash,
  SnapshotError,
  fromBase64,
  fromBase64Portable,
  packArrays,
  toBase64,
  unpackArrays,
} from '../../../src/core/snapshot/codec.ts';

describe('snapshot codec', () => {
  it('writes standard padded base64 and reads it back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(text)).toEqual(bytes);
        expect(fromBase64Portable(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses base64 with foreign characters or a broken length', () => {
    for (const decode of [fromBase64, fromBase64Portable]) {
      expect(() => decode('AAA')).toThrow(SnapshotError);
      expect(() => decode('AA!A')).toThrow(SnapshotError);
      expect(() => decode('AAAA!AAA')).toThrow(SnapshotError);
    }
  });

  it('packs arrays 16 or 32 bits wide and unpacks the same values', () => {
    const values = fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constant(2 ** 32 - 1));
    fc.assert(
      fc.property(fc.array(fc.array(values, { maxLength: 20 }), { maxLength: 20 }), (lists) => {
        const arrays = lists.map((list) => Uint32Array.from(list));
        const unpacked = unpackArrays(JSON.parse(JSON.stringify(packArrays(arrays))), arrays.length);
        expect(unpacked.map((array) => [...array])).toEqual(lists);
      }),
    );
  });

  it('hashes content so that any changed character, or a moved boundary, changes the key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), (text, at) => {
        const i = at % text.length;
        const changed = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
        expect(new ContentHash().update(changed).digest()).not.toBe(new ContentHash().update(text).digest());
      }),
    );
    expect(new ContentHash().update('ab').update('c').digest()).not.toBe(
      new ContentHash().update('a').update('bc').digest(),
    );
  });
});
