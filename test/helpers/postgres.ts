/**
 * A throwaway PostgreSQL server for the tests: a new cluster in a temporary folder (initdb), started with
 * pg_ctl on 127.0.0.1 and a free port, trust authentication, removed at the end. No mock: the PostgreSQL
 * suite runs the real server Debian's `postgresql` package installs (`.ci/run` installs it when missing).
 *
 * The binaries are looked up on PATH, then in Debian's versioned folders (`/usr/lib/postgresql/<version>/bin`,
 * newest first). PostgreSQL refuses to run as root: as root, the
 * cluster belongs to the `postgres` user and every command runs through `runuser -u postgres`.
 *
 * vitest's global setup (postgres-global.ts) starts one server per run; each test asks for a fresh
 * database on it (`freshDatabase`), so test files never see each other's documents.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const SUPERUSER = 'verbatim_test';

export interface PostgresServer {
  /** postgres://…@127.0.0.1:<port>/postgres */
  adminUrl: string;
  version: string;
  stop(): Promise<void>;
}

/** Starts a server, or says in one sentence why none can be started here. */
export async function startPostgres(): Promise<PostgresServer | { unavailable: string }> {
  const bin = findBinaries();
  if (bin === undefined) {
    return {
      unavailable:
        'no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: install Debian\'s "postgresql" package (.ci/run does)',
    };
  }
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    try {
      owner = {
        uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
        gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
      };
    } catch {
      return { unavailable: 'running as root, and there is no "postgres" user to run PostgreSQL as' };
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-pg-'));
  const data = join(dir, 'data');
  const exec = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir })
      : run(join(bin, tool), args, { cwd: dir });
  try {
    if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
    await exec('initdb', [
      '-D',
      data,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    // fsync off: a test server that is thrown away needs no durability across power cuts (the kill -9
    // tests kill our process, never the server), and it makes the suite faster.
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
    await exec('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '30',
      'start',
    ]);
    const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const version = ((await client.query('show server_version')).rows[0] as { server_version: string })
      .server_version;
    await client.end();
    return {
      adminUrl,
      version,
      async stop() {
        await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      unavailable: `PostgreSQL did not start (${message})${log ? `; its log: ${log.trim().split('\n').pop()}` : ''}`,
    };
  }
}

/** A new, empty database on the server; its URL. */
export async function freshDatabase(adminUrl: string): Promise<string> {
  const name = `verbatim_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The folder holding all of PostgreSQL's `tools` (PATH first, then Debian's folders, newest first). */
export function findBinaries(tools: readonly string[] = ['initdb', 'pg_ctl']): string | undefined {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir !== '') candidates.push(dir);
  try {
    const debian = '/usr/lib/postgresql';
    const versions = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join(debian, version, 'bin'));
  } catch {
    // Not Debian's layout: PATH only.
  }
  return candidates.find((dir) => tools.every((tool) => executable(join(dir, tool))));
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
