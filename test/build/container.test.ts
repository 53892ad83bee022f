/**
 * The Dockerfile and compose.yaml are not built here (no Docker engine), so they are held to what the
 * tests do run: the image builds with `npm ci` and `npm run build` only, starts the command of
 * `npm run start:prod`, checks /healthz on the HEALTH_PORT it sets; compose keeps the bot's and the
 * database's data in volumes and restarts both.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.ts';

const read = (file: string): Promise<string> => readFile(join(repoRoot, file), 'utf8');

describe('Dockerfile', () => {
  it('runs only npm ci and the npm scripts the tests run, and starts what npm run start:prod starts', async () => {
    const dockerfile = await read('Dockerfile');
    const scripts = (JSON.parse(await read('package.json')) as { scripts: Record<string, string> }).scripts;
    const instructions = dockerfile
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
    const npmCommands = [...instructions.matchAll(/\bnpm (ci|run [\w:-]+)/g)].map((match) => match[1]);
    expect(new Set(npmCommands)).toEqual(new Set(['ci', 'run build']));
    expect(scripts.build).toBeDefined();
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect((JSON.parse(cmd ?? '[]') as string[]).join(' ')).toBe(scripts['start:prod']);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENV .*HEALTH_PORT=9464/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*process\.env\.HEALTH_PORT \+ '\/healthz'/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  });
});

describe('compose.yaml', () => {
  it('runs the bot and PostgreSQL with volumes, a restart policy and DATABASE_URL', async () => {
    const compose = await read('compose.yaml');
    expect(compose.match(/restart: unless-stopped/g)).toHaveLength(2);
    expect(compose).toMatch(/DATABASE_URL: postgres:\/\/verbatim:.*@db:5432\/verbatim/);
    expect(compose).toContain('- bot-data:/data');
    expect(compose).toContain('- db-data:/var/lib/postgresql/data');
    expect(compose).toMatch(/HEALTH_PORT: '9464'/);
  });
});
