import type { Layer } from '@deck.gl/core';
import { tick } from 'svelte';
import type { StyleSpecification } from 'maplibre-gl';
import {
  api,
  isAbort,
  type NewHazard,
  type NewTicket,
  type NewWhistle,
  type TicketTransition,
} from '../api.ts';
import { buildLayers, clickAction, isClickable, type MapData } from '../layers/registry.ts';
import { declutterLabels } from '../layers/labels.ts';
import { beijingDate, coverageFeatures, patrolCheckins, patrolTracks } from '../layers/patrols.ts';
import type { Marker } from '../layers/selection.ts';
import { whistleArcs } from '../layers/whistles.ts';
import { buildBaseStyle } from '../map/basemap.ts';
import type { Pick } from '../map/hover.ts';
import type {
  Account,
  AreaCollection,
  BBox,
  CoverageItem,
  HazardDetail,
  HazardRow,
  LiveEvent,
  LonLat,
  Meta,
  Page,
  PatrolCollection,
  TicketDetail,
  TicketRow,
  WhistleRow,
} from '../types.ts';
import { uuid } from '../uuid.ts';
import {
  hazardListQuery,
  ticketListQuery,
  type HazardListConfig,
  type TicketFilters,
  type TicketListConfig,
  type ViewConfig,
} from '../view-config.ts';
import { AreasState } from './areas.svelte.ts';
import { LiveState } from './live.svelte.ts';
import { MapState } from './map.svelte.ts';
import { PointsState } from './points.svelte.ts';
import { Resource } from './resource.svelte.ts';
import { SessionState } from './session.svelte.ts';
import { ViewState } from './view.svelte.ts';

/** A point picked on the map for a new ticket or hazard, with the key its POST will carry. */
export interface Draft {
  kind: 'ticket' | 'hazard';
  position: LonLat;
  /** Idempotency-Key: made when the form opens, reused by every retry of the same form */
  key: string;
}

export type MapMode = 'browse' | 'pick-ticket' | 'pick-hazard';

/** How many points one viewport request may bring; the server says when it cut the list. */
export const TICKET_LIMIT = 20000;
export const HAZARD_LIMIT = 5000;

export function bboxOf(fc: AreaCollection): BBox | null {
  let b: BBox | null = null;
  const visit = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      if (!b) b = [x, y, x, y];
      else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
      return;
    }
    for (const cc of c as unknown[]) visit(cc);
  };
  for (const f of fc.features) if (f.geometry) visit(f.geometry.coordinates);
  return b;
}

/** The app: the shareable view, the data it shows and the map, and the actions that tie them. */
export class AppState {
  view: ViewState;
  areas = new AreasState();
  map = new MapState();
  tickets = new PointsState('tickets', TICKET_LIMIT);
  hazards = new PointsState('hazards', HAZARD_LIMIT);
  meta = $state.raw<Meta | null>(null);
  ticket = $state.raw<TicketDetail | null>(null);
  ticketLoading = $state(false);
  bootError = $state.raw<unknown>(null);

  session = new SessionState();
  live = new LiveState((e) => this.#onLive(e));
  ticketList = new Resource<Page<TicketRow>>();
  hazardList = new Resource<Page<HazardRow>>();
  whistles = new Resource<{ items: WhistleRow[]; total: number }>();
  patrols = new Resource<PatrolCollection>();
  coverage = new Resource<{ items: CoverageItem[] }>();
  coverageGrids = new Resource<AreaCollection>();
  hazard = $state.raw<HazardDetail | null>(null);
  whistle = $state.raw<WhistleRow | null>(null);
  /** Which day's patrol tracks the map shows. */
  patrolDay = $state<'today' | 'yesterday'>('today');
  mode = $state<MapMode>('browse');
  draft = $state.raw<Draft | null>(null);
  /** Ticks every 30 s: deadlines and patrol ages are counted from it. */
  now = $state(Date.now());

  #ticketController: AbortController | null = null;
  #detailController: AbortController | null = null;
  #kpiTimer: ReturnType<typeof setTimeout> | null = null;
  // Timers, not state: nothing renders from this map.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #reloadTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(initial: ViewConfig) {
    this.view = new ViewState(initial);
  }

  get t() {
    return this.view.t;
  }

  /** Loads what the first frame needs: the meta and the districts for the basemap. */
  async boot(): Promise<{ style: StyleSpecification | string; bounds: BBox | null }> {
    this.bootError = null;
    try {
      const [meta, districts] = await Promise.all([
        api.meta(),
        this.areas.loadBase(),
        this.session.load(),
      ]);
      this.meta = meta;
      if (this.session.account) this.live.connect();
      setInterval(() => (this.now = Date.now()), 30_000);
      void this.areas.loadCompounds();
      const styleUrl = meta.basemap?.styleUrl;
      return {
        style: styleUrl ? styleUrl : buildBaseStyle(districts),
        bounds: bboxOf(districts) ?? meta.bounds ?? null,
      };
    } catch (err) {
      this.bootError = err;
      throw err;
    }
  }

  /** Labels that fit at the current zoom (in half-zoom steps, so small moves reuse the list). */
  labels = $derived.by(() => declutterLabels(this.areas.labels, Math.round(this.map.zoom * 2) / 2));

  // Derived, so that deck.gl sees the same arrays until the data really changes.
  whistleData = $derived.by(() => {
    const items = this.whistles.data?.items ?? null;
    return { whistles: items, arcs: whistleArcs(items) };
  });
  patrolData = $derived.by(() => ({
    tracks: patrolTracks(this.patrols.data),
    checkins: patrolCheckins(this.patrols.data),
  }));
  coverageData = $derived.by(() =>
    coverageFeatures({
      grids: this.coverageGrids.data,
      items: this.coverage.data?.items ?? null,
      now: this.now,
    }),
  );
  markers = $derived.by((): Marker[] => {
    const out: Marker[] = [];
    const selected = this.ticket?.position ?? this.hazard?.position ?? this.whistle?.position;
    if (selected) out.push({ position: selected, kind: 'selected' });
    if (this.draft) out.push({ position: this.draft.position, kind: 'draft' });
    return out;
  });

  get mapData(): MapData {
    return {
      areas: this.areas.layerData,
      compounds: this.areas.compounds,
      tickets: this.tickets.data,
      hazards: this.hazards.data,
      labels: this.labels,
      whistles: this.whistleData,
      patrols: this.patrolData,
      coverage: this.coverageData,
      markers: this.markers,
    };
  }

  get layers(): Layer[] {
    return buildLayers(this.view.layers, this.mapData);
  }

  /** Drills to an area (null: the whole city) and zooms the map to it. */
  async select(id: number | null, options: { fit?: boolean } = {}) {
    const fit = options.fit ?? true;
    this.view.area = id;
    this.ticket = null;
    // a new place to look at: closing a card no longer goes back to the old one
    if (fit) this.map.forgetCamera();
    if (id === null) {
      await this.areas.select(null, { range: this.view.range });
      const d = this.areas.districts;
      const b = d && bboxOf(d);
      if (fit && b) this.map.fitBounds(b);
      return;
    }
    await this.areas.select(id, {
      range: this.view.range,
      zoomFor: (b) => this.map.zoomFor(b),
      onDetail: (detail) => {
        if (fit && detail.area.bbox) this.map.fitBounds(detail.area.bbox);
      },
    });
  }

  /** Up one level in the breadcrumb. */
  async up() {
    const ancestors = this.areas.detail?.ancestors ?? [];
    const parent = ancestors[ancestors.length - 1];
    await this.select(parent ? parent.id : null);
  }

  /** May this account click objects of a deck.gl layer (pointer, 点击查看)? */
  canOpen(layerId: string): boolean {
    return isClickable(layerId, this.session);
  }

  onClick(pick: Pick) {
    const action = clickAction(pick, this.mapData, this.session);
    if (!action) return;
    switch (action.kind) {
      case 'area':
        void this.select(action.id);
        break;
      case 'ticket':
        void this.openTicket(action.id);
        break;
      case 'hazard':
        void this.openHazard(action.id);
        break;
      case 'whistle':
        void this.openWhistle(action.id);
        break;
    }
  }

  /** Opens a ticket's detail; `fly` also brings its point into view (from a list row). */
  async openTicket(id: number, options: { fly?: boolean } = {}) {
    this.#ticketController?.abort();
    const controller = new AbortController();
    this.#ticketController = controller;
    this.ticketLoading = true;
    this.hazard = null;
    this.whistle = null;
    try {
      const t = await api.ticket(id, controller.signal);
      if (controller.signal.aborted) return;
      this.ticket = t;
      if (options.fly && t.position) {
        this.map.saveCamera();
        this.map.flyTo(t.position);
      }
    } catch (err) {
      if (!isAbort(err)) this.ticket = null;
    } finally {
      if (this.#ticketController === controller) this.ticketLoading = false;
    }
  }

  /** Closes the ticket card; with `back`, the map returns to where it was before the card flew in. */
  closeTicket(options: { back?: boolean } = {}) {
    this.#ticketController?.abort();
    this.ticket = null;
    // Back where the card flew from, or (closed on the way to something else) nowhere to go back to.
    if (options.back) this.map.restoreCamera();
    else this.map.forgetCamera();
  }

  async openHazard(id: number, options: { fly?: boolean } = {}) {
    const signal = this.#newDetailRequest();
    try {
      const h = await api.hazard(id, signal);
      if (signal.aborted) return;
      this.closeTicket();
      this.whistle = null;
      this.hazard = h;
      if (options.fly) {
        this.map.saveCamera();
        this.map.flyTo(h.position);
      }
    } catch (err) {
      if (!isAbort(err)) this.hazard = null;
    }
  }

  async openWhistle(id: number) {
    const signal = this.#newDetailRequest();
    try {
      const w = await api.whistle(id, signal);
      if (signal.aborted) return;
      this.closeTicket();
      this.hazard = null;
      this.whistle = w;
    } catch (err) {
      if (!isAbort(err)) this.whistle = null;
    }
  }

  /** Closes whatever detail card is open; `back` returns the map to where it was before it. */
  closeDetail(options: { back?: boolean } = {}) {
    this.#detailController?.abort();
    this.closeTicket(options);
    this.hazard = null;
    this.whistle = null;
  }

  #newDetailRequest(): AbortSignal {
    this.#detailController?.abort();
    this.#detailController = new AbortController();
    return this.#detailController.signal;
  }

  // -------------------------------------------------------------------------------------------
  // Signing in and out

  async signIn(username: string, password: string): Promise<Account | null> {
    const account = await this.session.signIn(username, password);
    if (!account) return null;
    this.live.connect();
    if (this.session.listsReadable) this.view.setTab('tickets');
    // The panels change with the account (lists, a taller legend): fit once they are laid out.
    await tick();
    // A deep link (?area=…) is kept: the user came for that place. Otherwise fly to the
    // account's own area (the city for city-wide and company/department accounts).
    const scope = account.scope;
    const linked = this.view.area;
    if (linked !== null) void this.select(linked);
    else void this.select(scope.kind === 'area' && scope.id !== null ? scope.id : null);
    return account;
  }

  async signOut() {
    await this.session.signOut();
    this.live.disconnect();
    this.closeDetail();
    this.cancelPick();
    for (const r of [
      this.ticketList,
      this.hazardList,
      this.whistles,
      this.patrols,
      this.coverage,
      this.coverageGrids,
    ])
      r.clear();
    this.tickets.clear();
    this.hazards.clear();
    this.view.setTab('overview');
  }

  // -------------------------------------------------------------------------------------------
  // Lists and operational layers (App.svelte's effects call these when their inputs change)

  loadTicketList(filters: TicketFilters, config: TicketListConfig, area: number | null) {
    if (!this.session.listsReadable) return this.ticketList.clear();
    const q = ticketListQuery(filters, config, area);
    this.ticketList.load(JSON.stringify(q), (signal) => api.ticketList(q, signal));
  }

  loadHazardList(config: HazardListConfig, area: number | null) {
    if (!this.session.hazardsReadable) return this.hazardList.clear();
    const q = hazardListQuery(config, area);
    this.hazardList.load(JSON.stringify(q), (signal) => api.hazardList(q, signal));
  }

  loadWhistles(area: number | null) {
    if (!this.session.whistlesReadable || !this.view.layers.whistles.visible) return;
    const q = { area: area ?? undefined, state: 'open' as const, limit: 500 };
    this.whistles.load(JSON.stringify(q), (signal) => api.whistles(q, signal));
  }

  loadPatrols(area: number | null) {
    if (!this.session.patrolsReadable || !this.view.layers.patrols.visible) return;
    const q = {
      area: area ?? undefined,
      date: beijingDate(this.patrolDay === 'today' ? 0 : 1),
    };
    this.patrols.load(JSON.stringify(q), (signal) => api.patrols(q, signal));
  }

  loadCoverage(area: number | null, bbox: BBox | null) {
    if (!this.session.patrolsReadable || !this.view.layers.coverage.visible) return;
    const q = { area: area ?? undefined };
    this.coverage.load(JSON.stringify(q), (signal) => api.coverage(q, signal));
    const g = { level: 'grid', bbox: bbox ?? undefined, zoom: 13 };
    this.coverageGrids.load(JSON.stringify(g), (signal) => api.areas(g, signal));
  }

  // -------------------------------------------------------------------------------------------
  // Writes: each returns the record after, or throws the API's error for the form to show

  async transitionTicket(id: number, body: TicketTransition): Promise<TicketDetail> {
    const t = await api.transitionTicket(id, body);
    if (this.ticket?.id === id) this.ticket = t;
    this.#afterWrite('ticket');
    return t;
  }

  startPick(kind: 'ticket' | 'hazard') {
    this.closeDetail();
    this.draft = null;
    this.mode = kind === 'ticket' ? 'pick-ticket' : 'pick-hazard';
  }

  /** A click on the map in a pick mode: the form opens for that point with a fresh key. */
  pickPoint(position: LonLat) {
    const kind = this.mode === 'pick-hazard' ? 'hazard' : 'ticket';
    this.mode = 'browse';
    this.draft = { kind, position, key: uuid() };
  }

  cancelPick() {
    this.mode = 'browse';
    this.draft = null;
  }

  async createTicket(body: NewTicket, key: string): Promise<TicketDetail> {
    const t = await api.createTicket(body, key);
    this.draft = null;
    this.closeDetail();
    this.ticket = t;
    this.#afterWrite('ticket');
    return t;
  }

  async createHazard(body: NewHazard, key: string): Promise<HazardDetail> {
    const h = await api.createHazard(body, key);
    this.draft = null;
    this.closeDetail();
    this.hazard = h;
    this.#afterWrite('hazard');
    return h;
  }

  async transitionHazard(id: number, body: { action: string; note?: string; photoRef?: string }) {
    const h = await api.transitionHazard(id, body);
    if (this.hazard?.id === id) this.hazard = h;
    this.#afterWrite('hazard');
    return h;
  }

  async blowWhistle(body: NewWhistle, key: string): Promise<WhistleRow> {
    const w = await api.blowWhistle(body, key);
    this.#afterWrite('whistle');
    if (body.ticketId !== undefined && this.ticket?.id === body.ticketId) {
      await this.#reloadTicket(body.ticketId);
    }
    return w;
  }

  async reportIn(id: number, note?: string): Promise<WhistleRow> {
    const w = await api.reportIn(id, note);
    this.#afterWhistleWrite(w);
    return w;
  }

  async resolveWhistle(id: number, resolution: string): Promise<WhistleRow> {
    const w = await api.resolveWhistle(id, resolution);
    this.#afterWhistleWrite(w);
    return w;
  }

  #afterWhistleWrite(w: WhistleRow) {
    if (this.whistle?.id === w.id) this.whistle = w;
    if (w.ticketId !== null && this.ticket?.id === w.ticketId) void this.#reloadTicket(w.ticketId);
    this.#afterWrite('whistle');
  }

  /** What a write changed: the lists, the layers and the KPIs (the live event may follow). */
  #afterWrite(kind: 'ticket' | 'hazard' | 'whistle') {
    if (kind === 'ticket' || kind === 'whistle') this.ticketList.refresh(150);
    if (kind === 'hazard') this.hazardList.refresh(150);
    if (kind === 'ticket') this.tickets.refresh();
    if (kind === 'hazard') this.hazards.refresh();
    if (kind === 'whistle') this.whistles.refresh(150);
    this.#refreshKpis();
  }

  async #reloadTicket(id: number) {
    try {
      const t = await api.ticket(id);
      if (this.ticket?.id === id) this.ticket = t;
    } catch {
      // gone from view (e.g. transferred away from this company): keep what is shown
    }
  }

  // -------------------------------------------------------------------------------------------
  // Live events: refresh only what the event touches, a moment later, once per burst

  #debounced(key: string, ms: number, run: () => void) {
    const t = this.#reloadTimers.get(key);
    if (t) clearTimeout(t);
    this.#reloadTimers.set(
      key,
      setTimeout(() => {
        this.#reloadTimers.delete(key);
        run();
      }, ms),
    );
  }

  #refreshKpis() {
    if (this.#kpiTimer) clearTimeout(this.#kpiTimer);
    this.#kpiTimer = setTimeout(() => {
      this.#kpiTimer = null;
      void this.areas.refreshDetail(this.view.range);
    }, 1200);
  }

  #inSelectedArea(e: LiveEvent): boolean {
    const area = this.view.area;
    if (area === null) return true;
    return Object.values(e.areaIds ?? {}).includes(area);
  }

  #inViewport(e: LiveEvent): boolean {
    const b = this.map.bbox;
    const p = e.position;
    if (!b || !p) return true;
    return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
  }

  #onLive(e: LiveEvent) {
    const inArea = this.#inSelectedArea(e);
    switch (e.kind) {
      case 'ticket':
        if (inArea) this.ticketList.refresh();
        if (this.view.layers.tickets.visible && this.#inViewport(e)) this.tickets.refresh();
        if (this.ticket?.id === e.id) {
          this.#debounced(`ticket:${e.id}`, 300, () => void this.#reloadTicket(e.id));
        }
        if (inArea) this.#refreshKpis();
        break;
      case 'hazard':
        if (inArea) this.hazardList.refresh();
        if (this.view.layers.hazards.visible && this.#inViewport(e)) this.hazards.refresh();
        if (this.hazard?.id === e.id) {
          this.#debounced(`hazard:${e.id}`, 300, () => {
            api.hazard(e.id).then(
              (h) => {
                if (this.hazard?.id === h.id) this.hazard = h;
              },
              () => {},
            );
          });
        }
        if (inArea) this.#refreshKpis();
        break;
      case 'whistle': {
        this.whistles.refresh();
        if (inArea) this.ticketList.refresh();
        const t = this.ticket;
        if (t && (t.whistles ?? []).some((w) => w.id === e.id)) {
          this.#debounced(`ticket:${t.id}`, 300, () => void this.#reloadTicket(t.id));
        }
        if (this.whistle?.id === e.id) {
          this.#debounced(`whistle:${e.id}`, 300, () => {
            api.whistle(e.id).then(
              (w) => {
                if (this.whistle?.id === w.id) this.whistle = w;
              },
              () => {},
            );
          });
        }
        if (inArea) this.#refreshKpis();
        break;
      }
      case 'patrol':
        this.patrols.refresh(1000);
        this.coverage.refresh(1000);
        break;
    }
  }

  /** Refetches the viewport's points for the current filters (debounced by each PointsState). */
  requestPoints() {
    const bbox = this.map.bbox;
    if (!bbox || !this.session.checked) return;
    const { layers } = this.view;
    const ticketQuery = this.view.ticketQuery;
    // The point layers are not published: the public gets none (and no 401 in the console).
    if (!this.session.pointsReadable) this.tickets.clear();
    else if (layers.tickets.visible) this.tickets.request(bbox, ticketQuery);
    if (!this.session.hazardPointsReadable) this.hazards.clear();
    else if (layers.hazards.visible) {
      const q: Record<string, string> = { status: 'open' };
      if (ticketQuery.from) q.from = ticketQuery.from;
      if (ticketQuery.to) q.to = ticketQuery.to;
      this.hazards.request(bbox, q);
    }
  }

  /** Nothing is loading: what the screen shows is what the state says. */
  get settled(): boolean {
    return (
      this.map.loaded &&
      !this.areas.loading &&
      !this.areas.detailLoading &&
      !this.tickets.loading &&
      !this.hazards.loading &&
      this.session.checked &&
      !this.ticketList.loading &&
      !this.hazardList.loading &&
      !this.whistles.loading &&
      !this.patrols.loading &&
      !this.coverage.loading &&
      !this.coverageGrids.loading &&
      !this.ticketLoading
    );
  }
}
