import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_ID_PATTERN, MAX_SLUG_LENGTH, slugify, uniqueId } from '../../src/store/ids.ts';

describe('document ids from titles', () => {
  it.each([
    ['Revealed: UK government ignored Uighur repression', 'revealed-uk-government-ignored-uighur-repression'],
    ['China’s tech giants', 'chinas-tech-giants'],
    ['Café société — Ærø & Łódź', 'cafe-societe-aero-lodz'],
    ['  --Spaces   and---dashes--  ', 'spaces-and-dashes'],
    ['联合国与腾讯', 'document'],
    ['🎉🎉', 'document'],
    ['a'.repeat(80), 'a'.repeat(MAX_SLUG_LENGTH)],
  ])('%s -> %s', (title, id) => {
    expect(slugify(title)).toBe(id);
  });

  it('cuts long titles at a word, not inside one', () => {
    const id = slugify('Foreign companies in Xinjiang and human rights due diligence for technology firms');
    expect(id).toBe('foreign-companies-in-xinjiang-and-human-rights-due-diligence');
  });

  it('property: every title gives a valid id of bounded length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (title) => {
        const id = slugify(title);
        expect(id).toMatch(DOCUMENT_ID_PATTERN);
        expect(id.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      }),
    );
  });

  it('property: uniqueId never returns a taken id, and adding titles one by one never repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Notes', 'notes', 'NOTES!', 'Notes 2', 'Report', ''), { maxLength: 30 }),
        (titles) => {
          const taken = new Set<string>();
          for (const title of titles) {
            const id = uniqueId(title, (candidate) => taken.has(candidate));
            expect(taken.has(id)).toBe(false);
            expect(id).toMatch(DOCUMENT_ID_PATTERN);
            taken.add(id);
          }
        },
      ),
    );
  });
});
