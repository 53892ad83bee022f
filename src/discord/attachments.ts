/**
 * Downloads a Discord attachment at once (attachment URLs expire), refusing files over the size limit
 * both before reading (the size Discord reports) and while reading (the bytes that actually arrive).
 */
import type { Attachment } from 'discord.js';
import { VerbatimError } from '../core/index.ts';
import type { DocumentSource } from '../library.ts';

/** Largest attachment a moderator may add: 10 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

function tooLarge(name: string): VerbatimError {
  return new VerbatimError(
    'FILE_TOO_LARGE',
    `${name} is larger than 10 MB: split it, or paste the part that matters with the text option.`,
  );
}

export async function downloadAttachment(
  attachment: Pick<Attachment, 'name' | 'url' | 'size' | 'contentType'>,
  maxBytes: number = MAX_ATTACHMENT_BYTES,
): Promise<Extract<DocumentSource, { kind: 'file' }>> {
  if (attachment.size > maxBytes) throw tooLarge(attachment.name);
  let response: Response;
  try {
    response = await fetch(attachment.url);
  } catch {
    throw new VerbatimError(
      'UNREADABLE_FILE',
      `${attachment.name} could not be downloaded from Discord: attach it again.`,
    );
  }
  if (!response.ok || !response.body) {
    throw new VerbatimError(
      'UNREADABLE_FILE',
      `${attachment.name} could not be downloaded from Discord (HTTP ${response.status}): attach it again.`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(attachment.name);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const source: Extract<DocumentSource, { kind: 'file' }> = {
    kind: 'file',
    fileName: attachment.name,
    bytes,
  };
  const contentType = attachment.contentType ?? response.headers.get('content-type') ?? undefined;
  if (contentType) source.contentType = contentType;
  return source;
}
