import type { Layer } from '@deck.gl/core';
import type { StyleSpecification } from 'maplibre-gl';
import { api, isAbort } from '../api.ts';
import { buildLayers, type MapData } from '../layers/index.ts';
import { declutterLabels } from '../layers/labels.ts';
import { buildBaseStyle } from '../map/basemap.ts';
import type { Pick } from '../map/hover.ts';
import type { AreaCollection, BBox, Meta, TicketDetail } from '../types.ts';
import type { ViewConfig } from '../view-config.ts';
import { AreasState } from './areas.svelte.ts';
import { MapState } from './map.svelte.ts';
import { PointsState } from './points.svelte.ts';
import { ViewState } from './view.svelte.ts';

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
  bootError = $state<string | null>(null);

  #ticketController: AbortController | null = null;

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
      const [meta, districts] = await Promise.all([api.meta(), this.areas.loadBase()]);
      this.meta = meta;
      void this.areas.loadCompounds();
      const styleUrl = meta.basemap?.styleUrl;
      return {
        style: styleUrl ? styleUrl : buildBaseStyle(districts),
        bounds: bboxOf(districts) ?? meta.bounds ?? null,
      };
    } catch (err) {
      this.bootError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  /** Labels that fit at the current zoom (in half-zoom steps, so small moves reuse the list). */
  labels = $derived.by(() => declutterLabels(this.areas.labels, Math.round(this.map.zoom * 2) / 2));

  get mapData(): MapData {
    return {
      areas: this.areas.layerData,
      compounds: this.areas.compounds,
      tickets: this.tickets.data,
      hazards: this.hazards.data,
      labels: this.labels,
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

  onClick(pick: Pick) {
    switch (pick.layerId) {
      case 'areas':
      case 'areas-context': {
        const id = (pick.object as { properties?: { id?: number } } | null)?.properties?.id;
        if (typeof id === 'number') void this.select(id);
        break;
      }
      case 'compounds': {
        const id = (pick.object as { id?: number } | null)?.id;
        if (typeof id === 'number') void this.select(id);
        break;
      }
      case 'tickets': {
        const id = this.tickets.data?.ids[pick.index];
        if (id !== undefined) void this.openTicket(id);
        break;
      }
      default:
        break;
    }
  }

  async openTicket(id: number) {
    this.#ticketController?.abort();
    const controller = new AbortController();
    this.#ticketController = controller;
    this.ticketLoading = true;
    try {
      this.ticket = await api.ticket(id, controller.signal);
    } catch (err) {
      if (!isAbort(err)) this.ticket = null;
    } finally {
      if (this.#ticketController === controller) this.ticketLoading = false;
    }
  }

  closeTicket() {
    this.#ticketController?.abort();
    this.ticket = null;
  }

  /** Refetches the viewport's points for the current filters (debounced by each PointsState). */
  requestPoints() {
    const bbox = this.map.bbox;
    if (!bbox) return;
    const { layers } = this.view;
    const ticketQuery = this.view.ticketQuery;
    if (layers.tickets.visible) this.tickets.request(bbox, ticketQuery);
    if (layers.hazards.visible) {
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
      !this.hazards.loading
    );
  }
}
