/**
 * What `/document refresh` reports before it replaces a document: paragraphs added, changed and removed,
 * counted the way a reader would (a paragraph edited in place is one change, not one removal and one
 * addition; re-wrapped lines are no change).
 */
import { describe, expect, it } from 'vitest';
import { paragraphChanges } from '../src/paragraph-changes.ts';

const OLD = [
  'Harbour report',
  'The crane lifted tin at dawn on the first day of the inspection.',
  'Barges queued at the lock for most of the afternoon while the gates were repaired.',
  'The harbour master signed the log at six in the evening.',
].join('\n\n');

describe('paragraphChanges', () => {
  it.each([
    ['the same text', OLD, { added: 0, changed: 0, removed: 0, unchanged: 3 }],
    [
      'the same paragraphs wrapped differently',
      OLD.replace('at dawn on', 'at dawn\non'),
      { added: 0, changed: 0, removed: 0, unchanged: 3 },
    ],
    [
      'one paragraph edited in place',
      OLD.replace('six in the evening', 'seven in the evening'),
      { added: 0, changed: 1, removed: 0, unchanged: 2 },
    ],
    [
      'one paragraph added at the end',
      `${OLD}\n\nA second crane arrived by rail the next morning from the northern yard.`,
      { added: 1, changed: 0, removed: 0, unchanged: 3 },
    ],
    [
      'one paragraph removed',
      OLD.replace(
        'Barges queued at the lock for most of the afternoon while the gates were repaired.\n\n',
        '',
      ),
      { added: 0, changed: 0, removed: 1, unchanged: 2 },
    ],
    [
      'one edited and one added after it',
      OLD.replace('six in the evening', 'seven in the evening') +
        '\n\nA second crane arrived by rail the next morning from the northern yard.',
      { added: 1, changed: 1, removed: 0, unchanged: 2 },
    ],
  ])('%s', (_name, next, expected) => {
    expect(paragraphChanges(OLD, next)).toEqual(expected);
  });
});
