/**
 * Which process may write a server's documents. Under the ShardingManager every shard process opens its
 * own Library over the same DATA_DIR; a server's documents are owned by the shard Discord routes that
 * server to (`(guild_id >> 22) % shardCount`), so no two processes ever write the same files. A write for
 * a server this process does not serve would be a routing bug: it is refused and logged, and nothing
 * stored changes.
 */
import { ShardClientUtil } from 'discord.js';
import type { Client } from 'discord.js';
import { guildIdInScope } from '../core/index.ts';
import type { Scope } from '../core/index.ts';
import type { Library } from '../library.ts';
import type { Logger } from '../log.ts';

/** True when this process serves (and so owns the documents of) the server `guildId`. */
export type GuildOwnership = (guildId: string) => boolean;

/**
 * The servers `client` serves: without a ShardingManager, every one (one process serves all shards);
 * under it, those whose shard is one of this process's shard ids.
 */
export function shardOwnership(client: Client): GuildOwnership {
  const shard = client.shard;
  if (!shard) return () => true;
  const ids = new Set(shard.ids);
  return (guildId) => ids.has(ShardClientUtil.shardIdForGuildId(guildId, shard.count));
}

/**
 * The servers a shard process will serve, from the shard ids and total its manager gave it (config's
 * `shardIds`, `shardCount`), before any client exists: so its library loads only those servers' documents.
 */
export function shardsOwnership(shardIds: readonly number[], shardCount: number): GuildOwnership {
  const ids = new Set(shardIds);
  return (guildId) => ids.has(ShardClientUtil.shardIdForGuildId(guildId, shardCount));
}

/** `library` with `add`, `update` and `remove` refused (logged, thrown) for servers this process does not own. */
export function ownedWrites(library: Library, owns: GuildOwnership, logger: Logger): Library {
  const check = (scope: Scope, action: string): void => {
    const guildId = guildIdInScope(scope);
    if (guildId === undefined || owns(guildId)) return;
    logger.error(
      { guildId, action },
      'refused a document write for a server another shard owns: this shard does not serve it',
    );
    // Not a VerbatimError: the user did nothing wrong, so the error boundary answers with its apology.
    throw new Error(`document ${action} for server ${guildId}, which another shard owns`);
  };
  const guarded: Pick<Library, 'add' | 'update' | 'remove'> = {
    async add(input) {
      check(input.scope, 'add');
      return library.add(input);
    },
    async update(input) {
      check(input.scope, 'update');
      return library.update(input);
    },
    async remove(scope, id, actor) {
      check(scope, 'remove');
      return library.remove(scope, id, actor);
    },
  };
  // A proxy rather than a copy of every method, so methods the Library gains later pass through unchanged.
  return new Proxy(library, {
    get(target, property) {
      if (property === 'add' || property === 'update' || property === 'remove') return guarded[property];
      const value: unknown = Reflect.get(target, property, target);
      // Bound to the real library: its methods use private fields, which a proxy as `this` cannot reach.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
