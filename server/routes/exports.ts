/**
 * Answers as files a planner can take away: CSV (UTF-8 with a byte-order mark, so Excel opens
 * Chinese correctly; CRLF lines; RFC 4180 quoting) and GeoJSON, with a file name that says what
 * and when.
 */
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { cellBoundary } from '../../geo/h3cells.ts';

export const exportFormat = z
  .enum(['json', 'csv', 'geojson'], { message: 'must be json, csv or geojson' })
  .default('json')
  .openapi({ param: { in: 'query', name: 'format' } });
export type ExportFormat = z.infer<typeof exportFormat>;

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)
 * is prefixed with an apostrophe, as OWASP advises for CSV injection.
 */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: string; coordinates: unknown };

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
