/** Segmenting a long text window by window (so indexing can yield) finds exactly the blocks `segment` finds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segment } from '../../src/core/index.ts';
import { segmentInWindows } from '../../src/core/segment-windows.ts';

const line = fc.constantFrom(
  'Harbour ferry returns',
  'Coronavirus business update',
  'Stay briefed with our coronavirus newsletter.',
  'Skip to main content',
  'Leave a Reply',
  'The passenger ferry resumed its timetable on Monday after three months in dry dock.',
  'Sunday sailings drop from eight to six, the operator said.',
  'Back to top',
  '',
  '   ',
  '\u00a0',
);
const separator = fc.constantFrom('\n', '\n\n', '\r\n', '\r\n\r\n', '\n \n', '\n\t\u00a0\n', '\n\n\n');
const text = fc
  .array(fc.tuple(line, separator), { minLength: 0, maxLength: 40 })
  .map((pairs) => pairs.map(([words, gap]) => words + gap).join(''));

describe('segmentInWindows', () => {
  it('yields exactly the blocks of segment(), whatever the window size', () => {
    let windowsSeen = 0;
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 120 }), (input, windowChars) => {
        const windows = [...segmentInWindows(input, windowChars)];
        windowsSeen = Math.max(windowsSeen, windows.length);
        expect(windows.flat()).toEqual(segment(input).blocks);
      }),
      { numRuns: 400 },
    );
    // The generator reaches texts cut into many windows, so the cuts themselves are exercised.
    expect(windowsSeen).toBeGreaterThan(5);
  });
});
