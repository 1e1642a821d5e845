/**
 * The basemap drawn from the project's own data: a background and Lanzhou's district polygons
 * as a GeoJSON source. No tiles, no glyphs, no sprites, so nothing is fetched from outside;
 * labels are deck.gl's job (see layers/labels.ts).
 *
 * With a local PMTiles basemap (BASEMAP_PMTILES, see map/pmtiles.ts) its layers are added under
 * the district outlines: `pmtilesLayers` styles the project's own sample archive (area outlines,
 * scripts/make-basemap-pmtiles.ts) and a Protomaps basemap's layers (earth, water, landuse, roads,
 * buildings, boundaries) in the same dark theme; layers an archive lacks simply draw nothing.
 */
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { AreaCollection } from '../types.ts';
import { THEME } from '../layers/palette.ts';

export const DISTRICTS_SOURCE = 'districts';

export function buildBaseStyle(districts: AreaCollection): StyleSpecification {
  return {
    version: 8,
    name: 'minqing-dark',
    sources: {
      [DISTRICTS_SOURCE]: { type: 'geojson', data: districts as never, attribution: '民情地图' },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': THEME.background } },
      {
        id: 'district-fill',
        type: 'fill',
        source: DISTRICTS_SOURCE,
        paint: { 'fill-color': THEME.districtFill, 'fill-opacity': 0.95 },
      },
      {
        id: 'district-glow',
        type: 'line',
        source: DISTRICTS_SOURCE,
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
        source: DISTRICTS_SOURCE,
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
