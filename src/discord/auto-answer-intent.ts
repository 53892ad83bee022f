/**
 * Whether this bot can answer messages on its own: that needs the Message Content intent, which is
 * privileged. The bot asks for it only when the operator set AUTO_ANSWER=on, and only after checking in
 * the application's flags (`GET /applications/@me`) that the Developer Portal grants it; otherwise Discord
 * would close the gateway (4014) and the bot would not start at all.
 */
import { ApplicationFlags } from 'discord.js';

export interface AutoAnswerAvailability {
  available: boolean;
  /** Why not, as the one sentence `/settings auto-answer` answers with. */
  reason?: string;
}

export const AUTO_ANSWER_OFF: AutoAnswerAvailability = {
  available: false,
  reason:
    'Auto-answer is turned off on this bot: its operator must set AUTO_ANSWER=on and enable the Message Content intent (see docs/moderators.md, "Auto-answer").',
};

export const INTENT_MISSING: AutoAnswerAvailability = {
  available: false,
  reason:
    'Auto-answer needs the Message Content intent, which this bot does not have: its operator must enable it under Bot → Privileged Gateway Intents in the Discord Developer Portal, then restart the bot.',
};

export const AUTO_ANSWER_ON: AutoAnswerAvailability = { available: true };

/** Message Content granted: in full (verified bots) or "limited" (the toggle of a bot in under 100 servers). */
export function hasMessageContent(applicationFlags: number): boolean {
  const granted = ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited;
  return (applicationFlags & granted) !== 0;
}
