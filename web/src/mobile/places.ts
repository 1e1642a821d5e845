/**
 * The account's own patch of the city, loaded once for the picking map and for naming the place
 * under the marker before anything is sent: its outline, its grids and its compounds, simplified
 * for a phone screen. The server still decides (point-in-polygon on the real geometry); this is
 * only so the user sees "上街移民小区" under the marker and is warned when outside their area.
 */
import {
  pointInMultiPolygon,
  pointInPolygon,
  type MultiPolygon as PlanarMultiPolygon,
  type Polygon as PlanarPolygon,
} from '../../../geo/planar.ts';
import type { AreaCollection, AreaFeature, BBox, LonLat } from '../lib/types.ts';
import { api, type Account } from './api.ts';

export interface ScopePlaces {
  /** The area the account answers for, or null for city-wide and non-area accounts. */
  scope: { id: number; name: string; level: string } | null;
  bbox: BBox | null;
  districts: AreaCollection;
  outline: AreaCollection;
  grids: AreaCollection;
  compounds: AreaCollection;
}

export interface PlaceInfo {
  compound: { id: number; name: string } | null;
  grid: { id: number; name: string } | null;
  /** null when the account's area is unknown (city-wide accounts, data still loading) */
  inScope: boolean | null;
}

const EMPTY: AreaCollection = { type: 'FeatureCollection', features: [] };

/** The levels small enough to draw every grid and compound of on a phone. */
const DETAILED = new Set(['subdistrict', 'community', 'grid']);

export async function loadScopePlaces(account: Account): Promise<ScopePlaces> {
  const districtsP = api.areas({ level: 'district', zoom: 9 });
  const { kind, id, level } = account.scope;
  if (kind !== 'area' || id === null || !level) {
    return {
      scope: null,
      bbox: null,
      districts: await districtsP,
      outline: EMPTY,
      grids: EMPTY,
      compounds: EMPTY,
    };
  }
  const { area } = await api.area(id);
  const bbox = area.bbox;
  const detailed = bbox && DETAILED.has(level);
  const [districts, outline, grids, compounds] = await Promise.all([
    districtsP,
    bbox ? api.areas({ level, bbox, zoom: 15 }) : EMPTY,
    detailed && level !== 'grid' ? api.areas({ level: 'grid', bbox, zoom: 15 }) : EMPTY,
    detailed ? api.areas({ level: 'compound', bbox, zoom: 16 }) : EMPTY,
  ]);
  const own = outline.features.filter((f) => f.properties.id === id);
  const gridFc = level === 'grid' ? outline : grids;
  // The box also catches the neighbours' grids and compounds: drawn for orientation but dimmed,
  // since a report there is refused. Areas carry only their parent, so go down level by level.
  const ownGrids = new Set(
    gridFc.features
      .filter((f) => f.properties.id === id || f.properties.parentId === id)
      .map((f) => f.properties.id),
  );
  const mark = (fc: AreaCollection, inside: (f: AreaFeature) => boolean): AreaCollection => ({
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      ...f,
      properties: { ...f.properties, inScope: inside(f) },
    })),
  });
  return {
    scope: { id, name: area.name, level },
    bbox,
    districts,
    outline: { type: 'FeatureCollection', features: own },
    grids: mark(gridFc, (f) => ownGrids.has(f.properties.id)),
    compounds: mark(compounds, (f) =>
      f.properties.parentId === null ? false : ownGrids.has(f.properties.parentId),
    ),
  };
}

function contains(f: AreaFeature, p: LonLat): boolean {
  const g = f.geometry;
  if (!g) return false;
  // GeoJSON positions are number[]; planar.ts takes the same arrays typed as pairs.
  return g.type === 'Polygon'
    ? pointInPolygon(p, g.coordinates as PlanarPolygon)
    : pointInMultiPolygon(p, g.coordinates as PlanarMultiPolygon);
}

export function placeOf(places: ScopePlaces | null, p: LonLat): PlaceInfo {
  if (!places) return { compound: null, grid: null, inScope: null };
  const find = (fc: AreaCollection) => {
    const f = fc.features.find((x) => contains(x, p));
    return f ? { id: f.properties.id, name: f.properties.name } : null;
  };
  return {
    compound: find(places.compounds),
    grid: find(places.grids),
    inScope: places.outline.features.length
      ? places.outline.features.some((f) => contains(f, p))
      : null,
  };
}

/** A name for a grid id, from what is loaded, else asked of the server. */
export async function gridName(places: ScopePlaces | null, id: number): Promise<string | null> {
  const known = places?.grids.features.find((f) => f.properties.id === id);
  if (known) return known.properties.name;
  try {
    return (await api.area(id)).area.name;
  } catch {
    return null;
  }
}
