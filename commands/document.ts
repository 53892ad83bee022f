/**
 * /document add|update|refresh|remove|history|restore|log: moderators manage this server's own documents
 * and their history.
 *
 * A removal is undone with `/document restore` (its autocomplete offers the documents removed within 30
 * days) rather than an Undo button on the removal's reply: that reply is private and gone once dismissed or
 * after a restart of the client, while the 30 days need a way back that any moderator can find later.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Attachment, ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import { guildScope, VerbatimError } from '../src/core/index.ts';
import type { Scope } from '../src/core/index.ts';
import { addEach, expandZips } from '../src/library.ts';
import type { DocumentSource, FileOutcome, IncomingFile } from '../src/library.ts';
import { renderAddedFiles } from '../src/discord/render-files.ts';
import { downloadAttachment } from '../src/discord/attachments.ts';
import { documentChoices } from '../src/discord/choices.ts';
import { confirmStored } from '../src/discord/confirm-stored.ts';
import type { Command, CommandContext } from '../src/discord/command.ts';
import {
  LOG_PER_PAGE,
  removedChoices,
  renderAuditLog,
  renderHistory,
} from '../src/discord/render-history.ts';
import { documentButton, fetchDocument, refreshDocument } from '../src/discord/document-url.ts';
import { MODERATOR_PERMISSION, requireModerator } from '../src/discord/permissions.ts';
import { renderDocumentChanged, type FetchedFrom } from '../src/discord/render-documents.ts';

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
    .addStringOption((o) =>
      o
        .setName('url')
        .setDescription('Where it was published; on add with no file or text, the page or PDF to fetch')
        .setMaxLength(500),
    );
}

/** Discord's attachment options are one file each: `file` plus these make the ten one add takes. */
const MORE_FILES = Array.from({ length: 9 }, (_, i) => `file${i + 2}`);

function withMoreFiles(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  for (const name of MORE_FILES)
    sub.addAttachmentOption((o) => o.setName(name).setDescription('Another file to add'));
  return sub;
}

/** The files attached to an add, in option order. */
function attachmentsOf(interaction: ChatInputCommandInteraction): Attachment[] {
  return ['file', ...MORE_FILES].flatMap((name) => interaction.options.getAttachment(name) ?? []);
}

/**
 * Several files, or one zip: each downloaded, opened and added in turn (so one file's bytes at a time are
 * held), each reported on its own line.
 */
async function addFiles(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  scope: Scope,
  files: Attachment[],
): Promise<void> {
  const given = metadata(interaction);
  if (interaction.options.getString('text') !== null)
    throw new VerbatimError('BAD_OPTION', 'Give either files or text, not both.');
  if (given.title !== undefined || given.url !== undefined)
    throw new VerbatimError(
      'BAD_OPTION',
      'A title or url belongs to one document: with several files (or a zip) each is titled from its own content; add them one by one to give each its own.',
    );
  await interaction.deferReply({ flags: 'Ephemeral' });
  const actor = { userId: interaction.user.id, userName: interaction.user.username };
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    let incoming: IncomingFile;
    try {
      incoming = { name: file.name, source: await downloadAttachment(file) };
    } catch (error) {
      if (!(error instanceof VerbatimError)) throw error;
      incoming = { name: file.name, skipped: error.message };
    }
    const expanded = await expandZips([incoming]);
    outcomes.push(...(await addEach(ctx.library, expanded, { scope, ...given, actor })));
  }
  const { flags: _private, ...edit } = renderAddedFiles(outcomes);
  await interaction.editReply(edit);
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

/**
 * The new content, if any: the attachment (downloaded now: its URL expires), the pasted text, or on add
 * with neither, the page at `url` (fetched now, with the time it was fetched).
 */
async function contentOf(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  adding: boolean,
): Promise<{ source: DocumentSource; fetched?: FetchedFrom; fetchedAt?: string } | undefined> {
  const file = interaction.options.getAttachment('file');
  const text = interaction.options.getString('text');
  const url = interaction.options.getString('url');
  if (file && text) throw new VerbatimError('BAD_OPTION', 'Give either a file or text, not both.');
  if (file) return { source: await downloadAttachment(file, ctx.config.downloadLimits) };
  if (text) return { source: { kind: 'text', text } };
  if (adding && url) {
    const fetched = await fetchDocument(url, ctx);
    return { source: fetched, fetched: { url, at: fetched.fetchedAt }, fetchedAt: fetched.fetchedAt };
  }
  if (adding)
    throw new VerbatimError(
      'BAD_OPTION',
      'Give the document as a file (.txt, .md, .html or .pdf), paste it with the text option, or give the url of a web page or PDF to fetch.',
    );
  return undefined;
}

/** Discord shows at most 25 autocomplete choices. */
const AUTOCOMPLETE_MAX = 25;

/** One page of the server's audit; the buttons carry only the page number, the rows are read again. */
async function auditLogPage(ctx: CommandContext, guildId: string, page: number) {
  const log = await ctx.library.auditLog(guildScope(guildId), page * LOG_PER_PAGE, LOG_PER_PAGE);
  return renderAuditLog(log, page, (n) => ctx.buttonState.customId('document', 'log', { n }, guildId));
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
      withMoreFiles(
        withContentAndMeta(
          sub.setName('add').setDescription('Add documents from files (or one .zip), pasted text or a url'),
        ),
      ),
    )
    .addSubcommand((sub) =>
      withContentAndMeta(
        documentOption(
          sub.setName('update').setDescription("Replace a document's content or details, keeping its id"),
        ),
      ),
    )
    .addSubcommand((sub) =>
      documentOption(
        sub
          .setName('refresh')
          .setDescription('Fetch a document again from its url: see what changed, then replace it'),
      ),
    )
    .addSubcommand((sub) =>
      documentOption(
        sub.setName('remove').setDescription('Remove a document (restore brings it back for 30 days)'),
      ),
    )
    .addSubcommand((sub) =>
      documentOption(sub.setName('history').setDescription("A document's versions: who, when, what changed")),
    )
    .addSubcommand((sub) =>
      documentOption(
        sub
          .setName('restore')
          .setDescription('Bring back an earlier version, or a document removed within 30 days'),
      ).addIntegerOption((o) =>
        o
          .setName('version')
          .setDescription('The version to bring back (default: the last one)')
          .setMinValue(1),
      ),
    )
    .addSubcommand((sub) => sub.setName('log').setDescription("Every change to this server's documents")),

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
    if (subcommand === 'history') {
      await interaction.deferReply({ flags: 'Ephemeral' });
      const { flags: _private, ...edit } = renderHistory(
        await ctx.library.history(scope, interaction.options.getString('document', true)),
      );
      await interaction.editReply(edit);
      return;
    }
    if (subcommand === 'restore') {
      await interaction.deferReply({ flags: 'Ephemeral' });
      const version = interaction.options.getInteger('version');
      const summary = await ctx.library.restore({
        scope,
        id: interaction.options.getString('document', true),
        ...(version === null ? {} : { revision: version }),
        actor,
      });
      const { flags: _private, ...edit } = renderDocumentChanged('Restored', summary);
      await interaction.editReply(edit);
      return;
    }
    if (subcommand === 'log') {
      await interaction.reply(await auditLogPage(ctx, guildId, 0));
      return;
    }
    if (subcommand === 'refresh') {
      await refreshDocument(interaction, ctx, guildId);
      return;
    }
    const adding = subcommand === 'add';
    const files = adding ? attachmentsOf(interaction) : [];
    if (files.length > 1 || files.some((file) => /\.zip$/i.test(file.name))) {
      await addFiles(interaction, ctx, scope, files);
      return;
    }
    // A fetch takes from the same budget as /ask: it is a request to the outside on the bot's behalf.
    const fetching =
      adding &&
      !interaction.options.getAttachment('file') &&
      !interaction.options.getString('text') &&
      interaction.options.getString('url') !== null;
    if (fetching) ctx.cooldowns.take(interaction.user.id);
    // Downloading or fetching, then extracting a PDF, can pass Discord's 3 seconds.
    await interaction.deferReply({ flags: 'Ephemeral' });
    const content = await contentOf(interaction, ctx, adding);
    const summary = adding
      ? await ctx.library.add({
          scope,
          source: (content as { source: DocumentSource }).source,
          ...metadata(interaction),
          ...(content?.fetchedAt === undefined ? {} : { fetchedAt: content.fetchedAt }),
          actor,
        })
      : await ctx.library.update({
          scope,
          id: interaction.options.getString('document', true),
          ...(content ? { source: content.source } : {}),
          ...metadata(interaction),
          actor,
        });
    await confirmStored(
      interaction,
      renderDocumentChanged(
        adding ? 'Added' : 'Updated',
        summary,
        content?.fetched ? { fetched: content.fetched } : {},
      ),
      ctx,
    );
  },

  async autocomplete(interaction, ctx) {
    const own = documentChoices(interaction, ctx, 'own');
    const sub = interaction.options.getSubcommand(false);
    if ((sub !== 'restore' && sub !== 'history') || interaction.guildId === null) {
      await interaction.respond(own);
      return;
    }
    // Only moderators see removed documents' titles, as only they see the command.
    const removed = interaction.memberPermissions?.has(MODERATOR_PERMISSION)
      ? removedChoices(
          await ctx.library.removed(guildScope(interaction.guildId)),
          String(interaction.options.getFocused()),
        )
      : [];
    await interaction.respond([...own, ...removed].slice(0, AUTOCOMPLETE_MAX));
  },

  async button(interaction, ctx) {
    const click = ctx.buttonState.read(interaction.customId, interaction.guildId);
    if (click.action !== 'log') {
      await documentButton(interaction, ctx);
      return;
    }
    const guildId = requireModerator(interaction);
    const page = typeof click.data.n === 'number' ? Math.max(0, click.data.n) : 0;
    const { flags: _private, ...update } = await auditLogPage(ctx, guildId, page);
    await interaction.update(update);
  },
} satisfies Command;
