/**
 * The map's layers, one entry each: which deck.gl layers it draws, how they are built from the
 * loaded data, what a click on one of its objects does, and who may click it. `buildLayers`,
 * the click handler, the pointer cursor and the tooltip's 点击查看 hint all read this one table,
 * so a new layer is an entry here (and its module), not a thread through the app.
 *
 * @example
 * clickAction({ layerId: 'compounds', index: 0, object: { id: 12 } }, data, access);
 * // { kind: 'area', id: 12 }
 */
import type { Layer } from '@deck.gl/core';
import type { Pick } from '../map/hover.ts';
import type { PointData } from '../types.ts';
import type { LayerConfigs, LayerId } from '../view-config.ts';
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

/** What the signed-in account may open (capabilities, see SessionState). */
export interface Access {
  ticketsOpenable: boolean;
  hazardsOpenable: boolean;
  whistlesReadable: boolean;
}

export type ClickAction =
  | { kind: 'area'; id: number }
  | { kind: 'ticket'; id: number }
  | { kind: 'hazard'; id: number }
  | { kind: 'whistle'; id: number };

/** One deck.gl layer id's behaviour: what a click on its object means, and who may click. */
interface Pickable {
  click: (pick: Pick, data: MapData) => ClickAction | null;
  allowed?: (access: Access) => boolean;
}

export interface LayerEntry {
  id: LayerId | 'selection';
  build: (configs: LayerConfigs, data: MapData) => Layer | Layer[];
  /** by deck.gl layer id (a layer may draw several) */
  picks?: Record<string, Pickable>;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const prop = (o: unknown, key: string): unknown =>
  (o as { properties?: Record<string, unknown> } | null)?.properties?.[key];
const field = (o: unknown, key: string): unknown => (o as Record<string, unknown> | null)?.[key];

function area(id: number | null): ClickAction | null {
  return id === null ? null : { kind: 'area', id };
}

const areaFeature: Pickable = { click: (p) => area(num(prop(p.object, 'id'))) };

/** Drawing order, bottom first. */
export const LAYERS: readonly LayerEntry[] = [
  {
    id: 'areas',
    build: (c, d) => buildAreasLayers(c.areas, d.areas),
    picks: { areas: areaFeature, 'areas-context': areaFeature },
  },
  {
    id: 'coverage',
    build: (c, d) => buildCoverageLayer(c.coverage, d.coverage ?? []),
    picks: { coverage: areaFeature },
  },
  {
    id: 'patrols',
    build: (c, d) => buildPatrolsLayers(c.patrols, d.patrols ?? { tracks: [], checkins: [] }),
    // A check-in stands on its compound: a click on it opens the compound, as a click on the
    // compound's dot or name would (it used to swallow those clicks).
    picks: { 'patrols-checkins': { click: (p) => area(num(prop(p.object, 'compoundId'))) } },
  },
  {
    id: 'compounds',
    build: (c, d) => buildCompoundsLayer(c.compounds, d.compounds),
    picks: { compounds: { click: (p) => area(num(field(p.object, 'id'))) } },
  },
  {
    id: 'hazards',
    build: (c, d) => buildHazardsLayer(c.hazards, d.hazards),
    picks: {
      hazards: {
        click: (p, d) => {
          const id = d.hazards?.ids[p.index];
          return id === undefined ? null : { kind: 'hazard', id };
        },
        allowed: (a) => a.hazardsOpenable,
      },
    },
  },
  {
    id: 'tickets',
    build: (c, d) => buildTicketsLayer(c.tickets, d.tickets),
    picks: {
      tickets: {
        click: (p, d) => {
          const id = d.tickets?.ids[p.index];
          return id === undefined ? null : { kind: 'ticket', id };
        },
        allowed: (a) => a.ticketsOpenable,
      },
    },
  },
  {
    id: 'whistles',
    build: (c, d) => buildWhistlesLayers(c.whistles, d.whistles ?? { whistles: null, arcs: [] }),
    picks: {
      whistles: {
        click: (p) => {
          const id = num(field(p.object, 'whistleId'));
          return id === null ? null : { kind: 'whistle', id };
        },
        allowed: (a) => a.whistlesReadable,
      },
      'whistles-sites': {
        click: (p) => {
          const id = num(field(p.object, 'id'));
          return id === null ? null : { kind: 'whistle', id };
        },
        allowed: (a) => a.whistlesReadable,
      },
    },
  },
  {
    id: 'labels',
    build: (c, d) => buildLabelsLayer(c.labels, d.labels),
    // A name is its area: clicking it drills in, whatever point lies under the letters.
    picks: { labels: { click: (p) => area(num(field(p.object, 'id'))) } },
  },
  { id: 'selection', build: (_c, d) => buildSelectionLayer(d.markers ?? []) },
];

const PICKS: ReadonlyMap<string, Pickable> = new Map(
  LAYERS.flatMap((l) => Object.entries(l.picks ?? {})),
);

/** All deck.gl layers of the map, in drawing order. Pure: same inputs, same ids and props. */
export function buildLayers(configs: LayerConfigs, data: MapData): Layer[] {
  return LAYERS.flatMap((l) => l.build(configs, data));
}

/** May this account click objects of this deck.gl layer (pointer cursor, 点击查看)? */
export function isClickable(layerId: string, access: Access): boolean {
  const p = PICKS.get(layerId);
  return !!p && (p.allowed?.(access) ?? true);
}

/** What a click on a picked object does for this account; null: nothing. */
export function clickAction(pick: Pick, data: MapData, access: Access): ClickAction | null {
  const p = PICKS.get(pick.layerId);
  if (!p || !(p.allowed?.(access) ?? true)) return null;
  return p.click(pick, data);
}
