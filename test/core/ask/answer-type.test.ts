/** The no-answer rule's answer-type part: a question that asks for a sum, a number or a time. */
import { describe, expect, it } from 'vitest';
import { SearchEngine, type EngineOptionsInput } from '../../../src/core/index.ts';
import { expectedAnswerType, mentionsAnswerType } from '../../../src/core/ask/answer-type.ts';
import { testDocument } from '../../helpers/documents.ts';

const partnership = testDocument(
  'partnership',
  [
    'The Partnership',
    'The Chinese tech giant Tencent and the United Nations announced a partnership to host online conversations for the UN anniversary.',
    'Critics said the UN partnership with Tencent lent legitimacy to a company that censors its users.',
  ].join('\n\n'),
);
const deal = testDocument(
  'deal',
  ['The Deal', 'Huawei vowed to spend £3bn on British services and technology over five years.'].join('\n\n'),
);

function engineWith(options: EngineOptionsInput = {}): SearchEngine {
  const engine = new SearchEngine(options);
  engine.add(partnership);
  engine.add(deal);
  return engine;
}

describe('questions that ask for a sum, a number or a time', () => {
  it('are declined when no passage shown holds one, rather than quoting what only shares the topic', () => {
    const question = 'How much did Tencent pay the UN for the partnership?';
    // Without the check the partnership paragraphs are quoted: they match the words, not the question.
    expect(engineWith({ answerTypes: false }).ask(question).answered).toBe(true);
    const answer = engineWith().ask(question);
    expect(answer.answered).toBe(false);
    expect(answer.reason).toBe('weak-match');
    expect(answer.passages).toEqual([]);
  });

  it('are answered when a passage shown holds one', () => {
    const answer = engineWith().ask('How much has Huawei vowed to spend on British services?');
    expect(answer.answered).toBe(true);
    expect(answer.passages[0]?.documentId).toBe('deal');
    expect(engineWith().ask('How many years will Huawei spend on British services?').answered).toBe(true);
  });

  it('leave questions whose form does not say what they want to the rest of the rule', () => {
    expect(engineWith().ask('Why did critics attack the Tencent partnership?').answered).toBe(true);
  });
});

describe('the kind of answer a question asks for', () => {
  it('reads it from the form of the question', () => {
    expect(expectedAnswerType('How much did Tencent pay the UN?')).toBe('money');
    expect(expectedAnswerType('how much does wechat pay charge shops per transaction?')).toBe('money');
    expect(expectedAnswerType('How much time remained on the clock?')).toBe('number');
    expect(expectedAnswerType('How many Uighurs have been released?')).toBe('number');
    expect(expectedAnswerType('When was WeChat first launched?')).toBe('time');
    expect(expectedAnswerType('In what year was the law passed?')).toBe('time');
    expect(expectedAnswerType('Who owns TikTok?')).toBeUndefined();
    expect(expectedAnswerType('Did Apple store data in China?')).toBeUndefined();
  });

  it('finds sums, numbers and times in a passage', () => {
    expect(mentionsAnswerType('a fine of $5 million', 'money')).toBe(true);
    expect(mentionsAnswerType('it raised prices by 3%', 'money')).toBe(true);
    expect(mentionsAnswerType('the partnership was announced', 'money')).toBe(false);
    expect(mentionsAnswerType('several hundred people', 'number')).toBe(true);
    expect(mentionsAnswerType('many people', 'number')).toBe(false);
    expect(mentionsAnswerType('in the eighteenth century', 'time')).toBe(true);
    expect(mentionsAnswerType('in April', 'time')).toBe(true);
    // A server's timetables answer "when" in words.
    expect(mentionsAnswerType('The garden opens at nine on Saturdays.', 'time')).toBe(true);
    expect(mentionsAnswerType('Ferries leave every morning.', 'time')).toBe(true);
    expect(mentionsAnswerType('it was launched after the merger', 'time')).toBe(false);
  });
});
