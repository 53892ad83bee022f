/**
 * Documents that come from a url: fetching one for `/document add url:`, and `/document refresh`, which
 * fetches a document's url again and shows what would change before anything is replaced.
 *
 * Why a preview and a Replace button rather than a dry-run option then a second command: the moderator
 * reads the counts and decides in one place, and what the button replaces with is exactly what was
 * compared. The button carries no text (a page can be 10 MB): it carries the fingerprint of the text that
 * was compared, fetches again on the click, and replaces only when the fingerprint still matches; when the
 * page changed in between, the click shows the new comparison instead. So nothing fetched is held in
 * memory between the preview and the click, and the state survives a restart.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { guildScope, VerbatimError } from '../core/index.ts';
import type { DocumentMeta } from '../core/index.ts';
import { fetchUrl } from '../library.ts';
import type { FetchedDocument, UpdatePreview } from '../library.ts';
import { confirmStored } from './confirm-stored.ts';
import type { CommandContext } from './command.ts';
import { requireModerator } from './permissions.ts';
import type { Payload } from './render.ts';
import { renderDocumentChanged, renderRefreshPreview } from './render-documents.ts';

/** The command whose button handler serves the Replace button. */
export const DOCUMENT_BUTTONS = 'document';
/** Characters of the text's fingerprint the Replace button carries (96 bits of SHA-256). */
const FINGERPRINT_CHARS = 24;

/** Fetches `url` within the fetcher's bounds; loopback only where the configuration is the tests'. */
export function fetchDocument(url: string, ctx: CommandContext): Promise<FetchedDocument> {
  return fetchUrl(url, { allowLoopbackForTests: ctx.config.fetchLoopbackForTests });
}

/** A payload as an edit of the deferred reply: every field given, so no old button stays behind. */
function asEdit(payload: Payload): Omit<Payload, 'flags'> & { content: string } {
  const { flags: _private, ...edit } = payload;
  return { ...edit, content: edit.content ?? '' };
}

/** The document's meta, refusing one with no url to fetch. */
function urlDocument(ctx: CommandContext, guildId: string, id: string): DocumentMeta {
  const { meta } = ctx.library.describe(id, guildScope(guildId));
  if (meta.url === '')
    throw new VerbatimError(
      'BAD_OPTION',
      `"${meta.title}" has no url to fetch it from: give it one with /document update url:, or update its file.`,
    );
  return meta;
}

/** Fetches the document's url and compares it with what is stored. */
async function fetchAndCompare(
  ctx: CommandContext,
  meta: DocumentMeta,
): Promise<{ fetched: FetchedDocument; found: UpdatePreview }> {
  const fetched = await fetchDocument(meta.url, ctx);
  return { fetched, found: await ctx.library.previewUpdate(meta.scope, meta.id, fetched) };
}

function previewPayload(
  ctx: CommandContext,
  guildId: string,
  meta: DocumentMeta,
  compared: { fetched: FetchedDocument; found: UpdatePreview },
  userId: string,
  note?: string,
): Payload {
  const { fetched, found } = compared;
  const replace = ctx.buttonState.customId(
    DOCUMENT_BUTTONS,
    'replace',
    { d: meta.id, f: found.fingerprint.slice(0, FINGERPRINT_CHARS), u: userId },
    guildId,
  );
  const shown = renderRefreshPreview(
    { meta },
    { url: meta.url, at: fetched.fetchedAt },
    found.changes,
    replace,
  );
  if (note !== undefined) shown.content = `${note}\n${shown.content ?? ''}`;
  return shown;
}

/** `/document refresh document:`: fetch again and show what would change; replace nothing yet. */
export async function refreshDocument(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  guildId: string,
): Promise<void> {
  // A fetch is a request to the outside on the bot's behalf: it counts against the member's budget.
  ctx.cooldowns.take(interaction.user.id);
  await interaction.deferReply({ flags: 'Ephemeral' });
  const meta = urlDocument(ctx, guildId, interaction.options.getString('document', true));
  const compared = await fetchAndCompare(ctx, meta);
  await interaction.editReply(asEdit(previewPayload(ctx, guildId, meta, compared, interaction.user.id)));
}

/** The Replace button of a refresh preview. */
export async function documentButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const click = ctx.buttonState.read(interaction.customId, interaction.guildId);
  const guildId = requireModerator(interaction);
  if (click.action !== 'replace') throw new Error(`unknown document button action: ${click.action}`);
  const { data } = click;
  if (data.u !== interaction.user.id)
    throw new VerbatimError('NOT_PERMITTED', 'Only the moderator who asked for this refresh can confirm it.');
  ctx.cooldowns.take(interaction.user.id);
  await interaction.deferUpdate();
  const meta = urlDocument(ctx, guildId, typeof data.d === 'string' ? data.d : '');
  const compared = await fetchAndCompare(ctx, meta);
  const { fetched, found } = compared;
  if (found.fingerprint.slice(0, FINGERPRINT_CHARS) !== data.f) {
    const note = 'The page changed since that comparison, so nothing was replaced. Here is the new one:';
    await interaction.editReply(
      asEdit(previewPayload(ctx, guildId, meta, compared, interaction.user.id, note)),
    );
    return;
  }
  const summary = await ctx.library.update({
    scope: meta.scope,
    id: meta.id,
    // Exactly the text that was compared (the fingerprint says so), not a third fetch.
    source: { kind: 'text', text: found.text },
    fetchedAt: fetched.fetchedAt,
    actor: { userId: interaction.user.id, userName: interaction.user.username },
  });
  await confirmStored(
    interaction,
    renderDocumentChanged('Updated', summary, {
      fetched: { url: meta.url, at: fetched.fetchedAt },
      changes: found.changes,
    }),
    ctx,
  );
}
