/** Drops `**`/`__` markup, keeping every `\x` escape whole (escaped text has no bare `*` or `_`). */
export function withoutMarkup(markdown: string): string {
  let out = '';
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    if (c === '\\') {
      out += markdown.slice(i, i + 2);
      i++;
    } else if ((c === '*' && markdown[i + 1] === '*') || (c === '_' && markdown[i + 1] === '_')) {
      i++;
    } else {
      out += c;
    }
  }
  return out;
}
