/**
 * The mediation, service-point and enforcement layers' freshest data after a write in the 调解与服务
 * tab (the registry's loaders fetch when the area changes; a write repeats the query here and
 * the layers show whichever is newer), as partyMapData does for 党建. Plain TypeScript: layer
 * modules are imported by Node tests too.
 */
import { createSubscriber } from 'svelte/reactivity';

export class FreshData<T, Q> {
  #fresh: T | null = null;
  #last: Q | null = null;
  #notify: (() => void) | null = null;
  readonly #subscribe = createSubscriber((update) => {
    this.#notify = update;
    return () => {
      this.#notify = null;
    };
  });

  constructor(private readonly load: (q: Q, signal?: AbortSignal) => Promise<T>) {}

  get fresh(): T | null {
    this.#subscribe();
    return this.#fresh;
  }

  fetch(q: Q, signal: AbortSignal) {
    this.#last = q;
    if (this.#fresh) {
      this.#fresh = null;
      this.#notify?.();
    }
    return this.load(q, signal);
  }

  async reload() {
    const last = this.#last;
    if (last === null) return;
    const data = await this.load(last);
    if (this.#last === last) {
      this.#fresh = data;
      this.#notify?.();
    }
  }
}
