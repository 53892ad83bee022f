/**
 * Discord entities as the API sends them: snowflakes, users, roles, channels, guilds and the bot's member.
 * Shared by the fake server (READY, GUILD_CREATE, REST) and the interaction builders, so both describe the
 * same world.
 */
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type {
  APIAttachment,
  APIChannel,
  APIEmbed,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GuildFeature,
  GuildMemberFlags,
  RoleFlags,
} from 'discord.js';

const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A snowflake as Discord makes them: milliseconds since 2015 in the top 42 bits, then worker/process/increment. */
export function snowflake(atMs: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (
    ((BigInt(atMs) - DISCORD_EPOCH_MS) << 22n) |
    (1n << 17n) |
    (1n << 12n) |
    snowflakeIncrement
  ).toString();
}

/** The shard Discord routes a guild's events to: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A fresh snowflake whose guild would be served by `shardId` of `shardCount` shards. */
export function snowflakeOnShard(shardId: number, shardCount: number): string {
  if (!Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
    throw new Error(`snowflakeOnShard: shard ${shardId} is not one of 0..${shardCount - 1}`);
  }
  const sinceEpoch = BigInt(Date.now()) - DISCORD_EPOCH_MS;
  const count = BigInt(shardCount);
  const onShard = sinceEpoch - (sinceEpoch % count) + BigInt(shardId);
  return snowflake(Number(onShard + DISCORD_EPOCH_MS));
}

function permissionString(...flags: bigint[]): string {
  return flags.reduce((all, flag) => all | flag, 0n).toString();
}

/** What an ordinary member may do in a text channel (@everyone's defaults on a new server). */
export const MEMBER_PERMISSIONS = permissionString(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.UseApplicationCommands,
  PermissionFlagsBits.UseExternalEmojis,
);

/** A moderator: a member who may also Manage Server (what the moderator commands require). */
export const MODERATOR_PERMISSIONS = (
  BigInt(MEMBER_PERMISSIONS) | PermissionFlagsBits.ManageGuild
).toString();

/** What the bot's managed role grants it: read, send and embed; nothing administrative. */
export const BOT_PERMISSIONS = permissionString(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.UseApplicationCommands,
);

export interface MakeUserOptions {
  id?: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
}

export function makeUser(options: MakeUserOptions = {}): APIUser {
  const id = options.id ?? snowflake();
  const username = options.username ?? `user${id.slice(-6)}`;
  return {
    id,
    username,
    global_name: options.globalName === undefined ? username : options.globalName,
    discriminator: '0',
    avatar: null,
    ...(options.bot ? { bot: true } : {}),
  };
}

export const DEFAULT_APPLICATION_ID = '1300000000000000001';
/** A bot user's id is its application's id. */
export const DEFAULT_BOT_USER: APIUser = makeUser({
  id: DEFAULT_APPLICATION_ID,
  username: 'verbatim',
  bot: true,
});

/** A text channel of a fake guild. */
export interface FakeChannel {
  id: string;
  name: string;
  type:
    | ChannelType.GuildText
    | ChannelType.GuildForum
    | ChannelType.GuildAnnouncement
    | ChannelType.GuildVoice
    | ChannelType.GuildCategory;
  position: number;
  topic: string | null;
}

/** A server as the fake serves it, and as the builders place interactions in it. */
export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  /** The guild's preferred locale, sent as `guild_locale`. */
  locale: string;
  /** `roles[0]` is @everyone (its id is the guild id). */
  roles: APIRole[];
  /** `channels[0]` is where builders place interactions by default. */
  channels: FakeChannel[];
  /** Permissions of the bot's managed role, also the default `app_permissions` of interactions here. */
  botPermissions: string;
}

export interface MakeGuildOptions {
  id?: string;
  name?: string;
  ownerId?: string;
  locale?: string;
  /** Place the guild on this shard: `[shardId, shardCount]`. */
  shard?: [number, number];
  /** Channel names (text channels), or channel descriptions; default one `general` text channel. */
  channels?: Array<string | Partial<FakeChannel>>;
  /** Extra roles (besides @everyone), e.g. `{ name: 'Moderators', permissions: MODERATOR_PERMISSIONS }`. */
  roles?: Array<Partial<APIRole> & { name: string }>;
  botPermissions?: string;
}

export function makeRole(role: Partial<APIRole> & { name: string; id?: string }, position: number): APIRole {
  return {
    id: role.id ?? snowflake(),
    name: role.name,
    color: role.color ?? 0,
    colors: role.colors ?? { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: role.hoist ?? false,
    icon: null,
    unicode_emoji: null,
    position: role.position ?? position,
    permissions: role.permissions ?? MEMBER_PERMISSIONS,
    managed: role.managed ?? false,
    mentionable: role.mentionable ?? false,
    flags: 0 as RoleFlags,
    ...(role.tags ? { tags: role.tags } : {}),
  };
}

export function makeGuild(options: MakeGuildOptions = {}): FakeGuild {
  const id =
    options.id ?? (options.shard ? snowflakeOnShard(options.shard[0], options.shard[1]) : snowflake());
  const channelSpecs = options.channels ?? ['general'];
  const channels = channelSpecs.map((spec, index): FakeChannel => {
    const given = typeof spec === 'string' ? { name: spec } : spec;
    return {
      id: given.id ?? snowflake(),
      name: given.name ?? `channel-${index}`,
      type: given.type ?? ChannelType.GuildText,
      position: given.position ?? index,
      topic: given.topic ?? null,
    };
  });
  const everyone = makeRole({ id, name: '@everyone', permissions: MEMBER_PERMISSIONS }, 0);
  const extra = (options.roles ?? []).map((role, index) => makeRole(role, index + 1));
  return {
    id,
    name: options.name ?? `Guild ${id.slice(-4)}`,
    ownerId: options.ownerId ?? snowflake(),
    locale: options.locale ?? 'en-US',
    roles: [everyone, ...extra],
    channels,
    botPermissions: options.botPermissions ?? BOT_PERMISSIONS,
  };
}

/** What `startFakeDiscord()` serves and the builders use when no guild is named. */
export const DEFAULT_GUILD: FakeGuild = makeGuild({
  id: '1300000000000000100',
  name: 'Default Guild',
  ownerId: '1300000000000000200',
  channels: [{ id: '1300000000000000101', name: 'general' }],
});

/** A channel object as REST and GUILD_CREATE send it. */
export function channelPayload(guild: FakeGuild, channel: FakeChannel): APIChannel {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: guild.id,
    name: channel.name,
    position: channel.position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: channel.topic,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  } as unknown as APIChannel; // why: one shape for several channel types; the union type cannot be narrowed from `type` here
}

/** The bot's managed role in a guild: how Discord grants a bot its invite permissions. */
export function botRole(guild: FakeGuild, botUser: APIUser): APIRole {
  // A stable id derived from the guild, so READY, GUILD_CREATE and REST agree without storing it.
  const id = (BigInt(guild.id) + 7n).toString();
  return makeRole(
    {
      id,
      name: botUser.username,
      permissions: guild.botPermissions,
      managed: true,
      tags: { bot_id: botUser.id },
    },
    guild.roles.length,
  );
}

export function memberPayload(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The guild object of GUILD_CREATE and `GET /guilds/:id`, with the bot's own member. */
export function guildPayload(guild: FakeGuild, botUser: APIUser, joinedAt: string): Record<string, unknown> {
  const role = botRole(guild, botUser);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [...guild.roles, role],
    emojis: [],
    stickers: [],
    features: [] as GuildFeature[],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: guild.locale,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: 0,
    hub_type: null,
    incidents_data: null,
    // GUILD_CREATE extras
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [memberPayload(botUser, [role.id], joinedAt)],
    channels: guild.channels.map((channel) => {
      const { guild_id: _omitted, ...rest } = channelPayload(guild, channel) as APIChannel & {
        guild_id?: string;
      };
      return rest;
    }),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface MakeMessageOptions {
  id?: string;
  channelId: string;
  guildId?: string;
  author?: APIUser;
  content?: string;
  embeds?: APIEmbed[];
  /** Raw components as the API sends them. */
  components?: unknown[];
  attachments?: APIAttachment[];
  flags?: number;
  /** MessageType: 0 default, 20 chat-input command reply, 23 context-menu command reply. */
  type?: number;
  timestamp?: string;
  /** Set for messages a webhook or an interaction response created. */
  applicationId?: string;
}

/** A message as REST and INTERACTION_CREATE send it (`message`, `resolved.messages`). */
export function messagePayload(options: MakeMessageOptions): APIMessage {
  return {
    id: options.id ?? snowflake(),
    channel_id: options.channelId,
    ...(options.guildId ? { guild_id: options.guildId } : {}),
    author: options.author ?? makeUser(),
    content: options.content ?? '',
    timestamp: options.timestamp ?? new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: options.attachments ?? [],
    embeds: options.embeds ?? [],
    pinned: false,
    type: options.type ?? 0,
    flags: options.flags ?? 0,
    components: (options.components ?? []) as APIMessage['components'],
    ...(options.applicationId
      ? { webhook_id: options.applicationId, application_id: options.applicationId }
      : {}),
  } as APIMessage; // why: guild_id is sent by Discord on gateway/REST messages but is not in APIMessage
}
