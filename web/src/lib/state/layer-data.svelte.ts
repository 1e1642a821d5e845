import { api } from '../api.ts';
import { allowed, type Access, type LoadQuery } from '../layers/define.ts';
import type { AnyLayer, Configs } from '../layers/registry.ts';
import type { LiveEvent } from '../types.ts';
import { Resource } from './resource.svelte.ts';

/**
 * The data of the layers that load their own (a definition with `load`): one Resource each, loaded
 * while the layer is on and readable, for the one map filter, the selected area and the viewport.
 * Layers whose data a feature state already holds (tickets, whistles…) read it from there.
 */
export class LayerDataState {
  // Created once per layer, never replaced: the map is not reactive, each Resource is.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #resources = new Map<string, Resource<unknown>>();

  constructor(private readonly defs: readonly AnyLayer[]) {
    for (const def of defs) if (def.load) this.#resources.set(def.id, new Resource<unknown>());
  }

  get(id: string): unknown {
    return this.#resources.get(id)?.data ?? null;
  }

  get loading(): boolean {
    for (const r of this.#resources.values()) if (r.loading) return true;
    return false;
  }

  /** (Re)loads every self-loading layer for the current filter, area and viewport. */
  sync(q: Omit<LoadQuery, 'api' | 'config'>, configs: Configs, access: Access) {
    for (const def of this.defs) {
      const resource = this.#resources.get(def.id);
      const config = configs[def.id];
      if (!def.load || !resource || !config) continue;
      if (!allowed(def.capability, access)) {
        resource.clear();
        continue;
      }
      if (!config.visible) continue;
      const query: LoadQuery = { ...q, api, config };
      const key = def.load.key
        ? def.load.key(query)
        : JSON.stringify([q.filter, q.area, q.bbox?.map((n) => n.toFixed(4)), config.colorBy]);
      const load = def.load;
      resource.load(key, (signal) => load.fetch(query, signal));
    }
  }

  onLive(e: LiveEvent) {
    for (const def of this.defs) {
      if (def.load?.live?.includes(e.kind)) this.#resources.get(def.id)?.refresh();
    }
  }

  clear() {
    for (const r of this.#resources.values()) r.clear();
  }
}
