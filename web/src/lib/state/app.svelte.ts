import type { Layer } from '@deck.gl/core';
import { tick } from 'svelte';
import type { StyleSpecification } from 'maplibre-gl';
import { api } from '../api.ts';
import { declutterLabels } from '../layers/labels.ts';
import { buildLayers, clickAction, isClickable, LAYERS, layerData } from '../layers/registry.ts';
import type { Marker } from '../layers/selection.ts';
import { buildBaseStyle } from '../map/basemap.ts';
import { bboxOf } from '../map/bbox.ts';
import type { Pick } from '../map/hover.ts';
import type { Account, BBox, Meta } from '../types.ts';
import type { ViewConfig } from '../view-config.ts';
import { AreasState } from './areas.svelte.ts';
import { DetailState } from './detail.svelte.ts';
import { HazardsState } from './hazards.svelte.ts';
import { LayerDataState } from './layer-data.svelte.ts';
import { LiveState } from './live.svelte.ts';
import { MapState } from './map.svelte.ts';
import { PatrolsState } from './patrols.svelte.ts';
import { PickState } from './pick.svelte.ts';
import { effectiveLayers, PlannerState } from './planner.svelte.ts';
import { Refresher } from './refresh.ts';
import { SessionState } from './session.svelte.ts';
import { TicketsState } from './tickets.svelte.ts';
import { ViewState } from './view.svelte.ts';
import { WhistlesState } from './whistles.svelte.ts';

export type { Draft, MapMode } from './pick.svelte.ts';

/**
 * The app: one state per feature (the view in the URL, the session, the map, areas, tickets,
 * hazards, whistles, patrols, the open card, picking a place, the live stream, the layers that
 * load their own data), and what ties them together: booting, drilling, signing in and out.
 */
export class AppState {
  readonly view: ViewState;
  readonly session = new SessionState();
  readonly map = new MapState();
  readonly areas = new AreasState();
  readonly detail = new DetailState(this.map);
  readonly pick = new PickState();
  readonly layerStore = new LayerDataState(LAYERS);
  readonly #refresher: Refresher;
  readonly tickets: TicketsState;
  readonly hazards: HazardsState;
  readonly whistles: WhistlesState;
  readonly patrols: PatrolsState;
  readonly planner: PlannerState;
  readonly live = new LiveState(
    (e) => {
      this.#refresher.onLive(e);
      this.layerStore.onLive(e);
    },
    (reason) => this.#sessionEnded(reason),
  );
  meta = $state.raw<Meta | null>(null);
  bootError = $state.raw<unknown>(null);
  /** Ticks every 30 s: deadlines and patrol ages are counted from it. */
  now = $state(Date.now());

  /** `plannerSearch`: the query string the workbench reads its part of (planner/config.ts). */
  constructor(initial: ViewConfig, plannerSearch = '') {
    this.view = new ViewState(initial);
    const afterWrite = (kind: 'ticket' | 'hazard' | 'whistle') => this.#refresher.afterWrite(kind);
    this.tickets = new TicketsState(this.session, this.detail, this.pick, afterWrite);
    this.hazards = new HazardsState(this.session, this.detail, this.pick, afterWrite);
    this.whistles = new WhistlesState(this.session, this.detail, afterWrite);
    this.patrols = new PatrolsState(this.session, this);
    this.planner = new PlannerState(this.view, this.session, this.map, plannerSearch);
    this.#refresher = new Refresher(this);
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
        style: styleUrl
          ? styleUrl
          : buildBaseStyle(districts, {
              areaTiles: `${window.location.origin}/tiles/areas/{z}/{x}/{y}.mvt`,
              bounds: meta.bounds,
            }),
        bounds: bboxOf(districts) ?? meta.bounds ?? null,
      };
    } catch (err) {
      this.bootError = err;
      throw err;
    }
  }

  /** Labels that fit at the current zoom (in half-zoom steps, so small moves reuse the list). */
  labels = $derived.by(() => declutterLabels(this.areas.labels, Math.round(this.map.zoom * 2) / 2));

  markers = $derived.by((): Marker[] => {
    const out: Marker[] = [];
    const d = this.detail;
    const selected = d.ticket?.position ?? d.hazard?.position ?? d.whistle?.position;
    if (selected) out.push({ position: selected, kind: 'selected' });
    if (this.pick.draft) out.push({ position: this.pick.draft.position, kind: 'draft' });
    return out;
  });

  loaded(id: string): unknown {
    return this.layerStore.get(id);
  }

  /** Every layer's data by layer id (the registry says where each one's is). */
  get mapData(): Record<string, unknown> {
    return layerData(LAYERS, this);
  }

  get layers(): Layer[] {
    const data = this.mapData;
    const configs = effectiveLayers(this.view.layers, this.planner.active);
    return buildLayers(LAYERS, configs, (id) => data[id]);
  }

  /** Drills to an area (null: the whole city) and zooms the map to it. */
  async select(id: number | null, options: { fit?: boolean } = {}) {
    const fit = options.fit ?? true;
    this.view.area = id;
    this.detail.ticket = null;
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
  canOpen(deckLayerId: string): boolean {
    return isClickable(LAYERS, deckLayerId, this.session);
  }

  onClick(pick: Pick) {
    const data = this.mapData;
    const action = clickAction(LAYERS, pick, (id) => data[id], this.session);
    if (!action) return;
    switch (action.kind) {
      case 'area':
        void this.select(action.id);
        break;
      case 'ticket':
        void this.detail.openTicket(action.id);
        break;
      case 'hazard':
        void this.detail.openHazard(action.id);
        break;
      case 'whistle':
        void this.detail.openWhistle(action.id);
        break;
      case 'cell':
        this.planner.openCell(action.h3);
        break;
    }
  }

  startPick(kind: 'ticket' | 'hazard') {
    this.detail.close();
    this.pick.start(kind);
  }

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
    this.#signedOut();
  }

  /** The server ended the session (signed out elsewhere, disabled, expired): the UI follows. */
  #sessionEnded(reason: string) {
    this.session.end(reason);
    this.#signedOut();
  }

  #signedOut() {
    this.live.disconnect();
    this.detail.close();
    this.pick.cancel();
    for (const s of [this.tickets, this.hazards, this.patrols, this.layerStore, this.planner])
      s.clear();
    this.whistles.open.clear();
    this.view.setTab('overview');
  }

  /** Refetches the viewport's points for the current filters (debounced by each PointsState). */
  requestPoints() {
    const bbox = this.map.bbox;
    if (!bbox || !this.session.checked) return;
    const { ticketQuery } = this.view;
    const layers = effectiveLayers(this.view.layers, this.planner.active);
    this.tickets.requestPoints(bbox, ticketQuery, layers.tickets.visible);
    this.hazards.requestPoints(bbox, ticketQuery, layers.hazards.visible);
  }

  /** Nothing is loading: what the screen shows is what the state says. */
  get settled(): boolean {
    return (
      this.map.loaded &&
      !this.areas.loading &&
      !this.areas.detailLoading &&
      this.session.checked &&
      !this.tickets.loading &&
      !this.hazards.loading &&
      !this.whistles.open.loading &&
      !this.patrols.loading &&
      !this.layerStore.loading &&
      !this.planner.loading
    );
  }
}
