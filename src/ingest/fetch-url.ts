/**
 * Fetches a web page or PDF that a moderator names by url, for `/document add url:` and `/document refresh`,
 * and hands it on as an uploaded file (extraction then runs in the extraction worker, as for attachments).
 *
 * Everything about the request is bounded: http and https only; at most 10 MB of body (after
 * decompression), 15 seconds in all, 5 redirects; the content type must be one we can read. And the bot must
 * never be turned into a way to reach what only it can reach (a cloud metadata service, the host's own
 * admin ports, the local network): before each request, redirects included, the host name is resolved,
 * every address it resolves to is checked (only global unicast addresses pass), and the connection is made
 * to the checked address itself (a pinned `lookup`), so a name that resolves differently a second later
 * (DNS rebinding) cannot slip past the check. TLS still verifies the certificate against the host name.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import ipaddr from 'ipaddr.js';
import { VerbatimError } from '../core/index.ts';
import { DownloadClock, readCapped } from './download-clock.ts';
import { MAX_FILE_BYTES } from './extract.ts';

export interface FetchUrlOptions {
  /** Most bytes of body accepted, after decompression. Default 10 MB, as for attachments. */
  maxBytes: number;
  /** The whole fetch, redirects and body included, in milliseconds. Default 15 000. */
  timeoutMs: number;
  /** Redirects followed. Default 5. */
  maxRedirects: number;
  /**
   * TESTS ONLY: also allow loopback addresses (127.0.0.0/8, ::1), so tests can fetch from the server they
   * start on 127.0.0.1. Private, link-local and every other non-public range stay refused.
   */
  allowLoopbackForTests: boolean;
  /** Resolves a host name to every address it has. Default: the system resolver. Tests pass their own. */
  resolve: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export const defaultFetchUrlOptions: FetchUrlOptions = {
  maxBytes: MAX_FILE_BYTES,
  timeoutMs: 15_000,
  maxRedirects: 5,
  allowLoopbackForTests: false,
  resolve: async (hostname) =>
    (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
      address,
      family: family === 6 ? 6 : 4,
    })),
};

/** A fetched document, as an uploaded file for the extractor. */
export interface FetchedDocument {
  kind: 'file';
  /** A name for messages, with the extension of the content type (so the extractor reads it as served). */
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  /** The url asked for, and the one the body came from after redirects. */
  url: string;
  finalUrl: string;
  /** When the body was received, ISO 8601. */
  fetchedAt: string;
}

/** Content types we extract, with the extension that makes the extractor read them that way. */
const READABLE_TYPES: Readonly<Record<string, string>> = {
  'text/html': '.html',
  'application/xhtml+xml': '.html',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/markdown': '.md',
  'text/x-markdown': '.md',
};

const USER_AGENT = 'verbatim-bot (fetching a document a server moderator added)';

function refuse(sentence: string): VerbatimError {
  return new VerbatimError('BAD_OPTION', sentence);
}

function unreadable(url: string, why: string): VerbatimError {
  return new VerbatimError('UNREADABLE_FILE', `${url} could not be fetched: ${why}.`);
}

/** The url as a URL, or a refusal naming what is wrong with it. */
export function checkFetchableUrl(url: string): URL {
  if (!URL.canParse(url))
    throw refuse(`"${url}" is not a web address: give a full http:// or https:// link.`);
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw refuse(
      `"${url}" is not an http:// or https:// link: only web pages and PDFs on the web can be fetched.`,
    );
  if (parsed.username !== '' || parsed.password !== '')
    throw refuse(`"${url}" carries a user name or password: give the link without them.`);
  return parsed;
}

/**
 * Whether the bot may connect to `address`: only global unicast (ipaddr.js's `unicast` range, which leaves
 * out private, loopback, link-local, unique-local, CGNAT, multicast, reserved and translation ranges). An
 * IPv4-mapped IPv6 address is judged as the IPv4 address it maps.
 */
export function isPublicAddress(address: string, allowLoopback = false): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' || (allowLoopback && range === 'loopback');
}

/** The checked address to connect to for `url`'s host; refuses when any address of the name is not public. */
async function checkedAddress(url: URL, options: FetchUrlOptions): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await options.resolve(host);
    } catch {
      throw unreadable(url.href, `the name ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw unreadable(url.href, `the name ${host} does not resolve`);
  // Every address, not only the first: a name may list a public address next to a private one.
  const blocked = addresses.find((a) => !isPublicAddress(a.address, options.allowLoopbackForTests));
  if (blocked)
    throw refuse(
      `${url.href} leads to a private or local network address (${blocked.address}), which the bot never fetches from: give a public web address.`,
    );
  return addresses[0] as ResolvedAddress;
}

/** `work`, or `late()` thrown as soon as `signal` aborts (a resolver that hangs is not waited for). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, late: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(late());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(late());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A `lookup` that answers every name with the address already checked (no second resolution). */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;
}

function send(url: URL, pinned: ResolvedAddress, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'GET',
        lookup: pinnedLookup(pinned),
        signal,
        headers: {
          'user-agent': USER_AGENT,
          accept: 'text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,text/markdown;q=0.9',
          'accept-encoding': 'gzip, deflate, br',
        },
      },
      resolve,
    );
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** The body, decompressed, refused as soon as it passes `maxBytes`. */
async function readBody(
  response: IncomingMessage,
  url: string,
  maxBytes: number,
  clock: DownloadClock,
  tooLarge: () => VerbatimError,
): Promise<Uint8Array> {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(createInflate());
  else if (encoding === 'br') stream = response.pipe(createBrotliDecompress());
  else if (encoding !== 'identity')
    throw unreadable(url, `it is sent with an encoding I cannot read (${encoding})`);
  try {
    // Counted after decompression: a small compressed body cannot unpack into more than the limit.
    return await readCapped(stream, maxBytes, clock, () => {
      throw tooLarge();
    });
  } finally {
    response.destroy();
    if (stream !== response) stream.destroy();
  }
}

/** A file name for messages: the url's last path segment (or its host), with the served type's extension. */
function fileNameOf(url: URL, extension: string): string {
  const last = decodeURIComponentSafe(
    url.pathname
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? '',
  );
  const base = (last.replace(/\.[^.]*$/, '') || url.hostname)
    .replace(/[^\p{L}\p{N}._ -]+/gu, '-')
    .slice(0, 80);
  return `${base}${extension}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Fetches `url` within the limits above. Refusals are VerbatimErrors with one sentence: BAD_OPTION for a
 * url that may not be fetched (scheme, private address), FILE_TOO_LARGE, UNSUPPORTED_TYPE, and
 * UNREADABLE_FILE for a fetch that failed (network, HTTP status, too slow, too many redirects).
 */
export async function fetchUrl(url: string, given: Partial<FetchUrlOptions> = {}): Promise<FetchedDocument> {
  const options = { ...defaultFetchUrlOptions, ...given };
  const first = checkFetchableUrl(url);
  const limit =
    options.maxBytes >= 1024 * 1024
      ? `${Math.round((options.maxBytes / (1024 * 1024)) * 10) / 10} MB`
      : `${Math.floor(options.maxBytes / 1024)} KB`;
  const tooLarge = (): VerbatimError =>
    new VerbatimError(
      'FILE_TOO_LARGE',
      `${url} is larger than ${limit}: add a shorter page, or paste the part that matters.`,
    );
  // One limit for the whole fetch: a page is fetched once, on a moderator's request, from anywhere.
  const clock = new DownloadClock({
    connectMs: options.timeoutMs,
    idleMs: options.timeoutMs,
    totalMs: options.timeoutMs,
  });
  try {
    let current = first;
    for (let redirects = 0; ; redirects++) {
      const pinned = await untilAborted(checkedAddress(current, options), clock.signal, () =>
        unreadable(url, `it took longer than ${options.timeoutMs / 1000} seconds`),
      );
      let response: IncomingMessage;
      try {
        response = await send(current, pinned, clock.signal);
      } catch {
        if (clock.signal.aborted)
          throw unreadable(url, `it took longer than ${options.timeoutMs / 1000} seconds`);
        throw unreadable(url, `the server at ${current.host} could not be reached`);
      }
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location !== undefined) {
        response.destroy();
        if (redirects >= options.maxRedirects)
          throw unreadable(url, `it redirects more than ${options.maxRedirects} times`);
        const next = new URL(response.headers.location, current);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          throw refuse(`${url} redirects to "${next.href}", which is not an http:// or https:// link.`);
        current = checkFetchableUrl(next.href);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.destroy();
        throw unreadable(url, `the server answered HTTP ${status}`);
      }
      const contentType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const extension = READABLE_TYPES[contentType];
      if (extension === undefined) {
        response.destroy();
        throw new VerbatimError(
          'UNSUPPORTED_TYPE',
          `${url} is ${contentType === '' ? 'of no stated type' : `a ${contentType} file`}: only web pages (HTML), PDFs and plain text can be added.`,
        );
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.destroy();
        throw tooLarge();
      }
      let bytes: Uint8Array;
      try {
        bytes = await readBody(response, url, options.maxBytes, clock, tooLarge);
      } catch (error) {
        if (error instanceof VerbatimError) throw error;
        if (clock.signal.aborted)
          throw unreadable(url, `it took longer than ${options.timeoutMs / 1000} seconds`);
        throw unreadable(url, 'the connection broke while it was being read');
      }
      return {
        kind: 'file',
        fileName: fileNameOf(current, extension),
        contentType: response.headers['content-type'] ?? contentType,
        bytes,
        url,
        finalUrl: current.href,
        fetchedAt: new Date().toISOString(),
      };
    }
  } finally {
    clock.stop();
  }
}
