/**
 * Site chrome that web captures carry along with the article: navigation, widgets, image credits,
 * newsletter and donation prompts, comment forms. Lines that match are never answers.
 *
 * The rules are general patterns over one trimmed line, not a list of lines from particular captures:
 * each names a kind of chrome and says why it is safe. A rule must not match a sentence of running
 * prose, so every pattern is anchored to the whole line and most refuse sentence punctuation or
 * long lines.
 */

/**
 * `promo` marks prompts that sit under a little promo heading of their own ("Coronavirus business
 * update" above "Stay briefed with our newsletter."): a heading directly followed by promo is part of
 * it. `chrome` is navigation and widgets, `credit` image credits and captions, `meta` bylines and dates.
 */
export type BoilerplateKind = 'chrome' | 'credit' | 'promo' | 'meta';

interface BoilerplateRule {
  kind: BoilerplateKind;
  pattern: RegExp;
}

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const WEEKDAY = '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)';
const DATE = `(?:\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?\\s+\\d{4}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4})`;
const TIME = '(?:,?\\s+(?:at\\s+)?\\d{1,2}[:.]\\d{2}(?:\\s*[ap]\\.?m\\.?)?(?:\\s+[A-Z]{2,5})?)';

/** Photo agencies and stock libraries that appear in image credits. */
const AGENCY =
  '(?:getty(?: images)?|afp|ap|ap photo|reuters|epa|epa-efe|shutterstock|alamy|bloomberg|xinhua|pa(?: wire| images| media)?|press association|istock(?:photo)?|corbis|nurphoto|sopa images|sipa|anadolu|wikimedia(?: commons)?|flickr|unsplash|[\\p{L} ]{1,30} (?:images|photos?|pictures))';

const RULES: readonly BoilerplateRule[] = [
  // Accessibility links at the top of a page ("Skip to main content").
  { kind: 'chrome', pattern: /^skip to (?:the )?(?:main )?(?:content|navigation|search|menu)$/i },
  // Scroll-to-top buttons ("To Top", "Back to top ↑").
  { kind: 'chrome', pattern: /^(?:back )?to (?:the )?top\W*$/i },
  // Aggregator footers that link to the original ("Source link", "Original article").
  { kind: 'chrome', pattern: /^(?:source|original) (?:link|article)$/i },
  // Comment widgets and forms ("Click to comment", "Leave a Reply", "12 Comments").
  {
    kind: 'chrome',
    pattern:
      /^(?:click to comment|leave a (?:reply|comment)|post a comment|add a comment|\d+ comments?|comments?|join the (?:conversation|discussion)|cancel reply)$/i,
  },
  // The WordPress comment form's notices ("Your email address will not be published. Required fields ...").
  { kind: 'chrome', pattern: /^your email address will not be published\b.{0,120}$/i },
  { kind: 'chrome', pattern: /^required fields are marked\b.{0,20}$/i },
  // Lists of other articles ("Most Viewed", "Most Popular", "Related stories", "Read more").
  {
    kind: 'chrome',
    pattern:
      /^(?:most (?:viewed|popular|read|shared|commented|recent)|trending(?: now| stories)?|related(?: articles| stories| posts| content| coverage| topics)?|recommended(?: for you| stories)?|read more|more (?:stories|news|on this story)|you (?:may|might) also like|latest (?:news|stories))\W*$/i,
  },
  // Share and print buttons.
  {
    kind: 'chrome',
    pattern: /^(?:share(?: this(?: article| story)?| on \w+)?|tweet|print|email|copy link|whatsapp)$/i,
  },
  // Image widget labels ("show image", "Enlarge photo").
  { kind: 'chrome', pattern: /^(?:show|view|hide|enlarge|expand|open) (?:image|photo|picture|gallery)s?$/i },
  // Taxonomy and breadcrumb labels: short items joined by " / ", " › " or " | " ("Region / Country").
  { kind: 'chrome', pattern: /^[^.!?/|›»]{1,30}(?:\s+[/|›»]\s+[^.!?/|›»]{1,30})+$/ },
  // A news desk's label above the headline ("World Politics", "Business", "Tech News").
  {
    kind: 'chrome',
    pattern:
      /^(?:(?:world|u\.?s\.?|uk|global|international|national|local|breaking|china|asia|europe)\s+)?(?:news|politics|business|technology|tech|science|opinion|sports?|culture|health|economy|markets|world)$/i,
  },
  // Content-type tags, usually bulleted ("• Press Release", "Statement").
  {
    kind: 'chrome',
    pattern:
      /^[•·▪►-]?\s*(?:press release|news release|public statement|statement|dispatches|commentary|op-ed|editorial|blog post|opinion piece)$/i,
  },
  // Lines with no letter or digit at all: separators, stray bullets, icons.
  { kind: 'chrome', pattern: /^[^\p{L}\p{N}]+$/u },
  // Copyright footers.
  { kind: 'chrome', pattern: /^(?:copyright\b|©|\(c\)\s).{0,120}$|^all rights reserved\.?$/i },

  // Image credits: "Lintao Zhang/Getty Images", "Photo: Jane Doe/AFP via Getty Images".
  { kind: 'credit', pattern: new RegExp(`^[^.!?]{0,80}/\\s*${AGENCY}(?:\\s+via\\s+${AGENCY})?$`, 'iu') },
  // Labelled credits ("Photo: ...", "Image credit: ...", "Illustration by ...").
  {
    kind: 'credit',
    pattern:
      /^(?:photo(?:graph)?|image|picture|illustration|credit|video)s?(?: credit)?(?:\s*[:：]|\s+by\s).{1,160}$/i,
  },
  // A caption that ends with its copyright credit ("A booth displays ... © 2017 Reuters").
  { kind: 'credit', pattern: /^.{0,400}(?:©|\(c\))\s*(?:\d{4}\s+)?[^.!?©]{1,60}$/i },

  // Newsletter prompts, alone or after a one-line teaser ("Stay briefed with our coronavirus newsletter.").
  {
    kind: 'promo',
    pattern:
      /^.{0,200}\b(?:stay (?:briefed|informed|up to date|in the know)|sign up|subscribe|get)\b[^.!?]{0,60}\bnewsletters?\b[^.!?]{0,60}[.!]?$/i,
  },
  // Sign-up buttons ("Sign up here", "Subscribe now").
  {
    kind: 'promo',
    pattern: /^(?:sign up|subscribe|register|join us)(?: here| now| today| for free)?[.!]?$/i,
  },
  // Donation buttons and appeals ("Donate Now", "Your tax deductible gift can help ...").
  { kind: 'promo', pattern: /^(?:donate|give|support us)(?: now| today| here)?[.!]?$/i },
  {
    kind: 'promo',
    pattern: /^your (?:tax[- ]deductible )?(?:gift|donation|support|contribution)\b[^.!?]{0,200}[.!]?$/i,
  },

  // Publication metadata lines ("Published in: ChinaFile", "Posted on 3 May 2020", "Updated: ...").
  {
    kind: 'meta',
    pattern:
      /^(?:first |last )?(?:published|posted|filed|updated|last updated)(?: (?:in|on|under|at|by))?\s*:?\s+[^.!?]{1,80}$/i,
  },
  // A lone date line, with optional weekday and time ("September 22, 2015", "Tue 8 May 2019, 10:30 BST").
  { kind: 'meta', pattern: new RegExp(`^${WEEKDAY}?${DATE}${TIME}?$`, 'i') },
];

/** The kind of chrome a trimmed line is, or undefined when it is content. */
export function boilerplateKind(line: string): BoilerplateKind | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  for (const rule of RULES) {
    if (rule.pattern.test(trimmed)) return rule.kind;
  }
  return undefined;
}
