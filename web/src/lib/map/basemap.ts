/**
 * The basemap drawn from the project's own data: a background and Lanzhou's areas. No glyphs, no
 * sprites, nothing fetched from outside; labels are deck.gl's job (see layers/labels.ts).
 *
 * The desktop map reads the areas from the server's own vector tiles (/tiles/areas): the district
 * outlines are as detailed as the zoom asks, and the finer levels' outlines (sub-districts from
 * zoom 9, communities from 11, grids from 13) appear as the map zooms in, before any drilling.
 * Without tiles (the wall, the phone's place picker, which keep what they loaded) the districts'
 * GeoJSON is the source.
 *
 * With a local PMTiles basemap (BASEMAP_PMTILES, see map/pmtiles.ts) its layers are added under
 * the district outlines: `pmtilesLayers` styles the project's own sample archive (area outlines,
 * scripts/make-basemap-pmtiles.ts) and a Protomaps basemap's layers (earth, water, landuse, roads,
 * buildings, boundaries) in the same dark theme; layers an archive lacks simply draw nothing.
 */
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { AreaCollection } from '../types.ts';
import { THEME } from '../layers/palette.ts';

export const DISTRICTS_SOURCE = 'districts';
export const AREA_TILES_SOURCE = 'area-tiles';

/** The finer levels' outlines over the tiled districts, faint, each from the zoom its tiles start. */
const AREA_OUTLINES = [
  { level: 'subdistrict', minzoom: 9, color: '#2f6796', width: 1, opacity: 0.75 },
  { level: 'community', minzoom: 11, color: '#285a84', width: 0.8, opacity: 0.6 },
  { level: 'grid', minzoom: 13, color: '#214b70', width: 0.6, opacity: 0.55 },
] as const;

export interface BaseStyleOptions {
  /** The area tiles' URL template (`…/tiles/areas/{z}/{x}/{y}.mvt`); without, the districts' GeoJSON. */
  areaTiles?: string;
  /** Where the tiles have data (the city's bounds): no tile is asked for outside. */
  bounds?: [number, number, number, number] | null;
}

export function buildBaseStyle(
  districts: AreaCollection,
  options: BaseStyleOptions = {},
): StyleSpecification {
  const tiled = options.areaTiles !== undefined;
  const source: SourceSpecification = tiled
    ? {
        type: 'vector',
        tiles: [options.areaTiles!],
        minzoom: 5,
        maxzoom: 16,
        ...(options.bounds ? { bounds: options.bounds } : {}),
        attribution: '民情地图',
      }
    : { type: 'geojson', data: districts as never, attribution: '民情地图' };
  const id = tiled ? AREA_TILES_SOURCE : DISTRICTS_SOURCE;
  const from = (level: string) => (tiled ? { source: id, 'source-layer': level } : { source: id });
  const outlines: LayerSpecification[] = tiled
    ? AREA_OUTLINES.map((o) => ({
        id: `${o.level}-outline`,
        type: 'line',
        ...from(o.level),
        minzoom: o.minzoom,
        paint: { 'line-color': o.color, 'line-width': o.width, 'line-opacity': o.opacity },
      }))
    : [];
  return {
    version: 8,
    name: 'minqing-dark',
    sources: { [id]: source },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': THEME.background } },
      {
        id: 'district-fill',
        type: 'fill',
        ...from('district'),
        paint: { 'fill-color': THEME.districtFill, 'fill-opacity': 0.95 },
      },
      ...outlines,
      {
        id: 'district-glow',
        type: 'line',
        ...from('district'),
        paint: {
          'line-color': THEME.cityOutline,
          'line-width': 6,
          'line-opacity': 0.12,
          'line-blur': 4,
        },
      },
      {
        id: 'district-outline',
        type: 'line',
        ...from('district'),
        paint: { 'line-color': THEME.districtOutline, 'line-width': 1.4 },
      },
    ],
  };
}

export const PMTILES_SOURCE = 'basemap-pmtiles';

/** The PMTiles basemap's style layers, dark like the offline basemap. */
export function pmtilesLayers(source = PMTILES_SOURCE): LayerSpecification[] {
  const fill = (id: string, sourceLayer: string, color: string, opacity: number) =>
    ({
      id: `basemap-${id}`,
      type: 'fill',
      source,
      'source-layer': sourceLayer,
      paint: { 'fill-color': color, 'fill-opacity': opacity },
    }) as LayerSpecification;
  const line = (id: string, sourceLayer: string, color: string, width: number, opacity = 1) =>
    ({
      id: `basemap-${id}`,
      type: 'line',
      source,
      'source-layer': sourceLayer,
      paint: { 'line-color': color, 'line-width': width, 'line-opacity': opacity },
    }) as LayerSpecification;
  return [
    // A Protomaps basemap (https://docs.protomaps.com/basemaps/layers).
    fill('earth', 'earth', '#0b1a2b', 1),
    fill('landuse', 'landuse', '#10243a', 0.6),
    fill('water', 'water', '#05243f', 1),
    fill('buildings', 'buildings', '#173251', 0.8),
    line('roads', 'roads', '#2a4a6b', 1),
    line('boundaries', 'boundaries', '#3b6a96', 1),
    // The project's own sample archive: its area outlines.
    fill('district', 'district', THEME.districtFill, 0.95),
    line('subdistrict', 'subdistrict', '#2b5b86', 1, 0.8),
    line('community', 'community', '#24496d', 0.8, 0.7),
    line('grid', 'grid', '#1d3b58', 0.6, 0.6),
  ];
}
