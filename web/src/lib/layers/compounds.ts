/**
 * Every compound of the city coloured by the three-colour rating (红黄蓝), drawn from the vector
 * tiles at /tiles/compounds (server/services/tiles.ts): a dot at its label point where it is under
 * 4 px across, its outline and fill closer in. A zoom-13 viewport costs tens of KiB of tiles
 * instead of the city's compounds as GeoJSON.
 */
import { MVTLayer } from '@deck.gl/geo-layers';
import { MVTLoader } from '@loaders.gl/mvt';
import type { Feature, Geometry } from 'geojson';
import type { AreaCollection, LonLat } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { THEME, ratingColor, type Rgba } from './palette.ts';
import { describeCompound } from '../map/hover.ts';
import { ratingLegend } from './areas.ts';

export interface CompoundPoint {
  id: number;
  name: string;
  position: LonLat;
  rating: string | null;
  score: number | null;
  openTickets: number | null;
  overdueTickets: number | null;
}

/** A compound's fields as its tile feature carries them (docs/tiles.md). */
export interface CompoundTileProps {
  id: number;
  name: string;
  rating?: string;
  score?: number;
  openTickets?: number;
  overdueTickets?: number;
}

/** Keeps only what a dot needs from compound polygons (red last, so it draws on top). */
export function compoundPoints(fc: AreaCollection): CompoundPoint[] {
  const out: CompoundPoint[] = [];
  for (const f of fc.features) {
    const p = f.properties;
    if (!p.label) continue;
    out.push({
      id: p.id,
      name: p.name,
      position: p.label,
      rating: p.rating,
      score: p.score,
      openTickets: p.openTickets,
      overdueTickets: p.overdueTickets,
    });
  }
  const rank = (r: string | null) => (r === 'red' ? 3 : r === 'yellow' ? 2 : r === 'blue' ? 1 : 0);
  return out.sort((a, b) => rank(a.rating) - rank(b.rating));
}

/** Where the layer's tiles come from, and how their loading is reported (for `settled`). */
export interface CompoundTiles {
  url: string;
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  loaded: () => void;
}

type TileFeature = Feature<Geometry, CompoundTileProps>;

/** Dots as before; polygons lighter, so the areas under them still read. */
export function compoundFill(f: TileFeature): Rgba {
  const point = f.geometry?.type === 'Point';
  return ratingColor(f.properties?.rating ?? null, point ? 235 : 150) ?? THEME.unknown;
}

export function buildCompoundsLayer(config: LayerConfig<'rating'>, data: CompoundTiles | null) {
  return new MVTLayer<CompoundTileProps>({
    id: 'compounds',
    data: data?.url ?? [],
    visible: config.visible && data !== null,
    minZoom: 8,
    maxZoom: 16,
    // The server's tiles are made for 256-px display (4 px, one pixel of area).
    tileSize: 256,
    binary: false,
    uniqueIdProperty: 'id',
    // Parsed on the main thread (MVTLoader, not the layer's default worker loader): loaders.gl's
    // worker would be fetched from a CDN, and nothing may leave the origin. The tiles are small.
    loaders: [MVTLoader],
    loadOptions: { worker: false, ...(data ? { fetch: data.fetch } : {}) },
    onViewportLoad: () => data?.loaded(),
    pickable: true,
    stroked: true,
    filled: true,
    pointType: 'circle',
    pointRadiusUnits: 'meters',
    getPointRadius: 45,
    pointRadiusMinPixels: 2.5,
    pointRadiusMaxPixels: 9,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    getFillColor: (f) => compoundFill(f as TileFeature),
    getLineColor: THEME.pointOutline,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 200],
    updateTriggers: { getFillColor: [config.colorBy] },
  });
}

export const compoundsLayer = defineLayer({
  id: 'compounds',
  defaults: { kind: 'point', visible: true, colorBy: ['rating'] },
  capability: null,
  data: (s): CompoundTiles | null => s.areas.compoundTiles,
  build: buildCompoundsLayer,
  legend: (_config, ctx) => [ratingLegend(ctx)],
  // A tile feature carries the fields under `properties`: hand the dot's description a flat one.
  tooltip: {
    compounds: (pick, data, lang) => {
      const o = pick.object as { properties?: CompoundTileProps } | null;
      const p = o?.properties;
      const flat = p && {
        id: p.id,
        name: p.name,
        rating: p.rating ?? null,
        score: p.score ?? null,
        openTickets: p.openTickets ?? null,
        overdueTickets: p.overdueTickets ?? null,
      };
      return describeCompound({ ...pick, object: flat ?? pick.object }, data, lang);
    },
  },
  picks: {
    compounds: {
      click: (p) => {
        const o = p.object as { id?: unknown; properties?: { id?: unknown } } | null;
        const id = o?.properties?.id ?? o?.id;
        return typeof id === 'number' ? { kind: 'area', id } : null;
      },
    },
  },
});
