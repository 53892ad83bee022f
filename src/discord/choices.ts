/** Autocomplete over the documents visible where the interaction happened. */
import type { AutocompleteInteraction } from 'discord.js';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import { scopeOf } from './answer.ts';
import type { CommandContext } from './command.ts';
import { renderDocumentChoices } from './render-documents.ts';

/** `'all'`: the shipped corpus and the server's own; `'own'`: only the server's own (what moderators can change). */
export function documentChoices(
  interaction: AutocompleteInteraction,
  ctx: CommandContext,
  which: 'all' | 'own',
): ApplicationCommandOptionChoiceData<string>[] {
  const scope = scopeOf(interaction);
  const visible = ctx.library.list(scope);
  const documents =
    which === 'own'
      ? visible.filter((summary) => scope !== undefined && summary.meta.scope === scope)
      : visible;
  return renderDocumentChoices(documents, String(interaction.options.getFocused()));
}
