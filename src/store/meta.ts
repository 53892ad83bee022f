/**
 * Validation of document metadata, shared by the shipped corpus manifest, the per-server store and the
 * library's add/update, so that a date or url accepted in one place is accepted everywhere.
 */
import { z } from 'zod';
import type { DocumentMeta } from '../core/index.ts';
import { DOCUMENT_ID_PATTERN } from './ids.ts';

const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, naming a real month and day. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const monthNumber = Number(month);
  if (monthNumber < 1 || monthNumber > 12) return false;
  if (day === undefined) return true;
  const daysInMonth = new Date(Date.UTC(Number(year), monthNumber, 0)).getUTCDate();
  const dayNumber = Number(day);
  return dayNumber >= 1 && dayNumber <= daysInMonth;
}

/** An absolute http(s) URL. */
export function isWebUrl(value: string, protocols: readonly string[] = ['https:', 'http:']): boolean {
  if (!URL.canParse(value)) return false;
  return protocols.includes(new URL(value).protocol);
}

export const documentIdSchema = z
  .string()
  .regex(
    DOCUMENT_ID_PATTERN,
    'must be lower-case letters and digits joined by single hyphens, e.g. "un-tencent"',
  );

export const isoDateOrEmptySchema = z
  .string()
  .refine(
    (value) => value === '' || isIsoDate(value),
    'must be YYYY, YYYY-MM or YYYY-MM-DD (a real date), or empty',
  );

/** BCP 47 language tag, loosely: `en`, `en-GB`, `zh-Hant`, `und`. */
export const languageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "en" or "en-GB"');

export const provenanceSchema = z.strictObject({
  userId: z.string().min(1),
  userName: z.string(),
  at: z.iso.datetime({ offset: true }),
});

/** Describes a zod issue as `field "a.b" must ...`, for messages that name the field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? `field "${issue.path.map(String).join('.')}"` : 'the value';
  return `${field}: ${issue.message}`;
}

/** A server document's metadata as stored (in the database, and in the old `guilds/` files). */
export const storedMetaSchema = z.object({
  id: documentIdSchema,
  title: z.string().trim().min(1, 'must not be empty'),
  publisher: z.string(),
  date: isoDateOrEmptySchema,
  dateEstimated: z.boolean(),
  url: z.string().refine((url) => url === '' || isWebUrl(url), 'must be empty or an http(s) URL'),
  language: languageSchema,
  scope: z.string(),
  added: provenanceSchema.optional(),
  updated: provenanceSchema.optional(),
  fetchedAt: z.iso.datetime({ offset: true }).optional(),
});

/** Optional provenance absent from the file stays absent rather than becoming `undefined` keys. */
export function withoutUndefined(meta: z.infer<typeof storedMetaSchema>): DocumentMeta {
  const { added, updated, fetchedAt, ...rest } = meta;
  return {
    ...rest,
    ...(added ? { added } : {}),
    ...(updated ? { updated } : {}),
    ...(fetchedAt ? { fetchedAt } : {}),
  };
}
