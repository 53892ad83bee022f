/** /settings (moderators): how /ask answers here, where it may answer publicly, insights, auto-answer. */
import { ChannelType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { ChatInputCommandInteraction } from 'discord.js';
import { VerbatimError } from '../src/core/index.ts';
import type { Command, CommandContext } from '../src/discord/command.ts';
import { MODERATOR_PERMISSION, requireModerator } from '../src/discord/permissions.ts';
import { renderSettings } from '../src/discord/settings-view.ts';
import { AUTO_ANSWER_OFF } from '../src/discord/auto-answer-intent.ts';
import { SETTINGS_LIMITS } from '../src/library.ts';
import type { SettingsChange } from '../src/library.ts';

const PUBLIC_CHANNEL_TYPES = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
  ChannelType.PublicThread,
] as const;
const AUTO_ANSWER_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildForum] as const;

/** The channel option's id. Its type is checked by Discord from the option's channel_types. */
function channelId(interaction: ChatInputCommandInteraction): string {
  const value = interaction.options.get('channel', true).value;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value))
    throw new VerbatimError('BAD_OPTION', 'Choose a channel of this server.');
  return value;
}

/** The change a subcommand asks for, and the line that says what it did. */
function changeOf(interaction: ChatInputCommandInteraction, ctx: CommandContext): [SettingsChange, string] {
  const sub = interaction.options.getSubcommand();
  switch (sub) {
    case 'answers': {
      const answers = interaction.options.getString('default', true) === 'private' ? 'private' : 'public';
      return [
        { answers },
        `/ask now answers ${answers === 'private' ? 'privately' : 'publicly'} by default.`,
      ];
    }
    case 'public-channel': {
      const id = channelId(interaction);
      const allow = interaction.options.getBoolean('public') ?? true;
      return [
        { publicChannel: { id, allow } },
        allow ? `/ask may answer publicly in <#${id}>.` : `<#${id}> is off the list of public channels.`,
      ];
    }
    case 'insights': {
      const insights = interaction.options.getBoolean('enabled', true);
      const days = interaction.options.getInteger('retention-days');
      return [
        { insights, ...(days === null ? {} : { retentionDays: days }) },
        `Insights are ${insights ? 'on' : 'off'}${days === null ? '' : `; questions are kept ${days} days`}.`,
      ];
    }
    case 'auto-answer': {
      const id = channelId(interaction);
      const on = interaction.options.getBoolean('enabled') ?? true;
      const availability = ctx.autoAnswer ?? AUTO_ANSWER_OFF;
      if (on && !availability.available)
        throw new VerbatimError('BAD_OPTION', availability.reason ?? AUTO_ANSWER_OFF.reason ?? '');
      return [
        { autoAnswerChannel: { id, on } },
        on
          ? `The bot now answers new posts in <#${id}> (and messages there that mention it) when its sources answer them.`
          : `The bot no longer answers on its own in <#${id}>.`,
      ];
    }
    default:
      throw new Error(`unknown /settings subcommand: ${sub}`);
  }
}

export const command = {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription('How the bot answers in this server (Manage Server)')
    .setDefaultMemberPermissions(MODERATOR_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName('show').setDescription('Show this server’s settings'))
    .addSubcommand((s) =>
      s
        .setName('answers')
        .setDescription('Whether /ask answers publicly or privately when the asker does not choose')
        .addStringOption((o) =>
          o
            .setName('default')
            .setDescription('public or private')
            .setRequired(true)
            .addChoices({ name: 'public', value: 'public' }, { name: 'private', value: 'private' }),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('public-channel')
        .setDescription(
          'Allow (or stop) public answers in a channel; once one is listed, others get private ones',
        )
        .addChannelOption((o) =>
          o
            .setName('channel')
            .setDescription('The channel')
            .setRequired(true)
            .addChannelTypes(...PUBLIC_CHANNEL_TYPES),
        )
        .addBooleanOption((o) =>
          o.setName('public').setDescription('Allow public answers there (default: yes)'),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('insights')
        .setDescription('Record questions for /insights, and for how long')
        .addBooleanOption((o) => o.setName('enabled').setDescription('Record questions').setRequired(true))
        .addIntegerOption((o) =>
          o
            .setName('retention-days')
            .setDescription('Days a question is kept')
            .setMinValue(SETTINGS_LIMITS.retentionDays.min)
            .setMaxValue(SETTINGS_LIMITS.retentionDays.max),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('auto-answer')
        .setDescription('Answer new forum posts, or messages that mention the bot, when the sources answer')
        .addChannelOption((o) =>
          o
            .setName('channel')
            .setDescription('A forum or text channel')
            .setRequired(true)
            .addChannelTypes(...AUTO_ANSWER_CHANNEL_TYPES),
        )
        .addBooleanOption((o) => o.setName('enabled').setDescription('Answer there (default: yes)')),
    ),

  async execute(interaction, ctx) {
    if (!interaction.isChatInputCommand()) return;
    const guildId = requireModerator(interaction);
    const availability = ctx.autoAnswer ?? AUTO_ANSWER_OFF;
    if (interaction.options.getSubcommand() === 'show') {
      await interaction.reply(renderSettings(await ctx.library.settings(guildId), availability));
      return;
    }
    const [change, said] = changeOf(interaction, ctx);
    const settings = await ctx.library.changeSettings(guildId, change, {
      userId: interaction.user.id,
      userName: interaction.user.username,
    });
    await interaction.reply(renderSettings(settings, availability, said));
  },
} satisfies Command;
