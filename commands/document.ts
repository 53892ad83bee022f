/** /document add|update|remove: moderators manage this server's own documents. */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import { guildScope, VerbatimError } from '../src/core/index.ts';
import type { DocumentSource } from '../src/library.ts';
import { downloadAttachment } from '../src/discord/attachments.ts';
import { documentChoices } from '../src/discord/choices.ts';
import type { Command } from '../src/discord/command.ts';
import { MODERATOR_PERMISSION, requireModerator } from '../src/discord/permissions.ts';
import { renderDocumentChanged } from '../src/discord/render.ts';

/** Discord's longest string option. */
const TEXT_MAX = 6000;

function withContentAndMeta(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addAttachmentOption((o) =>
      o.setName('file').setDescription('A .txt, .md, .html or .pdf file, up to 10 MB'),
    )
    .addStringOption((o) => o.setName('text').setDescription('Or paste the text').setMaxLength(TEXT_MAX))
    .addStringOption((o) =>
      o.setName('title').setDescription('Title (default: from the file or text)').setMaxLength(200),
    )
    .addStringOption((o) => o.setName('publisher').setDescription('Who published it').setMaxLength(200))
    .addStringOption((o) =>
      o.setName('date').setDescription('Publication date: YYYY-MM-DD, YYYY-MM or YYYY').setMaxLength(10),
    )
    .addStringOption((o) => o.setName('url').setDescription('Where it was published').setMaxLength(500));
}

function documentOption(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub.addStringOption((o) =>
    o
      .setName('document')
      .setDescription("One of this server's documents")
      .setRequired(true)
      .setAutocomplete(true),
  );
}

/** The new content, if any: the attachment (downloaded now: its URL expires) or the pasted text. */
async function contentOf(
  interaction: ChatInputCommandInteraction,
  required: boolean,
): Promise<DocumentSource | undefined> {
  const file = interaction.options.getAttachment('file');
  const text = interaction.options.getString('text');
  if (file && text) throw new VerbatimError('BAD_OPTION', 'Give either a file or text, not both.');
  if (file) return downloadAttachment(file);
  if (text) return { kind: 'text', text };
  if (required)
    throw new VerbatimError(
      'BAD_OPTION',
      'Give the document as a file (.txt, .md, .html or .pdf) or paste it with the text option.',
    );
  return undefined;
}

function metadata(interaction: ChatInputCommandInteraction): {
  title?: string;
  publisher?: string;
  date?: string;
  url?: string;
} {
  const out: { title?: string; publisher?: string; date?: string; url?: string } = {};
  for (const key of ['title', 'publisher', 'date', 'url'] as const) {
    const value = interaction.options.getString(key);
    if (value !== null) out[key] = value;
  }
  return out;
}

export const command = {
  data: new SlashCommandBuilder()
    .setName('document')
    .setDescription("Manage this server's own documents (moderators)")
    .setDefaultMemberPermissions(MODERATOR_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      withContentAndMeta(sub.setName('add').setDescription('Add a document from a file or pasted text')),
    )
    .addSubcommand((sub) =>
      withContentAndMeta(
        documentOption(
          sub.setName('update').setDescription("Replace a document's content or details, keeping its id"),
        ),
      ),
    )
    .addSubcommand((sub) => documentOption(sub.setName('remove').setDescription('Remove a document'))),

  async execute(interaction, ctx) {
    if (!interaction.isChatInputCommand()) return;
    const guildId = requireModerator(interaction);
    const scope = guildScope(guildId);
    const actor = { userId: interaction.user.id, userName: interaction.user.username };
    const subcommand = interaction.options.getSubcommand();
    if (subcommand === 'remove') {
      const id = interaction.options.getString('document', true);
      const summary = ctx.library.describe(id, scope);
      await ctx.library.remove(scope, id, actor);
      await interaction.reply(renderDocumentChanged('Removed', summary));
      return;
    }
    // Downloading and extracting a PDF can pass Discord's 3 seconds.
    await interaction.deferReply({ flags: 'Ephemeral' });
    const source = await contentOf(interaction, subcommand === 'add');
    const summary =
      subcommand === 'add'
        ? await ctx.library.add({ scope, source: source as DocumentSource, ...metadata(interaction), actor })
        : await ctx.library.update({
            scope,
            id: interaction.options.getString('document', true),
            ...(source ? { source } : {}),
            ...metadata(interaction),
            actor,
          });
    const { flags: _private, ...edit } = renderDocumentChanged(
      subcommand === 'add' ? 'Added' : 'Updated',
      summary,
    );
    await interaction.editReply(edit);
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(documentChoices(interaction, ctx, 'own'));
  },
} satisfies Command;
