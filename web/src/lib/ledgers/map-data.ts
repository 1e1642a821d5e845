/**
 * The disclosure layer's data and the month it shows. The registry's loader fetches when the area
 * or zoom changes; the 财务公开 tab sets the month (and reloads after a write) here, and the layer
 * shows whichever answer is newer. Plain TypeScript (no runes) because layer modules are imported
 * by Node tests too; `createSubscriber` makes `fresh` reactive wherever an effect reads it.
 */
import { createSubscriber } from 'svelte/reactivity';
import { ledgersApi, type DisclosureMap } from './api.ts';

class LedgersMapData {
  #fresh: DisclosureMap | null = null;
  #last: { area: number | null; zoom: number } | null = null;
  #month: string | null = null;
  #notify: (() => void) | null = null;
  readonly #subscribe = createSubscriber((update) => {
    this.#notify = update;
    return () => {
      this.#notify = null;
    };
  });

  get fresh(): DisclosureMap | null {
    this.#subscribe();
    return this.#fresh;
  }

  get month(): string | null {
    return this.#month;
  }

  #set(data: DisclosureMap | null) {
    this.#fresh = data;
    this.#notify?.();
  }

  /** The loader's query, remembered so that a write or a month can repeat it. */
  fetch(area: number | null, zoom: number, signal: AbortSignal) {
    this.#last = { area, zoom };
    if (this.#fresh) this.#set(null);
    return ledgersApi.map(area, this.#month, zoom, signal);
  }

  /** The month the tab shows (null: the latest due); the layer follows it. */
  setMonth(month: string | null) {
    if (month === this.#month) return;
    this.#month = month;
    void this.reload();
  }

  async reload() {
    const last = this.#last;
    if (!last) return;
    const data = await ledgersApi.map(last.area, this.#month, last.zoom).catch(() => null);
    if (this.#last === last && data) this.#set(data);
  }
}

export const ledgersMapData = new LedgersMapData();
