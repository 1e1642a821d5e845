import { describe, expect, it } from 'vitest';
import {
  AREA_TILES_SOURCE,
  buildBaseStyle,
  DISTRICTS_SOURCE,
} from '../../web/src/lib/map/basemap.ts';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };
const TILES = 'http://127.0.0.1:8787/tiles/areas/{z}/{x}/{y}.mvt';

describe('the offline basemap', () => {
  it('reads the areas from the server’s vector tiles, with finer outlines as the map zooms in', () => {
    const style = buildBaseStyle(EMPTY, { areaTiles: TILES });
    expect(style.sources).toEqual({
      [AREA_TILES_SOURCE]: expect.objectContaining({ type: 'vector', tiles: [TILES], maxzoom: 16 }),
    });
    const layers = style.layers.map((l) => ({
      id: l.id,
      layer: (l as { 'source-layer'?: string })['source-layer'],
      minzoom: l.minzoom,
    }));
    expect(layers).toEqual([
      { id: 'background', layer: undefined, minzoom: undefined },
      { id: 'district-fill', layer: 'district', minzoom: undefined },
      { id: 'subdistrict-outline', layer: 'subdistrict', minzoom: 9 },
      { id: 'community-outline', layer: 'community', minzoom: 11 },
      { id: 'grid-outline', layer: 'grid', minzoom: 13 },
      { id: 'district-glow', layer: 'district', minzoom: undefined },
      { id: 'district-outline', layer: 'district', minzoom: undefined },
    ]);
  });

  it('draws the districts’ GeoJSON where there are no tiles (the wall, the phone)', () => {
    const style = buildBaseStyle(EMPTY);
    expect(Object.keys(style.sources)).toEqual([DISTRICTS_SOURCE]);
    expect(style.layers.map((l) => l.id)).toEqual([
      'background',
      'district-fill',
      'district-glow',
      'district-outline',
    ]);
  });
});
