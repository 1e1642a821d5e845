import { describe, expect, it } from 'vitest';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { writePmtiles } from '../../geo/pmtiles.ts';
import {
  MERCATOR_HALF,
  TILE_EXTENT,
  lonLatTo3857,
  ringArea2,
  tileAffine,
  tileBounds3857,
  tileBounds4326,
  tileOf,
  tileProblem,
  toTileGrid,
  vtFeature,
} from '../../geo/tiles.ts';

describe('tile math', () => {
  it('gives the world at zoom 0 and quarters it at zoom 1', () => {
    expect(tileBounds3857({ z: 0, x: 0, y: 0 })).toEqual([
      -MERCATOR_HALF,
      -MERCATOR_HALF,
      MERCATOR_HALF,
      MERCATOR_HALF,
    ]);
    expect(tileBounds3857({ z: 1, x: 1, y: 0 })).toEqual([0, 0, MERCATOR_HALF, MERCATOR_HALF]);
    const [w, s, e, n] = tileBounds4326({ z: 1, x: 0, y: 1 });
    expect(w).toBeCloseTo(-180);
    expect(e).toBeCloseTo(0);
    expect(n).toBeCloseTo(0);
    expect(s).toBeCloseTo(-85.0511, 3);
  });

  it('finds the tile of a point and the point inside it', () => {
    const lanzhou: [number, number] = [103.83, 36.06];
    const t = tileOf(lanzhou, 14);
    expect(t).toEqual({ z: 14, x: 12917, y: 6430 });
    const [w, s, e, n] = tileBounds4326(t);
    expect(lanzhou[0]).toBeGreaterThanOrEqual(w);
    expect(lanzhou[0]).toBeLessThan(e);
    expect(lanzhou[1]).toBeGreaterThanOrEqual(s);
    expect(lanzhou[1]).toBeLessThan(n);
    const [gx, gy] = toTileGrid(t, lonLatTo3857(lanzhou));
    expect(gx).toBeGreaterThanOrEqual(0);
    expect(gx).toBeLessThan(TILE_EXTENT);
    expect(gy).toBeGreaterThanOrEqual(0);
    expect(gy).toBeLessThan(TILE_EXTENT);
  });

  it('maps the tile corners to the grid corners, y down', () => {
    const t = { z: 10, x: 807, y: 397 };
    const [w, s, e, n] = tileBounds3857(t);
    expect(toTileGrid(t, [w, n])).toEqual([0, 0]);
    expect(toTileGrid(t, [e, s])).toEqual([TILE_EXTENT, TILE_EXTENT]);
    const [a, , , d] = tileAffine(t);
    expect(a).toBeCloseTo(-d);
  });

  it('names what is wrong with an address', () => {
    expect(tileProblem({ z: 3, x: 7, y: 7 }, 16)).toBeNull();
    expect(tileProblem({ z: 17, x: 0, y: 0 }, 16)).toMatch(/^z 17 is beyond/);
    expect(tileProblem({ z: 1.5, x: 0, y: 0 }, 16)).toMatch(/^z must/);
    expect(tileProblem({ z: 3, x: 8, y: 0 }, 16)).toMatch(/^x must .* 0 to 7/);
    expect(tileProblem({ z: 3, x: 0, y: -1 }, 16)).toMatch(/^y must/);
  });
});

describe('the JavaScript encoder’s features', () => {
  it('keeps polygons’ rings without the closing point, drops nulls, orients as MVT', () => {
    // Clockwise on screen (y down): positive area, an exterior ring in MVT 2.1.
    const ring: [number, number][] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    expect(ringArea2(ring)).toBeGreaterThan(0);
    const f = vtFeature({
      id: 7,
      g: { type: 'MultiPolygon', coordinates: [[ring]] },
      p: { name: '小区', rating: null, n: 3 },
    });
    expect(f).toEqual({
      id: 7,
      type: 3,
      geometry: [ring.slice(0, 4)],
      tags: { name: '小区', n: 3 },
    });
  });

  it('writes points and lines, keeps the leading type of a collection, drops empty ones', () => {
    expect(vtFeature({ id: 1, g: { type: 'Point', coordinates: [5, 6] }, p: {} })).toMatchObject({
      type: 1,
      geometry: [[5, 6]],
    });
    expect(
      vtFeature({
        id: 2,
        g: {
          type: 'GeometryCollection',
          geometries: [
            {
              type: 'LineString',
              coordinates: [
                [0, 0],
                [1, 1],
              ],
            },
            { type: 'Point', coordinates: [3, 3] },
          ],
        },
        p: {},
      }),
    ).toMatchObject({
      type: 2,
      geometry: [
        [
          [0, 0],
          [1, 1],
        ],
      ],
    });
    expect(vtFeature({ id: 3, g: { type: 'MultiPolygon', coordinates: [] }, p: {} })).toBeNull();
  });
});

describe('the PMTiles writer', () => {
  it('writes an archive the pmtiles reader reads back, identical tiles stored once', async () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([9, 9]);
    const bytes = writePmtiles(
      [
        { z: 0, x: 0, y: 0, data: a },
        { z: 1, x: 0, y: 0, data: b },
        { z: 1, x: 1, y: 0, data: b },
        { z: 1, x: 1, y: 1, data: a },
      ],
      { tileType: 'mvt', bounds: [103, 35, 104, 36], metadata: { name: 'test' } },
    );
    const source: Source = {
      getKey: () => 'mem',
      getBytes: async (offset: number, length: number): Promise<RangeResponse> => ({
        data: bytes.slice(offset, offset + length).buffer,
      }),
    };
    const p = new PMTiles(source);
    const h = await p.getHeader();
    expect(h).toMatchObject({ specVersion: 3, minZoom: 0, maxZoom: 1, numAddressedTiles: 4 });
    expect(h.numTileContents).toBe(2);
    expect(h.minLon).toBeCloseTo(103);
    expect(await p.getMetadata()).toEqual({ name: 'test' });
    expect(new Uint8Array((await p.getZxy(1, 1, 0))!.data)).toEqual(b);
    expect(new Uint8Array((await p.getZxy(1, 1, 1))!.data)).toEqual(a);
    expect(await p.getZxy(1, 0, 1)).toBeUndefined();
  });
});
