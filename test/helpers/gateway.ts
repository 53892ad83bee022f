/**
 * The fake's WebSocket gateway, speaking what @discordjs/ws 1.x speaks by default: JSON text frames, no
 * compression. HELLO → (IDENTIFY → READY + GUILD_CREATE…) or (RESUME → missed events replayed + RESUMED);
 * every heartbeat is acknowledged; dispatches carry per-session sequence numbers.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import type { APIUser } from 'discord.js';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';

/** Intents Discord refuses (close 4014) unless the bot was approved for them in the developer portal. */
const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
/** How many past dispatches a session keeps for replay on RESUME. */
const REPLAY_BUFFER = 1000;

export interface GatewayConfig {
  token: string;
  botUser: APIUser;
  applicationId: string;
  heartbeatIntervalMs: number;
  allowPrivilegedIntents: boolean;
  /** IDENTIFYs of these shards are closed with `code`, after every other check passed. */
  refuseShards?: { shardIds: number[]; code: number; reason: string };
  /** `ws://127.0.0.1:PORT/gateway/resume`, told to clients in READY. */
  resumeUrl: () => string;
  /** The guilds a shard serves, as GUILD_CREATE data. */
  guildsOnShard: (shardId: number, shardCount: number) => Array<{ id: string } & Record<string, unknown>>;
}

interface Dispatch {
  op: 0;
  s: number;
  t: string;
  d: unknown;
}

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  seq: number;
  /** Recent dispatches, for RESUME. */
  sent: Dispatch[];
  /** The socket currently serving the session, null while the client is away. */
  socket: WebSocket | null;
  intents: number;
}

export interface IdentifyRecord {
  shard: [number, number];
  intents: number;
  properties: unknown;
}

export class FakeGateway {
  readonly identifies: number[] = [];
  readonly resumes: number[] = [];
  /** Each IDENTIFY as received (token left out). */
  readonly identifyPayloads: IdentifyRecord[] = [];
  /** Close codes the fake sent, with why, for tests that check a refusal. */
  readonly refusals: Array<{ code: number; reason: string }> = [];
  readonly #config: GatewayConfig;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  /** The newest session of each shard id: where its dispatches go. */
  readonly #shardSessions = new Map<number, Session>();
  readonly #events = new EventEmitter();

  constructor(config: GatewayConfig) {
    this.#config = config;
    this.#events.setMaxListeners(0);
    this.#server.on('connection', (socket, request) => this.#accept(socket, request));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#server.emit('connection', ws, request));
  }

  /** The shard count clients identified with (the newest session's), if any shard is connected. */
  get shardCount(): number | undefined {
    return [...this.#shardSessions.values()].at(-1)?.shardCount;
  }

  /** True when the shard has a session whose socket is open and past READY/RESUMED. */
  isLive(shardId: number): boolean {
    const socket = this.#shardSessions.get(shardId)?.socket;
    return socket !== null && socket !== undefined && socket.readyState === socket.OPEN;
  }

  /** Resolves once each shard id is live; `signal` aborts the wait. */
  async waitForLive(shardIds: number[], signal: AbortSignal): Promise<void> {
    const missing = () => shardIds.filter((id) => !this.isLive(id));
    while (missing().length > 0) {
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          this.#events.off('live', done);
          signal.removeEventListener('abort', done);
          if (signal.aborted)
            reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
          else resolve();
        };
        this.#events.on('live', done);
        signal.addEventListener('abort', done);
      });
    }
  }

  /**
   * Sends a dispatch to the shard's session; while its client is away the event is kept and replayed on
   * RESUME, as Discord does. False when the shard never identified.
   */
  dispatch(shardId: number, t: string, d: unknown): boolean {
    const session = this.#shardSessions.get(shardId);
    if (!session) return false;
    this.#send(session, t, d);
    return true;
  }

  /** Cuts sockets. Resumable: sessions survive (1006 on the client); otherwise they end (close 1000). */
  drop(options: { resumable: boolean; shardIds?: number[] }): void {
    for (const session of [...this.#sessions.values()]) {
      if (options.shardIds && !options.shardIds.includes(session.shardId)) continue;
      const socket = session.socket;
      session.socket = null;
      if (options.resumable) {
        socket?.terminate();
      } else {
        this.#sessions.delete(session.id);
        if (this.#shardSessions.get(session.shardId) === session) this.#shardSessions.delete(session.shardId);
        socket?.close(1000, 'Session ended by the fake');
      }
    }
  }

  close(): void {
    for (const client of this.#server.clients) client.terminate();
    this.#server.close();
    this.#events.removeAllListeners();
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams;
    if (query.get('encoding') === 'etf') {
      this.#refuse(
        socket,
        GatewayCloseCodes.DecodeError,
        'ETF encoding is not supported by the fake; use json',
      );
      return;
    }
    if (query.get('v') !== null && query.get('v') !== '10') {
      this.#refuse(
        socket,
        GatewayCloseCodes.InvalidAPIVersion,
        `API version ${query.get('v')} is not served; use 10`,
      );
      return;
    }
    let session: Session | null = null;
    socket.on('message', (raw: RawData) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op?: unknown; d?: unknown };
      } catch {
        this.#refuse(socket, GatewayCloseCodes.DecodeError, 'Payload is not JSON');
        return;
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null }));
          return;
        case GatewayOpcodes.Identify:
          if (session)
            return this.#refuse(socket, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated');
          session = this.#identify(socket, payload.d);
          return;
        case GatewayOpcodes.Resume:
          if (session)
            return this.#refuse(socket, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated');
          session = this.#resume(socket, payload.d);
          return;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          if (!session) this.#refuse(socket, GatewayCloseCodes.NotAuthenticated, 'Not authenticated');
          return;
        default:
          this.#refuse(socket, GatewayCloseCodes.UnknownOpcode, `Unknown opcode ${String(payload.op)}`);
      }
    });
    socket.on('close', () => {
      if (session && session.socket === socket) session.socket = null;
    });
    socket.on('error', () => socket.terminate());
    socket.send(
      JSON.stringify({
        op: GatewayOpcodes.Hello,
        d: { heartbeat_interval: this.#config.heartbeatIntervalMs },
        s: null,
        t: null,
      }),
    );
  }

  #refuse(socket: WebSocket, code: number, reason: string): void {
    this.refusals.push({ code, reason });
    socket.close(code, reason);
  }

  #identify(socket: WebSocket, data: unknown): Session | null {
    const d = (data ?? {}) as { token?: unknown; shard?: unknown; intents?: unknown; properties?: unknown };
    if (d.token !== this.#config.token) {
      this.#refuse(socket, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return null;
    }
    const [shardId, shardCount] = Array.isArray(d.shard) ? (d.shard as unknown[]) : [0, 1];
    if (
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      (shardCount as number) < 1 ||
      (shardId as number) < 0 ||
      (shardId as number) >= (shardCount as number)
    ) {
      this.#refuse(socket, GatewayCloseCodes.InvalidShard, 'Invalid shard');
      return null;
    }
    const intents = typeof d.intents === 'number' ? d.intents : NaN;
    if (!Number.isInteger(intents) || intents < 0) {
      this.#refuse(socket, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s)');
      return null;
    }
    if ((intents & PRIVILEGED_INTENTS) !== 0 && !this.#config.allowPrivilegedIntents) {
      this.#refuse(socket, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s)');
      return null;
    }
    const refused = this.#config.refuseShards;
    if (refused?.shardIds.includes(shardId as number)) {
      this.#refuse(socket, refused.code, refused.reason);
      return null;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shardId: shardId as number,
      shardCount: shardCount as number,
      seq: 0,
      sent: [],
      socket,
      intents,
    };
    this.#sessions.set(session.id, session);
    const previous = this.#shardSessions.get(session.shardId);
    if (previous && previous !== session) this.#sessions.delete(previous.id);
    this.#shardSessions.set(session.shardId, session);
    this.identifies[session.shardId] = (this.identifies[session.shardId] ?? 0) + 1;
    this.identifyPayloads.push({
      shard: [session.shardId, session.shardCount],
      intents,
      properties: d.properties,
    });

    const guilds = this.#config.guildsOnShard(session.shardId, session.shardCount);
    this.#send(session, 'READY', {
      v: 10,
      user: this.#config.botUser,
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.#config.resumeUrl(),
      shard: [session.shardId, session.shardCount],
      application: { id: this.#config.applicationId, flags: 0 },
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    for (const guild of guilds) this.#send(session, 'GUILD_CREATE', guild);
    this.#events.emit('live');
    return session;
  }

  #resume(socket: WebSocket, data: unknown): Session | null {
    const d = (data ?? {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
    if (d.token !== this.#config.token) {
      this.#refuse(socket, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return null;
    }
    const session = typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const oldest = session?.sent[0]?.s ?? 1;
    if (!session || seq > session.seq || seq < oldest - 1) {
      // Not resumable: Discord answers INVALID_SESSION(false) and the client identifies afresh.
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
      return null;
    }
    session.socket?.terminate();
    session.socket = socket;
    this.resumes[session.shardId] = (this.resumes[session.shardId] ?? 0) + 1;
    for (const missed of session.sent.filter((dispatch) => dispatch.s > seq))
      socket.send(JSON.stringify(missed));
    this.#send(session, 'RESUMED', null);
    this.#events.emit('live');
    return session;
  }

  #send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const dispatch: Dispatch = { op: 0, s: session.seq, t, d };
    session.sent.push(dispatch);
    if (session.sent.length > REPLAY_BUFFER) session.sent.shift();
    const socket = session.socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(dispatch));
  }
}
