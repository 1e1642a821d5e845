/**
 * Where a list or a layer is exported from: the same query as what is on screen, with every page
 * (no limit or offset), `format=csv|geojson` and the reader's language for the CSV headers. The
 * server applies the caller's field rules, so the web never decides what a file may hold.
 *
 * @example
 * listExportUrl('/tickets/list', { status: 'open', limit: 50, offset: 100 }, 'csv', 'zh');
 * // '/api/tickets/list?status=open&format=csv&lang=zh'
 */
import { apiUrl } from './api.ts';
import type { Lang } from './view-config.ts';

export type ExportFormat = 'csv' | 'geojson';
type Query = Record<string, string | number | boolean | undefined | null>;

/** Boolean filters as the API reads them: `true`, or absent. */
function normalise(query: Query): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k === 'limit' || k === 'offset' || v === undefined || v === null || v === false) continue;
    out[k] = v === true ? 'true' : v;
  }
  return out;
}

/** A workspace list's export: its query without the paging. */
export function listExportUrl(path: string, query: Query, format: ExportFormat, lang: Lang) {
  return apiUrl(path, { ...normalise(query), format, lang });
}

/**
 * A point layer's export (`/tickets/export`, `/hazards/export`): the layer's filters without the
 * viewport, so the file holds every point of the filter, not only those on screen.
 */
export function layerExportUrl(
  noun: 'tickets' | 'hazards',
  query: Query,
  format: ExportFormat,
  lang: Lang,
) {
  const { bbox: _bbox, ...rest } = normalise(query);
  return apiUrl(`/${noun}/export`, { ...rest, format, lang });
}

/** The name the browser saves the file under (the server's Content-Disposition says the same). */
export function exportFileName(what: string, format: ExportFormat, day = new Date()) {
  const beijing = new Date(day.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return `minqing-${what}-${beijing}.${format}`;
}
