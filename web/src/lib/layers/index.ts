/**
 * The map's layers by data: a shortcut over registry.ts for tests and scripts that hold the data
 * as one object by layer id (missing entries are empty).
 */
import type { Layer } from '@deck.gl/core';
import type { LayerConfigs } from '../view-config.ts';
import { buildLayers as build, LAYERS } from './registry.ts';

export type MapData = Partial<Record<string, unknown>>;

const EMPTY: Record<string, unknown> = {
  whistles: { whistles: null, arcs: [] },
  patrols: { tracks: [], checkins: [] },
  coverage: [],
  labels: [],
  selection: [],
};

export function buildLayers(configs: LayerConfigs, data: MapData): Layer[] {
  return build(LAYERS, configs, (id) => data[id] ?? EMPTY[id] ?? null);
}
