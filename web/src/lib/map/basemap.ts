/**
 * The basemap drawn from the project's own data: a background and Lanzhou's district polygons
 * as a GeoJSON source. No tiles, no glyphs, no sprites, so nothing is fetched from outside;
 * labels are deck.gl's job (see layers/labels.ts).
 */
import type { StyleSpecification } from 'maplibre-gl';
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
