/**
 * One loopback Discord, one library over a temporary DATA_DIR and the real bot (`startBot`) pointed at it.
 * Started once per test file; `restart()` opens a new library and bot over the same DATA_DIR.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIInteraction } from 'discord.js';
import { loadConfig } from '../../src/config.ts';
import type { Config } from '../../src/config.ts';
import { ButtonState } from '../../src/discord/button-state.ts';
import { startBot } from '../../src/discord/client.ts';
import type { RunningBot } from '../../src/discord/client.ts';
import { Cooldowns } from '../../src/discord/cooldown.ts';
import { openLibrary } from '../../src/library.ts';
import type { Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import type { Logger } from '../../src/log.ts';
import { startFakeDiscord } from '../helpers/fake-discord.ts';
import type {
  FakeDiscord,
  FakeDiscordOptions,
  InteractionRecord,
  MessageView,
} from '../helpers/fake-discord.ts';
import type { AutoAnswerOptions } from '../../src/discord/auto-answer.ts';
import type { FakeGuild } from '../helpers/entities.ts';

export interface Harness {
  discord: FakeDiscord;
  config: Config;
  dataDir: string;
  library: Library;
  bot: RunningBot;
  cooldowns: Cooldowns;
  buttonState: ButtonState;
  /** Dispatches and waits for the first visible message. */
  interactForMessage(payload: APIInteraction): Promise<{ record: InteractionRecord; message: MessageView }>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** More of the fake's options (e.g. `allowPrivilegedIntents`). */
  discord?: Omit<FakeDiscordOptions, 'guilds'>;
  /** Environment on top of the harness's own (e.g. `AUTO_ANSWER: 'on'`). */
  env?: Record<string, string>;
  autoAnswer?: AutoAnswerOptions;
  /** Replaces settings of the bot's config (short limits, so a test of a time limit stays fast). */
  config?: Partial<Config>;
  /** Receives the bot's and the library's logs (default: none). */
  logger?: Logger;
}

export async function startHarness(guilds: FakeGuild[], options: HarnessOptions = {}): Promise<Harness> {
  const overrides = options.config ?? {};
  const logger = options.logger ?? silentLogger();
  const discord = await startFakeDiscord({ ...options.discord, guilds });
  const dataDir = await mkdtemp(join(tmpdir(), 'verbatim-bot-'));
  const config: Config = {
    ...loadConfig({
      DISCORD_TOKEN: discord.token,
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    }),
    // The tests' web server is on 127.0.0.1: the explicit test-only setting lets `url:` reach it.
    fetchLoopbackForTests: true,
    ...overrides,
  };
  const open = async (): Promise<{ library: Library; bot: RunningBot }> => {
    const library = await openLibrary({
      dataDir,
      logger,
      extraction: config.extraction,
      quotas: config.quotas,
    });
    const bot = await startBot({
      config,
      library,
      logger,
      cooldowns: harness.cooldowns,
      buttonState: harness.buttonState,
      handleSignals: false,
      ...(options.autoAnswer ? { autoAnswer: options.autoAnswer } : {}),
    });
    return { library, bot };
  };
  const harness: Harness = {
    discord,
    config,
    dataDir,
    cooldowns: new Cooldowns(),
    buttonState: new ButtonState(),
    library: undefined as unknown as Library, // why: set just below, before anyone can read it
    bot: undefined as unknown as RunningBot,
    async interactForMessage(payload) {
      const record = await discord.interact(payload);
      return { record, message: await record.waitForMessage() };
    },
    async restart() {
      await harness.bot.stop();
      Object.assign(harness, await open());
    },
    async close() {
      await harness.bot.stop();
      await discord.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  Object.assign(harness, await open());
  return harness;
}

/** The text of every embed and the content, for assertions on what a user reads. */
export function messageText(message: MessageView): string {
  return [
    message.content,
    ...message.embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      e.footer?.text ?? '',
    ]),
  ].join('\n');
}

/** Buttons of a message as `{ label, custom_id, disabled }`. */
export function buttonsOf(
  message: MessageView,
): Array<{ label: string; custom_id: string; disabled: boolean }> {
  return (
    message.components as Array<{
      components: Array<{ label: string; custom_id: string; disabled?: boolean }>;
    }>
  ).flatMap((row) =>
    row.components.map((b) => ({ label: b.label, custom_id: b.custom_id, disabled: b.disabled ?? false })),
  );
}

/**
 * The quotes of an answer or context message in the order shown, wherever the renderer put them (the
 * message content first, then embeds), each as `{ title, description }` with the description as an
 * embed has it: `quote\n\n— source line`.
 */
export function quotesOf(message: MessageView): Array<{ title: string; description: string }> {
  const inContent = message.content
    .split('\n\n')
    .filter((block) => block.includes('\n— '))
    .map((block) => {
      const title = /^\*\*(.*)\*\*\n/.exec(block)?.[1] ?? '';
      const body = title === '' ? block : block.slice(title.length + 5);
      const at = body.lastIndexOf('\n— ');
      return { title, description: `${body.slice(0, at)}\n\n${body.slice(at + 1)}` };
    });
  const inEmbeds = message.embeds.map((e) => ({ title: e.title ?? '', description: e.description ?? '' }));
  return [...inContent, ...inEmbeds];
}
