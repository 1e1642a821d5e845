/**
 * Answers as files a planner can take away: CSV (UTF-8 with a byte-order mark, so Excel opens
 * Chinese correctly; CRLF lines; RFC 4180 quoting) and GeoJSON, with a file name that says what
 * and when. Large files stream (`streamCsv`, `streamGeoJson`): rows come in batches from an async
 * iterator and leave as chunks, read only as fast as the client takes them.
 */
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { csvChunks, featureCollectionChunks, type Column, type Geometry } from '../../geo/csv.ts';
import { cellBoundary } from '../../geo/h3cells.ts';
import { exportSlots } from '../services/export-slots.ts';

export { toCsv, type Column } from '../../geo/csv.ts';

export const exportFormat = z
  .enum(['json', 'csv', 'geojson'], { message: 'must be json, csv or geojson' })
  .default('json')
  .openapi({ param: { in: 'query', name: 'format' } });
export type ExportFormat = z.infer<typeof exportFormat>;

export function featureCollection<T>(
  rows: readonly T[],
  geometry: (row: T) => Geometry | null,
  properties: (row: T) => Record<string, unknown>,
  members: Record<string, unknown> = {},
) {
  return {
    type: 'FeatureCollection' as const,
    ...members,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: geometry(r),
      properties: properties(r),
    })),
  };
}

export const cellPolygon = (h3: string): Geometry => ({
  type: 'Polygon',
  coordinates: [cellBoundary(h3)],
});
export const point = (p: [number, number]): Geometry => ({ type: 'Point', coordinates: p });

/** `minqing-<what>-<from>_<to>.<ext>`, dates as Beijing days. */
export function fileName(
  what: string,
  ext: 'csv' | 'geojson',
  period?: { from: string; to: string },
) {
  const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
  const when = period ? `-${day(period.from)}_${day(period.to)}` : '';
  return `minqing-${what}${when}.${ext}`.replace(/[^\w.-]/g, '_');
}

/** A time range as `fileName`'s period (the last day is the one the exclusive end closes). */
export function periodOf(range: { from: Date; to: Date }) {
  return { from: range.from.toISOString(), to: new Date(range.to.getTime() - 1).toISOString() };
}

export function sendCsv(c: Context, body: string, name: string) {
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${name}"`);
  return c.body(body, 200);
}

export function sendGeoJsonFile(c: Context, body: unknown, name: string) {
  c.header('content-type', 'application/geo+json; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${name}"`);
  return c.body(JSON.stringify(body), 200);
}

/** The `format` of a list that can also be taken away as a file. */
export const listFormat = exportFormat;

/** The language of a CSV file's headers and labels: Chinese unless `lang=en`. */
export const exportLang = z
  .enum(['zh', 'en'], { message: 'must be zh or en' })
  .default('zh')
  .openapi({ param: { in: 'query', name: 'lang' } });
export type ExportLang = z.infer<typeof exportLang>;

const encoder = new TextEncoder();

/**
 * A response whose body is pulled from `chunks` one at a time: a chunk is produced only when the
 * client (through the socket and gzip) has taken the previous one, and a client that goes away
 * cancels the stream, which ends the generator (its `finally` blocks run, no further batch is read).
 */
export function streamFile(
  c: Context,
  chunks: AsyncGenerator<string>,
  name: string,
  contentType: string,
) {
  const fileHeaders = () => {
    c.header('content-type', contentType);
    c.header('content-disposition', `attachment; filename="${name}"`);
    c.header('cache-control', 'no-store');
  };
  // A HEAD is answered without a body: nothing would ever read or cancel the stream.
  if (c.req.method === 'HEAD') {
    void chunks.return(undefined);
    fileHeaders();
    return c.body(null, 200);
  }
  // Before the file's headers, so that a refusal is an error, not an attachment.
  const actor = c.get('actor');
  const free = exportSlots.take(
    actor ? `account:${actor.accountId}` : `address:${c.get('clientAddress')}`,
  );
  fileHeaders();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          free();
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        free();
        // Headers are gone already: all that is left is to break the download, so that the client
        // sees a truncated file instead of a complete-looking one.
        console.error('export stream failed:', err);
        controller.error(err);
      }
    },
    async cancel() {
      free();
      await chunks.return(undefined);
    },
  });
  return c.body(body, 200);
}

export function streamCsv<T>(
  c: Context,
  name: string,
  columns: readonly Column<T>[],
  batches: AsyncIterable<readonly T[]>,
) {
  return streamFile(c, csvChunks(columns, batches), name, 'text/csv; charset=utf-8');
}

export function streamGeoJson<T>(
  c: Context,
  name: string,
  batches: AsyncIterable<readonly T[]>,
  geometry: (row: T) => Geometry | null,
  properties: (row: T) => Record<string, unknown>,
  options: { id?: (row: T) => string | number; members?: Record<string, unknown> } = {},
) {
  return streamFile(
    c,
    featureCollectionChunks(batches, geometry, properties, options),
    name,
    'application/geo+json; charset=utf-8',
  );
}

/** A column in both languages; `columnsIn` picks the caller's. */
export interface BilingualColumn<T> {
  zh: string;
  en: string;
  value: (row: T, lang: ExportLang) => unknown;
}

export function columnsIn<T>(
  lang: ExportLang,
  columns: readonly BilingualColumn<T>[],
): Column<T>[] {
  return columns.map((c) => ({ header: c[lang], value: (row: T) => c.value(row, lang) }));
}

/** A vocabulary key as the reader's word (the key itself when the vocabulary lacks it). */
export function termIn(
  terms: readonly { key: string; zh: string; en: string }[],
  key: string | null | undefined,
  lang: ExportLang,
): string {
  if (key === null || key === undefined) return '';
  return terms.find((t) => t.key === key)?.[lang] ?? key;
}

/** A timestamp as Beijing time, `YYYY-MM-DD HH:mm:ss`, which spreadsheets read as a date. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export const yesNo = (v: unknown, lang: ExportLang) =>
  v === null || v === undefined
    ? ''
    : v
      ? lang === 'zh'
        ? '是'
        : 'yes'
      : lang === 'zh'
        ? '否'
        : 'no';

/** The 200 answers of a list that is also a file. */
export const fileContent = {
  'text/csv': { schema: z.string() },
  'application/geo+json': {
    schema: z.object({ type: z.literal('FeatureCollection') }).passthrough(),
  },
};
