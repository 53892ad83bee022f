/**
 * Documents from a url, through the real client: `/document add url:` fetches a page from a web server this
 * test starts on 127.0.0.1 (reached through the harness's explicit test-only setting), a private address is
 * refused, and `/document refresh` shows what changed and replaces only on the moderator's Replace.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { button, slashCommand } from '../helpers/interactions.ts';
import { buttonsOf, messageText, quotesOf, startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Url guild' });
/** A moderator per test: fetches take from the same per-member budget as /ask (5 in 30 seconds). */
let moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_url' }) };
/** What the web server serves, by path: [content type, body]. */
const pages = new Map<string, [string, string]>();
let web: Server;
let base: string;
let h: Harness;

beforeAll(async () => {
  web = createServer((request, response) => {
    const page = pages.get(request.url ?? '');
    if (page) response.writeHead(200, { 'content-type': page[0] }).end(page[1]);
    else response.writeHead(404).end();
  });
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  h = await startHarness([guild]);
});

beforeEach(() => {
  moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_url' }) };
});

afterAll(async () => {
  await h?.close();
  web?.closeAllConnections();
  await new Promise((resolve) => web?.close(resolve));
});

const isEphemeral = (message: MessageView): boolean => (message.flags & MessageFlags.Ephemeral) !== 0;

/** The same document as plain text (no extraction worker to start, so the refresh tests stay fast). */
function plain(title: string, paragraphs: string[]): string {
  return [title, ...paragraphs].join('\n\n');
}

function html(title: string, paragraphs: string[]): string {
  return `<html><head><title>${title}</title></head><body><article><h1>${title}</h1>${paragraphs
    .map((p) => `<p>${p}</p>`)
    .join('')}</article></body></html>`;
}

const LIGHTHOUSE = [
  'The lighthouse keeper logged every passing schooner in a green ledger kept beside the lamp room stairs.',
  'In winter the lamp burned whale oil until the harbour board paid for a paraffin burner in 1872.',
  'Storms broke the lantern glass twice, and each time the keeper sent to Leith for new panes.',
];

function document(subcommand: string, options: Record<string, string>, who: object = moderator) {
  return h.interactForMessage(slashCommand({ name: 'document', subcommand, options, guild, ...who }));
}

function ownDocuments(): string[] {
  return h.library.list(`guild:${guild.id}`).map((s) => s.meta.title);
}

describe('/document add url:', () => {
  it('fetches the page, stores its text with the url, and says when it was fetched', async () => {
    pages.set('/lighthouse', ['text/html; charset=utf-8', html('Lighthouse log', LIGHTHOUSE)]);
    const { message } = await document('add', { url: `${base}/lighthouse`, publisher: 'Harbour board' });
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toMatch(/^✅ Added \*\*Lighthouse log\*\* \(`lighthouse-log`\)\. 3 paragraphs/);
    expect(message.content).toMatch(
      /\nFetched from http\\:\/\/127\.0\.0\.1:\d+\/lighthouse at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    const stored = h.library.describe('lighthouse-log', `guild:${guild.id}`);
    expect(stored.meta.url).toBe(`${base}/lighthouse`);
    expect(stored.meta.added?.userName).toBe('mod_url');
    // The fetch time is kept with the document and shown in its details.
    const details = await h.interactForMessage(
      slashCommand({ name: 'source', options: { document: 'lighthouse-log' }, guild }),
    );
    const fetchedField = details.message.embeds[0]?.fields?.find((f) => f.name === 'Fetched');
    expect(fetchedField?.value).toBe(
      `${stored.meta.fetchedAt?.slice(0, 10)} ${stored.meta.fetchedAt?.slice(11, 16)} UTC`,
    );
    expect(message.content).toContain(`at ${fetchedField?.value}.`);
    const answer = await h.interactForMessage(
      slashCommand({ name: 'ask', options: { question: 'What did the lamp burn in winter?' }, guild }),
    );
    expect(quotesOf(answer.message)[0]?.description).toContain('whale oil');
    expect(answer.message.content).toContain(`[Lighthouse log](<${base}/lighthouse>) — Harbour board`);
  });

  it.each([
    [
      'a private address',
      'http://169.254.169.254/latest/meta-data/',
      '❌ http://169.254.169.254/latest/meta-data/ leads to a private or local network address (169.254.169.254), which the bot never fetches from: give a public web address.',
    ],
    [
      'a local network address',
      'http://10.0.0.7/wiki',
      '❌ http://10.0.0.7/wiki leads to a private or local network address (10.0.0.7)',
    ],
    ['a file url', 'file:///etc/passwd', '❌ "file:///etc/passwd" is not an http:// or https:// link'],
  ])('refuses %s with one sentence and adds nothing', async (_name, url, sentence) => {
    const before = ownDocuments();
    const { message } = await document('add', { url });
    expect(message.content.replace(/\\/g, '')).toContain(sentence);
    expect(ownDocuments()).toEqual(before);
  });

  it('refuses a url whose content type it cannot read', async () => {
    pages.set('/photo', ['image/png', 'PNG']);
    const { message } = await document('add', { url: `${base}/photo` });
    expect(message.content.replace(/\\/g, '')).toBe(
      `❌ ${base}/photo is a image/png file: only web pages (HTML), PDFs and plain text can be added.`,
    );
  });
});

describe('/document refresh', () => {
  async function addTide(): Promise<string> {
    pages.set('/tides', [
      'text/html',
      html(
        'Tide tables',
        LIGHTHOUSE.map((p) => p.replace('lighthouse', 'tide')),
      ),
    ]);
    const { message } = await document('add', { url: `${base}/tides` });
    return /`([^`]+)`/.exec(message.content)?.[1] ?? '';
  }

  it('shows what changed, replaces nothing until Replace, then replaces with what was compared', async () => {
    const id = await addTide();
    const changed = LIGHTHOUSE.map((p) => p.replace('lighthouse', 'tide'));
    changed[1] =
      'In winter the lamp burned colza oil until the harbour board paid for a paraffin burner in 1872.';
    changed.push('A fog bell was hung below the gallery in 1901 and rung by hand through the night.');
    pages.set('/tides', ['text/plain', plain('Tide tables', changed)]);

    const preview = await document('refresh', { document: id });
    expect(isEphemeral(preview.message)).toBe(true);
    expect(preview.message.content).toContain('1 paragraph added, 1 changed, 0 removed');
    expect(preview.message.content).toContain('Nothing is replaced until you press Replace.');
    expect(h.library.describe(id, `guild:${guild.id}`).paragraphs).toBe(3);

    // Someone without Manage Server cannot press it, even with the button's custom_id.
    const replace = buttonsOf(preview.message).find((b) => b.label === 'Replace')!;
    const member = await h.interactForMessage(
      button({ customId: replace.custom_id, message: preview.message.message, guild, user: makeUser() }),
    );
    expect(member.message.content).toMatch(/^❌ Only members with the Manage Server permission/);
    expect(h.library.describe(id, `guild:${guild.id}`).paragraphs).toBe(3);

    const done = await h.interactForMessage(
      button({ customId: replace.custom_id, message: preview.message.message, guild, ...moderator }),
    );
    expect(done.message.content).toMatch(/^✅ Updated \*\*Tide tables\*\*/);
    expect(done.message.content).toContain('1 paragraph added, 1 changed, 0 removed.');
    expect(buttonsOf(done.message)).toEqual([]);
    expect(h.library.describe(id, `guild:${guild.id}`).paragraphs).toBe(4);
    const answer = await h.interactForMessage(
      slashCommand({ name: 'ask', options: { question: 'When was the fog bell hung?' }, guild }),
    );
    expect(messageText(answer.message)).toContain('fog bell');
  });

  it('replaces nothing when the page changed again after the comparison, and shows the new one', async () => {
    pages.set('/moorings', [
      'text/html',
      html(
        'Mooring rules',
        LIGHTHOUSE.map((p) => `${p} Moorings.`),
      ),
    ]);
    const added = await document('add', { url: `${base}/moorings` });
    const id = /`([^`]+)`/.exec(added.message.content)?.[1] ?? '';
    const second = LIGHTHOUSE.map((p) => `${p} Moorings.`);
    second.push('Visiting yachts moor on the east pontoon and pay the harbour dues at the office.');
    pages.set('/moorings', ['text/plain', plain('Mooring rules', second)]);
    const preview = await document('refresh', { document: id });
    expect(preview.message.content).toContain('1 paragraph added, 0 changed, 0 removed');
    second.pop();
    second[0] = 'Nothing of the first paragraph is left as it was.';
    pages.set('/moorings', ['text/plain', plain('Mooring rules', second)]);
    const replace = buttonsOf(preview.message).find((b) => b.label === 'Replace')!;
    const clicked = await h.interactForMessage(
      button({ customId: replace.custom_id, message: preview.message.message, guild, ...moderator }),
    );
    expect(clicked.message.content).toMatch(
      /^The page changed since that comparison, so nothing was replaced/,
    );
    expect(clicked.message.content).toContain('0 paragraphs added, 1 changed, 0 removed');
    expect(h.library.describe(id, `guild:${guild.id}`).paragraphs).toBe(3);
    expect(messageText(clicked.message)).not.toContain('✅');
  });

  it('says so when nothing changed, and refuses a document with no url', async () => {
    const id = await addTide();
    const same = await document('refresh', { document: id });
    expect(same.message.content).toMatch(
      /No paragraph of \*\*Tide tables\*\* .* has changed \(3 paragraphs\)/,
    );
    expect(buttonsOf(same.message)).toEqual([]);
    await document('add', { text: 'The pier lamp is lit at dusk by the harbour watch.', title: 'Pier lamp' });
    const pier = h.library.list(`guild:${guild.id}`).find((s) => s.meta.title === 'Pier lamp')!.meta.id;
    const refused = await document('refresh', { document: pier });
    expect(refused.message.content).toBe(
      '❌ "Pier lamp" has no url to fetch it from: give it one with /document update url:, or update its file.',
    );
  });
});
