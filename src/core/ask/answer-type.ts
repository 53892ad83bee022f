/**
 * The answer a question asks for, when its form says so, and whether a passage can hold one: "how much
 * did X pay" wants a sum, "how many" a number, "when" or "what year" a time. A question of such a form is
 * declined when none of the passages a member would see holds anything of that kind: quoting a paragraph
 * about the partnership to "How much did Tencent pay the UN?" answers nothing (question classification
 * of this kind is the oldest part of question answering; chosen on the tune halves, docs/quality.md).
 *
 * Only forms that say their answer's kind are read; every other question (who, what, why, yes or no) is
 * left to the rest of the rule. English only, like the analyzer's stemmer.
 *
 * Patterns rather than wink-nlp's entity recogniser: tried on the sentences of the tests below, it took
 * "£3bn" for a cardinal, not money, and found no time in "opens at nine on Saturdays", at about 0.4 ms a
 * paragraph.
 */

export type AnswerType = 'money' | 'number' | 'time';

const MONEY_VERBS =
  /\b(pay|pays|paid|cost|costs|spend|spends|spent|make|makes|made|earn|earns|earned|charge|charges|charged|worth|invest|invests|invested|price|revenue|fine|fined)\b/;

/** The kind of answer `question` asks for, or undefined when its form does not say. */
export function expectedAnswerType(question: string): AnswerType | undefined {
  const q = question.toLowerCase();
  if (/\bhow much\b/.test(q) && !/\bhow much (time|longer)\b/.test(q) && MONEY_VERBS.test(q)) return 'money';
  if (/\bhow (many|much)\b/.test(q)) return 'number';
  if (/^\W*(when|what year|which year|in what year|in which year)\b/.test(q)) return 'time';
  return undefined;
}

const NUMBER_WORDS =
  /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|several|few|half)\b/i;
const MONEY =
  /[$£€¥]|\b(dollars?|pounds?|yuan|euros?|usd|rmb|cents?)\b|\d\s*(million|billion|bn|m|k)\b|\bper ?cent\b|%/i;
const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const ORDINALS =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth';
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
// Clock times and schedules count ("at seven", "on Saturdays", "every morning"): a server's own documents
// are often timetables, and "When does the ferry leave?" is answered by "at seven".
const CLOCK =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight|o.clock|[ap]\\.?m\\.?';
const PERIODS =
  'mornings?|afternoons?|evenings?|nights?|dawn|dusk|weekends?|daily|weekly|monthly|yearly|annually|days?|weeks?|months?|years?|hours?|minutes?';
const TIME = new RegExp(
  `\\d|\\b(${MONTHS}|(${WEEKDAYS})s?|${CLOCK}|${PERIODS}|spring|summer|autumn|winter|centur(y|ies)|decades?|ago|yesterday|today|tomorrow|(${ORDINALS})[- ]century)\\b`,
  'i',
);

/** Whether `text` holds something of the kind `type` asks for (a sum, a number, a time). */
export function mentionsAnswerType(text: string, type: AnswerType): boolean {
  switch (type) {
    case 'money':
      return MONEY.test(text);
    case 'number':
      return /\d/.test(text) || NUMBER_WORDS.test(text);
    case 'time':
      return TIME.test(text);
  }
}
