import { api, isAbort } from '../api.ts';
import type { BBox, PointData } from '../types.ts';

/**
 * One binary point layer's data (tickets or hazards) for the current viewport: requests are
 * debounced while the map moves and a newer request aborts the one in flight.
 */
export class PointsState {
  data = $state.raw<PointData | null>(null);
  count = $state(0);
  truncated = $state(false);
  loading = $state(false);
  /** the last failure as thrown (an ApiError…), for `errorText` to put into words */
  error = $state.raw<unknown>(null);
  /** When the shown data was received (ms since epoch). */
  loadedAt = $state(0);

  #controller: AbortController | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastKey = '';
  #last: [BBox, Record<string, string>] | null = null;

  constructor(
    readonly kind: 'tickets' | 'hazards',
    readonly limit: number,
    readonly debounceMs = 300,
  ) {}

  /** Asks for the points in bbox with the query, after the debounce; the same request twice is one. */
  request(bbox: BBox, query: Record<string, string>) {
    this.#last = [bbox, query];
    const key = JSON.stringify([bbox.map((n) => n.toFixed(4)), query]);
    if (this.#timer) clearTimeout(this.#timer);
    else if (key === this.#lastKey) return;
    this.loading = true;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#lastKey = key;
      void this.#fetch(bbox, query);
    }, this.debounceMs);
  }

  /** Fetches the last request again (after the debounce), e.g. when a live event says it changed. */
  refresh() {
    const last = this.#last;
    if (!last) return;
    this.#lastKey = '';
    this.request(last[0], last[1]);
  }

  /** Drops the data too, e.g. on sign-out. */
  clear() {
    this.cancel();
    this.#last = null;
    this.data = null;
    this.count = 0;
    this.truncated = false;
    this.error = null;
  }

  cancel() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#controller?.abort();
    this.#controller = null;
    this.#lastKey = '';
    this.loading = false;
  }

  async #fetch(bbox: BBox, query: Record<string, string>) {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    try {
      const result = await api.points(
        this.kind,
        bbox,
        { ...query, limit: this.limit },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      this.data = result.data;
      this.count = result.count;
      this.truncated = result.truncated;
      this.error = null;
      this.loadedAt = Date.now();
    } catch (err) {
      if (isAbort(err) || controller.signal.aborted) return;
      this.error = err;
      this.#lastKey = '';
    } finally {
      if (this.#controller === controller) {
        this.loading = this.#timer !== null;
        this.#controller = null;
      }
    }
  }
}
