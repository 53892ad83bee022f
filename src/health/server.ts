/**
 * The HEALTH_PORT server (node:http): `GET /healthz` answers 200 or 503 with the report as JSON,
 * `GET /metrics` the Prometheus text. It reads no request body and answers only these two paths, with
 * short timeouts and a connection cap, so a scraper gone wrong cannot hold the bot's memory or sockets.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VerbatimError } from '../core/index.ts';
import type { Logger } from '../log.ts';
import type { HealthReport } from './probes.ts';

/** What the server shows: one process's checks and registry, or a shard manager's sum of its shards. */
export interface HealthSource {
  health(): Promise<HealthReport>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface HealthServer {
  /** The port bound (useful when 0 asked for any free port). */
  readonly port: number;
  close(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 32;

export async function startHealthServer(options: {
  port: number;
  host: string;
  source: HealthSource;
  logger: Logger;
}): Promise<HealthServer> {
  const { source, logger } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, contentType: string, body: string): void => {
      response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      send(405, 'text/plain; charset=utf-8', 'Only GET and HEAD are served.\n');
      return;
    }
    const answer = async (): Promise<void> => {
      if (path === '/healthz') {
        const report = await source.health();
        send(report.status === 'ok' ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`);
      } else if (path === '/metrics') {
        const { contentType, body } = await source.metrics();
        send(200, contentType, body);
      } else {
        send(404, 'text/plain; charset=utf-8', 'Not found: this server answers /healthz and /metrics.\n');
      }
    };
    answer().catch((error: unknown) => {
      logger.error({ err: error, path }, 'health server could not answer');
      if (!response.headersSent) send(500, 'text/plain; charset=utf-8', 'Internal error; see the bot log.\n');
      else response.destroy();
    });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${code ?? String(error)})`;
    throw new VerbatimError(
      'BAD_CONFIG',
      `HEALTH_PORT ${options.port} on ${options.host} ${why}: choose another port, or leave HEALTH_PORT empty.`,
    );
  }
  const { port } = server.address() as AddressInfo;
  logger.info({ host: options.host, port }, 'health and metrics server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The source for one process: its probes and its metrics registry. */
export function processSource(
  checks: { run(): Promise<HealthReport> },
  registry: {
    contentType: string;
    metrics(): Promise<string>;
  },
): HealthSource {
  return {
    health: () => checks.run(),
    metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
