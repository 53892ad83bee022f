/**
 * The tables of the document database, the same in SQLite and PostgreSQL (see migrations.ts, which makes
 * them). Timestamps are ISO 8601 strings in UTC, so both databases store and return exactly the same text.
 *
 * - `documents`: one row per server document as it is now: its scope (`guild:<id>`), id, title, the rest of
 *   its metadata as JSON (what `DocumentMeta` holds, validated when read), its text, and its revision.
 * - `revisions`: every version of every document ever stored, kept after an update or a removal (for the
 *   history feature); `revision` counts from 1 per (scope, id).
 * - `audit`: one row per change (who, what, when). Its `id` only grows, and changes are committed one at a
 *   time in that order (every write first updates `store_state`), so "every audit row after N" is what
 *   another process needs to catch up: the change feed reads it.
 * - `glossary` (migration 0040): one row per entry of a server's glossary: the term and what it means as
 *   the moderator wrote them (normalised white space), their lower-case keys (an entry is unique per
 *   scope by its keys, whatever the case), whether it works both ways (0 or 1: SQLite has no boolean),
 *   and who added it when.
 * - `store_state`: one row: the write counter every write transaction bumps first (it takes the write lock
 *   before anything is read) and when the `DATA_DIR/guilds/` folders were imported.
 * - `secrets`: values every process and machine of the bot must share, by name, base64 (secrets.ts): the
 *   key that signs button custom_ids.
 */
import type { Generated } from 'kysely';

export interface DocumentsTable {
  scope: string;
  id: string;
  title: string;
  /** JSON of the DocumentMeta fields other than scope, id and title. */
  metadata: string;
  text: string;
  revision: number;
  updated_at: string;
}

export interface RevisionsTable {
  scope: string;
  document_id: string;
  revision: number;
  title: string;
  metadata: string;
  text: string;
  created_at: string;
  actor_id: string;
  actor_name: string;
}

/** `restore`: an earlier revision written again as the newest (`/document restore`). */
export type AuditAction = 'add' | 'update' | 'remove' | 'import' | 'restore';

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: string;
  actor_name: string;
  action: AuditAction;
  scope: string;
  document_id: string;
  /** The revision written, or null for a removal. */
  revision: number | null;
}

export interface StoreStateTable {
  id: number;
  writes: number;
  guilds_imported_at: string | null;
}

/** One row per server that changed a `/settings` value (store/db/settings.ts); null: the default. */
export interface ServerSettingsTable {
  guild_id: string;
  answers: string | null;
  /** JSON list of channel ids. */
  public_channels: string;
  /** 0 or 1 (SQLite has no boolean). */
  insights: number | null;
  retention_days: number | null;
  /** JSON list of channel ids. */
  auto_answer_channels: string;
  updated_at: string;
  /** The moderator's user id. */
  updated_by: string;
}

/**
 * One recorded question (an /ask or a button's search) in a server: no user id, ever. `answer_key` is the
 * random key its vote buttons carry; `words` its normalised words (the analyzer's terms, sorted, unique);
 * `passages` the passages shown as JSON `[{ d: documentId, p: paragraph, r: rank }]`.
 */
export interface InsightQuestionsTable {
  answer_key: string;
  scope: string;
  asked_at: string;
  question: string;
  words: string;
  answered: number;
  reason: string | null;
  origin: string;
  passages: string;
  /** `documentId#paragraph` of the best candidate, shown or not (a declined question's nearest passage). */
  best_passage: string | null;
}

/** One member's vote on one answer: `voter` is a salted hash of the member and the answer, not an id. */
export interface InsightVotesTable {
  answer_key: string;
  voter: string;
  scope: string;
  helpful: number;
  voted_at: string;
}

/**
 * Per server: when the bot left it (its insights go 30 days later). Its retention is a setting
 * (`server_settings.retention_days`), not kept here: one setting, read in one place.
 */
export interface InsightScopesTable {
  scope: string;
  left_at: string | null;
}

export interface SecretsTable {
  name: string;
  /** base64. */
  value: string;
}

export interface GlossaryTable {
  scope: string;
  term_key: string;
  means_key: string;
  term: string;
  means: string;
  both_ways: number;
  created_at: string;
  actor_id: string;
  actor_name: string;
}

export interface StoreSchema {
  glossary: GlossaryTable;
  insight_questions: InsightQuestionsTable;
  insight_votes: InsightVotesTable;
  insight_scopes: InsightScopesTable;
  documents: DocumentsTable;
  revisions: RevisionsTable;
  audit: AuditTable;
  store_state: StoreStateTable;
  server_settings: ServerSettingsTable;
  secrets: SecretsTable;
}
