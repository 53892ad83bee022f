/**
 * Upload bombs through the real client (files built small in test/ingest/bombs.ts): each is refused with
 * one sentence that says which limit it passed, quickly, while the bot keeps answering others and its
 * memory stays bounded; nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { deepHtml, deflateBombPdf, entityBombHtml, pageCountBombPdf } from '../ingest/bombs.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Bomb guild' });
const MEMORY_MB = 128;
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild], {
    config: {
      extraction: {
        timeMs: 10_000,
        memoryMb: MEMORY_MB,
        maxPdfPages: 100,
        maxHtmlDepth: 200,
        maxTextChars: 50_000,
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

function add(name: string, bytes: Uint8Array | string, contentType: string) {
  return h.discord.interact(
    slashCommand({
      name: 'document',
      subcommand: 'add',
      guild,
      permissions: MODERATOR_PERMISSIONS,
      user: makeUser({ username: 'mod_bombs' }),
      options: { file: { attachment: h.discord.serveAttachment(name, bytes, contentType) } },
    }),
  );
}

async function refusal(name: string, bytes: Uint8Array | string, contentType: string): Promise<string> {
  const record = await add(name, bytes, contentType);
  const message = await record.waitForMessage();
  return message.content.replace(/\\/g, '');
}

const scope = `guild:${guild.id}`;
const ownDocuments = () => h.library.list(scope).filter((s) => s.meta.scope === scope);
const own = (): number => ownDocuments().length;

describe('upload bombs', () => {
  it('refuses 100,000 nested <div>s by their depth, before parsing them', async () => {
    const page = deepHtml(100_000);
    expect(page.length).toBeGreaterThan(1_000_000);
    expect(await refusal('deep.html', page, 'text/html')).toBe(
      `❌ "deep.html" nests its elements more than 200 deep, far more than any article needs: save the article alone (your browser's Reader View) or paste its text.`,
    );
    expect(own()).toBe(0);
  });

  it('refuses a PDF that lists one page 20,000 times by its page count', async () => {
    const pdf = await pageCountBombPdf(20_000);
    expect(pdf.byteLength).toBeLessThan(200_000);
    expect(await refusal('pages.pdf', pdf, 'application/pdf')).toBe(
      '❌ "pages.pdf" has 20,000 pages; PDFs of up to 100 pages are read. Split it, or add the part that matters.',
    );
    expect(own()).toBe(0);
  });

  it('stops reading a deflate bomb at the memory limit, keeps answering others, and stays bounded', async () => {
    const pdf = await deflateBombPdf(600);
    expect(pdf.byteLength).toBeLessThan(1_000_000);
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 10);
    try {
      const bomb = add('deflate.pdf', pdf, 'application/pdf');
      // While the worker decodes, a member's question is answered as usual.
      const ask = await h.interactForMessage(
        slashCommand({ name: 'ask', options: { question: 'Who wrote about the lighthouse?' }, guild }),
      );
      expect(ask.message.content).not.toMatch(/Sorry/);
      const message = await (await bomb).waitForMessage();
      expect(message.content.replace(/\\/g, '')).toMatch(
        new RegExp(
          `^❌ "deflate\\.pdf" (needed more than ${MEMORY_MB} MB of memory|took longer than 10 seconds) to read, so reading it was stopped: split it, or add the part that matters\\.$`,
        ),
      );
    } finally {
      clearInterval(sampler);
    }
    // The worker's heap and the process's growth are both held to the limit (plus one poll's worth).
    expect((peak - before) / (1024 * 1024)).toBeLessThan(MEMORY_MB * 2);
    expect(own()).toBe(0);
  });

  it('answers an entity-expansion ("billion laughs") page at once, without expanding it', async () => {
    const record = await add('laughs.html', entityBombHtml(), 'text/html');
    const message = await record.waitForMessage();
    expect(message.content).toMatch(/^✅ Added/);
    const [summary] = ownDocuments();
    expect(summary?.paragraphs).toBe(1);
    await h.library.remove(scope, summary?.meta.id ?? '', { userId: '1', userName: 'test' });
  });

  it('refuses a file whose text is longer than the text cap, naming the cap', async () => {
    const text = 'The ferry left at dawn with the post in a locked tin box.\n\n'.repeat(1200);
    expect(await refusal('long.txt', text, 'text/plain')).toBe(
      `❌ "long.txt" holds ${text.length.toLocaleString('en')} characters of text; documents of up to 50,000 are stored. Split it, or add the part that matters.`,
    );
    expect(own()).toBe(0);
  });
});
