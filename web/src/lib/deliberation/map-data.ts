/**
 * The proposal layer's freshest data after a write: the registry's loader fetches when the area
 * or zoom changes; a write in the 议事协商 tab repeats that query here, and the layer shows
 * whichever is newer (as party/map-data.ts). Plain TypeScript: layer modules load in Node tests.
 */
import { createSubscriber } from 'svelte/reactivity';
import { deliberationApi, type ProposalMap } from './api.ts';

class DeliberationMapData {
  #fresh: ProposalMap | null = null;
  #last: { area: number | null; zoom: number } | null = null;
  #notify: (() => void) | null = null;
  readonly #subscribe = createSubscriber((update) => {
    this.#notify = update;
    return () => {
      this.#notify = null;
    };
  });

  get fresh(): ProposalMap | null {
    this.#subscribe();
    return this.#fresh;
  }

  #set(data: ProposalMap | null) {
    this.#fresh = data;
    this.#notify?.();
  }

  #open: number | null = null;

  /** The proposal a click on the map asked to open (the 议事协商 panel takes it). */
  get requested(): number | null {
    this.#subscribe();
    return this.#open;
  }

  request(id: number | null) {
    this.#open = id;
    this.#notify?.();
  }

  fetch(area: number | null, zoom: number, signal: AbortSignal) {
    this.#last = { area, zoom };
    if (this.#fresh) this.#set(null);
    return deliberationApi.map(area, zoom, signal);
  }

  async reload() {
    const last = this.#last;
    if (!last) return;
    const data = await deliberationApi.map(last.area, last.zoom);
    if (this.#last === last) this.#set(data);
  }
}

export const deliberationMapData = new DeliberationMapData();
