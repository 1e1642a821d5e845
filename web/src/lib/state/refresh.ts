import type { LiveEvent } from '../types.ts';
import type { AreasState } from './areas.svelte.ts';
import type { DetailState } from './detail.svelte.ts';
import type { HazardsState } from './hazards.svelte.ts';
import type { MapState } from './map.svelte.ts';
import type { PatrolsState } from './patrols.svelte.ts';
import type { TicketsState, WriteKind } from './tickets.svelte.ts';
import type { ViewState } from './view.svelte.ts';
import type { WhistlesState } from './whistles.svelte.ts';

interface Parts {
  view: ViewState;
  map: MapState;
  areas: AreasState;
  detail: DetailState;
  tickets: TicketsState;
  hazards: HazardsState;
  whistles: WhistlesState;
  patrols: PatrolsState;
}

/**
 * What a write or a live event changed: refresh only what it touches, a moment later, once per
 * burst (lists, points, the open card, the KPIs).
 */
export class Refresher {
  #kpiTimer: ReturnType<typeof setTimeout> | null = null;
  // Timers, not state: nothing renders from this map.

  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly app: Parts) {}

  /** After one of this page's own writes (the live event may follow). */
  afterWrite(kind: WriteKind) {
    const { tickets, hazards, whistles } = this.app;
    if (kind === 'ticket' || kind === 'whistle') tickets.list.refresh(150);
    if (kind === 'hazard') hazards.list.refresh(150);
    if (kind === 'ticket') tickets.points.refresh();
    if (kind === 'hazard') hazards.points.refresh();
    if (kind === 'whistle') whistles.open.refresh(150);
    this.kpis();
  }

  kpis() {
    if (this.#kpiTimer) clearTimeout(this.#kpiTimer);
    this.#kpiTimer = setTimeout(() => {
      this.#kpiTimer = null;
      void this.app.areas.refreshDetail(this.app.view.range);
    }, 1200);
  }

  onLive(e: LiveEvent) {
    const { view, detail, tickets, hazards, whistles, patrols } = this.app;
    const inArea = this.#inSelectedArea(e);
    switch (e.kind) {
      case 'ticket':
        if (inArea) tickets.list.refresh();
        if (view.layers.tickets.visible && this.#inViewport(e)) tickets.points.refresh();
        if (detail.ticket?.id === e.id) {
          this.#debounced(`ticket:${e.id}`, () => void detail.reloadTicket(e.id));
        }
        if (inArea) this.kpis();
        break;
      case 'hazard':
        if (inArea) hazards.list.refresh();
        if (view.layers.hazards.visible && this.#inViewport(e)) hazards.points.refresh();
        if (detail.hazard?.id === e.id) {
          this.#debounced(`hazard:${e.id}`, () => void detail.reloadHazard(e.id));
        }
        if (inArea) this.kpis();
        break;
      case 'whistle': {
        whistles.open.refresh();
        if (inArea) tickets.list.refresh();
        const t = detail.ticket;
        if (t && (t.whistles ?? []).some((w) => w.id === e.id)) {
          this.#debounced(`ticket:${t.id}`, () => void detail.reloadTicket(t.id));
        }
        if (detail.whistle?.id === e.id) {
          this.#debounced(`whistle:${e.id}`, () => void detail.reloadWhistle(e.id));
        }
        if (inArea) this.kpis();
        break;
      }
      case 'patrol':
        patrols.refresh(1000);
        break;
    }
  }

  #debounced(key: string, run: () => void, ms = 300) {
    const t = this.#timers.get(key);
    if (t) clearTimeout(t);
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        run();
      }, ms),
    );
  }

  #inSelectedArea(e: LiveEvent): boolean {
    const area = this.app.view.area;
    if (area === null) return true;
    return Object.values(e.areaIds ?? {}).includes(area);
  }

  #inViewport(e: LiveEvent): boolean {
    const b = this.app.map.bbox;
    const p = e.position;
    if (!b || !p) return true;
    return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
  }
}
