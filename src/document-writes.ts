/**
 * Changes to a server's documents: add, update (and the preview `/document refresh` shows), remove and
 * restore. Each is checked (quotas, duplicates, something to quote), committed to the database first and
 * then indexed at once, in the server's queue of changes; when the index refuses a change the store
 * committed, the previous state is written back.
 */
import type {
  AddDocumentInput,
  DocumentSource,
  DocumentSummary,
  RestoreInput,
  UpdateDocumentInput,
  UpdatePreview,
} from './library-api.ts';
import { UNDO_REMOVE_DAYS } from './library-api.ts';
import { yieldToEventLoop, type LibraryContext } from './library-context.ts';
import { SHIPPED_SCOPE, VerbatimError, segmentInWindows, userError } from './core/index.ts';
import type { DocumentMeta, Provenance, Scope, SourceDocument } from './core/index.ts';
import {
  checkDate,
  checkPublisher,
  checkTitle,
  checkUrl,
  chooseTitle,
  readContent,
  textFingerprintInSlices,
  type Content,
} from './store/document-input.ts';
import { SYSTEM_ACTOR } from './store/db/index.ts';
import { uniqueId } from './store/ids.ts';
import { paragraphChanges } from './paragraph-changes.ts';
import { documentVersions } from './document-history.ts';
import { removedSince, revisionDocument } from './store/db/history.ts';
import { checkQuota } from './quota.ts';

export class DocumentWrites {
  readonly #c: LibraryContext;

  constructor(context: LibraryContext) {
    this.#c = context;
  }

  add(input: AddDocumentInput): Promise<DocumentSummary> {
    return this.#c.trackWrite(input.scope, async () => {
      const store = this.#c.writableStore(input.scope);
      this.#c.addRate.check(input.scope); // before the file is read: a refused add costs nothing
      const content = await readContent(input.source, this.#c.extraction);
      return this.#c.serialise(input.scope, async () => {
        this.#c.addRate.check(input.scope);
        const paragraphs = await this.#assertQuotable(content);
        this.#checkQuota(input.scope, content, paragraphs, undefined);
        const fingerprint = textFingerprintInSlices(content.text, yieldToEventLoop);
        await this.#assertNotDuplicate(input.scope, await fingerprint, undefined);
        const title = chooseTitle(input.title, content);
        const at = this.#c.now().toISOString();
        const meta: DocumentMeta = {
          id: uniqueId(title, (candidate) => this.#c.isVisible(candidate, input.scope)),
          title,
          publisher: checkPublisher(input.publisher ?? ''),
          date: checkDate(input.date ?? ''),
          dateEstimated: false,
          url: checkUrl(input.url ?? ''),
          language: 'und',
          scope: input.scope,
          added: { ...input.actor, at },
          ...(input.fetchedAt === undefined ? {} : { fetchedAt: input.fetchedAt }),
        };
        const document: SourceDocument = { meta, text: content.text };
        await store.save(document);
        try {
          // In slices: a large document must not stop the bot answering while it is indexed.
          await this.#c.engine.addAsync(document);
        } catch (error) {
          await this.#undo(() => store.delete(input.scope, meta.id, SYSTEM_ACTOR), meta);
          throw error;
        }
        this.#c.trackSemantic(document);
        this.#c.fingerprints.set(document, fingerprint);
        this.#c.addRate.record(input.scope);
        this.#c.logger.info({ scope: meta.scope, id: meta.id, actor: input.actor }, 'Document added');
        return this.#c.summaryOf(document);
      });
    });
  }

  update(input: UpdateDocumentInput): Promise<DocumentSummary> {
    return this.#c.trackWrite(input.scope, async () => {
      const store = this.#c.writableStore(input.scope, input.id);
      const content =
        input.source === undefined ? undefined : await readContent(input.source, this.#c.extraction);
      return this.#c.serialise(input.scope, async () => {
        const existing = this.#c.ownEntry(input.scope, input.id);
        if (content !== undefined) {
          const paragraphs = await this.#assertQuotable(content);
          this.#checkQuota(input.scope, content, paragraphs, input.id);
          const fingerprint = await textFingerprintInSlices(content.text, yieldToEventLoop);
          await this.#assertNotDuplicate(input.scope, fingerprint, input.id);
        }
        const { fetchedAt: oldFetchedAt, ...old } = existing.document.meta;
        const fetchedAt = content === undefined ? oldFetchedAt : input.fetchedAt;
        const meta: DocumentMeta = {
          ...old,
          ...(fetchedAt === undefined ? {} : { fetchedAt }),
          title: input.title?.trim() ? checkTitle(input.title) : old.title,
          publisher: input.publisher === undefined ? old.publisher : checkPublisher(input.publisher),
          date: input.date === undefined ? old.date : checkDate(input.date),
          dateEstimated: input.date === undefined ? old.dateEstimated : false,
          url: input.url === undefined ? old.url : checkUrl(input.url),
          updated: { ...input.actor, at: this.#c.now().toISOString() },
        };
        const document: SourceDocument = { meta, text: content?.text ?? existing.document.text };
        await store.save(document);
        try {
          await this.#c.engine.replaceAsync(document);
        } catch (error) {
          await this.#undo(() => store.save(existing.document, SYSTEM_ACTOR), meta);
          throw error;
        }
        this.#c.trackSemantic(document);
        this.#c.logger.info(
          { scope: meta.scope, id: meta.id, actor: input.actor, newText: content !== undefined },
          'Document updated',
        );
        return this.#c.summaryOf(document);
      });
    });
  }

  async previewUpdate(scope: Scope, id: string, source: DocumentSource): Promise<UpdatePreview> {
    this.#c.writableStore(scope, id);
    return this.#c.servers.hold(scope, () => this.#preview(scope, id, source));
  }

  async #preview(scope: Scope, id: string, source: DocumentSource): Promise<UpdatePreview> {
    const existing = this.#c.ownEntry(scope, id);
    const content = await readContent(source, this.#c.extraction);
    this.#checkQuota(scope, content, await this.#assertQuotable(content), id);
    return {
      changes: paragraphChanges(existing.document.text, content.text),
      text: content.text,
      fingerprint: await textFingerprintInSlices(content.text, yieldToEventLoop),
    };
  }

  remove(scope: Scope, id: string, actor: Omit<Provenance, 'at'>): Promise<void> {
    return this.#c.trackWrite(scope, async () => {
      const store = this.#c.writableStore(scope, id);
      return this.#c.serialise(scope, async () => {
        this.#c.ownEntry(scope, id);
        await store.delete(scope, id, actor);
        this.#c.engine.remove(scope, id);
        this.#c.semantic?.forget(scope, id);
        this.#c.logger.info({ scope, id, actor }, 'Document removed');
      });
    });
  }

  restore(input: RestoreInput): Promise<DocumentSummary> {
    // As every write: the server's index in memory (it may have been evicted) until the restore is done.
    return this.#c.trackWrite(input.scope, async () => {
      const { scope, id } = input;
      const store = this.#c.writableStore(scope, id);
      return this.#c.serialise(scope, async () => {
        const existing = this.#c.entry(scope, id);
        if (existing === undefined) await this.#assertUndoable(scope, id);
        const history = await documentVersions(store.database, scope, id, () => Promise.resolve());
        const last = history.versions[0]?.revision;
        const revision = input.revision ?? last;
        const stored =
          revision === undefined ? undefined : await revisionDocument(store.database, scope, id, revision);
        if (stored === undefined) {
          throw new VerbatimError(
            'BAD_OPTION',
            `"${existing?.document.meta.title ?? id}" has versions 1 to ${last ?? 0}; there is no version ${revision ?? 0}. See /document history.`,
          );
        }
        if (existing !== undefined && revision === last) {
          throw new VerbatimError(
            'BAD_OPTION',
            `Version ${revision} is already the current one of "${existing.document.meta.title}": pick an earlier one from /document history.`,
          );
        }
        // A version brought back counts against the server's quotas as an add or an update would.
        const content: Content = {
          text: stored.text,
          suggestedTitle: undefined,
          label: `"${stored.meta.title}"`,
        };
        this.#checkQuota(
          scope,
          content,
          await this.#assertQuotable(content),
          existing === undefined ? undefined : id,
        );
        const fingerprint = textFingerprintInSlices(stored.text, yieldToEventLoop);
        await this.#assertNotDuplicate(scope, await fingerprint, id);
        const at = this.#c.now().toISOString();
        const meta: DocumentMeta = {
          ...stored.meta,
          added: existing?.document.meta.added ?? stored.meta.added ?? { ...input.actor, at },
          updated: { ...input.actor, at },
        };
        const document: SourceDocument = { meta, text: stored.text };
        await store.save(document, input.actor, 'restore');
        try {
          if (existing === undefined) await this.#c.engine.addAsync(document);
          else await this.#c.engine.replaceAsync(document);
        } catch (error) {
          await this.#undo(
            () =>
              existing === undefined
                ? store.delete(scope, id, SYSTEM_ACTOR)
                : store.save(existing.document, SYSTEM_ACTOR),
            meta,
          );
          throw error;
        }
        this.#c.trackSemantic(document);
        this.#c.fingerprints.set(document, fingerprint);
        this.#c.logger.info({ scope, id, revision, actor: input.actor }, 'Document restored');
        return this.#c.summaryOf(document);
      });
    });
  }

  /** A removed document comes back only within UNDO_REMOVE_DAYS of its removal. */
  async #assertUndoable(scope: Scope, id: string): Promise<void> {
    const recent = await this.#c.removed(scope);
    if (recent.some((r) => r.id === id)) return;
    const ever = (await removedSince(this.#c.writableStore(scope).database, scope, '')).some(
      (r) => r.id === id,
    );
    if (!ever) throw userError('UNKNOWN_DOCUMENT', { id });
    throw new VerbatimError(
      'BAD_OPTION',
      `"${id}" was removed more than ${UNDO_REMOVE_DAYS} days ago, so it can no longer be restored: add it again.`,
    );
  }

  /** Refuses content with nothing to quote; else how many paragraphs (body blocks) it has, for the quota. */
  async #assertQuotable(content: Content): Promise<number> {
    let paragraphs = 0;
    for (const blocks of segmentInWindows(content.text)) {
      for (const block of blocks) if (block.kind === 'body') paragraphs += 1;
      await yieldToEventLoop();
    }
    if (paragraphs === 0) {
      throw new VerbatimError(
        'EMPTY_DOCUMENT',
        `${content.label} has nothing to quote: once headings and site boilerplate are set aside, no paragraph is left.`,
      );
    }
    return paragraphs;
  }
  /** The server's usage once `content` is stored (in place of `replacing`, when given), checked against its quotas. */
  #checkQuota(scope: Scope, content: Content, paragraphs: number, replacing: string | undefined): void {
    const after = { documents: 1, bytes: Buffer.byteLength(content.text), paragraphs };
    for (const document of this.#c.engine.documentsIn(scope)) {
      if (document.meta.id === replacing) continue;
      after.documents += 1;
      after.bytes += Buffer.byteLength(document.text);
      after.paragraphs += this.#c.summaryOf(document).paragraphs;
    }
    checkQuota(this.#c.quotas, after, content.label);
  }

  async #assertNotDuplicate(scope: Scope, fingerprint: string, exceptId: string | undefined): Promise<void> {
    for (const documents of [this.#c.engine.documentsIn(SHIPPED_SCOPE), this.#c.engine.documentsIn(scope)]) {
      for (const document of documents) {
        const { id } = document.meta;
        if (id === exceptId) continue;
        let known = this.#c.fingerprints.get(document);
        if (known === undefined) {
          known = textFingerprintInSlices(document.text, yieldToEventLoop);
          this.#c.fingerprints.set(document, known);
        }
        if ((await known) === fingerprint) {
          throw new VerbatimError(
            'DUPLICATE_DOCUMENT',
            `This text is already here as "${document.meta.title}" (id ${id}). Update that document instead of adding it again.`,
          );
        }
      }
    }
  }

  /** Puts the stored files back after the index refused a change; a failure here is logged, not thrown. */
  async #undo(restore: () => Promise<void>, meta: DocumentMeta): Promise<void> {
    try {
      await restore();
    } catch (error) {
      this.#c.logger.error(
        { scope: meta.scope, id: meta.id, err: error },
        'Could not undo a stored change the index refused',
      );
    }
  }
}
