/**
 * Downloads a Discord attachment at once (attachment URLs expire), within the download limits (connect,
 * idle and total time: see download-clock.ts) and the size limit, checked three ways: the size Discord
 * declares, the Content-Length the server declares, and the bytes that actually arrive (never more than
 * either declared size). Every way a download can fail ends in one sentence that names the file.
 */
import type { Attachment } from 'discord.js';
import { VerbatimError } from '../core/index.ts';
import type { DocumentSource } from '../library.ts';
import { DEFAULT_DOWNLOAD_LIMITS, DownloadClock, readCapped } from '../ingest/download-clock.ts';
import type { DownloadLimits } from '../ingest/download-clock.ts';

/** Largest attachment a moderator may add: 10 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

function tooLarge(name: string): VerbatimError {
  return new VerbatimError(
    'FILE_TOO_LARGE',
    `${name} is larger than 10 MB: split it, or paste the part that matters with the text option.`,
  );
}

function notDownloaded(name: string, why: string): VerbatimError {
  return new VerbatimError(
    'UNREADABLE_FILE',
    `${name} could not be downloaded from Discord: ${why}. Attach it again.`,
  );
}

export async function downloadAttachment(
  attachment: Pick<Attachment, 'name' | 'url' | 'size' | 'contentType'>,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
  maxBytes: number = MAX_ATTACHMENT_BYTES,
): Promise<Extract<DocumentSource, { kind: 'file' }>> {
  const { name } = attachment;
  if (attachment.size > maxBytes) throw tooLarge(name);
  const clock = new DownloadClock(limits);
  try {
    let response: Response;
    try {
      response = await fetch(attachment.url, { signal: clock.signal });
    } catch {
      throw notDownloaded(name, clock.expired ?? 'Discord could not be reached');
    }
    clock.progress();
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw notDownloaded(name, `Discord answered HTTP ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(length) && length > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge(name);
    }
    // Discord states each attachment's size: more bytes than that is not the file that was attached.
    const declared = attachment.size > 0 ? attachment.size : maxBytes;
    const bytes = await readCapped(response.body, Math.min(declared, maxBytes), clock, () => {
      throw declared < maxBytes
        ? notDownloaded(name, `it sent more than the ${declared.toLocaleString('en')} bytes it declared`)
        : tooLarge(name);
    }).catch((error: unknown) => {
      if (error instanceof VerbatimError) throw error;
      throw notDownloaded(name, clock.expired ?? 'the connection broke while it was being read');
    });
    const source: Extract<DocumentSource, { kind: 'file' }> = { kind: 'file', fileName: name, bytes };
    const contentType = attachment.contentType ?? response.headers.get('content-type') ?? undefined;
    if (contentType) source.contentType = contentType;
    return source;
  } finally {
    clock.stop();
  }
}
