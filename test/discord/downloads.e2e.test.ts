/**
 * Attachment downloads under abuse, through the real client: the attachment's url points at a web server
 * this test starts on 127.0.0.1 that hangs before its headers, stalls halfway, cuts the connection, or sends
 * more than it declared. Every case ends with the file's own "could not be downloaded" sentence within the
 * configured time, never "thinking…" for ever nor the generic apology; nothing is stored.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Download guild' });
const PARAGRAPH =
  'The ferry to the outer island ran twice a week and carried the post in a locked tin box.\n\n';
/** What each path of the web server does with a request. */
const behaviours: Record<string, (response: ServerResponse) => void> = {
  // Accepts the connection and never answers.
  '/hang': () => undefined,
  // Headers and half the body, then silence.
  '/stall': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2000' });
    response.write('x'.repeat(1000));
  },
  // Headers declaring 2 000 bytes, 1 000 sent, then the connection is cut.
  '/cut': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2000' });
    response.write('x'.repeat(1000), () => response.socket?.destroy());
  },
  // A trickle: a byte every 100 ms, never idle for long, never done.
  '/trickle': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => response.write('y'), 100);
    response.once('close', () => clearInterval(timer));
  },
  // Chunked, no length: far more than the attachment's declared size.
  '/more': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(PARAGRAPH.repeat(2000));
  },
  // A Content-Length over the 10 MB limit: refused before reading.
  '/huge': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(50 * 1024 * 1024) });
    response.write('z');
  },
};
let web: Server;
let base: string;
let h: Harness;

beforeAll(async () => {
  web = createServer((request, response) => behaviours[request.url ?? '']?.(response));
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  h = await startHarness([guild], {
    config: {
      downloadLimits: { connectMs: 400, idleMs: 400, totalMs: 1500 },
    },
  });
});

afterAll(async () => {
  await h?.close();
  web?.closeAllConnections();
  await new Promise((resolve) => web?.close(resolve));
});

function addFrom(path: string, size = 1024) {
  const attachment = {
    ...h.discord.serveAttachment('notes.txt', 'x', 'text/plain'),
    url: `${base}${path}`,
    size,
  };
  return h.interactForMessage(
    slashCommand({
      name: 'document',
      subcommand: 'add',
      guild,
      permissions: MODERATOR_PERMISSIONS,
      user: makeUser({ username: 'mod_download' }),
      options: { file: { attachment } },
    }),
  );
}

const own = (): number => h.library.list(`guild:${guild.id}`).length;

describe('attachment downloads', () => {
  it.each([
    ['never answers', '/hang', 'it did not start within 0.4 seconds'],
    ['stalls halfway', '/stall', 'it stalled for 0.4 seconds'],
    ['is cut off halfway', '/cut', 'the connection broke while it was being read'],
    ['trickles for ever', '/trickle', 'it took longer than 1.5 seconds'],
  ])('a download that %s gets the file’s own sentence', async (_name, path, why) => {
    const before = own();
    const { message } = await addFrom(path);
    expect(message.content.replace(/\\/g, '')).toBe(
      `❌ notes.txt could not be downloaded from Discord: ${why}. Attach it again.`,
    );
    expect(own()).toBe(before);
  });

  it('refuses a body larger than the size Discord declared', async () => {
    const { message } = await addFrom('/more', 1000);
    expect(message.content.replace(/\\/g, '')).toBe(
      '❌ notes.txt could not be downloaded from Discord: it sent more than the 1,000 bytes it declared. Attach it again.',
    );
  });

  it('refuses a declared Content-Length over the limit before reading it', async () => {
    const { message } = await addFrom('/huge');
    expect(message.content.replace(/\\/g, '')).toBe(
      '❌ notes.txt is larger than 10 MB: split it, or paste the part that matters with the text option.',
    );
  });
});
