/**
 * The analytics API (GET /api/analytics/…) as URLs and calls. The URL of what is shown is also
 * the URL of its export: the same query with `format=csv|geojson`, so a download is exactly the
 * table or the map on screen.
 *
 * @example
 * hotspotsUrl({ ...filter, res: 8, metric: 'count', k: 1 }, 'csv');
 * // '/api/analytics/hotspots?from=2026-01-01&res=8&metric=count&k=1&format=csv'
 */
import { apiUrl, request, send } from '../api.ts';
import type {
  AreaRankRow,
  CellDetail,
  Compare,
  CompoundFacts,
  CoverageRisk,
  Emerging,
  Hotspots,
  LonLat,
  Renovation,
  SelectionDetail,
  Series,
} from '../types.ts';
import type { TicketFilters } from '../view-config.ts';
import type {
  CompareBy,
  CoverageBy,
  DateRange,
  Metric,
  RankLevel,
  Resolution,
  Rings,
} from './config.ts';

export type ExportFormat = 'csv' | 'geojson';

/** The map filter as the analytics read it ('open' is the tickets API's shortcut, kept as is). */
export function filterQuery(
  f: TicketFilters,
  parts: readonly ('category' | 'channel' | 'status' | 'period')[] = [
    'category',
    'channel',
    'status',
    'period',
  ],
): Record<string, string | undefined> {
  const q: Record<string, string | undefined> = {};
  if (parts.includes('category') && f.category.length) q.category = f.category.join(',');
  if (parts.includes('channel') && f.channel.length) q.channel = f.channel.join(',');
  if (parts.includes('status') && f.status.length) q.status = f.status.join(',');
  if (parts.includes('period')) {
    if (f.from) q.from = f.from;
    if (f.to) q.to = f.to;
  }
  return q;
}

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query: Query, format?: ExportFormat): string {
  return apiUrl(`/analytics${path}`, format ? { ...query, format } : query);
}

export interface HotspotsQuery {
  filter: TicketFilters;
  res: Resolution;
  metric: Metric;
  k: Rings;
}

export const hotspotsUrl = (q: HotspotsQuery, format?: ExportFormat) =>
  url('/hotspots', { ...filterQuery(q.filter), res: q.res, metric: q.metric, k: q.k }, format);

export interface EmergingQuery {
  filter: TicketFilters;
  months: number;
  res: Resolution;
  k: Rings;
}

export const emergingUrl = (q: EmergingQuery, format?: ExportFormat) =>
  url(
    '/emerging',
    { ...filterQuery(q.filter, ['category']), months: q.months, res: q.res, k: q.k },
    format,
  );

export interface CompareQuery {
  filter: TicketFilters;
  a: DateRange;
  b: DateRange;
  by: CompareBy;
  res: Resolution;
  level: RankLevel;
}

export const compareUrl = (q: CompareQuery, format?: ExportFormat) =>
  url(
    '/compare',
    {
      ...filterQuery(q.filter, ['category']),
      a: `${q.a.from},${q.a.to}`,
      b: `${q.b.from},${q.b.to}`,
      by: q.by,
      res: q.res,
      level: q.by === 'area' ? q.level : undefined,
    },
    format,
  );

export const cellUrl = (h3: string, filter: TicketFilters, format?: ExportFormat) =>
  url(`/cells/${h3}`, filterQuery(filter, ['category', 'channel', 'period']), format);

export interface SeriesQuery {
  filter: TicketFilters;
  area: number | null;
  from: string;
  to: string;
  grain: 'day' | 'month';
}

export const seriesUrl = (q: SeriesQuery, format?: ExportFormat) =>
  url(
    '/series',
    {
      ...filterQuery(q.filter, ['category', 'channel']),
      area: q.area,
      from: q.from,
      to: q.to,
      grain: q.grain,
    },
    format,
  );

/** The areas of a level with their counts and rates: the hot-spot view's choropleth. */
export interface AreaMap {
  period: { from: string; to: string };
  rows: AreaRankRow[];
}

export interface AreasQuery {
  filter: TicketFilters;
  level: RankLevel;
  parent: number | null;
}

export const areasUrl = (q: AreasQuery, format?: ExportFormat) =>
  url(
    '/areas',
    {
      ...filterQuery(q.filter, ['category', 'channel', 'period']),
      level: q.level,
      parent: q.parent,
    },
    format,
  );

export interface RenovationQuery {
  /** 'any': every compound (the API's default is the 2001 policy line) */
  builtBefore: number | 'any';
  area: number | null;
  limit: number;
  offset?: number;
}

export const renovationUrl = (q: RenovationQuery, format?: ExportFormat) =>
  url(
    '/renovation',
    { builtBefore: q.builtBefore, area: q.area, limit: q.limit, offset: q.offset || undefined },
    format,
  );

export interface CoverageQuery {
  filter: TicketFilters;
  by: CoverageBy;
  res: Resolution;
  area: number | null;
}

/** Patrols against risk over the filter's period (its categories do not apply: risk is all). */
export const coverageUrl = (q: CoverageQuery, format?: ExportFormat) =>
  url(
    '/coverage',
    {
      ...filterQuery(q.filter, ['period']),
      by: q.by,
      res: q.by === 'h3' ? q.res : undefined,
      area: q.area,
    },
    format,
  );

/** Polygon rings (outer first) of an outline, one entry per part of a multipolygon. */
export type Outline = [number, number][][][];

/**
 * The outlines of an answer's rows by their `key`, from its GeoJSON export (the same query with
 * `format=geojson`): grids or areas, simplified by the server.
 */
export async function outlines(u: string, signal?: AbortSignal): Promise<Map<string, Outline>> {
  const fc = await get<{
    features: {
      geometry: { type: string; coordinates: unknown } | null;
      properties: { key?: string | number; id?: string | number };
    }[];
  }>(u, signal);
  const out = new Map<string, Outline>();
  for (const f of fc.features) {
    const g = f.geometry;
    // comparisons and coverage name a row by `key`; the area ranking by its `id`
    const key = f.properties.key ?? f.properties.id;
    if (!g || key === undefined) continue;
    if (g.type === 'Polygon') out.set(String(key), [g.coordinates as [number, number][][]]);
    else if (g.type === 'MultiPolygon') out.set(String(key), g.coordinates as Outline);
  }
  return out;
}

/**
 * Outlines kept so far with newly fetched ones, as a new map (the state holds it raw and
 * replaces it whole); bounded so a long session does not grow without end.
 */
export function mergeOutlines(
  kept: ReadonlyMap<string, Outline>,
  fetched: ReadonlyMap<string, Outline>,
  max = 20_000,
): ReadonlyMap<string, Outline> {
  const out = new Map(kept.size + fetched.size > max ? [] : kept);
  for (const [k, v] of fetched) out.set(k, v);
  return out;
}

export const NO_OUTLINES: ReadonlyMap<string, Outline> = new Map();

export const compoundsUrl = (builtBefore: number | null, format?: ExportFormat) =>
  url('/compounds', { builtBefore }, format);

export interface SelectionBody {
  polygon: { type: 'Polygon'; coordinates: LonLat[][] };
  from?: string;
  to?: string;
  category?: string[];
  channel?: string[];
}

/** The drawn ring, closed, with the filter's period, categories and channels. */
export function selectionBody(ring: LonLat[], f: TicketFilters): SelectionBody {
  const closed = [...ring, ring[0]];
  const body: SelectionBody = { polygon: { type: 'Polygon', coordinates: [closed] } };
  if (f.from) body.from = f.from;
  if (f.to) body.to = f.to;
  if (f.category.length) body.category = f.category;
  if (f.channel.length) body.channel = f.channel;
  return body;
}

export const selectionUrl = (format?: ExportFormat) => url('/selection', {}, format);

async function get<T>(u: string, signal?: AbortSignal): Promise<T> {
  return send<T>('GET', u, undefined, { signal });
}

export const analytics = {
  hotspots: (q: HotspotsQuery, signal?: AbortSignal) => get<Hotspots>(hotspotsUrl(q), signal),
  emerging: (q: EmergingQuery, signal?: AbortSignal) => get<Emerging>(emergingUrl(q), signal),
  compare: (q: CompareQuery, signal?: AbortSignal) => get<Compare>(compareUrl(q), signal),
  cell: (h3: string, f: TicketFilters, signal?: AbortSignal) =>
    get<CellDetail>(cellUrl(h3, f), signal),
  series: (q: SeriesQuery, signal?: AbortSignal) => get<Series>(seriesUrl(q), signal),
  areas: (q: AreasQuery, signal?: AbortSignal) => get<AreaMap>(areasUrl(q), signal),
  renovation: (q: RenovationQuery, signal?: AbortSignal) =>
    get<Renovation>(renovationUrl(q), signal),
  coverage: (q: CoverageQuery, signal?: AbortSignal) => get<CoverageRisk>(coverageUrl(q), signal),
  compounds: (builtBefore: number | null, signal?: AbortSignal) =>
    get<{ items: CompoundFacts[] }>(compoundsUrl(builtBefore), signal),
  selection: (body: SelectionBody, signal?: AbortSignal) =>
    send<SelectionDetail>('POST', selectionUrl(), body, { signal }),
  /** The drawn selection's tickets as a file (a POST, so a download made from its answer). */
  selectionFile: async (body: SelectionBody, format: ExportFormat): Promise<Blob> => {
    const res = await request(selectionUrl(format), undefined, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.blob();
  },
};

/** Saves a blob under a name (a link clicked by script: the browser's own download). */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A download's file name: the product, what it is, its parameters and the period, ASCII only so
 * every GIS tool and file system takes it.
 *
 * @example
 * exportFilename('hotspots', ['res8', 'count'], { from: '2026-01-01', to: '' }, 'csv');
 * // 'minqing-hotspots-res8-count-2026-01-01_now.csv'
 */
export function exportFilename(
  what: string,
  params: readonly (string | number | null | undefined | false)[],
  period: { from: string; to: string } | null,
  ext: ExportFormat | 'png',
): string {
  const parts = [
    'minqing',
    what,
    ...params.filter(
      (p): p is string | number => p !== null && p !== undefined && p !== false && p !== '',
    ),
  ].map((p) =>
    String(p)
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, ''),
  );
  if (period) parts.push(`${period.from || 'last365'}_${period.to || 'now'}`);
  return `${parts.filter(Boolean).join('-')}.${ext}`;
}
