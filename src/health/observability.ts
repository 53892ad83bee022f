/**
 * One process's health checks and metrics, and the HEALTH_PORT server that shows them. The parts register
 * themselves as they start: `library` here once the documents are loaded, with `database` (the library's
 * own check of its database) and `storage` for DATA_DIR; `gateway` in the Discord client (src/discord/client.ts).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Library } from '../library.ts';
import type { Logger } from '../log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { HealthChecks } from './probes.ts';
import { processSource, startHealthServer, type HealthServer, type HealthSource } from './server.ts';

export interface Observability {
  readonly checks: HealthChecks;
  readonly metrics: Metrics;
  /** This process's checks and metrics, as the HEALTH_PORT server (or a shard manager) reads them. */
  readonly source: HealthSource;
}

export function createObservability(): Observability {
  const checks = new HealthChecks();
  const metrics = createMetrics();
  checks.set('library', () => ({ ok: false, detail: 'the documents are still loading' }));
  return { checks, metrics, source: processSource(checks, metrics.registry) };
}

/**
 * Heap and array buffers in use, to measure what opening the library costs. The index has no byte count
 * of its own, so `verbatim_index_memory_bytes` is the growth across `openLibrary` (index and texts,
 * plus whatever garbage the build left that V8 has not collected yet): an estimate taken once at start.
 */
export function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Called once the library is open: its probe, its gauges and the index memory estimate. */
export function watchLibrary(
  observability: Observability,
  library: Library,
  indexMemoryBytes: number,
  dataDir: string | undefined,
): void {
  const { checks, metrics } = observability;
  checks.set('library', () => {
    const { shipped, servers } = library.stats();
    return { ok: true, detail: `${shipped.documents + servers.documents} documents loaded` };
  });
  metrics.watchLibrary(() => library.stats());
  metrics.watchIndexMemory(() => indexMemoryBytes);
  if (dataDir !== undefined) {
    // Where the documents are (SQLite) or where the index snapshot and sentence vectors are (PostgreSQL).
    checks.set('database', async () => (await library.checkDatabase()) ?? { ok: true, detail: 'none' });
    // Gone or read-only means every /document change (SQLite) or snapshot write would fail.
    checks.set('storage', async () => {
      try {
        await access(dataDir, constants.R_OK | constants.W_OK);
        return { ok: true };
      } catch (error) {
        return {
          ok: false,
          detail: `DATA_DIR is not writable: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        };
      }
    });
  }
}

/** Starts the HEALTH_PORT server over `source` when a port is configured. */
export async function serveHealth(
  port: number | undefined,
  host: string,
  source: HealthSource,
  logger: Logger,
): Promise<HealthServer | undefined> {
  if (port === undefined) return undefined;
  return startHealthServer({ port, host, source, logger });
}
