import { api, type NewHazard } from '../api.ts';
import type { BBox, HazardDetail, HazardRow, Page } from '../types.ts';
import { hazardListQuery, type HazardListConfig } from '../view-config.ts';
import type { DetailState } from './detail.svelte.ts';
import type { PickState } from './pick.svelte.ts';
import { PointsState } from './points.svelte.ts';
import { Resource } from './resource.svelte.ts';
import type { SessionState } from './session.svelte.ts';
import type { WriteKind } from './tickets.svelte.ts';

export const HAZARD_LIMIT = 5000;

/** Hazards: the viewport's open points, the workspace list, and the writes that change them. */
export class HazardsState {
  points = new PointsState('hazards', HAZARD_LIMIT);
  list = new Resource<Page<HazardRow>>();

  constructor(
    private readonly session: SessionState,
    private readonly detail: DetailState,
    private readonly pick: PickState,
    private readonly afterWrite: (kind: WriteKind) => void,
  ) {}

  get loading(): boolean {
    return this.points.loading || this.list.loading;
  }

  /** Open hazards in the viewport, for the map filter's period. */
  requestPoints(bbox: BBox, ticketQuery: Record<string, string>, visible: boolean) {
    if (!this.session.hazardPointsReadable) return this.points.clear();
    if (!visible) return;
    const q: Record<string, string> = { status: 'open' };
    if (ticketQuery.from) q.from = ticketQuery.from;
    if (ticketQuery.to) q.to = ticketQuery.to;
    this.points.request(bbox, q);
  }

  loadList(config: HazardListConfig, area: number | null) {
    if (!this.session.hazardsReadable) return this.list.clear();
    const q = hazardListQuery(config, area);
    this.list.load(JSON.stringify(q), (signal) => api.hazardList(q, signal));
  }

  clear() {
    this.points.clear();
    this.list.clear();
  }

  async create(body: NewHazard, key: string): Promise<HazardDetail> {
    const h = await api.createHazard(body, key);
    this.pick.draft = null;
    this.detail.showHazard(h);
    this.afterWrite('hazard');
    return h;
  }

  async transition(id: number, body: { action: string; note?: string; photoRef?: string }) {
    const h = await api.transitionHazard(id, body);
    if (this.detail.hazard?.id === id) this.detail.hazard = h;
    this.afterWrite('hazard');
    return h;
  }
}
