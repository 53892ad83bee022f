/**
 * A payload as a discord.js `MessagePayload` whose body is already resolved, for the replies sent on every
 * question (`/ask`, its buttons, "Find sources").
 *
 * Why: `interaction.reply(options)` resolves plain options through `MessagePayload.resolveBody`, whose
 * `isWebhook`/`isMessage` getters call `require()` on every reply; in a CPU profile of 50 simultaneous
 * /asks (`npm run bench -- --only discord`) that was about 3% of the bot's CPU, for a body we can write
 * directly because the renderer already builds it in the API's shape. `reply` sends a `MessagePayload`
 * with a body as it is (`resolveBody` returns early), so the interaction's state (`replied`, `ephemeral`)
 * is kept by discord.js as before. The body has the same keys, in the same order, with the same values as
 * discord.js's own resolution of the same payload (a test checks it), so the request on the wire is the same.
 */
import { MessagePayload } from 'discord.js';
import type { MessageTarget } from 'discord.js';
import type { Payload } from './render.ts';

/** The API body discord.js would resolve from `payload` (without files, which answers never carry). */
export function replyBody(payload: Payload): NonNullable<MessagePayload['body']> {
  return {
    content: payload.content,
    tts: false,
    enforce_nonce: false,
    embeds: payload.embeds,
    components: payload.components,
    allowed_mentions: payload.allowedMentions,
    flags: payload.flags,
  };
}

/** `payload` for `target.reply(...)`, resolved once here instead of inside discord.js. */
export function resolvedReply(target: MessageTarget, payload: Payload): MessagePayload {
  const message = new MessagePayload(target, {});
  message.body = replyBody(payload);
  message.files = [];
  return message;
}
