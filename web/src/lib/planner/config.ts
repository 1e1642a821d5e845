/**
 * The planner's workbench (规划研判) as plain data, kept in the URL beside the view config
 * (view-config.ts): which analysis, the H3 resolution, what colours the cells, the facts layer,
 * the periods compared, the open cell and the drawn polygon. Defaults are left out of the URL.
 *
 * @example
 * const c = decodePlanner('?mode=planner&res=9&pc=rate&cell=8831aa5555fffff');
 * encodePlanner(c); // 'mode=planner&res=9&pc=rate&cell=8831aa5555fffff'
 */
import type { LonLat } from '../types.ts';

export const PLANNER_VIEWS = ['hotspots', 'emerging', 'compare', 'coverage'] as const;
export type PlannerView = (typeof PLANNER_VIEWS)[number];

export const RESOLUTIONS = [7, 8, 9] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const HEX_COLOR_BY = ['class', 'count', 'rate'] as const;
export type HexColorBy = (typeof HEX_COLOR_BY)[number];

export const METRICS = ['count', 'rate'] as const;
export type Metric = (typeof METRICS)[number];

export const RINGS = [1, 2, 3] as const;
export type Rings = (typeof RINGS)[number];

export const FACTS = ['yearBuilt', 'pipes', 'elevator', 'parking'] as const;
export type FactKey = (typeof FACTS)[number];

export const PLANNER_TABS = [
  'cell',
  'charts',
  'areas',
  'renovation',
  'compare',
  'coverage',
] as const;
export type PlannerTab = (typeof PLANNER_TABS)[number];

export const COMPARE_BY = ['h3', 'area'] as const;
export type CompareBy = (typeof COMPARE_BY)[number];

/** Patrol coverage against risk: per grid (patrols) or per H3 cell (check-ins). */
export const COVERAGE_BY = ['grid', 'h3'] as const;
export type CoverageBy = (typeof COVERAGE_BY)[number];

export const RANK_LEVELS = ['district', 'subdistrict', 'community', 'grid', 'compound'] as const;
export type RankLevel = (typeof RANK_LEVELS)[number];

/** What the hot-spot view maps: H3 cells (Gi*) or the areas of a level (a choropleth). */
export const HOT_UNITS = ['h3', 'district', 'subdistrict', 'community', 'grid'] as const;
export type HotUnit = (typeof HOT_UNITS)[number];
export type AreaUnit = Exclude<HotUnit, 'h3'>;

/** The national 老旧小区 line: compounds built before the end of 2000. */
export const OLD_COMPOUND_BEFORE = 2001;

/** A period as the API takes it: ISO dates, `to` exclusive. */
export interface DateRange {
  from: string;
  to: string;
}

export interface PlannerConfig {
  /** `mode=planner`: the workbench replaces the supervisor's panels */
  active: boolean;
  view: PlannerView;
  res: Resolution;
  /** what the Gi* statistic is computed on */
  metric: Metric;
  /** what colours the hex cells (hot-spot view) */
  colorBy: HexColorBy;
  /** the hot-spot view's unit: H3 cells or the areas of a level */
  unit: HotUnit;
  k: Rings;
  extrude: boolean;
  /** the compound facts layer: off (null) or the fact it is coloured by */
  facts: FactKey | null;
  /** only compounds built before 2001 (facts layer and renovation table) */
  oldOnly: boolean;
  /** months of the emerging hot-spot analysis */
  months: number;
  /** compared periods; null: this quarter to date against the same days last year */
  a: DateRange | null;
  b: DateRange | null;
  by: CompareBy;
  level: RankLevel;
  /** what patrol coverage is counted per */
  cov: CoverageBy;
  tab: PlannerTab;
  /** the open cell (H3 index) */
  cell: string | null;
  /** a drawn selection polygon (open ring, at least three vertices) */
  polygon: LonLat[] | null;
}

export function defaultPlanner(): PlannerConfig {
  return {
    active: false,
    view: 'hotspots',
    res: 8,
    metric: 'count',
    colorBy: 'class',
    unit: 'h3',
    k: 1,
    extrude: false,
    facts: null,
    oldOnly: false,
    months: 12,
    a: null,
    b: null,
    by: 'h3',
    level: 'district',
    cov: 'grid',
    tab: 'charts',
    cell: null,
    polygon: null,
  };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const H3_RE = /^[0-9a-f]{15}$/;

function oneOf<T extends string | number>(list: readonly T[], value: string | null): T | null {
  if (value === null) return null;
  return list.find((x) => String(x) === value) ?? null;
}

function encodeRange(r: DateRange): string {
  return `${r.from},${r.to}`;
}

function decodeRange(value: string | null): DateRange | null {
  const [from, to, extra] = (value ?? '').split(',');
  if (extra !== undefined || !DATE_RE.test(from ?? '') || !DATE_RE.test(to ?? '')) return null;
  return from < to ? { from, to } : null;
}

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

function encodePolygon(ring: LonLat[]): string {
  return ring.map(([x, y]) => `${round5(x)},${round5(y)}`).join(';');
}

function decodePolygon(value: string | null): LonLat[] | null {
  if (!value) return null;
  const ring: LonLat[] = [];
  for (const pair of value.split(';').slice(0, 200)) {
    const [x, y] = pair.split(',').map(Number);
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90)
      return null;
    ring.push([x, y]);
  }
  return ring.length >= 3 ? ring : null;
}

/** The planner's query parameters (without '?'); empty when the workbench is off. */
export function encodePlanner(c: PlannerConfig): string {
  if (!c.active) return '';
  const d = defaultPlanner();
  const q = new URLSearchParams();
  q.set('mode', 'planner');
  if (c.view !== d.view) q.set('pv', c.view);
  if (c.res !== d.res) q.set('res', String(c.res));
  if (c.metric !== d.metric) q.set('pm', c.metric);
  if (c.colorBy !== d.colorBy) q.set('pc', c.colorBy);
  if (c.unit !== d.unit) q.set('hu', c.unit);
  if (c.k !== d.k) q.set('k', String(c.k));
  if (c.extrude) q.set('p3d', '1');
  if (c.facts) q.set('facts', c.facts);
  if (c.oldOnly) q.set('old', '1');
  if (c.months !== d.months) q.set('em', String(c.months));
  if (c.a) q.set('ca', encodeRange(c.a));
  if (c.b) q.set('cb', encodeRange(c.b));
  if (c.by !== d.by) q.set('by', c.by);
  if (c.level !== d.level) q.set('lvl', c.level);
  if (c.cov !== d.cov) q.set('cov', c.cov);
  if (c.tab !== d.tab) q.set('ptab', c.tab);
  if (c.cell) q.set('cell', c.cell);
  if (c.polygon) q.set('poly', encodePolygon(c.polygon));
  return q.toString().replace(/%2C/g, ',').replace(/%3B/g, ';');
}

/** Reads the planner's part of a query string; anything unknown falls back to the default. */
export function decodePlanner(search: string): PlannerConfig {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const c = defaultPlanner();
  c.active = q.get('mode') === 'planner';
  c.view = oneOf(PLANNER_VIEWS, q.get('pv')) ?? c.view;
  c.res = oneOf(RESOLUTIONS, q.get('res')) ?? c.res;
  c.metric = oneOf(METRICS, q.get('pm')) ?? c.metric;
  c.colorBy = oneOf(HEX_COLOR_BY, q.get('pc')) ?? c.colorBy;
  c.unit = oneOf(HOT_UNITS, q.get('hu')) ?? c.unit;
  c.k = oneOf(RINGS, q.get('k')) ?? c.k;
  c.extrude = q.get('p3d') === '1';
  c.facts = oneOf(FACTS, q.get('facts'));
  c.oldOnly = q.get('old') === '1';
  const months = Number(q.get('em'));
  if (Number.isInteger(months) && months >= 3 && months <= 24) c.months = months;
  c.a = decodeRange(q.get('ca'));
  c.b = decodeRange(q.get('cb'));
  c.by = oneOf(COMPARE_BY, q.get('by')) ?? c.by;
  c.level = oneOf(RANK_LEVELS, q.get('lvl')) ?? c.level;
  c.cov = oneOf(COVERAGE_BY, q.get('cov')) ?? c.cov;
  c.tab = oneOf(PLANNER_TABS, q.get('ptab')) ?? c.tab;
  const cell = q.get('cell');
  c.cell = cell && H3_RE.test(cell) ? cell : null;
  c.polygon = decodePolygon(q.get('poly'));
  return c;
}

/** Areas are coloured by count or rate; the hot-spot class is the cells' own (Gi*). */
export function areaColorBy(c: Pick<PlannerConfig, 'colorBy'>): 'count' | 'rate' {
  return c.colorBy === 'rate' ? 'rate' : 'count';
}

// Calendar arithmetic on Beijing dates (YYYY-MM-DD): plain UTC dates, no zone involved.

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return ymd(d);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return ymd(d);
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/**
 * This quarter to date (B) against the same days a year earlier (A): the default comparison.
 * `today` is a Beijing date; periods end exclusive, so B ends tomorrow.
 */
export function defaultComparison(today: string): { a: DateRange; b: DateRange } {
  const month = Number(today.slice(5, 7));
  const qStart = `${today.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
  const b = { from: qStart, to: addDays(today, 1) };
  return { a: { from: addMonths(b.from, -12), to: addMonths(b.to, -12) }, b };
}

/** The twelve month starts before `today`'s month and it, oldest first (the brush's range). */
export function lastTwelveMonths(today: string): string[] {
  const start = monthStart(today);
  return Array.from({ length: 12 }, (_, i) => addMonths(start, i - 11));
}
