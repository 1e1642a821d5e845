/**
 * What the user is looking at, as plain data: language, selected area, ticket filters, layer
 * configuration and camera. It round-trips through the URL query so a view can be shared or put
 * on the wall display by link.
 *
 * @example
 * const view = decodeView('?area=12&cat=parking&layers=areas,-tickets:category');
 * history.replaceState(null, '', '?' + encodeView(view));
 */
import {
  HAZARD_SEVERITIES,
  HAZARD_STATUSES,
  HAZARD_TYPES,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  keysOf,
} from '../../../geo/vocabulary.ts';
import type { LayerConfig as AnyLayerConfig } from './layers/define.ts';
import { defaultConfig, LAYERS } from './layers/registry.ts';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/**
 * The layers and their configurations come from the layer registry: a layer's id, its colour-by
 * options (the first is its default) and whether it is shown by default live in its definition.
 */
type Defs = (typeof LAYERS)[number];
export type LayerId = Defs['id'];
type DefOf<L extends LayerId> = Extract<Defs, { id: L }>;
export type ColorBy<L extends LayerId = LayerId> = DefOf<L>['defaults']['colorBy'][number];
export type LayerKind = AnyLayerConfig['kind'];

export interface LayerConfig<L extends LayerId = LayerId> extends AnyLayerConfig<ColorBy<L>> {
  id: L;
}

export type LayerConfigs = { [L in LayerId]: LayerConfig<L> };

/** How each layer may be coloured; the first entry is its default. */
export const COLOR_BY = Object.fromEntries(LAYERS.map((d) => [d.id, d.defaults.colorBy])) as {
  [L in LayerId]: DefOf<L>['defaults']['colorBy'];
};

/** Drawing order, bottom first (the layers with a switch: the selection marker has none). */
export const LAYER_ORDER: readonly LayerId[] = LAYERS.filter(
  (d) => !('hidden' in d && d.hidden),
).map((d) => d.id);

/** Layers only a signed-in account may read (the API answers 401 to the public). */
export const PRIVATE_LAYERS: readonly LayerId[] = LAYERS.filter((d) => d.capability).map(
  (d) => d.id,
);

export function defaultLayers(): LayerConfigs {
  return Object.fromEntries(LAYERS.map((d) => [d.id, defaultConfig(d)])) as LayerConfigs;
}

/** Ticket filters. `status` is `['open']` (the API's shortcut) by default; `[]` means every status. */
export interface TicketFilters {
  category: string[];
  status: string[];
  channel: string[];
  /** ISO date `YYYY-MM-DD` or '' for the API default (the last 365 days). `to` is exclusive. */
  from: string;
  to: string;
}

export function defaultFilters(): TicketFilters {
  return { category: [], status: ['open'], channel: [], from: '', to: '' };
}

export const TICKET_SORTS = ['receivedAt', 'dueAt', 'status', 'category', 'priority'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const HAZARD_SORTS = ['reportedAt', 'dueAt', 'severity', 'status', 'type'] as const;
export type HazardSort = (typeof HAZARD_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/**
 * The workspace's ticket list. Category, status, channel and period are the map's filter
 * (`TicketFilters`): one filter drives the points, the list, its count and the KPIs alike.
 * The list adds only what a list needs: overdue/whistled, a search, the sort and the page.
 */
export interface TicketListConfig {
  overdue: boolean;
  whistled: boolean;
  q: string;
  sort: TicketSort;
  order: SortOrder;
  /** 0-based */
  page: number;
}

export interface HazardListConfig {
  status: string;
  overdue: boolean;
  type: string[];
  severity: string[];
  sort: HazardSort;
  order: SortOrder;
  page: number;
}

export const PANEL_TABS = [
  'overview',
  'tickets',
  'hazards',
  'party',
  'ratings',
  'credit',
  'deliberation',
  'ledgers',
  'mediation',
  'audit',
] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

export interface WorkspaceConfig {
  tab: PanelTab;
  tickets: TicketListConfig;
  hazards: HazardListConfig;
}

export function defaultWorkspace(): WorkspaceConfig {
  return {
    tab: 'overview',
    tickets: {
      overdue: false,
      whistled: false,
      q: '',
      sort: 'receivedAt',
      order: 'desc',
      page: 0,
    },
    hazards: {
      status: 'open',
      overdue: false,
      type: [],
      severity: [],
      sort: 'reportedAt',
      order: 'desc',
      page: 0,
    },
  };
}

export interface Camera {
  lon: number;
  lat: number;
  zoom: number;
}

export interface ViewConfig {
  lang: Lang;
  /** Selected area id; null is the whole city. */
  area: number | null;
  filters: TicketFilters;
  layers: LayerConfigs;
  workspace: WorkspaceConfig;
  camera: Camera | null;
}

export function defaultView(): ViewConfig {
  return {
    lang: 'zh',
    area: null,
    filters: defaultFilters(),
    layers: defaultLayers(),
    workspace: defaultWorkspace(),
    camera: null,
  };
}

const CATEGORY_KEYS = new Set<string>(keysOf(TICKET_CATEGORIES));
const STATUS_KEYS = new Set<string>([...keysOf(TICKET_STATUSES), 'open']);
const CHANNEL_KEYS = new Set<string>(keysOf(TICKET_CHANNELS));
const HAZARD_TYPE_KEYS = new Set<string>(keysOf(HAZARD_TYPES));
const HAZARD_SEVERITY_KEYS = new Set<string>(keysOf(HAZARD_SEVERITIES));
const HAZARD_STATUS_KEYS = new Set<string>([...keysOf(HAZARD_STATUSES), 'open', 'all']);
const LIST_STATUS_KEYS = new Set<string>([...keysOf(TICKET_STATUSES), 'open', 'all']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function list(value: string | null, allowed: Set<string>): string[] {
  if (!value) return [];
  const seen = new Set<string>();
  for (const v of value.split(',')) if (allowed.has(v)) seen.add(v);
  return [...seen];
}

function encodeLayers(layers: LayerConfigs): string {
  return LAYER_ORDER.map((id) => {
    const l = layers[id];
    const colorBy = l.colorBy === COLOR_BY[id][0] ? '' : `:${l.colorBy}`;
    return `${l.visible ? '' : '-'}${id}${colorBy}`;
  }).join(',');
}

function decodeLayers(value: string | null): LayerConfigs {
  const layers = defaultLayers();
  if (value === null) return layers;
  // A layers list names every layer it shows; a layer it leaves out is hidden.
  for (const id of LAYER_ORDER) layers[id].visible = false;
  for (const item of value.split(',')) {
    const m = /^(-?)([a-z]+)(?::([a-z_]+))?$/.exec(item);
    if (!m) continue;
    const id = m[2] as LayerId;
    if (!(id in layers)) continue;
    const layer = layers[id] as LayerConfig;
    layer.visible = m[1] !== '-';
    const allowed = COLOR_BY[id] as readonly string[];
    if (m[3] && allowed.includes(m[3])) layer.colorBy = m[3] as ColorBy;
  }
  return layers;
}

function sameLayers(a: LayerConfigs, b: LayerConfigs): boolean {
  return LAYER_ORDER.every(
    (id) => a[id].visible === b[id].visible && a[id].colorBy === b[id].colorBy,
  );
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The query string (without '?') for a view; defaults are left out so links stay short. */
export function encodeView(view: ViewConfig): string {
  const q = new URLSearchParams();
  if (view.lang !== 'zh') q.set('lang', view.lang);
  if (view.area !== null) q.set('area', String(view.area));
  const f = view.filters;
  if (f.category.length) q.set('cat', f.category.join(','));
  const status = f.status.length === 0 ? 'all' : f.status.join(',');
  if (status !== 'open') q.set('status', status);
  if (f.channel.length) q.set('ch', f.channel.join(','));
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (!sameLayers(view.layers, defaultLayers())) q.set('layers', encodeLayers(view.layers));
  encodeWorkspace(view.workspace, q);
  if (view.camera) {
    const c = view.camera;
    q.set('c', `${round(c.lon, 5)},${round(c.lat, 5)},${round(c.zoom, 2)}`);
  }
  // Commas and colons are safe in a query and far more readable unescaped.
  return q.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** Reads a view from a query string; anything unknown or malformed falls back to the default. */
export function decodeView(search: string): ViewConfig {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const view = defaultView();
  const lang = q.get('lang');
  if (lang === 'en' || lang === 'zh') view.lang = lang;
  const area = Number(q.get('area'));
  if (q.has('area') && Number.isInteger(area) && area > 0) view.area = area;
  view.filters.category = list(q.get('cat'), CATEGORY_KEYS);
  const status = q.get('status');
  if (status === 'all') view.filters.status = [];
  else if (status !== null) {
    const keys = list(status, STATUS_KEYS);
    view.filters.status = keys.includes('open') || keys.length === 0 ? ['open'] : keys;
  }
  view.filters.channel = list(q.get('ch'), CHANNEL_KEYS);
  // Links from before the list shared the map's filter carried its own status and category.
  const tst = q.get('tst');
  if (status === null && tst && LIST_STATUS_KEYS.has(tst)) {
    view.filters.status = tst === 'all' ? [] : [tst];
  }
  if (!q.has('cat') && q.has('tcat')) view.filters.category = list(q.get('tcat'), CATEGORY_KEYS);
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  if (DATE_RE.test(from)) view.filters.from = from;
  if (DATE_RE.test(to)) view.filters.to = to;
  view.layers = decodeLayers(q.get('layers'));
  view.workspace = decodeWorkspace(q);
  const c = (q.get('c') ?? '').split(',').map(Number);
  if (
    c.length === 3 &&
    c.every(Number.isFinite) &&
    Math.abs(c[0]) <= 180 &&
    Math.abs(c[1]) <= 90 &&
    c[2] >= 0 &&
    c[2] <= 22
  ) {
    view.camera = { lon: c[0], lat: c[1], zoom: c[2] };
  }
  return view;
}

/**
 * The filter's query parameters for the area KPIs and the choropleth: the period, and the
 * category and channel (which the server applies to the ticket figures once it reads them).
 */
export function kpiQuery(filters: TicketFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (filters.from) q.from = filters.from;
  if (filters.to) q.to = filters.to;
  if (filters.category.length) q.category = filters.category.join(',');
  if (filters.channel.length) q.channel = filters.channel.join(',');
  return q;
}

/** Query parameters for /api/tickets from the filters (status 'open' is the API's shortcut). */
export function ticketQuery(filters: TicketFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (filters.category.length) q.category = filters.category.join(',');
  if (filters.status.length) q.status = filters.status.join(',');
  if (filters.channel.length) q.channel = filters.channel.join(',');
  if (filters.from) q.from = filters.from;
  if (filters.to) q.to = filters.to;
  return q;
}

function encodeSort(sort: string, order: SortOrder, defaultSort: string): string {
  return sort === defaultSort && order === 'desc' ? '' : `${sort}:${order}`;
}

/** Workspace list params: `tab`, then `t*` for the ticket list and `h*` for the hazard list. */
function encodeWorkspace(ws: WorkspaceConfig, q: URLSearchParams) {
  const d = defaultWorkspace();
  if (ws.tab !== d.tab) q.set('tab', ws.tab);
  const t = ws.tickets;
  if (t.overdue) q.set('tov', '1');
  if (t.whistled) q.set('twh', '1');
  if (t.q) q.set('tq', t.q);
  const tsort = encodeSort(t.sort, t.order, d.tickets.sort);
  if (tsort) q.set('tsort', tsort);
  if (t.page > 0) q.set('tp', String(t.page + 1));
  const h = ws.hazards;
  if (h.status !== d.hazards.status) q.set('hst', h.status);
  if (h.overdue) q.set('hov', '1');
  if (h.type.length) q.set('htype', h.type.join(','));
  if (h.severity.length) q.set('hsev', h.severity.join(','));
  const hsort = encodeSort(h.sort, h.order, d.hazards.sort);
  if (hsort) q.set('hsort', hsort);
  if (h.page > 0) q.set('hp', String(h.page + 1));
}

function decodeSort<S extends string>(
  value: string | null,
  sorts: readonly S[],
): { sort: S; order: SortOrder } | null {
  const m = /^([a-zA-Z]+):(asc|desc)$/.exec(value ?? '');
  if (!m || !(sorts as readonly string[]).includes(m[1])) return null;
  return { sort: m[1] as S, order: m[2] as SortOrder };
}

function decodePage(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n - 1 : 0;
}

function decodeWorkspace(q: URLSearchParams): WorkspaceConfig {
  const ws = defaultWorkspace();
  const tab = q.get('tab');
  if ((PANEL_TABS as readonly (string | null)[]).includes(tab)) ws.tab = tab as PanelTab;
  const t = ws.tickets;
  t.overdue = q.get('tov') === '1';
  t.whistled = q.get('twh') === '1';
  t.q = (q.get('tq') ?? '').slice(0, 100);
  Object.assign(t, decodeSort(q.get('tsort'), TICKET_SORTS) ?? {});
  t.page = decodePage(q.get('tp'));
  const h = ws.hazards;
  const hst = q.get('hst');
  if (hst && HAZARD_STATUS_KEYS.has(hst)) h.status = hst;
  h.overdue = q.get('hov') === '1';
  h.type = list(q.get('htype'), HAZARD_TYPE_KEYS);
  h.severity = list(q.get('hsev'), HAZARD_SEVERITY_KEYS);
  Object.assign(h, decodeSort(q.get('hsort'), HAZARD_SORTS) ?? {});
  h.page = decodePage(q.get('hp'));
  return ws;
}

/** Rows of one list page. */
export const LIST_PAGE_SIZE = 25;

/** Query parameters for /api/tickets/list: the map's filter, the list's own config, the area. */
export function ticketListQuery(f: TicketFilters, c: TicketListConfig, area: number | null) {
  return {
    area: area ?? undefined,
    ...ticketQuery(f),
    overdue: c.overdue || undefined,
    whistled: c.whistled || undefined,
    q: c.q.trim() || undefined,
    sort: c.sort,
    order: c.order,
    limit: LIST_PAGE_SIZE,
    offset: c.page * LIST_PAGE_SIZE,
  };
}

export function hazardListQuery(c: HazardListConfig, area: number | null) {
  return {
    area: area ?? undefined,
    status: c.status === 'all' ? undefined : c.status,
    overdue: c.overdue || undefined,
    type: c.type.length ? c.type.join(',') : undefined,
    severity: c.severity.length ? c.severity.join(',') : undefined,
    sort: c.sort,
    order: c.order,
    limit: LIST_PAGE_SIZE,
    offset: c.page * LIST_PAGE_SIZE,
  };
}
