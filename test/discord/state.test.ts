/** The cooldown and the button state: what a user notices when asking fast or clicking old buttons. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userError } from '../../src/core/index.ts';
import { ButtonState, buttonCommand } from '../../src/discord/button-state.ts';

const EXPIRED_SENTENCE = userError('BUTTON_EXPIRED').message;
const FORGED_SENTENCE = userError('BUTTON_FORGED').message;
import { Cooldowns } from '../../src/discord/cooldown.ts';
import { loadCommands } from '../../src/discord/loader.ts';

describe('cooldown', () => {
  it('allows five asks in 30 seconds, then says how long to wait, then allows again', () => {
    let now = 1_000_000;
    const cooldowns = new Cooldowns({ now: () => now });
    for (let i = 0; i < 5; i++) {
      cooldowns.take('u1');
      now += 1000;
    }
    expect(() => cooldowns.take('u1')).toThrow(
      'You have asked 5 times in 30 seconds: wait 25 seconds and ask again.',
    );
    expect(() => cooldowns.take('u2')).not.toThrow();
    now += 25_000;
    expect(() => cooldowns.take('u1')).not.toThrow();
  });
});

describe('button state', () => {
  it.each([
    ['small state travels in the custom_id', { n: 2 }, /^source:page:[\w-]{16}=\{"n":2\}$/],
    ['large state is cached under a key', { q: 'x'.repeat(300) }, /^source:page:[\w-]{16}#[\w-]{12}$/],
  ])('%s', (_name, data, shape) => {
    const state = new ButtonState();
    const id = state.customId('source', 'page', data, 'g1');
    expect(id).toMatch(shape);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(buttonCommand(id)).toBe('source');
    expect(state.read(id, 'g1')).toEqual({ command: 'source', action: 'page', data });
  });

  it.each([
    ['after 15 minutes', 15 * 60_000 + 1, 'g1'],
    ['from another server', 0, 'g2'],
  ])('a cached state is expired %s', (_name, later, guildId) => {
    let now = 0;
    const state = new ButtonState({ now: () => now });
    const id = state.customId('ask', 'more', { q: 'y'.repeat(200) }, 'g1');
    now += later;
    expect(() => state.read(id, guildId)).toThrow(EXPIRED_SENTENCE);
  });

  it('keeps at most maxEntries states, dropping the oldest', () => {
    const state = new ButtonState({ maxEntries: 3 });
    const ids = Array.from({ length: 5 }, (_, i) =>
      state.customId('ask', 'more', { q: `${i}`.repeat(120) }, null),
    );
    expect(state.size).toBe(3);
    expect(() => state.read(ids[0]!, null)).toThrow(EXPIRED_SENTENCE);
    expect(state.read(ids[4]!, null).data.q).toBe('4'.repeat(120));
  });
});

describe('state shared by the buttons of one message', () => {
  it('is cached once however many buttons carry it, each with its own signed part', () => {
    const state = new ButtonState();
    const shared = { q: 'q'.repeat(300), n: 3, u: '123456789012345678' };
    const ids = [1, 2, 3, 4, 5].map((p) =>
      state.customId('ask', 'ctx', { d: 'hrw-xinjiang-companies', p }, 'g1', shared),
    );
    expect(state.size).toBe(1);
    expect(ids.every((id) => id.length <= 100)).toBe(true);
    expect(state.read(ids[3]!, 'g1').data).toEqual({ ...shared, d: 'hrw-xinjiang-companies', p: 4 });
    // The part that travels in the custom_id is signed like the rest: changing it is refused.
    expect(() => state.read(ids[3]!.replace('"p":4', '"p":9'), 'g1')).toThrow(FORGED_SENTENCE);
    // A small shared state travels inline with the rest.
    const inline = state.customId('ask', 'ctx', { p: 1 }, 'g1', { n: 1 });
    expect(state.size).toBe(1);
    expect(state.read(inline, 'g1').data).toEqual({ n: 1, p: 1 });
  });
});

describe('command loader', () => {
  it.each([
    ['no export', 'export const other = 1;', 'commands/broken.ts: must export `command`'],
    [
      'no execute',
      "export const command = { data: { name: 'x', description: 'x' } };",
      'commands/broken.ts: `command.execute` must be a function.',
    ],
    [
      'no data',
      'export const command = { execute() {} };',
      'commands/broken.ts: `command.data` must be a command builder or its JSON body.',
    ],
  ])('names the file of a module with %s', async (_name, source, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-commands-'));
    try {
      await writeFile(join(dir, 'broken.ts'), source);
      await expect(loadCommands(pathToFileURL(`${dir}/`))).rejects.toThrow(message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
