import { beijingDate } from '../time.ts';
import type { DrawingData } from '../layers/drawing.ts';
import type { FactsData } from '../layers/facts.ts';
import { cellToLatLng, getResolution } from 'h3-js';
import { hexCells, type HexData } from '../layers/cells.ts';
import type { CellTicket } from '../layers/cell-tickets.ts';
import {
  analytics,
  areasUrl,
  cellUrl,
  compareUrl,
  compoundsUrl,
  coverageUrl,
  emergingUrl,
  hotspotsUrl,
  mergeOutlines,
  NO_OUTLINES,
  outlines,
  renovationUrl,
  selectionBody,
  type AreaMap,
  type AreasQuery,
  type CompareQuery,
  type CoverageQuery,
  type ExportFormat,
  type Outline,
} from '../planner/api.ts';
import {
  addMonths,
  areaColorBy,
  decodePlanner,
  defaultComparison,
  encodePlanner,
  lastTwelveMonths,
  OLD_COMPOUND_BEFORE,
  type DateRange,
  type PlannerConfig,
} from '../planner/config.ts';
import type {
  AreaRankRow,
  CellDetail,
  Compare,
  BBox,
  CompoundFacts,
  CoverageRisk,
  Emerging,
  Hotspots,
  LonLat,
  Renovation,
  SelectionDetail,
  Series,
} from '../types.ts';
import type { LayerConfigs, TicketFilters } from '../view-config.ts';
import type { MapState } from './map.svelte.ts';
import { Resource } from './resource.svelte.ts';
import type { SessionState } from './session.svelte.ts';
import type { ViewState } from './view.svelte.ts';

/**
 * The layers the supervisor works with; the workbench draws its own cells and points instead (the
 * areas' fills would tint the cells' colours: the basemap keeps the district outlines).
 */
const OPERATIONAL = ['areas', 'tickets', 'hazards', 'whistles', 'patrols', 'coverage', 'compounds'];
const PLANNER_LAYERS = ['cells', 'facts', 'cellTickets', 'drawing'];

/**
 * The layer switches as the map applies them: in planner mode the operational layers give way to
 * the workbench's; outside it the workbench's are off. The URL keeps the user's own switches.
 */
export function effectiveLayers(layers: LayerConfigs, planner: boolean): LayerConfigs {
  const out = { ...layers } as Record<string, LayerConfigs[keyof LayerConfigs]>;
  for (const id of planner ? OPERATIONAL : PLANNER_LAYERS) {
    const l = out[id];
    if (l) out[id] = { ...l, visible: false };
  }
  return out as LayerConfigs;
}

/** Playback speeds: milliseconds a month stays on screen (at least until its cells are drawn). */
export const SPEEDS = { 0.5: 4000, 1: 2000, 2: 1000 } as const;
export type Speed = keyof typeof SPEEDS;

export const RENOVATION_PAGE = 50;

/**
 * The planner's workbench (规划研判): its configuration (in the URL), the analytics answers it
 * shows, the polygon being drawn, the playback of the last twelve months and the export links.
 * The map filter (category, channel, status, period) is the view's: one filter for the whole app.
 */
export class PlannerState {
  config = $state<PlannerConfig>(decodePlanner(''));

  readonly hotspots = new Resource<Hotspots>();
  /** the hot-spot view by area: the areas of a level with counts and rates (a choropleth) */
  readonly areaMap = new Resource<AreaMap>();
  readonly emerging = new Resource<Emerging>();
  readonly compare = new Resource<Compare>();
  readonly coverage = new Resource<CoverageRisk>();
  /**
   * Grid and area outlines by id, from the answers' GeoJSON export: kept across answers (an
   * outline does not change with the period), fetched again only for ids not seen yet.
   */
  outlines = $state.raw<ReadonlyMap<string, Outline>>(NO_OUTLINES);
  readonly cell = new Resource<CellDetail>();
  readonly selection = new Resource<SelectionDetail>();
  /** tickets per day over the last twelve months: the brush's histogram */
  readonly series = new Resource<Series>();
  /** tickets per month and by category over the filtered period: the charts and KPIs */
  readonly periodSeries = new Resource<Series>();
  readonly areas = new Resource<{ rows: AreaRankRow[] }>();
  readonly renovation = new Resource<Renovation>();
  readonly facts = new Resource<{ items: CompoundFacts[] }>();

  /** vertices clicked while drawing a selection polygon */
  draft = $state.raw<LonLat[]>([]);
  drawing = $state(false);
  /** a compound a table row flew the map to */
  focus = $state.raw<LonLat | null>(null);

  playing = $state(false);
  speed = $state<Speed>(1);
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** today in Beijing, when the page opened (the periods' "now") */
  readonly today = beijingDate(0);

  constructor(
    private readonly view: ViewState,
    private readonly session: SessionState,
    private readonly map: MapState,
    search = '',
  ) {
    this.config = decodePlanner(search);
    // A link into the workbench without a status: planners look at every appeal, not only open ones.
    if (this.config.active && !/[?&]status=/.test(search)) view.filters.status = [];
  }

  /** May this account use the workbench (analytics.read: city, district, subdistrict, planner)? */
  get readable(): boolean {
    return (
      (this.session.account?.can as readonly string[] | undefined)?.includes('analytics.read') ??
      false
    );
  }

  get active(): boolean {
    return this.config.active && this.readable;
  }

  get query(): string {
    return encodePlanner($state.snapshot(this.config) as PlannerConfig);
  }

  get filter(): TicketFilters {
    return $state.snapshot(this.view.filters) as TicketFilters;
  }

  get comparison(): { a: DateRange; b: DateRange } {
    const d = defaultComparison(this.today);
    return { a: this.config.a ?? d.a, b: this.config.b ?? d.b };
  }

  /** The brush's range: the twelve months up to today. */
  get months(): string[] {
    return lastTwelveMonths(this.today);
  }

  setActive(on: boolean) {
    if (on && !this.config.active && this.view.filters.status.join() === 'open')
      this.view.filters.status = [];
    this.config.active = on;
    if (!on) this.stop();
  }

  set<K extends keyof PlannerConfig>(key: K, value: PlannerConfig[K]) {
    this.config[key] = value;
  }

  // ---- what the map draws --------------------------------------------------------------------

  hexData = $derived.by((): HexData | null => {
    if (!this.active) return null;
    const c = this.config;
    const options = { extrude: c.extrude, selected: c.cell };
    const lang = this.view.lang;
    switch (c.view) {
      case 'hotspots': {
        if (c.unit !== 'h3') {
          const data = this.areaMap.data;
          return data
            ? hexCells(
                { kind: 'areas', data, colorBy: areaColorBy(c), outlines: this.outlines },
                lang,
                options,
              )
            : null;
        }
        const data = this.hotspots.data;
        return data
          ? hexCells({ kind: 'hotspots', data, colorBy: c.colorBy }, lang, options)
          : null;
      }
      case 'emerging': {
        const data = this.emerging.data;
        return data ? hexCells({ kind: 'emerging', data }, lang, options) : null;
      }
      case 'compare': {
        const data = this.compare.data;
        return data
          ? hexCells({ kind: 'compare', data, outlines: this.outlines }, lang, options)
          : null;
      }
      case 'coverage': {
        const data = this.coverage.data;
        return data
          ? hexCells({ kind: 'coverage', data, outlines: this.outlines }, lang, options)
          : null;
      }
    }
  });

  get factsData(): FactsData | null {
    const fact = this.config.facts;
    const items = this.facts.data?.items;
    return this.active && fact && items ? { fact, items } : null;
  }

  /** The tickets behind the open cell, or else behind the drawn polygon. */
  get ticketsShown(): CellTicket[] | null {
    if (!this.active) return null;
    if (this.config.cell) return this.cell.data?.tickets ?? null;
    if (this.config.polygon) return this.selection.data?.tickets ?? null;
    return null;
  }

  get drawingData(): DrawingData | null {
    if (!this.active) return null;
    return { polygon: this.config.polygon, draft: this.draft, focus: this.focus };
  }

  /** Every answer the planner loads. */
  private get resources() {
    return [
      this.hotspots,
      this.areaMap,
      this.emerging,
      this.compare,
      this.coverage,
      this.cell,
      this.selection,
      this.series,
      this.periodSeries,
      this.areas,
      this.renovation,
      this.facts,
    ];
  }

  get loading(): boolean {
    return this.resources.some((r) => r.loading);
  }

  // ---- loading -------------------------------------------------------------------------------

  /** Loads what the workbench shows now; the same parameters twice are one request. */
  sync(area: number | null) {
    if (!this.active) return;
    const c = $state.snapshot(this.config) as PlannerConfig;
    const filter = this.filter;
    const load = <T>(r: Resource<T>, url: string, fetch: (s: AbortSignal) => Promise<T>) =>
      r.load(url, fetch);
    switch (c.view) {
      case 'hotspots': {
        if (c.unit !== 'h3') {
          const q = this.areaMapQuery();
          load(this.areaMap, areasUrl(q), async (s) => {
            const data = await analytics.areas(q, s);
            const rows = data.rows.map((r) => ({ key: String(r.id) }));
            await this.#outlinesOf(rows, areasUrl(q, 'geojson'), s);
            return data;
          });
          break;
        }
        const q = { filter, res: c.res, metric: c.metric, k: c.k };
        load(this.hotspots, hotspotsUrl(q), (s) => analytics.hotspots(q, s));
        break;
      }
      case 'emerging': {
        const q = { filter, months: c.months, res: c.res, k: c.k };
        load(this.emerging, emergingUrl(q), (s) => analytics.emerging(q, s));
        break;
      }
      case 'compare': {
        const q: CompareQuery = {
          filter,
          ...this.comparison,
          by: c.by,
          res: c.res,
          level: c.level,
        };
        load(this.compare, compareUrl(q), async (s) => {
          const data = await analytics.compare(q, s);
          if (data.by === 'area') await this.#outlinesOf(data.rows, compareUrl(q, 'geojson'), s);
          return data;
        });
        break;
      }
      case 'coverage': {
        const q = this.coverageQuery(area);
        load(this.coverage, coverageUrl(q), async (s) => {
          const data = await analytics.coverage(q, s);
          if (data.by === 'grid') await this.#outlinesOf(data.rows, coverageUrl(q, 'geojson'), s);
          return data;
        });
        break;
      }
    }
    if (c.cell) {
      const h3 = c.cell;
      load(this.cell, cellUrl(h3, filter), (s) => analytics.cell(h3, filter, s));
    }
    if (c.polygon) {
      const body = selectionBody(c.polygon, filter);
      load(this.selection, JSON.stringify(body), (s) => analytics.selection(body, s));
    }
    const months = this.months;
    const sq = {
      filter,
      area,
      from: months[0],
      to: addMonths(months[months.length - 1], 1),
      grain: 'day' as const,
    };
    load(this.series, JSON.stringify(sq), (s) => analytics.series(sq, s));
    const pq = { filter, area, from: filter.from, to: filter.to, grain: 'month' as const };
    load(this.periodSeries, JSON.stringify(pq), (s) => analytics.series(pq, s));
    if (c.tab === 'areas') {
      const q = { filter, level: c.level, parent: area };
      load(this.areas, areasUrl(q), (s) => analytics.areas(q, s));
    }
    if (c.tab === 'renovation') {
      const q = this.renovationQuery(area);
      load(this.renovation, renovationUrl(q), (s) => analytics.renovation(q, s));
    }
    if (c.facts) {
      const before = c.oldOnly ? OLD_COMPOUND_BEFORE : null;
      load(this.facts, compoundsUrl(before), (s) => analytics.compounds(before, s));
    }
  }

  /** Unchecked "built before 2001" means every compound (the API's own default is 2001). */
  renovationQuery(area: number | null) {
    return {
      builtBefore: this.config.oldOnly ? OLD_COMPOUND_BEFORE : ('any' as const),
      area,
      limit: RENOVATION_PAGE,
    };
  }

  /**
   * The hot-spot view by area: every area of the level the account sees (the map shows them all;
   * opening one does not narrow the choropleth to it).
   */
  areaMapQuery(): AreasQuery {
    const unit = this.config.unit;
    return { filter: this.filter, level: unit === 'h3' ? 'district' : unit, parent: null };
  }

  coverageQuery(area: number | null): CoverageQuery {
    return { filter: this.filter, by: this.config.cov, res: this.config.res, area };
  }

  /** Loads the outlines of rows whose ids have none yet, so the rows and shapes arrive together. */
  async #outlinesOf(rows: readonly { key: string }[], geojsonUrl: string, signal: AbortSignal) {
    if (rows.every((r) => this.outlines.has(r.key))) return;
    this.outlines = mergeOutlines(this.outlines, await outlines(geojsonUrl, signal));
  }

  clear() {
    this.stop();
    this.outlines = NO_OUTLINES;
    for (const r of this.resources) r.clear();
  }

  // ---- cells, drawing, flying ------------------------------------------------------------------

  openCell(h3: string) {
    this.config.cell = h3;
    this.config.tab = 'cell';
  }

  closeCell() {
    this.config.cell = null;
    this.cell.clear();
  }

  startDraw() {
    this.stop();
    this.draft = [];
    this.drawing = true;
  }

  addVertex(p: LonLat) {
    if (this.drawing) this.draft = [...this.draft, p];
  }

  /** Ends the drawing; three vertices or more make the selection. */
  finishDraw() {
    const ring = this.draft;
    this.drawing = false;
    this.draft = [];
    if (ring.length < 3) return;
    this.config.polygon = ring;
    this.config.cell = null;
    this.config.tab = 'cell';
  }

  cancelDraw() {
    this.drawing = false;
    this.draft = [];
  }

  clearSelection() {
    this.config.polygon = null;
    this.selection.clear();
  }

  flyTo(position: LonLat) {
    this.focus = position;
    this.map.flyTo(position, 15);
  }

  /**
   * Shows a place of a table row: an H3 cell by its centre, a grid or area framed by its outline.
   * The marker goes on the place's centre either way.
   */
  flyToPlace(key: string) {
    if (/^[0-9a-f]{15}$/.test(key)) {
      const [lat, lon] = cellToLatLng(key);
      this.focus = [lon, lat];
      this.map.flyTo([lon, lat], Math.min(16, getResolution(key) + 6));
      return;
    }
    const outline = this.outlines.get(key);
    if (!outline) return;
    const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const rings of outline)
      for (const [x, y] of rings[0] ?? []) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      }
    if (!Number.isFinite(b[0])) return;
    this.focus = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
    // framed with its neighbours around it: a grid alone filling the screen says little
    const dx = (b[2] - b[0]) * 0.75;
    const dy = (b[3] - b[1]) * 0.75;
    this.map.fitBounds([b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy]);
  }

  /** Chooses the analysis; patrol coverage opens its table beside the map. */
  setView(view: PlannerConfig['view']) {
    this.config.view = view;
    if (view === 'coverage') this.config.tab = 'coverage';
  }

  // ---- the period and its playback -------------------------------------------------------------

  /** The month shown by the playback, if the period is exactly one of the twelve months. */
  get month(): string | null {
    const f = this.view.filters;
    const i = this.months.indexOf(f.from);
    return i >= 0 && f.to === addMonths(f.from, 1) ? f.from : null;
  }

  showMonth(start: string) {
    this.view.setRange(start, addMonths(start, 1));
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    if (this.month === null) this.showMonth(this.months[0]);
    this.#schedule();
  }

  stop() {
    this.playing = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  setSpeed(speed: Speed) {
    this.speed = speed;
  }

  /** The next month once this one has been on screen long enough and its cells have arrived. */
  #schedule() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.playing) return;
      if (this.loading) return this.#schedule();
      const months = this.months;
      const i = months.indexOf(this.month ?? '');
      if (i < 0 || i >= months.length - 1) {
        this.stop();
        return;
      }
      this.showMonth(months[i + 1]);
      this.#schedule();
    }, SPEEDS[this.speed]);
  }

  // ---- exports ---------------------------------------------------------------------------------

  /** The URL of the cells on the map in an export format (the same query as the layer's). */
  mapExportUrl(format: ExportFormat): string {
    const c = this.config;
    const filter = this.filter;
    switch (c.view) {
      case 'hotspots':
        if (c.unit !== 'h3') return areasUrl(this.areaMapQuery(), format);
        return hotspotsUrl({ filter, res: c.res, metric: c.metric, k: c.k }, format);
      case 'emerging':
        return emergingUrl({ filter, months: c.months, res: c.res, k: c.k }, format);
      case 'compare':
        return compareUrl(
          { filter, ...this.comparison, by: c.by, res: c.res, level: c.level },
          format,
        );
      case 'coverage':
        return coverageUrl(this.coverageQuery(this.view.area), format);
    }
  }

  cellExportUrl(format: ExportFormat): string | null {
    return this.config.cell ? cellUrl(this.config.cell, this.filter, format) : null;
  }
}
