/** The HEALTH_PORT server on 127.0.0.1: only /healthz and /metrics, a failing or silent probe named, a taken port said plainly. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HealthChecks, PROBE_TIMEOUT_MS } from '../../src/health/probes.ts';
import { startHealthServer, type HealthServer } from '../../src/health/server.ts';
import { silentLogger } from '../../src/log.ts';

const checks = new HealthChecks();
let server: HealthServer;
const source = {
  health: () => checks.run(),
  metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' }),
};
const url = (path: string): string => `http://127.0.0.1:${server.port}${path}`;

beforeAll(async () => {
  server = await startHealthServer({ port: 0, host: '127.0.0.1', source, logger: silentLogger() });
});
afterAll(() => server?.close());

describe('the health server', () => {
  it('answers other paths with 404 and other methods with 405', async () => {
    expect((await fetch(url('/'))).status).toBe(404);
    const posted = await fetch(url('/healthz'), { method: 'POST', body: 'x'.repeat(100_000) });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });

  it('names a probe that throws, and one that does not answer in time, with 503', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      checks.set('fine', () => ({ ok: true }));
      checks.set('database', () => {
        throw new Error('connection refused');
      });
      checks.set('slow', () => new Promise(() => undefined));
      const report = checks.run();
      await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS);
      expect(await report).toEqual({
        status: 'failing',
        failing: ['database', 'slow'],
        checks: {
          fine: { ok: true },
          database: { ok: false, detail: 'connection refused' },
          slow: { ok: false, detail: `did not answer within ${PROBE_TIMEOUT_MS} ms` },
        },
      });
    } finally {
      vi.useRealTimers();
    }
    checks.delete('slow');
    const response = await fetch(url('/healthz'));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { failing: string[] }).failing).toEqual(['database']);
    checks.delete('database');
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('says which port is taken instead of crashing with EADDRINUSE', async () => {
    await expect(
      startHealthServer({ port: server.port, host: '127.0.0.1', source, logger: silentLogger() }),
    ).rejects.toThrow(
      `HEALTH_PORT ${server.port} on 127.0.0.1 is already in use: choose another port, or leave HEALTH_PORT empty.`,
    );
  });
});
