/**
 * `/healthz` as a list of named probes: each part that can fail (the library, the Discord gateway, the
 * storage) registers a check under its name, and the report names every failing part. The storage code
 * registers its own probe (`database`) the same way; nothing here knows what the parts are.
 */

/** One check's answer; `detail` says what is wrong (or, when ok, what was seen). */
export type ProbeResult = { ok: true; detail?: string } | { ok: false; detail: string };
export type Probe = () => ProbeResult | Promise<ProbeResult>;

export interface HealthReport {
  status: 'ok' | 'failing';
  /** Names of the failing parts, in registration order; empty when ok. */
  failing: string[];
  checks: Record<string, ProbeResult>;
}

/** A probe that has not answered in this long counts as failing: /healthz itself must answer in time. */
export const PROBE_TIMEOUT_MS = 2_000;

export class HealthChecks {
  readonly #probes = new Map<string, Probe>();

  /** Adds or replaces the probe called `name`. */
  set(name: string, probe: Probe): void {
    this.#probes.set(name, probe);
  }

  delete(name: string): void {
    this.#probes.delete(name);
  }

  get names(): string[] {
    return [...this.#probes.keys()];
  }

  /** Runs every probe at once; a probe that throws or times out fails with the reason. */
  async run(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.#probes].map(async ([name, probe]): Promise<[string, ProbeResult]> => [
        name,
        await settle(probe),
      ]),
    );
    const checks = Object.fromEntries(entries);
    const failing = entries.filter(([, result]) => !result.ok).map(([name]) => name);
    return { status: failing.length === 0 ? 'ok' : 'failing', failing, checks };
  }
}

async function settle(probe: Probe): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `did not answer within ${PROBE_TIMEOUT_MS} ms` }),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(probe), timeout]);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
