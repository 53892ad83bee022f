/**
 * The loopback Discord against the real discord.js client: if these pass, the bot's end-to-end tests talk
 * to something discord.js accepts as Discord.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonBuilder,
  ButtonStyle,
  Client,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
} from 'discord.js';
import type { Interaction } from 'discord.js';
import { startFakeDiscord } from '../helpers/fake-discord.ts';
import type { FakeDiscord } from '../helpers/fake-discord.ts';
import { MODERATOR_PERMISSIONS, makeGuild, makeUser } from '../helpers/entities.ts';
import { autocomplete, button, messageContextMenu, slashCommand } from '../helpers/interactions.ts';

/** A tiny bot: each command exercises one way of answering an interaction. */
async function answer(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    await interaction.respond([{ name: `Alpha (${typed})`, value: 'alpha' }]);
    return;
  }
  if (interaction.isButton()) {
    await interaction.update({ content: `page ${interaction.customId.split(':')[1]}`, components: [] });
    return;
  }
  if (interaction.isMessageContextMenuCommand()) {
    await interaction.reply({
      content: `quoted: ${interaction.targetMessage.content}`,
      allowedMentions: { parse: [] },
    });
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  switch (interaction.commandName) {
    case 'hi':
      await interaction.reply({ content: 'hi', flags: MessageFlags.Ephemeral });
      return;
    case 'slow':
      await interaction.deferReply();
      await interaction.editReply({ content: `done: ${interaction.options.getString('question', true)}` });
      return;
    case 'twice':
      await interaction.reply('first');
      await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      return;
    case 'pages': {
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('page:2').setLabel('Next').setStyle(ButtonStyle.Primary),
      );
      await interaction.reply({ content: 'page 1', components: [row] });
      return;
    }
    case 'file':
      await interaction.reply({
        content: 'a file',
        files: [{ attachment: Buffer.from('quoted bytes'), name: 'quote.txt' }],
      });
      return;
    case 'fetch': {
      const attachment = interaction.options.getAttachment('document', true);
      const text = await (await fetch(attachment.url)).text();
      await interaction.reply({ content: `read ${attachment.name}: ${text}` });
      return;
    }
    case 'mod':
      await interaction.reply({
        content: interaction.memberPermissions?.has('ManageGuild') ? 'moderator' : 'member',
      });
      return;
    case 'long':
      try {
        await interaction.reply({ content: 'x'.repeat(2001) });
      } catch (error) {
        await interaction.reply({ content: `refused: ${(error as { code?: number }).code}` });
      }
      return;
    case 'shard':
      await interaction.reply({ content: `shard ${interaction.guild?.shardId}` });
      return;
    case 'late':
      // Slower than the fake's deadline in that test: Discord would have forgotten the interaction.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await interaction.reply('too late').catch(() => undefined);
      return;
    case 'ping':
      await interaction.reply({ content: 'Hello @everyone and <@123456789012345678>' });
      return;
  }
}

async function startClient(
  discord: FakeDiscord,
  sharding?: { shards: number[]; shardCount: number },
): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: discord.apiUrl },
    ...sharding,
  });
  client.on('interactionCreate', (interaction) => void answer(interaction));
  const ready = once(client, 'clientReady');
  await client.login(discord.token);
  await ready;
  return client;
}

describe('fake Discord with one shard', () => {
  const guild = makeGuild({ name: 'Guild A' });
  let discord: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    discord = await startFakeDiscord({ guilds: [guild] });
    client = await startClient(discord);
  });
  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  it('logs the real client in: it sees the bot user and the guild with its channel', () => {
    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.guilds.cache.get(guild.id)?.name).toBe('Guild A');
    expect(client.channels.cache.get(guild.channels[0]?.id ?? '')?.isTextBased()).toBe(true);
    expect(client.guilds.cache.get(guild.id)?.members.me?.id).toBe(discord.botUser.id);
    expect(discord.identifies).toEqual([1]);
  });

  it('registers commands over REST and routes interactions to the registered id', async () => {
    const set = await client.application!.commands.set(
      [
        { name: 'hi', description: 'Say hi' },
        {
          name: 'slow',
          description: 'Defer',
          options: [
            { name: 'question', description: 'q', type: ApplicationCommandOptionType.String, required: true },
          ],
        },
        { name: 'Quote', type: ApplicationCommandType.Message },
      ],
      guild.id,
    );
    expect(discord.registeredCommands(guild.id).map((c) => c.name)).toEqual(['hi', 'slow', 'Quote']);
    expect(discord.registeredCommands()).toEqual([]);
    const reply = await discord.interact(slashCommand({ name: 'hi', guild }));
    expect((reply.payload.data as { id: string }).id).toBe(set.find((c) => c.name === 'hi')?.id);
  });

  it('refuses an invalid command as Discord does', async () => {
    await expect(
      client.application!.commands.set([{ name: 'Bad Name', description: 'x' }], guild.id),
    ).rejects.toMatchObject({ code: 50035 });
  });

  it('receives an ephemeral reply', async () => {
    const reply = await discord.interact(slashCommand({ name: 'hi', guild }));
    expect(reply.callback?.type).toBe(4);
    const message = await reply.waitForMessage();
    expect(message).toMatchObject({ content: 'hi', ephemeral: true, kind: 'original' });
  });

  it('receives a deferral, then the edit of @original as the visible message', async () => {
    const reply = await discord.interact(
      slashCommand({ name: 'slow', options: { question: 'why?' }, guild }),
    );
    expect(reply.callback?.type).toBe(5);
    const message = await reply.waitForMessage();
    expect(message.content).toBe('done: why?');
    expect(message.loading).toBe(false);
    expect(reply.responses.map((r) => r.kind)).toEqual(['callback', 'edit']);
  });

  it('receives a reply and an ephemeral follow-up', async () => {
    const reply = await discord.interact(slashCommand({ name: 'twice', guild }));
    await reply.waitFor((r) => r.messages.length === 2);
    expect(reply.messages.map((m) => [m.kind, m.content, m.ephemeral])).toEqual([
      ['original', 'first', false],
      ['followup', 'second', true],
    ]);
  });

  it('receives a button update on the message that carried the button', async () => {
    const first = await (await discord.interact(slashCommand({ name: 'pages', guild }))).waitForMessage();
    const customId =
      (first.components[0] as { components: Array<{ custom_id: string }> }).components[0]?.custom_id ?? '';
    expect(customId).toBe('page:2');
    const click = await discord.interact(button({ customId, message: first.message, guild }));
    expect(click.callback?.type).toBe(7);
    const updated = await click.waitForMessage();
    expect(updated).toMatchObject({ id: first.id, content: 'page 2', components: [] });
  });

  it('receives autocomplete choices', async () => {
    const reply = await discord.interact(
      autocomplete({ name: 'slow', options: { question: 'tenc' }, guild }),
    );
    expect(reply.callback?.type).toBe(8);
    expect(reply.choices).toEqual([{ name: 'Alpha (tenc)', value: 'alpha' }]);
  });

  it('delivers a message context menu with its target message', async () => {
    const reply = await discord.interact(
      messageContextMenu({
        name: 'Quote',
        targetMessage: { content: 'a quotable line', author: makeUser({ username: 'ann' }) },
        guild,
      }),
    );
    expect((await reply.waitForMessage()).content).toBe('quoted: a quotable line');
  });

  it('parses multipart replies and serves the uploaded file back', async () => {
    const reply = await discord.interact(slashCommand({ name: 'file', guild }));
    const message = await reply.waitForMessage();
    expect(message.files.map((f) => [f.name, f.bytes.toString()])).toEqual([['quote.txt', 'quoted bytes']]);
    expect(await (await fetch(message.attachments[0]?.url ?? '')).text()).toBe('quoted bytes');
  });

  it('serves an attachment the bot downloads over loopback', async () => {
    const attachment = discord.serveAttachment('notes.txt', 'plain text body', 'text/plain; charset=utf-8');
    const reply = await discord.interact(
      slashCommand({ name: 'fetch', options: { document: { attachment } }, guild }),
    );
    expect((await reply.waitForMessage()).content).toBe('read notes.txt: plain text body');
  });

  it.each([
    ['an ordinary member', undefined, 'member'],
    ['a moderator', MODERATOR_PERMISSIONS, 'moderator'],
  ])('passes the member permissions of %s', async (_who, permissions, expected) => {
    const reply = await discord.interact(
      slashCommand({ name: 'mod', guild, ...(permissions ? { permissions } : {}) }),
    );
    expect((await reply.waitForMessage()).content).toBe(expected);
  });

  it("refuses a message over Discord's limits with the error discord.js expects", async () => {
    const reply = await discord.interact(slashCommand({ name: 'long', guild }));
    expect(reply.rejected.map((r) => (r.error as { code: number }).code)).toEqual([50035]);
    expect((await reply.waitForMessage()).content).toBe('refused: 50035');
  });

  it('tells who a message would ping given its allowed_mentions', async () => {
    const reply = await discord.interact(slashCommand({ name: 'ping', guild }));
    expect((await reply.waitForMessage()).pings).toEqual({
      everyone: true,
      users: ['123456789012345678'],
      roles: [],
    });
    const quoted = await discord.interact(
      messageContextMenu({
        name: 'Quote',
        targetMessage: { content: '@everyone <@123456789012345678>' },
        guild,
      }),
    );
    expect((await quoted.waitForMessage()).pings).toEqual({ everyone: false, users: [], roles: [] });
  });

  it('resumes after the connection drops, replays missed events and keeps answering', async () => {
    discord.dropConnections({ resumable: true });
    const late = makeGuild({ name: 'Joined while away' });
    expect(
      discord.dispatch(0, 'GUILD_CREATE', {
        ...late,
        unavailable: false,
        channels: [],
        roles: [],
        members: [],
      }),
    ).toBe(true);
    await discord.waitForShards();
    expect(discord.resumes).toEqual([1]);
    expect(discord.identifies).toEqual([1]);
    const reply = await discord.interact(slashCommand({ name: 'hi', guild }));
    expect((await reply.waitForMessage()).content).toBe('hi');
    expect(client.guilds.cache.get(late.id)?.name).toBe('Joined while away');
  });

  it('was called on no route it does not know', () => {
    expect(discord.unknownRequests).toEqual([]);
  });
});

describe('fake Discord refusals and shutdown', () => {
  it('stops listening on close(), and a second close() is harmless', async () => {
    const discord = await startFakeDiscord();
    await discord.close();
    await discord.close();
    await expect(fetch(`${discord.apiUrl}/v10/gateway`)).rejects.toThrow();
  });

  it('answers a wrong token with 401, which discord.js reports as an invalid token', async () => {
    const discord = await startFakeDiscord();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
    try {
      await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
      expect(discord.requests.map((r) => [r.path, r.status])).toEqual([['/gateway/bot', 401]]);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });

  it('rejects interact() when the bot does not acknowledge within the deadline', async () => {
    const discord = await startFakeDiscord({ interactionDeadlineMs: 200 });
    const client = await startClient(discord);
    try {
      await expect(discord.interact(slashCommand({ name: 'unanswered' }))).rejects.toThrow(
        /did not acknowledge/,
      );
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});

describe('fake Discord with two shards', () => {
  const onShard0 = makeGuild({ name: 'Zero', shard: [0, 2] });
  const onShard1 = makeGuild({ name: 'One', shard: [1, 2] });
  let discord: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    discord = await startFakeDiscord({ shards: 2, guilds: [onShard0, onShard1] });
    client = await startClient(discord, { shards: [0, 1], shardCount: 2 });
  });
  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  it('has both shards identify, each with its own guild', () => {
    expect(discord.identifies).toEqual([1, 1]);
    expect(discord.gateway.identifyPayloads.map((p) => p.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(client.guilds.cache.get(onShard0.id)?.shardId).toBe(0);
    expect(client.guilds.cache.get(onShard1.id)?.shardId).toBe(1);
  });

  it.each([
    ['Zero', onShard0, 0],
    ['One', onShard1, 1],
  ])('routes an interaction in guild %s to the shard that owns it', async (_name, guild, shard) => {
    const reply = await discord.interact(slashCommand({ name: 'shard', guild }));
    expect(reply.shardId).toBe(shard);
    expect((await reply.waitForMessage()).content).toBe(`shard ${shard}`);
  });

  it('delivers on the shard asked for, as a misrouted event would arrive', async () => {
    const arrivals: Array<{ id: string; shardId: number }> = [];
    const onInteraction = (data: { id: string }, shardId: number): void => {
      arrivals.push({ id: data.id, shardId });
    };
    client.ws.on(GatewayDispatchEvents.InteractionCreate, onInteraction);
    try {
      const reply = await discord.interact(slashCommand({ name: 'shard', guild: onShard0 }), { shardId: 1 });
      expect(reply.shardId).toBe(1);
      await reply.waitForMessage();
      expect(arrivals).toEqual([{ id: reply.payload.id, shardId: 1 }]);
    } finally {
      client.ws.off(GatewayDispatchEvents.InteractionCreate, onInteraction);
    }
  });
});
