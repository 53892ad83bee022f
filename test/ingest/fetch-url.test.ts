/**
 * Fetching a document by url, against a server this test starts on 127.0.0.1: what is fetched, and every
 * bound (scheme, private addresses, redirects, size, time, content type) with the sentence a moderator reads.
 * Loopback is reached only through the explicit test-only setting; names resolve through a fake resolver.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, isPublicAddress } from '../../src/ingest/fetch-url.ts';
import type { FetchUrlOptions, ResolvedAddress } from '../../src/ingest/fetch-url.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: Array<{ path: string; host: string }> = [];
let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', host: request.headers.host ?? '' });
    const handler = routes.get((request.url ?? '').split('?')[0] ?? '');
    if (handler) handler(request, response);
    else response.writeHead(404).end('not here');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function serve(path: string, handler: Handler): string {
  routes.set(path, handler);
  return `${base}${path}`;
}

const loopback: Partial<FetchUrlOptions> = { allowLoopbackForTests: true };
const PAGE =
  '<html><head><title>Harbour report</title></head><body><p>The crane lifted tin.</p></body></html>';

describe('fetchUrl', () => {
  it('fetches a page with its type, final url and fetch time', async () => {
    const url = serve('/reports/harbour', (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
    );
    const before = Date.now();
    const fetched = await fetchUrl(url, loopback);
    expect(new TextDecoder().decode(fetched.bytes)).toBe(PAGE);
    expect(fetched.fileName).toBe('harbour.html');
    expect(fetched.contentType).toBe('text/html; charset=utf-8');
    expect(fetched.url).toBe(url);
    expect(fetched.finalUrl).toBe(url);
    expect(Date.parse(fetched.fetchedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('names a PDF by its type, not by what the url says', async () => {
    const url = serve('/download.php', (_q, r) =>
      r.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4'),
    );
    expect((await fetchUrl(url, loopback)).fileName).toBe('download.pdf');
  });

  it('refuses 127.0.0.1 unless the test-only setting allows loopback', async () => {
    const url = serve('/local', (_q, r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('x'));
    const count = seen.length;
    await expect(fetchUrl(url)).rejects.toThrow(
      `${url} leads to a private or local network address (127.0.0.1), which the bot never fetches from: give a public web address.`,
    );
    expect(seen.length).toBe(count);
  });

  it.each([
    ['ftp://example.org/a.pdf', '"ftp://example.org/a.pdf" is not an http:// or https:// link'],
    ['file:///etc/passwd', '"file:///etc/passwd" is not an http:// or https:// link'],
    ['not a url', '"not a url" is not a web address'],
    ['http://user:pw@example.org/', 'carries a user name or password'],
  ])('refuses %s', async (url, sentence) => {
    await expect(fetchUrl(url, loopback)).rejects.toThrow(sentence);
  });

  it.each([
    ['10.1.2.3'],
    ['172.16.0.1'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['0.0.0.0'],
    ['::1'],
    ['fe80::1'],
    ['fd00::1'],
    ['::ffff:10.0.0.1'],
    ['::ffff:127.0.0.1'],
  ])('refuses a name that resolves to %s (loopback too, without the test-only setting)', async (address) => {
    const resolve = async (): Promise<ResolvedAddress[]> => [
      { address, family: address.includes(':') ? 6 : 4 },
    ];
    const allowed = address === '::1' || address === '::ffff:127.0.0.1';
    const options = allowed ? { resolve } : { ...loopback, resolve };
    await expect(fetchUrl('http://intranet.example/', options)).rejects.toThrow(
      `leads to a private or local network address (${address})`,
    );
  });

  it('checks every address of a name, not only the first', async () => {
    const resolve = async (): Promise<ResolvedAddress[]> => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await expect(fetchUrl('http://mixed.example/', { resolve })).rejects.toThrow('(10.0.0.5)');
  });

  it('connects to the address it checked: the name is resolved once, never again by the connection', async () => {
    serve('/pinned', (_q, r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('pinned text'));
    let lookups = 0;
    const resolve = async (): Promise<ResolvedAddress[]> => {
      lookups++;
      // A rebinding resolver would answer differently the second time; there must not be one.
      return lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }];
    };
    const fetched = await fetchUrl(`http://docs.rebind.example:${port}/pinned`, { ...loopback, resolve });
    expect(new TextDecoder().decode(fetched.bytes)).toBe('pinned text');
    expect(lookups).toBe(1);
    expect(seen.at(-1)).toEqual({ path: '/pinned', host: `docs.rebind.example:${port}` });
  });

  it('checks the address of every redirect', async () => {
    const url = serve('/to-metadata', (_q, r) =>
      r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    await expect(fetchUrl(url, loopback)).rejects.toThrow(
      'leads to a private or local network address (169.254.169.254)',
    );
    const named = serve('/to-name', (_q, r) =>
      r.writeHead(301, { location: 'http://inside.example/' }).end(),
    );
    const resolve = async (host: string): Promise<ResolvedAddress[]> =>
      host === 'inside.example' ? [{ address: '192.168.0.10', family: 4 }] : [];
    await expect(fetchUrl(named, { ...loopback, resolve })).rejects.toThrow('(192.168.0.10)');
  });

  it('follows up to 5 redirects and refuses the sixth', async () => {
    for (let i = 0; i < 6; i++)
      serve(`/hop${i}`, (_q, r) => r.writeHead(302, { location: `/hop${i + 1}` }).end());
    serve('/hop6', (_q, r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('arrived'));
    const five = await fetchUrl(`${base}/hop1`, loopback);
    expect(five.finalUrl).toBe(`${base}/hop6`);
    await expect(fetchUrl(`${base}/hop0`, loopback)).rejects.toThrow(
      `${base}/hop0 could not be fetched: it redirects more than 5 times.`,
    );
  });

  it('refuses a body over the limit, whether it says its length or not, and a compressed one that unpacks over it', async () => {
    const big = serve('/big', (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5000' }).end('x'.repeat(5000)),
    );
    const streamed = serve('/streamed', (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 10; i++) r.write('y'.repeat(500));
      r.end();
    });
    const bomb = serve('/bomb', (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(1_000_000, 32))),
    );
    for (const url of [big, streamed, bomb])
      await expect(fetchUrl(url, { ...loopback, maxBytes: 4096 })).rejects.toThrow(
        `${url} is larger than 4 KB: add a shorter page, or paste the part that matters.`,
      );
  });

  it('reads a gzip-compressed page', async () => {
    const url = serve('/gz', (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(PAGE)),
    );
    expect(new TextDecoder().decode((await fetchUrl(url, loopback)).bytes)).toBe(PAGE);
  });

  it('gives up on a server that does not answer in time', async () => {
    const url = serve('/silent', () => undefined);
    await expect(fetchUrl(url, { ...loopback, timeoutMs: 300 })).rejects.toThrow(
      `${url} could not be fetched: it took longer than 0.3 seconds.`,
    );
  });

  it.each([
    [
      'an image',
      'image/png',
      'is a image/png file: only web pages (HTML), PDFs and plain text can be added.',
    ],
    ['no type', '', 'is of no stated type'],
  ])('refuses %s by its content type', async (_name, type, sentence) => {
    const url = serve(`/typed-${type.replace('/', '-')}`, (_q, r) =>
      r.writeHead(200, type === '' ? {} : { 'content-type': type }).end('bytes'),
    );
    await expect(fetchUrl(url, loopback)).rejects.toThrow(sentence);
  });

  it('says which HTTP status the server answered', async () => {
    await expect(fetchUrl(`${base}/missing`, loopback)).rejects.toThrow(
      `${base}/missing could not be fetched: the server answered HTTP 404.`,
    );
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['169.254.1.1', false],
    ['::', false],
    ['ff02::1', false],
    ['224.0.0.1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
