/**
 * HEALTH_PORT with SHARD_COUNT > 1: one port for the whole bot, served by the manager. It asks every shard
 * process over the ShardingManager's IPC channel for its health report and its metrics (prom-client's
 * JSON form) and shows them together: each shard's checks as `shard-N/<check>`, a shard that is not
 * running or does not answer as `shard-N`, and each shard's metrics with a `process="shard-N"` label
 * (Prometheus sums across that label when asked; the manager does not guess which figures add up).
 */
import { AggregatorRegistry } from 'prom-client';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Shard, ShardingManager } from 'discord.js';
import type { Observability } from '../health/observability.ts';
import { PROBE_TIMEOUT_MS, type HealthReport, type ProbeResult } from '../health/probes.ts';
import type { HealthSource } from '../health/server.ts';

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** The manager's question and the shard's answer; the key keeps them apart from discord.js's own messages. */
interface HealthRequest {
  verbatimHealth: 'request';
  id: number;
}
interface HealthReply {
  verbatimHealth: 'reply';
  id: number;
  report: HealthReport;
  metrics: MetricsJson;
}

function isRequest(message: unknown): message is HealthRequest {
  return (message as Partial<HealthRequest> | null)?.verbatimHealth === 'request';
}

function isReply(message: unknown): message is HealthReply {
  return (message as Partial<HealthReply> | null)?.verbatimHealth === 'reply';
}

/** In a shard process: answers the manager's health requests from this process's checks and metrics. */
export function answerHealthRequests(observability: Observability): void {
  process.on('message', (message: unknown) => {
    if (!isRequest(message) || !process.send) return;
    void Promise.all([observability.checks.run(), observability.metrics.registry.getMetricsAsJSON()]).then(
      ([report, metrics]) => {
        const reply: HealthReply = { verbatimHealth: 'reply', id: message.id, report, metrics };
        process.send?.(reply);
      },
    );
  });
}

let nextId = 0;

/** One shard's reply, or why there is none. */
async function askShard(shard: Shard | undefined): Promise<HealthReply | string> {
  const child = shard?.process;
  if (!shard || !child || child.exitCode !== null || !child.connected) return 'not running';
  const id = (nextId += 1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(`did not answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
    const listen = (message: unknown): void => {
      if (isReply(message) && message.id === id) finish(message);
    };
    function finish(result: HealthReply | string): void {
      clearTimeout(timer);
      shard?.off('message', listen);
      resolve(result);
    }
    shard.on('message', listen);
    shard
      .send({ verbatimHealth: 'request', id } satisfies HealthRequest)
      .catch(() => finish('not reachable'));
  });
}

/** The manager's HEALTH_PORT source over the shards `manager` runs on this machine (`shardList`). */
export function shardsHealthSource(manager: ShardingManager, shardList: readonly number[]): HealthSource {
  const askAll = (): Promise<Array<HealthReply | string>> =>
    Promise.all(shardList.map((id) => askShard(manager.shards.get(id))));
  return {
    async health() {
      const checks: Record<string, ProbeResult> = {};
      (await askAll()).forEach((reply, index) => {
        const id = shardList[index] as number;
        if (typeof reply === 'string') checks[`shard-${id}`] = { ok: false, detail: reply };
        else
          for (const [name, result] of Object.entries(reply.report.checks))
            checks[`shard-${id}/${name}`] = result;
      });
      const failing = Object.entries(checks)
        .filter(([, result]) => !result.ok)
        .map(([name]) => name);
      return { status: failing.length === 0 ? 'ok' : 'failing', failing, checks };
    },
    async metrics() {
      const perShard = (await askAll()).flatMap((reply, index) =>
        typeof reply === 'string'
          ? []
          : [
              reply.metrics.map((metric) => ({
                ...metric,
                values: metric.values.map((value) => ({
                  ...value,
                  labels: { ...value.labels, process: `shard-${shardList[index] as number}` },
                })),
              })),
            ],
      );
      const registry = AggregatorRegistry.aggregate(perShard);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
