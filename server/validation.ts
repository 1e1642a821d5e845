import { z } from '@hono/zod-openapi';
import type { Term } from '../geo/vocabulary.ts';
import { badRequest } from './errors.ts';

/** `minLon,minLat,maxLon,maxLat` in WGS-84. */
export const bboxParam = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => p.trim());
    const nums = parts.map(Number);
    if (
      parts.length !== 4 ||
      parts.some((p) => p === '') ||
      nums.some((n) => !Number.isFinite(n))
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be four numbers: minLon,minLat,maxLon,maxLat',
      });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = nums as [number, number, number, number];
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      ctx.addIssue({
        code: 'custom',
        message: 'longitudes must be within -180..180 and latitudes within -90..90',
      });
      return z.NEVER;
    }
    if (minLon >= maxLon || minLat >= maxLat) {
      ctx.addIssue({
        code: 'custom',
        message: 'min must be less than max (minLon,minLat,maxLon,maxLat)',
      });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat] as const;
  })
  .openapi({ param: { in: 'query', name: 'bbox' }, example: '103.7,36.0,103.9,36.1' });
export type Bbox = readonly [number, number, number, number];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Rejects 2026-02-30 and friends, which `Date` silently rolls over into March. */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** An ISO date or date-time; a bare date is midnight China Standard Time (UTC+8). */
export const dateParam = z.string().transform((s, ctx) => {
  const text = s.trim();
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00+08:00`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? text
      : `${text}+08:00`;
  const d = new Date(withZone);
  if (!ISO_DATE.test(text) || Number.isNaN(d.getTime()) || !isCalendarDate(text.slice(0, 10))) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an ISO date like 2026-01-31 or 2026-01-31T08:00:00+08:00',
    });
    return z.NEVER;
  }
  return d;
});

/** Comma-separated keys of a vocabulary; `open` may stand for a group when given. */
export function keyListParam<K extends string>(
  terms: readonly Term<K>[],
  aliases: Record<string, readonly K[]> = {},
) {
  const known = new Set<string>(terms.map((t) => t.key));
  return z.string().transform((s, ctx) => {
    const out = new Set<K>();
    for (const raw of s.split(',')) {
      const key = raw.trim();
      if (key === '') continue;
      if (aliases[key]) aliases[key].forEach((k) => out.add(k));
      else if (known.has(key)) out.add(key as K);
      else {
        const allowed = [...known, ...Object.keys(aliases)].join(', ');
        ctx.addIssue({ code: 'custom', message: `unknown value '${key}'; allowed: ${allowed}` });
        return z.NEVER;
      }
    }
    if (out.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'must name at least one value' });
      return z.NEVER;
    }
    return [...out];
  });
}

/** Ids are PostgreSQL `integer`s: anything above this is no record of ours. */
export const MAX_ID = 2_147_483_647;

export const idParam = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a positive integer id')
  .transform(Number)
  .refine((n) => n >= 1 && n <= MAX_ID, 'must be a positive integer id');

/** An id in a JSON body: a positive whole number that fits the database's `integer`. */
export const idField = z
  .number({ message: 'must be a positive integer id' })
  .int('must be a positive integer id')
  .min(1, 'must be a positive integer id')
  .max(MAX_ID, 'must be a positive integer id');

export const limitParam = (max: number, fallback: number) =>
  z.coerce
    .number({ message: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(fallback);

export const formatParam = z.enum(['geojson', 'binary']).default('geojson');

export interface TimeRange {
  from: Date;
  to: Date;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Resolves optional from/to into a range, by default the last 365 days. */
export function resolveRange(
  from: Date | undefined,
  to: Date | undefined,
  now = Date.now(),
): TimeRange {
  // A default end of "now" is rounded up to the next minute so that repeated requests share
  // cached results and a ticket received this second is still inside the range.
  const end = to ?? new Date(Math.ceil(now / 60000) * 60000);
  const start = from ?? new Date(end.getTime() - YEAR_MS);
  return { from: start, to: end };
}

/** `resolveRange`, refusing a range that ends before it starts. */
export function checkedRange(from: Date | undefined, to: Date | undefined): TimeRange {
  const range = resolveRange(from, to);
  if (range.from >= range.to) throw badRequest(`parameter 'from' must be before 'to'`);
  return range;
}

/** `[lon, lat]` in WGS-84; whether it is inside Lanzhou is for the service to say. */
export const positionField = z.tuple(
  [
    z.number({ message: 'must be [lon, lat]: two numbers' }).min(-180).max(180),
    z.number({ message: 'must be [lon, lat]: two numbers' }).min(-90).max(90),
  ],
  { message: 'must be [lon, lat]: two numbers in WGS-84 degrees' },
);

/** A trimmed text field with a length the message states. */
export const textField = (min: number, max: number) =>
  z
    .string({ message: `must be text of ${min} to ${max} characters` })
    .trim()
    .min(min, `must be text of ${min} to ${max} characters`)
    .max(max, `must be at most ${max} characters`);

export const booleanParam = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((s) => s === 'true' || s === '1');

export const offsetParam = z.coerce
  .number({ message: 'must be a whole number from 0' })
  .int('must be a whole number from 0')
  .min(0, 'must be a whole number from 0')
  .max(1_000_000, 'must be at most 1000000')
  .default(0);

/** A calendar date `YYYY-MM-DD` (a Beijing day). */
export const dayParam = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isCalendarDate(s), {
    message: 'must be a date like 2026-11-26',
  });
