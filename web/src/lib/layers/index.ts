/**
 * All deck.gl layers of the map, in drawing order, from the layer configs and the loaded data.
 * Pure: the same inputs give layers with the same ids and props, so deck.gl only diffs them.
 */
import type { Layer } from '@deck.gl/core';
import type { PointData } from '../types.ts';
import type { LayerConfigs } from '../view-config.ts';
import { buildAreasLayers, type AreasLayerData } from './areas.ts';
import { buildCompoundsLayer, type CompoundPoint } from './compounds.ts';
import { buildHazardsLayer } from './hazards.ts';
import { buildLabelsLayer, type Label } from './labels.ts';
import { buildTicketsLayer } from './tickets.ts';

export interface MapData {
  areas: AreasLayerData;
  compounds: CompoundPoint[] | null;
  tickets: PointData | null;
  hazards: PointData | null;
  labels: Label[];
}

export function buildLayers(configs: LayerConfigs, data: MapData): Layer[] {
  return [
    ...buildAreasLayers(configs.areas, data.areas),
    buildCompoundsLayer(configs.compounds, data.compounds),
    buildHazardsLayer(configs.hazards, data.hazards),
    buildTicketsLayer(configs.tickets, data.tickets),
    buildLabelsLayer(configs.labels, data.labels),
  ] as Layer[];
}
