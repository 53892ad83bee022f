/**
 * The nesting scan that guards HTML extraction: exact on well-formed pages, not fooled into refusing
 * ordinary pages (unclosed paragraphs, void elements, comments and scripts), and stops early on a bomb.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestingDepth } from '../../src/ingest/html.ts';

type Tree = { tag: string; children: Tree[] };

function render(tree: Tree): string {
  return `<${tree.tag} class="x">${tree.children.map(render).join('text ')}</${tree.tag}>`;
}

function depth(tree: Tree): number {
  return 1 + Math.max(0, ...tree.children.map(depth));
}

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.record({
    tag: fc.constantFrom('div', 'span', 'section', 'b', 'em', 'article', 'ul', 'blockquote'),
    children: fc.oneof(
      { maxDepth: 8, depthIdentifier: 'tree' },
      fc.constant<Tree[]>([]),
      fc.array(tie('tree'), { maxLength: 3 }),
    ),
  }),
})).tree;

describe('nestingDepth', () => {
  it('is the depth of any well-formed tree of elements', () => {
    fc.assert(fc.property(tree, (t) => nestingDepth(render(t)) === depth(t)));
  });

  it('does not count unclosed paragraphs and list items, void elements, comments or scripts', () => {
    const page = `<div>${'<p>para<br><img src=x>'.repeat(500)}<ul>${'<li>item'.repeat(500)}</ul><!-- ${'<div>'.repeat(500)} --><script>${'<div>'.repeat(500)}</script></div>`;
    expect(nestingDepth(page)).toBe(2);
  });

  it('reads the article fixture as shallow, and stops just past the limit on a bomb', async () => {
    const article = await readFile(new URL('../fixtures/article.html', import.meta.url), 'utf8');
    expect(nestingDepth(article)).toBeLessThan(30);
    expect(nestingDepth('<div>'.repeat(100_000), 200)).toBe(201);
  });
});
