/**
 * A small Discord-compatible REST + gateway server on 127.0.0.1 for end-to-end tests: the real discord.js
 * client logs in to it, receives interactions through its gateway and answers them over its REST routes.
 * See README.md in this folder for the API and what is not modelled.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIApplicationCommand,
  APIApplicationCommandOptionChoice,
  APIAttachment,
  APIChannel,
  APIInteraction,
  APIMessage,
  APIUser,
} from 'discord.js';
import { ApplicationFlags, ChannelType } from 'discord.js';
import {
  DEFAULT_APPLICATION_ID,
  DEFAULT_BOT_USER,
  DEFAULT_GUILD,
  channelPayload,
  guildPayload,
  memberPayload,
  botRole,
  makeUser,
  messagePayload,
  shardOf,
  snowflake,
} from './entities.ts';
import type { FakeGuild } from './entities.ts';
import { FakeGateway } from './gateway.ts';
import { checkChoices, checkCommand, checkMessage, formErrorBody, pings } from './message-rules.ts';
import type { FormError, Pings } from './message-rules.ts';

export { DEFAULT_APPLICATION_ID, DEFAULT_BOT_USER, DEFAULT_GUILD } from './entities.ts';

export interface FakeDiscordOptions {
  /** Shard count `GET /gateway/bot` recommends. Default 1. */
  shards?: number;
  /** Default `DEFAULT_APPLICATION_ID`. */
  applicationId?: string;
  /** Default `DEFAULT_BOT_USER` (with `applicationId` as its id when that is given). */
  botUser?: APIUser;
  /** The bot token the fake accepts. Default a fresh, realistic-looking one. */
  token?: string;
  /** Default `[DEFAULT_GUILD]`. */
  guilds?: FakeGuild[];
  /** Sent in HELLO. Default 41 250 ms (Discord's). */
  heartbeatIntervalMs?: number;
  /** The initial callback must arrive within this time, like Discord's 3 s. `null` disables. Default 3 000. */
  interactionDeadlineMs?: number | null;
  /** How long `interact()` and the `wait*` helpers wait before failing. Default 10 000 ms. */
  waitTimeoutMs?: number;
  /** `session_start_limit.max_concurrency`. Default 16, so shards identify without the 5 s spacing. */
  maxConcurrency?: number;
  /**
   * Accept privileged intents in IDENTIFY instead of closing with 4014, and say so in the application's
   * flags (`GET /applications/@me`: the "limited" Message Content, Server Members and Presence flags, as
   * the Developer Portal's toggles set them for a bot in under 100 servers). Default false.
   */
  allowPrivilegedIntents?: boolean;
  /**
   * Closes an otherwise valid IDENTIFY of these shards with `code` (for example 4011, sharding required),
   * as Discord does when it will not serve a shard. Default none.
   */
  refuseShards?: { shardIds: number[]; code: number; reason: string };
}

/** A file the bot uploaded in a multipart body. */
export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** One REST request as the fake received and answered it. */
export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10` (or the full path for non-API requests). */
  path: string;
  query: Record<string, string>;
  status: number;
  authorized: boolean;
  body: unknown;
  files: UploadedFile[];
}

/** Something the bot sent for one interaction, in order. */
export interface ResponseRecord {
  kind: 'callback' | 'followup' | 'edit' | 'delete' | 'fetch';
  /** The callback type (4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal...). */
  type?: number;
  /** The JSON body (for multipart: `payload_json`); for a callback this is the whole `{ type, data }`. */
  body: unknown;
  files: UploadedFile[];
  /** The message created or touched, when any. */
  messageId?: string;
  status: number;
  /** Discord's error body when the fake refused the request. */
  error?: unknown;
  /** Milliseconds since the interaction was dispatched. */
  afterMs: number;
}

/** A message of an interaction as the user would now see it. */
export interface MessageView {
  id: string;
  kind: 'original' | 'followup';
  content: string;
  embeds: NonNullable<APIMessage['embeds']>;
  components: unknown[];
  flags: number;
  ephemeral: boolean;
  allowed_mentions: unknown;
  /** Who Discord would notify for this message. */
  pings: Pings;
  attachments: APIAttachment[];
  files: UploadedFile[];
  /** Still "thinking" (deferred and not yet edited). */
  loading: boolean;
  deleted: boolean;
  /** The message as the API returns it: pass it to `button({ message })`. */
  message: APIMessage;
}

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
type Json = Record<string, unknown>;

interface StoredMessage {
  kind: 'original' | 'followup';
  message: APIMessage;
  body: Json;
  files: UploadedFile[];
  loading: boolean;
  deleted: boolean;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class WaitError extends Error {
  override name = 'FakeDiscordWaitError';
}

/**
 * What the bot did with one dispatched interaction. `interact()` resolves with it once the initial callback
 * arrived; later follow-ups and edits keep arriving here.
 */
export class InteractionRecord {
  readonly payload: APIInteraction;
  readonly shardId: number;
  readonly dispatchedAt = Date.now();
  readonly responses: ResponseRecord[] = [];
  /** Set when the deadline passed without a callback: later callbacks get `404 10062`. */
  expired = false;
  originalId: string | undefined;
  readonly stored = new Map<string, StoredMessage>();
  readonly #listeners = new Set<() => void>();
  readonly #waitTimeoutMs: number;
  readonly #closed: () => boolean;

  constructor(payload: APIInteraction, shardId: number, waitTimeoutMs: number, closed: () => boolean) {
    this.payload = payload;
    this.shardId = shardId;
    this.#waitTimeoutMs = waitTimeoutMs;
    this.#closed = closed;
  }

  /** The accepted initial callback. Always set once `interact()` has resolved. */
  get callback(): ResponseRecord | undefined {
    return this.responses.find((response) => response.kind === 'callback' && response.status < 300);
  }

  /** Requests for this interaction that the fake refused (4xx), e.g. a body over Discord's limits. */
  get rejected(): ResponseRecord[] {
    return this.responses.filter((response) => response.status >= 400);
  }

  get messages(): MessageView[] {
    return [...this.stored.values()].filter((stored) => !stored.deleted).map(view);
  }

  get original(): MessageView | undefined {
    const stored = this.originalId ? this.stored.get(this.originalId) : undefined;
    return stored ? view(stored) : undefined;
  }

  get followUps(): MessageView[] {
    return this.messages.filter((message) => message.kind === 'followup');
  }

  /** Autocomplete choices of a type 8 callback. */
  get choices(): APIApplicationCommandOptionChoice[] | undefined {
    const body = this.callback?.body;
    if (!isObject(body) || body.type !== 8 || !isObject(body.data)) return undefined;
    return body.data.choices as APIApplicationCommandOptionChoice[];
  }

  /** Resolves with this record once `predicate` holds (checked now and after every response). */
  waitFor(
    predicate: (record: InteractionRecord) => boolean,
    timeoutMs = this.#waitTimeoutMs,
  ): Promise<InteractionRecord> {
    return this.#until(() => (predicate(this) ? this : undefined), timeoutMs, 'the condition to hold');
  }

  /**
   * The first visible message (not deferred-and-loading, not deleted) matching `predicate`: the reply, the
   * edit of a deferral, the updated component message, or a follow-up.
   */
  waitForMessage(
    predicate: (message: MessageView) => boolean = () => true,
    timeoutMs = this.#waitTimeoutMs,
  ): Promise<MessageView> {
    return this.#until(
      () => this.messages.find((message) => !message.loading && predicate(message)),
      timeoutMs,
      'a visible message',
    );
  }

  waitForResponses(count: number, timeoutMs = this.#waitTimeoutMs): Promise<ResponseRecord[]> {
    return this.#until(
      () => (this.responses.length >= count ? this.responses : undefined),
      timeoutMs,
      `${count} responses`,
    );
  }

  /** @internal called by the fake after every change. */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      };
      const listener = () => {
        if (this.#closed()) {
          finish();
          reject(new WaitError(`fake Discord closed while waiting for ${what}`));
          return;
        }
        const value = check();
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new WaitError(
            `Interaction ${this.payload.id}: no ${what} within ${timeoutMs} ms. ${this.describe()}`,
          ),
        );
      }, timeoutMs);
      this.#listeners.add(listener);
    });
  }

  /** A one-line summary of what arrived so far, for failure messages. */
  describe(): string {
    if (this.responses.length === 0) return 'The bot sent nothing for it.';
    const parts = this.responses.map((response) => {
      const what = response.kind === 'callback' ? `callback type ${response.type}` : response.kind;
      const error = response.error ? ` ${JSON.stringify(response.error)}` : '';
      return `${what} → ${response.status}${error}`;
    });
    return `Received: ${parts.join('; ')}`;
  }
}

function view(stored: StoredMessage): MessageView {
  const message = structuredClone(stored.message);
  const flags = message.flags ?? 0;
  return {
    id: message.id,
    kind: stored.kind,
    content: message.content,
    embeds: message.embeds,
    components: (message.components ?? []) as unknown[],
    flags,
    ephemeral: (flags & EPHEMERAL) !== 0,
    allowed_mentions: stored.body.allowed_mentions,
    pings: pings(stored.body),
    attachments: message.attachments,
    files: stored.files,
    loading: stored.loading,
    deleted: stored.deleted,
    message,
  };
}

/** Thrown inside a route to answer with Discord's error body. */
class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: { code: number; message: string; errors?: unknown }) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

const unknownInteraction = () => new HttpError(404, { code: 10062, message: 'Unknown interaction' });
const unknownWebhook = () => new HttpError(404, { code: 10015, message: 'Unknown Webhook' });
const unknownMessage = () => new HttpError(404, { code: 10008, message: 'Unknown Message' });
const formError = (errors: FormError[]) => new HttpError(400, formErrorBody(errors));

interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}
type RouteResult = { status: number; body?: unknown };
interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handle: (context: RouteContext) => RouteResult | Promise<RouteResult>;
}

export interface FakeDiscord {
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guilds: readonly FakeGuild[];
  /** IDENTIFYs per shard id. */
  readonly identifies: readonly number[];
  /** Successful RESUMEs per shard id. */
  readonly resumes: readonly number[];
  readonly gateway: FakeGateway;
  readonly requests: readonly RecordedRequest[];
  /** Requests no route answered (404): a test can assert the bot called nothing unexpected. */
  readonly unknownRequests: readonly RecordedRequest[];
  /** Every interaction dispatched, in order. */
  readonly interactions: readonly InteractionRecord[];
  /**
   * Dispatches on the shard that serves the payload's guild (DMs on 0); `shardId` forces another, to model
   * an event routed where it does not belong.
   */
  interact(
    payload: APIInteraction,
    options?: { timeoutMs?: number; shardId?: number },
  ): Promise<InteractionRecord>;
  dispatch(shardId: number, event: string, data: unknown): boolean;
  registeredCommands(guildId?: string): APIApplicationCommand[];
  serveAttachment(name: string, bytes: Uint8Array | string, contentType: string): APIAttachment;
  channelMessages(channelId: string): APIMessage[];
  /**
   * A member posts `content` in a guild channel: MESSAGE_CREATE on the guild's shard. `mentionBot` puts
   * `<@bot>` in front and the bot in `mentions`, as Discord does for a mention. `author` defaults to a new user.
   */
  postMessage(options: PostMessageOptions): APIMessage;
  /**
   * A new forum post: the thread is created (THREAD_CREATE, `newly_created`) and then its starter message
   * (MESSAGE_CREATE, the same id as the thread), in that order, as Discord sends them. The thread is a
   * channel from then on: the bot can post in it (`channelMessages(thread.id)`).
   */
  forumPost(options: ForumPostOptions): { thread: APIChannel; message: APIMessage };
  /** Resolves with the channel's messages from the bot once there are at least `count` (default 1). */
  waitForChannelMessages(channelId: string, count?: number, timeoutMs?: number): Promise<APIMessage[]>;
  dropConnections(options?: { resumable?: boolean; shardIds?: number[] }): void;
  waitForShards(shardIds?: number[], timeoutMs?: number): Promise<void>;
  /**
   * Answers the next `times` requests matching `method` and `path` (after `/api/v10`) with `status` and
   * Discord's body for it, before any route sees them, as Discord does in an outage. Returns the rule, whose
   * `failed` counts the requests it answered so far.
   */
  failRequests(rule: { method: string; path: RegExp; status: number; times: number }): {
    failed: number;
    times: number;
  };
  close(): Promise<void>;
}

export interface PostMessageOptions {
  guild: FakeGuild;
  channelId: string;
  content: string;
  author?: APIUser;
  mentionBot?: boolean;
}

export interface ForumPostOptions {
  guild: FakeGuild;
  forumId: string;
  title: string;
  content: string;
  author?: APIUser;
}

function makeToken(applicationId: string): string {
  const head = Buffer.from(applicationId).toString('base64url');
  return `${head}.${snowflake().slice(-6)}.${Buffer.from(snowflake() + snowflake())
    .toString('base64url')
    .slice(0, 38)}`;
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // undici (Node's fetch) parses multipart the same way discord.js built it.
    const form = await new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({
          field,
          name: value.name,
          contentType: value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files };
  }
  if (type.startsWith('application/json')) return { body: JSON.parse(raw.toString('utf8')), files: [] };
  return { body: raw.toString('utf8'), files: [] };
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
  const botUser: APIUser = options.botUser ?? { ...DEFAULT_BOT_USER, id: applicationId };
  const token = options.token ?? makeToken(applicationId);
  const guilds = options.guilds ?? [DEFAULT_GUILD];
  const recommendedShards = options.shards ?? 1;
  const deadlineMs = options.interactionDeadlineMs === undefined ? 3000 : options.interactionDeadlineMs;
  const waitTimeoutMs = options.waitTimeoutMs ?? 10_000;
  const joinedAt = new Date().toISOString();

  const requests: RecordedRequest[] = [];
  const unknownRequests: RecordedRequest[] = [];
  const interactions: InteractionRecord[] = [];
  const byToken = new Map<string, InteractionRecord>();
  const byId = new Map<string, InteractionRecord>();
  const commands = new Map<string, APIApplicationCommand[]>();
  const attachments = new Map<string, { bytes: Buffer; contentType: string }>();
  const channelMessages = new Map<string, APIMessage[]>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let origin = '';

  const gateway = new FakeGateway({
    token,
    botUser,
    applicationId,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    allowPrivilegedIntents: options.allowPrivilegedIntents ?? false,
    ...(options.refuseShards ? { refuseShards: options.refuseShards } : {}),
    resumeUrl: () => `${origin.replace('http', 'ws')}/gateway/resume`,
    guildsOnShard: (shardId, shardCount) =>
      guilds
        .filter((guild) => shardOf(guild.id, shardCount) === shardId)
        .map((guild) => ({ id: guild.id, ...guildPayload(guild, botUser, joinedAt) })),
  });

  /** Threads made by `forumPost`, by id: channels the bot may post in. */
  const threads = new Map<string, { guild: FakeGuild; thread: APIChannel }>();
  const findChannel = (channelId: string) => {
    for (const guild of guilds) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  };
  const channelWaiters = new Set<() => void>();

  const storeFile = (file: UploadedFile): APIAttachment => {
    const id = snowflake();
    attachments.set(id, { bytes: file.bytes, contentType: file.contentType });
    const url = `${origin}/attachments/${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      filename: file.name,
      size: file.bytes.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
    };
  };

  /** The message fields a body sets, over `base` (an edit keeps what it does not mention). */
  const applyBody = (base: APIMessage, body: Json, files: UploadedFile[], keepFlags: number): APIMessage => {
    const next: APIMessage = { ...base };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body)
      next.embeds = Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']) : [];
    if ('components' in body)
      next.components = (Array.isArray(body.components) ? body.components : []) as APIMessage['components'];
    if ('flags' in body) next.flags = (Number(body.flags ?? 0) & ~LOADING) | keepFlags;
    let kept = next.attachments;
    if (Array.isArray(body.attachments)) {
      const keepIds = new Set((body.attachments as Json[]).map((a) => String(a.id)));
      kept = kept.filter((attachment) => keepIds.has(attachment.id));
    }
    next.attachments = [...kept, ...files.map(storeFile)];
    return next;
  };

  const record = (interaction: InteractionRecord, response: Omit<ResponseRecord, 'afterMs'>) => {
    interaction.responses.push({ ...response, afterMs: Date.now() - interaction.dispatchedAt });
    interaction.notify();
  };

  const messageTypeFor = (payload: APIInteraction): number => {
    if (payload.type === 2) return payload.data.type === 1 ? 20 : 23;
    return 0;
  };

  const newMessage = (
    interaction: InteractionRecord,
    body: Json,
    files: UploadedFile[],
    flags: number,
  ): APIMessage => {
    const payload = interaction.payload;
    const base = messagePayload({
      channelId: payload.channel?.id ?? payload.channel_id ?? snowflake(),
      ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
      author: botUser,
      type: messageTypeFor(payload),
      applicationId,
    });
    const message = applyBody(base, body, files, 0);
    message.flags = flags;
    message.interaction_metadata = {
      id: payload.id,
      type: payload.type,
      user: payload.member?.user ?? payload.user,
      authorizing_integration_owners: payload.authorizing_integration_owners,
    } as unknown as APIMessage['interaction_metadata']; // why: one shape for all interaction types
    return message;
  };

  const interactionFor = (id: string, interactionToken: string): InteractionRecord => {
    const interaction = byId.get(id);
    if (!interaction || interaction.payload.token !== interactionToken) throw unknownInteraction();
    return interaction;
  };

  const webhookInteraction = (app: string, interactionToken: string): InteractionRecord => {
    const interaction = byToken.get(interactionToken);
    if (app !== applicationId || !interaction || !interaction.callback) throw unknownWebhook();
    return interaction;
  };

  const targetMessage = (interaction: InteractionRecord, messageId: string): StoredMessage => {
    const id = messageId === '@original' ? interaction.originalId : messageId;
    const stored = id ? interaction.stored.get(id) : undefined;
    if (!stored || stored.deleted) throw unknownMessage();
    return stored;
  };

  const handleCallback = ({ params, query, body, files }: RouteContext): RouteResult => {
    const [id = '', interactionToken = ''] = params;
    const interaction = interactionFor(id, interactionToken);
    const fail = (error: HttpError): never => {
      record(interaction, {
        kind: 'callback',
        type: isObject(body) ? Number(body.type) : undefined,
        body,
        files,
        status: error.status,
        error: error.body,
      });
      throw error;
    };
    if (interaction.expired) fail(unknownInteraction());
    if (interaction.callback)
      fail(new HttpError(400, { code: 40060, message: 'Interaction has already been acknowledged.' }));
    if (!isObject(body))
      fail(formError([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]));
    const callback = body as Json;
    const type = Number(callback.type);
    const data = isObject(callback.data) ? callback.data : {};
    const payload = interaction.payload;
    const isComponent = payload.type === 3 || payload.type === 5;
    const allowed: Record<number, boolean> = {
      4: payload.type !== 4,
      5: payload.type !== 4,
      6: isComponent,
      7: isComponent,
      8: payload.type === 4,
      9: payload.type === 2 || payload.type === 3,
      10: payload.type !== 4,
      12: payload.type !== 4,
    };
    if (!allowed[type]) {
      fail(
        formError([
          {
            path: ['type'],
            code: 'INTERACTION_RESPONSE_TYPE_INVALID',
            message: `Callback type ${String(callback.type)} is not valid for interaction type ${payload.type}`,
          },
        ]),
      );
    }
    let messageId: string | undefined;
    if (type === 4 || type === 5) {
      if (type === 4) {
        const errors = checkMessage(data, files.length);
        if (errors.length > 0) fail(formError(errors.map((e) => ({ ...e, path: ['data', ...e.path] }))));
      }
      const flags = Number(data.flags ?? 0) & EPHEMERAL;
      const message = newMessage(
        interaction,
        type === 4 ? data : {},
        type === 4 ? files : [],
        type === 5 ? flags | LOADING : Number(data.flags ?? 0),
      );
      interaction.stored.set(message.id, {
        kind: 'original',
        message,
        body: type === 4 ? data : {},
        files: type === 4 ? files : [],
        loading: type === 5,
        deleted: false,
      });
      interaction.originalId = messageId = message.id;
    } else if (type === 6 || type === 7) {
      const original = (payload as { message?: APIMessage }).message;
      if (!original) fail(unknownMessage());
      const base = structuredClone(original as APIMessage);
      if (type === 7) {
        const merged = applyBody(base, data, files, (base.flags ?? 0) & EPHEMERAL);
        const errors = checkMessage(merged as unknown as Json, 0);
        if (errors.length > 0) fail(formError(errors.map((e) => ({ ...e, path: ['data', ...e.path] }))));
        interaction.stored.set(base.id, {
          kind: 'original',
          message: { ...merged, edited_timestamp: new Date().toISOString() },
          body: data,
          files,
          loading: false,
          deleted: false,
        });
      } else {
        interaction.stored.set(base.id, {
          kind: 'original',
          message: base,
          body: {},
          files: [],
          loading: true,
          deleted: false,
        });
      }
      interaction.originalId = messageId = base.id;
    } else if (type === 8) {
      const errors = checkChoices(data.choices);
      if (errors.length > 0) fail(formError(errors.map((e) => ({ ...e, path: ['data', ...e.path] }))));
    }
    record(interaction, {
      kind: 'callback',
      type,
      body,
      files,
      status: query.get('with_response') === 'true' ? 200 : 204,
      ...(messageId ? { messageId } : {}),
    });
    if (query.get('with_response') !== 'true') return { status: 204 };
    const original = messageId ? interaction.stored.get(messageId) : undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id: payload.id,
          type: payload.type,
          ...(original
            ? {
                response_message_id: original.message.id,
                response_message_loading: original.loading,
                response_message_ephemeral: ((original.message.flags ?? 0) & EPHEMERAL) !== 0,
              }
            : {}),
        },
        resource: { type, ...(original && !original.loading ? { message: original.message } : {}) },
      },
    };
  };

  const handleFollowUp = ({ params, body, files }: RouteContext): RouteResult => {
    const [app = '', interactionToken = ''] = params;
    const interaction = webhookInteraction(app, interactionToken);
    const data = isObject(body) ? body : {};
    const errors = checkMessage(data, files.length);
    if (errors.length > 0) {
      const error = formError(errors);
      record(interaction, { kind: 'followup', body, files, status: error.status, error: error.body });
      throw error;
    }
    const message = newMessage(interaction, data, files, Number(data.flags ?? 0) & ~LOADING);
    interaction.stored.set(message.id, {
      kind: 'followup',
      message,
      body: data,
      files,
      loading: false,
      deleted: false,
    });
    record(interaction, { kind: 'followup', body, files, status: 200, messageId: message.id });
    return { status: 200, body: message };
  };

  const handleEdit = ({ params, body, files }: RouteContext): RouteResult => {
    const [app = '', interactionToken = '', messageId = ''] = params;
    const interaction = webhookInteraction(app, interactionToken);
    const data = isObject(body) ? body : {};
    let stored: StoredMessage;
    try {
      stored = targetMessage(interaction, messageId);
    } catch (error) {
      if (error instanceof HttpError)
        record(interaction, { kind: 'edit', body, files, status: error.status, error: error.body });
      throw error;
    }
    const keepFlags = (stored.message.flags ?? 0) & EPHEMERAL;
    const merged = applyBody(stored.message, data, files, keepFlags);
    merged.flags = ((merged.flags ?? 0) & ~LOADING) | keepFlags;
    const errors = checkMessage(merged as unknown as Json, 0);
    if (errors.length > 0) {
      const error = formError(errors);
      record(interaction, { kind: 'edit', body, files, status: error.status, error: error.body });
      throw error;
    }
    stored.message = { ...merged, edited_timestamp: stored.loading ? null : new Date().toISOString() };
    stored.body = { ...stored.body, ...data };
    stored.files = [...stored.files, ...files];
    stored.loading = false;
    record(interaction, { kind: 'edit', body, files, status: 200, messageId: stored.message.id });
    return { status: 200, body: stored.message };
  };

  const handleFetch = ({ params }: RouteContext): RouteResult => {
    const [app = '', interactionToken = '', messageId = ''] = params;
    const interaction = webhookInteraction(app, interactionToken);
    const stored = targetMessage(interaction, messageId);
    record(interaction, {
      kind: 'fetch',
      body: undefined,
      files: [],
      status: 200,
      messageId: stored.message.id,
    });
    return { status: 200, body: stored.message };
  };

  const handleDelete = ({ params }: RouteContext): RouteResult => {
    const [app = '', interactionToken = '', messageId = ''] = params;
    const interaction = webhookInteraction(app, interactionToken);
    const stored = targetMessage(interaction, messageId);
    stored.deleted = true;
    record(interaction, {
      kind: 'delete',
      body: undefined,
      files: [],
      status: 204,
      messageId: stored.message.id,
    });
    return { status: 204 };
  };

  const commandScope = (guildId: string | undefined) => guildId ?? 'global';
  const toCommand = (
    input: Json,
    guildId: string | undefined,
    existing: APIApplicationCommand | undefined,
  ): APIApplicationCommand => {
    const type = Number(input.type ?? 1);
    return {
      id: existing?.id ?? snowflake(),
      application_id: applicationId,
      version: snowflake(),
      type,
      name: String(input.name),
      name_localizations: (input.name_localizations as APIApplicationCommand['name_localizations']) ?? null,
      description: typeof input.description === 'string' ? input.description : '',
      description_localizations:
        (input.description_localizations as APIApplicationCommand['description_localizations']) ?? null,
      ...(Array.isArray(input.options) ? { options: input.options as APIApplicationCommand['options'] } : {}),
      default_member_permissions:
        input.default_member_permissions === undefined
          ? null
          : (input.default_member_permissions as string | null),
      dm_permission: input.dm_permission === undefined ? true : Boolean(input.dm_permission),
      contexts: (input.contexts as APIApplicationCommand['contexts']) ?? null,
      integration_types: (input.integration_types as APIApplicationCommand['integration_types']) ?? [0],
      nsfw: Boolean(input.nsfw),
      ...(guildId ? { guild_id: guildId } : {}),
    } as APIApplicationCommand;
  };

  const checkApp = (app: string | undefined) => {
    if (app !== applicationId) throw new HttpError(403, { code: 50001, message: 'Missing Access' });
  };
  const checkGuild = (guildId: string | undefined) => {
    if (!guilds.some((guild) => guild.id === guildId))
      throw new HttpError(403, { code: 50001, message: 'Missing Access' });
  };

  const putCommands = (guildId: string | undefined, body: unknown): RouteResult => {
    if (!Array.isArray(body))
      throw formError([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
    const errors = body.flatMap((command, index) => checkCommand(command, [index]));
    const keys = body.map(
      (command) => `${String((command as Json).type ?? 1)}:${String((command as Json).name)}`,
    );
    keys.forEach((key, index) => {
      if (keys.indexOf(key) !== index)
        errors.push({
          path: [index, 'name'],
          code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
          message: 'Application command names must be unique',
        });
    });
    if (errors.length > 0) throw formError(errors);
    const before = commands.get(commandScope(guildId)) ?? [];
    const stored = body.map((command: Json) =>
      toCommand(
        command,
        guildId,
        before.find((c) => c.name === command.name && c.type === Number(command.type ?? 1)),
      ),
    );
    commands.set(commandScope(guildId), stored);
    return { status: 200, body: stored };
  };

  const postCommand = (guildId: string | undefined, body: unknown): RouteResult => {
    const errors = checkCommand(body);
    if (errors.length > 0) throw formError(errors);
    const input = body as Json;
    const list = commands.get(commandScope(guildId)) ?? [];
    const existing = list.find((c) => c.name === input.name && c.type === Number(input.type ?? 1));
    const command = toCommand(input, guildId, existing);
    commands.set(commandScope(guildId), [...list.filter((c) => c !== existing), command]);
    return { status: existing ? 200 : 201, body: command };
  };

  const oneCommand = (guildId: string | undefined, commandId: string | undefined): APIApplicationCommand => {
    const command = (commands.get(commandScope(guildId)) ?? []).find((c) => c.id === commandId);
    if (!command) throw new HttpError(404, { code: 10063, message: 'Unknown application command' });
    return command;
  };

  const commandRoutes = (prefix: string, guildOf: (params: string[]) => string | undefined): Route[] => [
    {
      method: 'GET',
      pattern: new RegExp(`^${prefix}/commands$`),
      auth: true,
      handle: ({ params }) => (
        checkApp(params[0]),
        { status: 200, body: commands.get(commandScope(guildOf(params))) ?? [] }
      ),
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^${prefix}/commands$`),
      auth: true,
      handle: ({ params, body }) => (checkApp(params[0]), putCommands(guildOf(params), body)),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${prefix}/commands$`),
      auth: true,
      handle: ({ params, body }) => (checkApp(params[0]), postCommand(guildOf(params), body)),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${prefix}/commands/(\\d+)$`),
      auth: true,
      handle: ({ params }) => (
        checkApp(params[0]),
        { status: 200, body: oneCommand(guildOf(params), params.at(-1)) }
      ),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${prefix}/commands/(\\d+)$`),
      auth: true,
      handle: ({ params, body }) => {
        checkApp(params[0]);
        const guildId = guildOf(params);
        const command = oneCommand(guildId, params.at(-1));
        const updated = toCommand({ ...command, ...(isObject(body) ? body : {}) } as Json, guildId, command);
        const errors = checkCommand(updated);
        if (errors.length > 0) throw formError(errors);
        commands.set(
          commandScope(guildId),
          (commands.get(commandScope(guildId)) ?? []).map((c) => (c === command ? updated : c)),
        );
        return { status: 200, body: updated };
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${prefix}/commands/(\\d+)$`),
      auth: true,
      handle: ({ params }) => {
        checkApp(params[0]);
        const guildId = guildOf(params);
        const command = oneCommand(guildId, params.at(-1));
        commands.set(
          commandScope(guildId),
          (commands.get(commandScope(guildId)) ?? []).filter((c) => c !== command),
        );
        return { status: 204 };
      },
    },
  ];

  const application = () => ({
    id: applicationId,
    name: botUser.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    // The Developer Portal's toggles set the "limited" flags for a bot in under 100 servers.
    flags: options.allowPrivilegedIntents
      ? ApplicationFlags.GatewayMessageContentLimited |
        ApplicationFlags.GatewayGuildMembersLimited |
        ApplicationFlags.GatewayPresenceLimited
      : 0,
    owner: { ...botUser, id: guilds[0]?.ownerId ?? snowflake(), bot: false, username: 'owner' },
    team: null,
    bot: botUser,
    install_params: {
      scopes: ['bot', 'applications.commands'],
      permissions: guilds[0]?.botPermissions ?? '0',
    },
    integration_types_config: { '0': {} },
    approximate_guild_count: guilds.length,
    redirect_uris: [],
    interactions_endpoint_url: null,
    tags: [],
  });

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/gateway\/bot$/,
      auth: true,
      handle: () => ({
        status: 200,
        body: {
          url: `${origin.replace('http', 'ws')}/gateway`,
          shards: recommendedShards,
          session_start_limit: {
            total: 1000,
            remaining: 1000,
            reset_after: 86_400_000,
            max_concurrency: options.maxConcurrency ?? 16,
          },
        },
      }),
    },
    {
      method: 'GET',
      pattern: /^\/gateway$/,
      auth: false,
      handle: () => ({ status: 200, body: { url: `${origin.replace('http', 'ws')}/gateway` } }),
    },
    { method: 'GET', pattern: /^\/users\/@me$/, auth: true, handle: () => ({ status: 200, body: botUser }) },
    {
      method: 'GET',
      pattern: /^\/applications\/@me$/,
      auth: true,
      handle: () => ({ status: 200, body: application() }),
    },
    {
      method: 'GET',
      pattern: /^\/oauth2\/applications\/@me$/,
      auth: true,
      handle: () => ({ status: 200, body: application() }),
    },
    ...commandRoutes('/applications/(\\d+)', () => undefined),
    ...commandRoutes('/applications/(\\d+)/guilds/(\\d+)', (params) => (checkGuild(params[1]), params[1])),
    {
      method: 'POST',
      pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      auth: false,
      handle: handleCallback,
    },
    { method: 'POST', pattern: /^\/webhooks\/(\d+)\/([^/]+)$/, auth: false, handle: handleFollowUp },
    {
      method: 'GET',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      auth: false,
      handle: handleFetch,
    },
    {
      method: 'PATCH',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      auth: false,
      handle: handleEdit,
    },
    {
      method: 'DELETE',
      pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      auth: false,
      handle: handleDelete,
    },
    {
      method: 'GET',
      pattern: /^\/channels\/(\d+)$/,
      auth: true,
      handle: ({ params }) => {
        const found = findChannel(params[0] ?? '');
        if (!found) throw new HttpError(404, { code: 10003, message: 'Unknown Channel' });
        return { status: 200, body: channelPayload(found.guild, found.channel) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/channels\/(\d+)\/messages$/,
      auth: true,
      handle: ({ params, body, files }) => {
        const channelId = params[0] ?? '';
        const guild = findChannel(channelId)?.guild ?? threads.get(channelId)?.guild;
        if (!guild) throw new HttpError(404, { code: 10003, message: 'Unknown Channel' });
        const data = isObject(body) ? body : {};
        const errors = checkMessage(data, files.length);
        if (errors.length > 0) throw formError(errors);
        const base = messagePayload({ channelId, guildId: guild.id, author: botUser });
        const message = applyBody(base, data, files, 0);
        message.flags = Number(data.flags ?? 0);
        (message as APIMessage & { allowed_mentions?: unknown }).allowed_mentions = data.allowed_mentions;
        if (isObject(data.message_reference))
          message.message_reference = data.message_reference as unknown as APIMessage['message_reference'];
        channelMessages.set(channelId, [...(channelMessages.get(channelId) ?? []), message]);
        for (const wake of [...channelWaiters]) wake();
        return { status: 200, body: message };
      },
    },
    {
      method: 'GET',
      pattern: /^\/guilds\/(\d+)$/,
      auth: true,
      handle: ({ params }) => {
        const guild = guilds.find((g) => g.id === params[0]);
        if (!guild) throw new HttpError(404, { code: 10004, message: 'Unknown Guild' });
        const {
          members: _m,
          channels: _c,
          threads: _t,
          presences: _p,
          voice_states: _v,
          joined_at: _j,
          ...rest
        } = guildPayload(guild, botUser, joinedAt);
        return { status: 200, body: rest };
      },
    },
    {
      method: 'GET',
      pattern: /^\/guilds\/(\d+)\/channels$/,
      auth: true,
      handle: ({ params }) => {
        const guild = guilds.find((g) => g.id === params[0]);
        if (!guild) throw new HttpError(404, { code: 10004, message: 'Unknown Guild' });
        return { status: 200, body: guild.channels.map((channel) => channelPayload(guild, channel)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/guilds\/(\d+)\/roles$/,
      auth: true,
      handle: ({ params }) => {
        const guild = guilds.find((g) => g.id === params[0]);
        if (!guild) throw new HttpError(404, { code: 10004, message: 'Unknown Guild' });
        return { status: 200, body: [...guild.roles, botRole(guild, botUser)] };
      },
    },
    {
      method: 'GET',
      pattern: /^\/guilds\/(\d+)\/members\/(\d+)$/,
      auth: true,
      handle: ({ params }) => {
        const guild = guilds.find((g) => g.id === params[0]);
        if (!guild) throw new HttpError(404, { code: 10004, message: 'Unknown Guild' });
        if (params[1] !== botUser.id) throw new HttpError(404, { code: 10007, message: 'Unknown Member' });
        return { status: 200, body: memberPayload(botUser, [botRole(guild, botUser).id], joinedAt) };
      },
    },
  ];

  const send = (response: ServerResponse, status: number, body?: unknown) => {
    if (status === 204 || body === undefined) {
      response.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    response
      .writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
      .end(text);
  };

  const failures: Array<{ method: string; path: RegExp; status: number; times: number; failed: number }> = [];

  const serveApi = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const authorized = request.headers.authorization === `Bot ${token}`;
    const entry: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      authorized,
      body: undefined,
      files: [],
    };
    requests.push(entry);
    const reply = (status: number, body?: unknown) => {
      entry.status = status;
      send(response, status, body);
    };
    try {
      const { body, files } = await readBody(request);
      entry.body = body;
      entry.files = files;
      const failure = failures.find((f) => f.method === method && f.path.test(path) && f.failed < f.times);
      if (failure) {
        failure.failed += 1;
        return reply(failure.status, { code: 0, message: `${failure.status}: injected failure` });
      }
      if (!url.pathname.startsWith('/api/v10/')) {
        unknownRequests.push(entry);
        return reply(404, {
          code: 0,
          message: `404: Not Found (the fake serves API v10 only: ${url.pathname})`,
        });
      }
      for (const route of routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(path);
        if (!match) continue;
        if (route.auth && !authorized) return reply(401, { code: 0, message: '401: Unauthorized' });
        const result = await route.handle({ params: match.slice(1), query: url.searchParams, body, files });
        return reply(result.status, result.body);
      }
      unknownRequests.push(entry);
      reply(404, { code: 0, message: '404: Not Found' });
    } catch (error) {
      if (error instanceof HttpError) return reply(error.status, error.body);
      reply(500, {
        code: 0,
        message: `fake Discord failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const download = /^\/attachments\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (download && request.method === 'GET') {
      const file = attachments.get(download[1] ?? '');
      if (!file) return send(response, 404, { code: 0, message: '404: Not Found' });
      response
        .writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.bytes.length })
        .end(file.bytes);
      return;
    }
    void serveApi(request, response, url);
  });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/$/, '');
    if (path === '/gateway' || path === '/gateway/resume') gateway.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const shardCount = () => gateway.shardCount ?? recommendedShards;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const waitForShards = async (shardIds?: number[], timeoutMs = waitTimeoutMs) => {
    const ids = shardIds ?? [...Array(shardCount()).keys()];
    const controller = new AbortController();
    const timer = later(timeoutMs, () =>
      controller.abort(
        new WaitError(
          `Shards ${ids.filter((id) => !gateway.isLive(id)).join(', ')} did not connect within ${timeoutMs} ms (identifies: ${JSON.stringify(gateway.identifies)}, refusals: ${JSON.stringify(gateway.refusals)})`,
        ),
      ),
    );
    try {
      await gateway.waitForLive(ids, controller.signal);
    } finally {
      clearTimeout(timer);
      timers.delete(timer);
    }
  };

  const interact = async (
    input: APIInteraction,
    interactOptions: { timeoutMs?: number; shardId?: number } = {},
  ): Promise<InteractionRecord> => {
    if (closed) throw new Error('fake Discord is closed');
    const payload = structuredClone(input);
    if (payload.application_id !== applicationId) {
      throw new Error(
        `interact: payload.application_id ${payload.application_id} is not the fake's application ${applicationId}`,
      );
    }
    if ((payload.type === 2 || payload.type === 4) && isObject(payload.data)) {
      // Discord sends the registered command's id; use it when the command was registered.
      const data = payload.data as Json;
      const scopes = payload.guild_id ? [payload.guild_id, 'global'] : ['global'];
      for (const scope of scopes) {
        const command = (commands.get(scope) ?? []).find(
          (c) => c.name === data.name && c.type === Number(data.type ?? 1),
        );
        if (command) {
          data.id = command.id;
          if (scope !== 'global') data.guild_id = scope;
          else delete data.guild_id;
          break;
        }
      }
    }
    const shardId =
      interactOptions.shardId ?? (payload.guild_id ? shardOf(payload.guild_id, shardCount()) : 0);
    await waitForShards([shardId], interactOptions.timeoutMs ?? waitTimeoutMs);
    const interaction = new InteractionRecord(payload, shardId, waitTimeoutMs, () => closed);
    interactions.push(interaction);
    byId.set(payload.id, interaction);
    byToken.set(payload.token, interaction);
    gateway.dispatch(shardId, 'INTERACTION_CREATE', payload);
    const limit = deadlineMs ?? interactOptions.timeoutMs ?? waitTimeoutMs;
    try {
      await interaction.waitFor((r) => r.callback !== undefined, limit);
    } catch (error) {
      if (deadlineMs !== null) {
        interaction.expired = true;
        throw new WaitError(
          `The bot did not acknowledge interaction ${payload.id} within Discord's ${deadlineMs} ms. ${interaction.describe()}`,
        );
      }
      throw error;
    }
    return interaction;
  };

  return {
    apiUrl: `${origin}/api`,
    gatewayUrl: `${origin.replace('http', 'ws')}/gateway`,
    token,
    applicationId,
    botUser,
    guilds,
    gateway,
    get identifies() {
      return gateway.identifies;
    },
    get resumes() {
      return gateway.resumes;
    },
    requests,
    unknownRequests,
    interactions,
    interact,
    dispatch: (shardId, event, data) => gateway.dispatch(shardId, event, data),
    registeredCommands: (guildId) => structuredClone(commands.get(commandScope(guildId)) ?? []),
    serveAttachment(name, bytes, contentType) {
      const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
      return storeFile({ field: 'files[0]', name, contentType, bytes: data });
    },
    channelMessages: (channelId) => structuredClone(channelMessages.get(channelId) ?? []),
    postMessage({ guild, channelId, content, author, mentionBot }) {
      const message = messagePayload({
        channelId,
        guildId: guild.id,
        author: author ?? makeUser(),
        content: mentionBot ? `<@${botUser.id}> ${content}` : content,
      });
      if (mentionBot) message.mentions = [botUser];
      gateway.dispatch(shardOf(guild.id, shardCount()), 'MESSAGE_CREATE', message);
      return message;
    },
    forumPost({ guild, forumId, title, content, author }) {
      const poster = author ?? makeUser();
      const id = snowflake();
      const thread = {
        id,
        guild_id: guild.id,
        parent_id: forumId,
        owner_id: poster.id,
        type: ChannelType.PublicThread,
        name: title,
        last_message_id: id,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        applied_tags: [],
        thread_metadata: {
          archived: false,
          auto_archive_duration: 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
        },
      } as unknown as APIChannel; // why: a thread's fields are spread over several API types in discord-api-types
      threads.set(id, { guild, thread });
      const shardId = shardOf(guild.id, shardCount());
      gateway.dispatch(shardId, 'THREAD_CREATE', { ...thread, newly_created: true });
      const message = messagePayload({ id, channelId: id, guildId: guild.id, author: poster, content });
      gateway.dispatch(shardId, 'MESSAGE_CREATE', message);
      return { thread, message };
    },
    waitForChannelMessages(channelId, count = 1, timeoutMs = waitTimeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const sent = channelMessages.get(channelId) ?? [];
          if (sent.length < count) return false;
          clearTimeout(timer);
          channelWaiters.delete(wake);
          resolve(structuredClone(sent));
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          channelWaiters.delete(wake);
          reject(
            new WaitError(
              `The bot sent ${(channelMessages.get(channelId) ?? []).length} message(s) to channel ${channelId} within ${timeoutMs} ms; waited for ${count}.`,
            ),
          );
        }, timeoutMs);
        channelWaiters.add(wake);
        check();
      });
    },
    failRequests(rule) {
      const failure = { ...rule, failed: 0 };
      failures.push(failure);
      return failure;
    },
    dropConnections: (dropOptions = {}) =>
      gateway.drop({
        resumable: dropOptions.resumable ?? true,
        ...(dropOptions.shardIds ? { shardIds: dropOptions.shardIds } : {}),
      }),
    waitForShards,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const interaction of interactions) interaction.notify();
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
