/**
 * Several documents in one `/document add`, through the real client: ten attachments reported line by line
 * (added, or skipped with why), a zip's files added the same way, a zip bomb (built small here: 20 MB of
 * zeros that deflate to kilobytes) refused whole with nothing added, and a member without Manage Server
 * refused with nothing added.
 */
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Files guild' });
const SCOPE = `guild:${guild.id}` as const;
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_files' }) };
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild]);
});

afterAll(async () => {
  await h?.close();
});

const TOWNS = ['Arbroath', 'Brora', 'Cromarty', 'Dunbar', 'Elie', 'Findhorn', 'Gourock', 'Helmsdale'];

function note(town: string): string {
  return `${town} harbour notes\n\nThe ${town} harbour wall was repaired with granite from the ${town} quarry after the storm of ${town.length + 1880}.`;
}

function add(options: Record<string, unknown>, who: object = moderator) {
  return h.interactForMessage(
    slashCommand({ name: 'document', subcommand: 'add', options: options as never, guild, ...who }),
  );
}

function zip(files: Record<string, Buffer>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, bytes] of Object.entries(files)) archive.addBuffer(bytes, name);
  archive.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

const titles = (): string[] =>
  h.library.list(SCOPE).flatMap((s) => (s.meta.scope === SCOPE ? [s.meta.title] : []));

describe('/document add with several files', () => {
  it('adds ten attachments, one line each: added, or skipped with why', async () => {
    const files: Record<string, unknown> = {};
    TOWNS.forEach((town, i) => {
      files[i === 0 ? 'file' : `file${i + 1}`] = {
        attachment: h.discord.serveAttachment(`${town.toLowerCase()}.txt`, note(town), 'text/plain'),
      };
    });
    files.file9 = { attachment: h.discord.serveAttachment('photo.png', 'PNG', 'image/png') };
    files.file10 = { attachment: h.discord.serveAttachment('brora-again.txt', note('Brora'), 'text/plain') };
    const { message } = await add({ ...files, publisher: 'Harbour trust' });
    expect(message.flags & MessageFlags.Ephemeral).toBeTruthy();
    expect(message.content).toBe('Added 8 of 10 files; searchable now in this server.');
    const lines = (message.embeds[0]?.description ?? '').split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('✅ arbroath.txt: added as **arbroath** (`arbroath`), 1 paragraph');
    expect(lines[8]).toMatch(/^⏭️ photo\.png: skipped, /);
    expect(lines[9]).toMatch(/^⏭️ brora-again\.txt: skipped, This text is already here as "brora"/);
    expect(titles()).toHaveLength(8);
    expect(h.library.describe('dunbar', SCOPE).meta.publisher).toBe('Harbour trust');
  });

  it("adds a zip's files, skipping a zip inside it", async () => {
    const bytes = await zip({
      'notes/ullapool.txt': Buffer.from(note('Ullapool')),
      'notes/wick.md': Buffer.from(note('Wick')),
      'inner.zip': await zip({ 'x.txt': Buffer.from(note('Lybster')) }),
    });
    const before = titles().length;
    const { message } = await add({
      file: { attachment: h.discord.serveAttachment('more.zip', bytes, 'application/zip') },
    });
    expect(message.content).toBe('Added 2 of 3 files; searchable now in this server.');
    expect(message.embeds[0]?.description).toContain(
      '⏭️ inner.zip: skipped, a zip inside the zip is not opened',
    );
    expect(titles().length).toBe(before + 2);
  });

  it('refuses a zip bomb whole, adding nothing', async () => {
    const bomb = await zip({
      'a.txt': Buffer.from(note('Nairn')),
      'zeros.txt': Buffer.alloc(20 * 1024 * 1024),
    });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const before = titles();
    const { message } = await add({
      file: { attachment: h.discord.serveAttachment('bomb.zip', bomb, 'application/zip') },
    });
    expect(message.content).toBe('Added 0 of 1 file; searchable now in this server.');
    expect(message.embeds[0]?.description).toMatch(
      /^⏭️ bomb\.zip: skipped, bomb\.zip was not opened: zeros\.txt expands \d+ times, more than any document does/,
    );
    expect(titles()).toEqual(before);
  });

  it('refuses a member without Manage Server, adding nothing', async () => {
    const before = titles();
    const { message } = await add(
      {
        file: { attachment: h.discord.serveAttachment('a.txt', note('Portsoy'), 'text/plain') },
        file2: { attachment: h.discord.serveAttachment('b.txt', note('Banff'), 'text/plain') },
      },
      { user: makeUser() },
    );
    expect(message.content).toMatch(/^❌ Only members with the Manage Server permission/);
    expect(titles()).toEqual(before);
  });

  it('refuses one title for several files', async () => {
    const { message } = await add({
      file: { attachment: h.discord.serveAttachment('a.txt', note('Portsoy'), 'text/plain') },
      file2: { attachment: h.discord.serveAttachment('b.txt', note('Banff'), 'text/plain') },
      title: 'Both',
    });
    expect(message.content).toMatch(/^❌ A title or url belongs to one document/);
  });
});
