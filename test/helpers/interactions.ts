/**
 * INTERACTION_CREATE payloads as Discord sends them, complete enough for discord.js 14 to build
 * ChatInputCommandInteraction, AutocompleteInteraction, ButtonInteraction and
 * MessageContextMenuCommandInteraction, and to answer them over REST. Pure functions: hand the result to
 * `FakeDiscord.interact()`.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
} from 'discord.js';
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIChatInputApplicationCommandInteraction,
  APIMessage,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentButtonInteraction,
  APIUser,
} from 'discord.js';
import {
  DEFAULT_APPLICATION_ID,
  DEFAULT_BOT_USER,
  DEFAULT_GUILD,
  MEMBER_PERMISSIONS,
  channelPayload,
  makeUser,
  memberPayload,
  messagePayload,
  snowflake,
} from './entities.ts';
import type { FakeGuild, MakeMessageOptions } from './entities.ts';

/** Where and by whom an interaction happens. Every field has a realistic default. */
export interface InteractionContext {
  /** Default `DEFAULT_APPLICATION_ID` (what `startFakeDiscord()` uses by default). */
  applicationId?: string;
  /** The server; default `DEFAULT_GUILD`; `null` for a DM with the bot. */
  guild?: FakeGuild | null;
  /** Default the guild's first channel (in a DM: a fresh DM channel id). */
  channelId?: string;
  /** Default a fresh user. */
  user?: APIUser;
  /** The member's permissions in the channel (bitfield string), default `MEMBER_PERMISSIONS`. */
  permissions?: string;
  /** Role ids of the member, default none besides @everyone. */
  roles?: string[];
  /** The user's client locale, default `en-US`. */
  locale?: string;
  /** The bot's permissions in the channel, default the guild's `botPermissions`. */
  appPermissions?: string;
  /** Interaction id and token, default fresh ones. */
  id?: string;
  token?: string;
}

/** A realistic interaction token: base64url of `interaction:<id>:<random>` (no `/`, as webhook routes need). */
export function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(36).toString('base64url')}`).toString('base64url');
}

const TEN_MIB = 10 * 1024 * 1024;

function base(context: InteractionContext) {
  const id = context.id ?? snowflake();
  const user = context.user ?? makeUser();
  const guild = context.guild === undefined ? DEFAULT_GUILD : context.guild;
  const common = {
    id,
    application_id: context.applicationId ?? DEFAULT_APPLICATION_ID,
    token: context.token ?? interactionToken(id),
    version: 1 as const,
    locale: (context.locale ?? 'en-US') as APIChatInputApplicationCommandInteraction['locale'],
    entitlements: [],
    attachment_size_limit: TEN_MIB,
  };
  if (guild === null) {
    const channelId = context.channelId ?? snowflake();
    return {
      ...common,
      user,
      channel: {
        id: channelId,
        type: ChannelType.DM as const,
        last_message_id: null,
        flags: 0,
        recipients: [user],
      },
      channel_id: channelId,
      app_permissions: context.appPermissions ?? MEMBER_PERMISSIONS,
      authorizing_integration_owners: { '0': '0' },
      context: InteractionContextType.BotDM,
    };
  }
  const channel = guild.channels.find((c) => c.id === context.channelId) ?? guild.channels[0];
  if (!channel) throw new Error(`interactions: guild ${guild.id} has no channel to place the interaction in`);
  const permissions = context.permissions ?? MEMBER_PERMISSIONS;
  return {
    ...common,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.locale as typeof common.locale, features: [] },
    guild_locale: guild.locale as typeof common.locale,
    channel: {
      ...channelPayload(guild, channel),
      permissions,
    } as unknown as APIChatInputApplicationCommandInteraction['channel'],
    channel_id: channel.id,
    member: {
      ...memberPayload(user, context.roles ?? [], new Date(Date.now() - 86_400_000).toISOString()),
      permissions,
      unusual_dm_activity_until: null,
    },
    app_permissions: context.appPermissions ?? guild.botPermissions,
    authorizing_integration_owners: { '0': guild.id },
    context: InteractionContextType.Guild,
  };
}

/** An option value: typed from the JS value, or given explicitly. */
export type OptionValue =
  | string
  | number
  | boolean
  | { attachment: APIAttachment }
  | { type: ApplicationCommandOptionType; value: string | number | boolean };

function toOption(
  name: string,
  value: OptionValue,
  attachments: Record<string, APIAttachment>,
): APIApplicationCommandInteractionDataOption {
  if (typeof value === 'string') return { name, type: ApplicationCommandOptionType.String, value };
  if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: ApplicationCommandOptionType.Integer, value }
      : { name, type: ApplicationCommandOptionType.Number, value };
  }
  if ('attachment' in value) {
    attachments[value.attachment.id] = value.attachment;
    return { name, type: ApplicationCommandOptionType.Attachment, value: value.attachment.id };
  }
  return { name, type: value.type, value: value.value } as APIApplicationCommandInteractionDataOption;
}

export interface SlashCommandOptions extends InteractionContext {
  name: string;
  /** `{ question: 'x', results: 3, private: true, file: { attachment } }`, or raw API options. */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
  /** Wrap the options in this subcommand. */
  subcommand?: string;
  /** Default a fresh id; `FakeDiscord.interact()` replaces it by the registered command's id. */
  commandId?: string;
}

/** The options as Discord sends them: nested in their subcommand when there is one. */
function underSubcommand(
  subcommand: string | undefined,
  options: APIApplicationCommandInteractionDataOption[],
): APIApplicationCommandInteractionDataOption[] {
  if (!subcommand) return options;
  return [
    {
      name: subcommand,
      type: ApplicationCommandOptionType.Subcommand,
      options,
    } as APIApplicationCommandInteractionDataOption,
  ];
}

export function slashCommand(spec: SlashCommandOptions): APIChatInputApplicationCommandInteraction {
  const attachments: Record<string, APIAttachment> = {};
  const given = Array.isArray(spec.options)
    ? spec.options
    : Object.entries(spec.options ?? {}).map(([name, value]) => toOption(name, value, attachments));
  const options = underSubcommand(spec.subcommand, given);
  const resolved = Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {};
  return {
    ...base(spec),
    type: InteractionType.ApplicationCommand,
    data: {
      id: spec.commandId ?? snowflake(),
      name: spec.name,
      type: ApplicationCommandType.ChatInput,
      options,
      ...resolved,
    },
  } as APIChatInputApplicationCommandInteraction;
}

export interface AutocompleteOptions extends InteractionContext {
  name: string;
  /** What the user has typed so far in each option. */
  options: Record<string, string | number | boolean>;
  /** The option being typed in; default the first string option. */
  focused?: string;
  subcommand?: string;
  commandId?: string;
}

export function autocomplete(spec: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction {
  const entries = Object.entries(spec.options);
  const focused =
    spec.focused ?? entries.find(([, value]) => typeof value === 'string')?.[0] ?? entries[0]?.[0];
  const options = underSubcommand(
    spec.subcommand,
    entries.map(([name, value]) => ({
      ...toOption(name, value, {}),
      ...(name === focused ? { focused: true } : {}),
    })) as APIApplicationCommandInteractionDataOption[],
  );
  return {
    ...base(spec),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: spec.commandId ?? snowflake(),
      name: spec.name,
      type: ApplicationCommandType.ChatInput,
      options,
    },
  } as APIApplicationCommandAutocompleteInteraction;
}

export interface ButtonOptions extends InteractionContext {
  customId: string;
  /**
   * The message carrying the button, e.g. `(await reply.waitForMessage()).message`. Default: a bot message
   * in the channel with just this button.
   */
  message?: APIMessage;
}

export function button(spec: ButtonOptions): APIMessageComponentButtonInteraction {
  const payload = base(spec);
  const applicationId = payload.application_id;
  const message =
    spec.message ??
    messagePayload({
      channelId: payload.channel_id,
      ...('guild_id' in payload ? { guildId: payload.guild_id } : {}),
      author: { ...DEFAULT_BOT_USER, id: applicationId },
      content: 'A message with a button',
      applicationId,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: 1, label: 'Button', custom_id: spec.customId }],
        },
      ],
    });
  return {
    ...payload,
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
  } as APIMessageComponentButtonInteraction;
}

export interface MessageContextMenuOptions extends InteractionContext {
  name: string;
  /** The message right-clicked: a full message, or what it says (placed in the interaction's channel). */
  targetMessage: APIMessage | Omit<MakeMessageOptions, 'channelId'>;
  commandId?: string;
}

export function messageContextMenu(spec: MessageContextMenuOptions): APIMessageApplicationCommandInteraction {
  const payload = base(spec);
  const target =
    'channel_id' in spec.targetMessage
      ? spec.targetMessage
      : messagePayload({
          ...('guild_id' in payload ? { guildId: payload.guild_id } : {}),
          ...spec.targetMessage,
          channelId: payload.channel_id,
        });
  return {
    ...payload,
    type: InteractionType.ApplicationCommand,
    data: {
      id: spec.commandId ?? snowflake(),
      name: spec.name,
      type: ApplicationCommandType.Message,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    },
  } as APIMessageApplicationCommandInteraction;
}
