/**
 * Answers are sent with a body resolved by us rather than by discord.js (reply-body.ts): the request that
 * reaches Discord must be byte for byte the one discord.js would have sent for the same payload.
 */
import { MessagePayload } from 'discord.js';
import type { MessageTarget } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/core/index.ts';
import type { Button, Payload } from '../../src/discord/render.ts';
import { renderAnswer, renderContext, renderNoAnswer, renderNotice } from '../../src/discord/render.ts';
import { metaOf, sentencesOf } from '../helpers/passages.ts';
import { replyBody } from '../../src/discord/reply-body.ts';

/** What discord.js's own resolution reads of its target for an interaction reply: the client's options. */
const target = {
  client: { options: { jsonTransformer: (value: unknown) => value, enforceNonce: false } },
} as unknown as MessageTarget;

function resolvedByDiscordJs(payload: Payload): string {
  return JSON.stringify(MessagePayload.create(target, payload).resolveBody().body);
}

function passage(text: string, paragraph: number): Passage {
  return {
    documentId: 'doc-1',
    scope: 'corpus',
    source: metaOf({ title: 'A report @everyone' }),
    paragraph,
    part: 1,
    parts: 1,
    section: 'Background',
    text,
    start: 0,
    end: text.length,
    score: 1,
    highlights: [[0, Math.min(4, text.length)]],
    bestSentence: [0, text.length],
    sentences: sentencesOf(text),
  };
}

const passagesArbitrary = fc.array(
  fc.tuple(fc.string({ minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 99 })),
  { minLength: 1, maxLength: 5 },
);
const buttonsArbitrary: fc.Arbitrary<Button[][]> = fc.array(
  fc.array(
    fc.record({
      customId: fc.string({ minLength: 1, maxLength: 100 }),
      label: fc.string({ minLength: 1, maxLength: 80 }),
    }),
    { maxLength: 5 },
  ),
  { maxLength: 2 },
);

describe('the reply body of an answer', () => {
  it('serialises exactly as discord.js resolves the same answer, public or private', () => {
    fc.assert(
      fc.property(
        passagesArbitrary,
        buttonsArbitrary,
        fc.boolean(),
        fc.option(fc.string({ maxLength: 400 }), { nil: undefined }),
        (texts, buttons, isPrivate, heading) => {
          const payload = renderAnswer(
            texts.map(([text, paragraph]) => passage(text, paragraph)),
            {
              private: isPrivate,
              buttons,
              ...(heading === undefined ? {} : { heading }),
            },
          );
          expect(JSON.stringify(replyBody(payload))).toBe(resolvedByDiscordJs(payload));
        },
      ),
    );
  });

  it('serialises exactly as discord.js resolves the no-answer, context and notice messages', () => {
    const payloads = [
      renderNoAnswer({ question: 'What is @everyone?', reason: 'no-match' }),
      renderContext([passage('Before.', 1), passage('The quoted one.', 2)], 2),
      renderNotice('No more passages answer this question.'),
      renderNotice('Public notice', { private: false }),
    ];
    for (const payload of payloads)
      expect(JSON.stringify(replyBody(payload))).toBe(resolvedByDiscordJs(payload));
  });
});
