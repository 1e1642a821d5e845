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
import {
  buildCoverageLayer,
  buildPatrolsLayers,
  type coverageFeatures,
  type PatrolsLayerData,
} from './patrols.ts';
import { buildSelectionLayer, type Marker } from './selection.ts';
import { buildTicketsLayer } from './tickets.ts';
import { buildWhistlesLayers, type WhistlesLayerData } from './whistles.ts';

export interface MapData {
  areas: AreasLayerData;
  compounds: CompoundPoint[] | null;
  tickets: PointData | null;
  hazards: PointData | null;
  labels: Label[];
  whistles?: WhistlesLayerData;
  patrols?: PatrolsLayerData;
  coverage?: ReturnType<typeof coverageFeatures>;
  markers?: Marker[];
}

export function buildLayers(configs: LayerConfigs, data: MapData): Layer[] {
  return [
    ...buildAreasLayers(configs.areas, data.areas),
    buildCoverageLayer(configs.coverage, data.coverage ?? []),
    buildCompoundsLayer(configs.compounds, data.compounds),
    ...buildPatrolsLayers(configs.patrols, data.patrols ?? { tracks: [], checkins: [] }),
    buildHazardsLayer(configs.hazards, data.hazards),
    buildTicketsLayer(configs.tickets, data.tickets),
    ...buildWhistlesLayers(configs.whistles, data.whistles ?? { whistles: null, arcs: [] }),
    buildLabelsLayer(configs.labels, data.labels),
    buildSelectionLayer(data.markers ?? []),
  ] as Layer[];
}
