/**
 * The wall map's data over time: reads what the current scene shows, again when it is older
 * than its refresh interval (REFRESH_SECONDS), and keeps the last good answer when a read fails,
 * so the map never blanks. One timer checks every few seconds; nothing runs after `stop()`.
 */
import { api } from '../../lib/api.ts';
import type { AreaCollection } from '../../lib/types.ts';
import { loadResource, type WallData } from './data.ts';
import { REFRESH_SECONDS, type WallResource } from './scenes.ts';

const CHECK_MS = 5_000;
/** After a failed read, wait this long before the next try (whatever the interval). */
const RETRY_MS = 15_000;

export class WallMapData {
  data = $state.raw<WallData>({});
  districts = $state.raw<AreaCollection | null>(null);
  /** Failed reads so far (kept for the page's diagnostics; the map shows the last good data). */
  failures = $state(0);

  private wanted: readonly WallResource[] = [];
  // bookkeeping, not state: nothing on screen reads these
  /* eslint-disable svelte/prefer-svelte-reactivity */
  private loadedAt = new Map<WallResource, number>();
  private failedAt = new Map<WallResource, number>();
  private inflight = new Map<WallResource, AbortController>();
  /* eslint-enable svelte/prefer-svelte-reactivity */
  private timer: ReturnType<typeof setInterval> | null = null;
  private districtsLoading: AbortController | null = null;

  constructor(private readonly now: () => number = () => Date.now()) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), CHECK_MS);
    void this.loadDistricts();
    this.check();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.inflight.values()) c.abort();
    this.inflight.clear();
    this.districtsLoading?.abort();
  }

  /** The resources the scene on screen needs; any missing or old one is read now. */
  want(resources: readonly WallResource[]): void {
    this.wanted = resources;
    if (this.timer) this.check();
  }

  /** Reads the wanted resources that are missing or older than their interval. */
  check(): void {
    const now = this.now();
    for (const r of this.wanted) {
      if (this.inflight.has(r)) continue;
      const failed = this.failedAt.get(r);
      if (failed !== undefined && now - failed < RETRY_MS) continue;
      const loaded = this.loadedAt.get(r);
      if (loaded !== undefined && now - loaded < REFRESH_SECONDS[r] * 1000) continue;
      void this.load(r);
    }
    if (!this.districts && !this.districtsLoading) void this.loadDistricts();
  }

  private async load(r: WallResource): Promise<void> {
    const controller = new AbortController();
    this.inflight.set(r, controller);
    try {
      const value = await loadResource(r, controller.signal);
      if (controller.signal.aborted) return;
      this.data = { ...this.data, [r]: value };
      this.loadedAt.set(r, this.now());
      this.failedAt.delete(r);
    } catch {
      if (controller.signal.aborted) return;
      // keep the last good data on screen; try again after RETRY_MS
      this.failedAt.set(r, this.now());
      this.failures++;
    } finally {
      if (this.inflight.get(r) === controller) this.inflight.delete(r);
    }
  }

  private async loadDistricts(): Promise<void> {
    const controller = new AbortController();
    this.districtsLoading = controller;
    try {
      this.districts = await api.areas({ level: 'district', zoom: 9 }, controller.signal);
    } catch {
      if (!controller.signal.aborted) this.failures++;
    } finally {
      this.districtsLoading = null;
    }
  }
}
