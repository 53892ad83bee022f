/**
 * The semantic stage as the library runs it: vectors computed once and kept under DATA_DIR (a restart
 * encodes nothing again), progress for /source, and SEMANTIC=off or a dead encoder leaving answers lexical.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guildScope, SHIPPED_SCOPE } from '../../src/core/index.ts';
import { describeSemanticStatus, openLibrary, type Library } from '../../src/library.ts';
import { DIMENSIONS } from '../../src/semantic/model.ts';
import { startWorkerEncoder, type Encoder } from '../../src/semantic/encoder.ts';
import { FakeEncoder } from '../helpers/fake-encoder.ts';
import { capturingLogger, GUILD_A, temporaryDir } from '../store/helpers.ts';

const SCOPE = guildScope(GUILD_A);
const MODERATOR = { userId: '42', userName: 'mod' };
const NOTES = [
  'Harbour notes',
  'The passenger ferry resumed its timetable on Monday. It had spent three months in dry dock.',
  'Sunday sailings drop from eight to six. The crew rota could not be filled.',
].join('\n\n');

const opened: Library[] = [];
const removals: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const library of opened.splice(0)) await library.close();
  for (const remove of removals.splice(0)) await remove();
});
async function dataDirectory(): Promise<string> {
  const { dir, remove } = await temporaryDir();
  removals.push(remove);
  return dir;
}

async function open(
  dataDir: string,
  encoder: FakeEncoder | ((onFailure: (reason: string) => void) => Encoder),
  enabled = true,
) {
  const log = capturingLogger();
  const library = await openLibrary({
    dataDir,
    logger: log.logger,
    semantic: {
      enabled,
      deadlineMs: 200,
      createEncoder: typeof encoder === 'function' ? encoder : () => encoder,
    },
  });
  opened.push(library);
  return { library, log };
}

const allReady = (library: Library) => {
  const status = library.semanticStatus(SCOPE);
  expect(status.ready).toBe(status.parts);
  return status;
};

describe('the library with the semantic stage', () => {
  it('ranks the shipped corpus from its shipped vectors, and encodes a server document once, across restarts', async () => {
    const dataDir = await dataDirectory();
    const first = new FakeEncoder(DIMENSIONS);
    const { library } = await open(dataDir, first);
    await library.semanticReady();
    await library.add({ scope: SCOPE, source: { kind: 'text', text: NOTES }, actor: MODERATOR });
    await vi.waitFor(() => allReady(library));
    // The shipped corpus came from corpus/vectors: only the new document's four sentences and its two
    // parts whole were encoded.
    expect(first.encoded).toHaveLength(6);
    const shipped = library.semanticStatus(SHIPPED_SCOPE).parts;
    expect(library.semanticStatus(SCOPE)).toEqual({ state: 'ready', parts: shipped + 2, ready: shipped + 2 });
    await library.close();

    const second = new FakeEncoder(DIMENSIONS);
    const restarted = (await open(dataDir, second)).library;
    await restarted.semanticReady();
    await vi.waitFor(() => expect(restarted.semanticStatus(SCOPE).parts).toBe(shipped + 2));
    allReady(restarted);
    expect(second.encoded).toEqual([]);
    expect(describeSemanticStatus(restarted.semanticStatus(SCOPE))).toBe(
      `Semantically indexed: ${shipped + 2} of ${shipped + 2} passages (100%).`,
    );
  });

  it('with SEMANTIC=off starts no encoder, says so once in the log and in /source, and answers', async () => {
    const encoder = new FakeEncoder(DIMENSIONS);
    const { library, log } = await open(await dataDirectory(), encoder, false);
    await library.semanticReady();
    expect((await library.ask('Who did the British civil servants meet in China?')).answered).toBe(true);
    expect(encoder.requests).toEqual([]);
    expect(log.lines.filter((line) => /Semantic ranking is off/.test(line.msg))).toHaveLength(1);
    expect(describeSemanticStatus(library.semanticStatus())).toMatch(/^Semantic ranking is off/);
  });

  it('answers when the encoder worker dies, and logs why in one line', async () => {
    const { library, log } = await open(await dataDirectory(), (onFailure) =>
      startWorkerEncoder({
        workerUrl: new URL('../fixtures/semantic/dying-worker.ts', import.meta.url),
        onFailure,
      }),
    );
    await library.semanticReady();
    await library.add({ scope: SCOPE, source: { kind: 'text', text: NOTES }, actor: MODERATOR });
    await vi.waitFor(() => expect(library.semanticStatus(SCOPE).state).toBe('failed'), { timeout: 5000 });
    const answer = await library.ask('Why are there fewer Sunday sailings?', { scope: SCOPE });
    expect(answer.passages[0]?.text).toContain('Sunday sailings drop');
    expect(describeSemanticStatus(library.semanticStatus(SCOPE))).toMatch(/unavailable/);
    expect(log.warnings().map((line) => line.msg)).toEqual([
      'Semantic ranking is off: the encoder worker exited (code 3); answering lexically',
    ]);
  }, 15_000);

  it('answers lexically while the encoder worker hangs, and shuts down without waiting for it', async () => {
    const { library } = await open(await dataDirectory(), (onFailure) =>
      startWorkerEncoder({
        workerUrl: new URL('../fixtures/semantic/hanging-worker.ts', import.meta.url),
        onFailure,
      }),
    );
    await library.semanticReady();
    // The new document's sentences go to the worker, which never answers; it is not (yet) deemed hung.
    await library.add({ scope: SCOPE, source: { kind: 'text', text: NOTES }, actor: MODERATOR });
    const answer = await library.ask('Why are there fewer Sunday sailings?', { scope: SCOPE });
    expect(answer.passages[0]?.text).toContain('Sunday sailings drop');
    expect(answer.passages.every((passage) => passage.semantic === undefined)).toBe(true);
    expect(library.semanticStatus(SCOPE).state).toBe('ready');
    // A shutdown (SIGTERM) must not wait for the hung worker to be deemed hung (a minute by default).
    await opened.pop()?.close();
  }, 5_000);
});
