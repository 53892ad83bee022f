/**
 * HTML pages to text: @mozilla/readability (the engine behind Firefox's Reader View) picks the article and
 * drops navigation, headers, footers and sidebars; linkedom gives it a DOM without a browser. The article
 * is then written out as blocks separated by blank lines (one per paragraph, heading or list item), which
 * is the paragraph structure the core's segmentation expects.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

export interface HtmlText {
  text: string;
  /** The page's article title, or its `<title>`; undefined when it has neither. */
  title: string | undefined;
}

/** Elements whose text forms its own block. */
const BLOCK_TAGS = new Set(
  [
    'ADDRESS ARTICLE BLOCKQUOTE BODY CAPTION DD DETAILS DIV DL DT FIELDSET H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN',
    'OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Elements that never hold article text: code, media, controls, and page furniture (navigation, sidebars,
 * footers, forms), which matters when Readability finds no article and the whole body is read. Figures and
 * their captions go too: image credits and captions are site boilerplate, never answers.
 */
const SKIPPED_TAGS = new Set(
  [
    'SCRIPT STYLE NOSCRIPT TEMPLATE SVG CANVAS IFRAME OBJECT EMBED IMG PICTURE VIDEO AUDIO FIGURE FIGCAPTION',
    'BUTTON INPUT SELECT TEXTAREA NAV ASIDE FOOTER FORM',
  ]
    .join(' ')
    .split(' '),
);

/** The minimal DOM surface the block writer reads; linkedom's nodes provide it. */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export function htmlToText(html: string): HtmlText {
  const { document } = parseHTML(asFullDocument(html));
  const pageTitle = cleanInline(document.title ?? '');
  // Readability mutates the document it reads, so the fallback below parses the page again.
  // The DOM types come from linkedom, not lib.dom; Readability only needs the standard DOM surface.
  const article = new Readability(document as never, {
    serializer: (node: unknown) => node as DomNode,
  }).parse();
  const articleTitle = cleanInline(article?.title ?? '');
  let text = article?.content ? blocksToText(article.content) : '';
  if (text === '') {
    // Pages too short or too unusual for Readability: keep the body's own text, still as blocks.
    const body = parseHTML(asFullDocument(html)).document.body as unknown as DomNode | null;
    text = body ? blocksToText(body) : '';
  }
  const title = articleTitle || pageTitle || undefined;
  return { text, title };
}

/** linkedom builds no <html>/<body> for a fragment, and Readability needs both. */
function asFullDocument(html: string): string {
  return /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
}

function blocksToText(root: DomNode): string {
  const blocks: string[] = [];
  let current = '';
  const flush = (): void => {
    const block = current
      .split('\n')
      .map((line) => cleanInline(line))
      .filter((line) => line !== '')
      .join('\n');
    if (block !== '') blocks.push(block);
    current = '';
  };
  const walk = (node: DomNode, inPre: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      const value = node.textContent ?? '';
      // Outside <pre>, line breaks in the source are just spaces; <br> makes the real ones.
      current += inPre ? value : value.replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = node.nodeName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) return;
    if (tag === 'BR') {
      current += '\n';
      return;
    }
    const isBlock = BLOCK_TAGS.has(tag);
    if (isBlock) flush();
    const children = Array.from(node.childNodes);
    for (const child of children) walk(child, inPre || tag === 'PRE');
    if (isBlock) flush();
  };
  walk(root, false);
  flush();
  return blocks.join('\n\n');
}

/** Collapses runs of spaces (including non-breaking ones) inside a line and trims it. */
function cleanInline(text: string): string {
  return text.replace(/[ \t\f\v\u00a0]+/g, ' ').trim();
}

/**
 * Elements whose end tag may be left out (a `<p>` ends at the next `<p>`): never counted as nesting, or a
 * page of unclosed paragraphs would look deep.
 */
const OPTIONAL_END = new Set(
  'P LI DT DD TR TD TH THEAD TBODY TFOOT COLGROUP OPTION OPTGROUP RB RT RP HTML HEAD BODY'.split(' '),
);
const VOID = new Set('AREA BASE BR COL EMBED HR IMG INPUT LINK META SOURCE TRACK WBR'.split(' '));

/**
 * How deep the page's elements nest, found by a scan of its tags before any parsing, stopping as soon as
 * it passes `stopAbove`: parsing and Readability recurse once per level, so 100,000 nested `<div>`s take
 * minutes and then overflow the stack. Comments and the text of scripts and styles are skipped. An
 * estimate on the high side for broken markup, exact for well-formed pages.
 */
export function nestingDepth(html: string, stopAbove = Number.POSITIVE_INFINITY): number {
  const tag =
    /<!--[\s\S]*?(?:-->|$)|<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/gi;
  const open: string[] = [];
  let deepest = 0;
  for (let match = tag.exec(html); match !== null; match = tag.exec(html)) {
    const [, rawText, closing, rawName, selfClosing] = match;
    if (rawText !== undefined || rawName === undefined) continue;
    const name = rawName.toUpperCase();
    if (OPTIONAL_END.has(name) || VOID.has(name)) continue;
    if (closing === '/') {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    if (selfClosing === '/') continue;
    open.push(name);
    if (open.length > deepest) {
      deepest = open.length;
      if (deepest > stopAbove) break;
    }
  }
  return deepest;
}
