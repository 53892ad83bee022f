/**
 * Entries' arrays kept in columns (16 bits wide when every value fits): every entry reads back exactly
 * the array it was given, as a Uint32Array, from a built column and from a snapshot's packed one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnOf, packedColumn } from '../../../src/core/snapshot/columns.ts';
import { packArrays } from '../../../src/core/snapshot/codec.ts';

const small = fc.array(fc.integer({ min: 0, max: 65_535 }), { maxLength: 20 });
const any = fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 20 });
/** Arrays, some given to several entries in a row (as a section's term ids are). */
const arrays = fc
  .array(fc.tuple(fc.oneof(small, any), fc.integer({ min: 1, max: 3 })), { maxLength: 30 })
  .map((runs) => runs.flatMap(([values, times]) => Array<Uint32Array>(times).fill(Uint32Array.from(values))));

describe('entry columns', () => {
  it('give every entry back its own values, as a Uint32Array, whatever their width', () => {
    fc.assert(
      fc.property(arrays, (given) => {
        const built = columnOf(given);
        const loaded = packedColumn(JSON.parse(JSON.stringify(packArrays(given))), given.length);
        given.forEach((array, at) => {
          for (const column of [built, loaded]) {
            const value = column(at);
            expect(value).toBeInstanceOf(Uint32Array);
            expect(Array.from(value as Uint32Array)).toEqual(Array.from(array));
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
