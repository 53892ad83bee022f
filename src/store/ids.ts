/** Readable document ids made from titles: lower-case ASCII words joined by hyphens, unique where needed. */

/** What every document id looks like (shipped, stored or from a folder): safe in a file name and a custom_id. */
export const DOCUMENT_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Longest id made from a title, before any `-2` suffix; keeps ids short enough for Discord's custom_id. */
export const MAX_SLUG_LENGTH = 60;

/** Used when a title has no ASCII letters or digits at all (a title in Chinese, only emoji...). */
const FALLBACK_SLUG = 'document';

/** Latin letters that NFKD does not split into a base letter and an accent. */
const LATIN_LETTERS: Readonly<Record<string, string>> = {
  æ: 'ae',
  ø: 'o',
  ł: 'l',
  ß: 'ss',
  đ: 'd',
  œ: 'oe',
  þ: 'th',
  ð: 'd',
};

export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents, once NFKD has split them off their letters
    .toLowerCase()
    .replace(/[æøłßđœþð]/g, (letter) => LATIN_LETTERS[letter] ?? '')
    .replace(/['’]/g, '') // "China’s" -> "chinas", not "china-s"
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > MAX_SLUG_LENGTH) break;
    slug = next;
  }
  // A single word longer than the limit is cut rather than lost.
  if (slug === '' && words[0] !== undefined) slug = words[0].slice(0, MAX_SLUG_LENGTH);
  return slug === '' ? FALLBACK_SLUG : slug;
}

/** The slug of `title`, with `-2`, `-3`... appended until `isTaken` says it is free. */
export function uniqueId(title: string, isTaken: (id: string) => boolean): string {
  const base = slugify(title);
  if (!isTaken(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!isTaken(candidate)) return candidate;
  }
}
