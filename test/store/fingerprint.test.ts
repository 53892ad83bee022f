/** The sliced fingerprint (used while the bot keeps answering) is the fingerprint, for any text and cut. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textFingerprint, textFingerprintInSlices } from '../../src/store/document-input.ts';

const piece = fc.oneof(
  fc.constantFrom(' ', '  ', '\n', '\r\n', '\t', '\u00a0', '\n\n', 'ferry', 'harbour', '😀', 'é', '中国'),
  fc.string({ maxLength: 6, unit: 'binary' }),
);
const text = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('textFingerprintInSlices', () => {
  it('equals textFingerprint for every text, whatever the chunk size', async () => {
    let pauses = 0;
    const pause = async (): Promise<void> => {
      pauses++;
    };
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 12 }), async (input, chunk) => {
        expect(await textFingerprintInSlices(input, pause, chunk)).toBe(textFingerprint(input));
      }),
      { numRuns: 500 },
    );
    expect(pauses).toBeGreaterThan(500);
  });

  it('tells texts apart that differ in more than white space', async () => {
    const pause = async (): Promise<void> => {};
    expect(await textFingerprintInSlices('the ferry  sails', pause, 3)).toBe(
      textFingerprint('the ferry sails'),
    );
    expect(await textFingerprintInSlices('the ferry sails', pause, 3)).not.toBe(
      textFingerprint('the ferrysails'),
    );
  });
});
