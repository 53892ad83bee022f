/** What each column measures, for the table's header. */
export const ENGINE_DESCRIPTIONS = {
  ours: 'ours  = SearchEngine from src/core, default options, ask() with its default limit (3): analysis, search, re-ranking, highlights',
  plain:
    'plain = MiniSearch 7.2, default options, fields ["text"], one entry per blank-line paragraph, search() then the top 3 texts',
} as const;
