/**
 * The coverage layer's freshest data after a write. The registry's loader fetches when the area
 * or zoom changes; a write in the 党建 tab repeats that query here, and the layer shows whichever
 * is newer. Plain TypeScript (no runes) because layer modules are imported by Node tests too;
 * `createSubscriber` makes `fresh` reactive wherever an effect reads it.
 */
import { createSubscriber } from 'svelte/reactivity';
import { partyApi, type PartyCoverageMap } from './api.ts';

class PartyMapData {
  #fresh: PartyCoverageMap | null = null;
  #last: { area: number | null; zoom: number } | null = null;
  #notify: (() => void) | null = null;
  readonly #subscribe = createSubscriber((update) => {
    this.#notify = update;
    return () => {
      this.#notify = null;
    };
  });

  get fresh(): PartyCoverageMap | null {
    this.#subscribe();
    return this.#fresh;
  }

  #set(data: PartyCoverageMap | null) {
    this.#fresh = data;
    this.#notify?.();
  }

  /** The loader's query, remembered so that a write can repeat it. */
  fetch(area: number | null, zoom: number, signal: AbortSignal) {
    this.#last = { area, zoom };
    if (this.#fresh) this.#set(null);
    return partyApi.coverageMap(area, zoom, signal);
  }

  async reload() {
    const last = this.#last;
    if (!last) return;
    const data = await partyApi.coverageMap(last.area, last.zoom);
    if (this.#last === last) this.#set(data);
  }
}

export const partyMapData = new PartyMapData();
