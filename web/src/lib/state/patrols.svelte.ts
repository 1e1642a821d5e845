import { api } from '../api.ts';
import { beijingDate, coverageFeatures, patrolCheckins, patrolTracks } from '../layers/patrols.ts';
import type { AreaCollection, BBox, CoverageItem, PatrolCollection } from '../types.ts';
import { Resource } from './resource.svelte.ts';
import type { SessionState } from './session.svelte.ts';

/** Patrols: the day's tracks and check-ins, and how lately each grid was patrolled (coverage). */
export class PatrolsState {
  tracks = new Resource<PatrolCollection>();
  coverage = new Resource<{ items: CoverageItem[] }>();
  grids = new Resource<AreaCollection>();
  /** Which day's patrol tracks the map shows. */
  day = $state<'today' | 'yesterday'>('today');

  constructor(
    private readonly session: SessionState,
    private readonly clock: { readonly now: number },
  ) {}

  // Derived, so that deck.gl sees the same arrays until the data really changes.
  data = $derived.by(() => ({
    tracks: patrolTracks(this.tracks.data),
    checkins: patrolCheckins(this.tracks.data),
  }));
  coverageData = $derived.by(() =>
    coverageFeatures({
      grids: this.grids.data,
      items: this.coverage.data?.items ?? null,
      now: this.clock.now,
    }),
  );

  get loading(): boolean {
    return this.tracks.loading || this.coverage.loading || this.grids.loading;
  }

  load(area: number | null, visible: boolean) {
    if (!this.session.patrolsReadable || !visible) return;
    const q = { area: area ?? undefined, date: beijingDate(this.day === 'today' ? 0 : 1) };
    this.tracks.load(JSON.stringify(q), (signal) => api.patrols(q, signal));
  }

  loadCoverage(area: number | null, bbox: BBox | null, visible: boolean) {
    if (!this.session.patrolsReadable || !visible) return;
    const q = { area: area ?? undefined };
    this.coverage.load(JSON.stringify(q), (signal) => api.coverage(q, signal));
    const g = { level: 'grid', bbox: bbox ?? undefined, zoom: 13 };
    this.grids.load(JSON.stringify(g), (signal) => api.areas(g, signal));
  }

  refresh(delayMs?: number) {
    this.tracks.refresh(delayMs);
    this.coverage.refresh(delayMs);
  }

  clear() {
    for (const r of [this.tracks, this.coverage, this.grids]) r.clear();
  }
}
