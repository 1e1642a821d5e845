/**
 * The wall map's pure parts (web/src/wall/map): decoding the wall layers' answers into binary
 * attribute arrays, the colour scales, which layers and camera each scene has, the layers built
 * for a frame (binary data, stable between frames, only uniforms moving), and the motion.
 */
import { describe, expect, it, vi } from 'vitest';
import { latLngToCell } from 'h3-js';
import { REPLAY_KINDS, SCENE_KINDS } from '../../server/contract/wall.ts';
import { encodeHeat } from '../../geo/wall-binary.ts';
import { RATING_COLORS } from '../../geo/vocabulary.ts';
import {
  arcPhase,
  arcPoint,
  breathe,
  flash,
  ripple,
  Ticker,
  travelPeriod,
} from '../../web/src/wall/map/animate.ts';
import {
  coverageColor,
  hotspotColor,
  openCellColor,
  ratingColor,
  REPLAY_COLORS,
  SEVERITY_COLORS,
  WHISTLE_STATE_COLORS,
} from '../../web/src/wall/map/colors.ts';
import {
  decodeCells,
  decodeHazards,
  decodeHeat,
  decodeRatings,
  decodeWhistles,
  packRings,
} from '../../web/src/wall/map/data.ts';
import {
  animated,
  ARC_HEIGHT,
  ARC_TILT,
  buildWallLayers,
  replayColumns,
  whistleDots,
} from '../../web/src/wall/map/layers.ts';
import {
  cameraAttribute,
  LANZHOU_BBOX,
  resourcesOf,
  sceneBounds,
  sceneLayers,
  visibleLayers,
  WALL_LAYERS,
} from '../../web/src/wall/map/scenes.ts';
import type { AreaCollection } from '../../web/src/lib/types.ts';
import { hexToRgba, RESIDUAL_HEX, SPOT_HEX } from '../../web/src/lib/planner/scales.ts';

const asOf = '2026-11-30T06:00:00.000Z';

const hazards = decodeHazards({
  asOf,
  lon: [103.8, 103.81, 103.82, 103.83, 103.84],
  lat: [36.0, 36.01, 36.02, 36.03, 36.04],
  severity: [3, 0, 3, 1, 2],
  overdue: [1, 0, 0, 0, 1],
});

const whistles = decodeWhistles({
  asOf,
  fromLon: [103.7, 103.71, 103.72],
  fromLat: [36.0, 36.01, 36.02],
  toLon: [103.8, 103.81, 103.82],
  toLat: [36.1, 36.11, 36.12],
  state: [1, 2, 0],
});

const cellIds = [
  latLngToCell(36.06, 103.83, 8),
  latLngToCell(36.07, 103.75, 8),
  latLngToCell(36.1, 103.63, 8),
];

function district(id: number, x0: number, y0: number, x1: number, y1: number) {
  return {
    type: 'Feature' as const,
    id,
    geometry: {
      type: 'Polygon' as const,
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    },
    properties: {
      id,
      level: 'district' as const,
      name: `区${id}`,
      code: null,
      parentId: null,
      label: null,
      rating: null,
      score: null,
      openTickets: null,
      overdueTickets: null,
    },
  };
}
const districts = {
  type: 'FeatureCollection',
  features: [district(1, 103.7, 36.0, 103.9, 36.1), district(5, 102.8, 36.2, 103.0, 36.4)],
} as AreaCollection;

describe('decoding into binary attributes', () => {
  it('splits hazards by severity into position columns with their overdue flags', () => {
    expect(hazards.length).toBe(5);
    expect(hazards.groups.map((g) => g.length)).toEqual([1, 1, 1, 2]);
    for (const g of hazards.groups) {
      expect(g.positions).toBeInstanceOf(Float32Array);
      expect(g.positions.length).toBe(2 * g.length);
      expect(g.overdue.length).toBe(g.length);
    }
    // critical: the first and third hazards, in order, the first overdue
    expect(Array.from(hazards.groups[3].positions)).toEqual(
      Array.from(new Float32Array([103.8, 36.0, 103.82, 36.02])),
    );
    expect(Array.from(hazards.groups[3].overdue)).toEqual([1, 0]);
    expect(Array.from(hazards.groups[2].overdue)).toEqual([1]);
  });

  it('orders whistle arcs reported, awaiting, late (late on top) with colours and widths', () => {
    expect(whistles.length).toBe(3);
    expect(Array.from(whistles.states)).toEqual([2, 0, 1]);
    expect(whistles.sources.length).toBe(6);
    expect(whistles.targets.length).toBe(6);
    expect(whistles.colors.length).toBe(12);
    // the late one (input index 0) is last, red, thickest
    expect(whistles.sources[4]).toBeCloseTo(103.7, 5);
    expect(Array.from(whistles.colors.slice(8, 12))).toEqual(WHISTLE_STATE_COLORS[1]);
    expect(whistles.widths[2]).toBeGreaterThan(whistles.widths[1]);
    expect(whistles.widths[1]).toBeGreaterThan(whistles.widths[0]);
  });

  it('turns H3 cells into closed hexagons with a colour on every vertex', () => {
    const cells = decodeCells('open', { asOf, res: 8, cells: cellIds, values: [1, 4, 16] });
    expect(cells.length).toBe(3);
    expect(Array.from(cells.startIndices)).toEqual([0, 7, 14]);
    expect(cells.positions.length).toBe(2 * 21);
    expect(cells.fillColors.length).toBe(4 * 21);
    expect(cells.lineColors.length).toBe(4 * 21);
    // each ring is closed
    for (const s of [0, 7, 14]) {
      expect(cells.positions[2 * s]).toBe(cells.positions[2 * (s + 6)]);
      expect(cells.positions[2 * s + 1]).toBe(cells.positions[2 * (s + 6) + 1]);
    }
    // the busiest cell gets the top of the ramp on all of its vertices
    const top = openCellColor(16, 16);
    for (let v = 14; v < 21; v++)
      expect(Array.from(cells.fillColors.slice(4 * v, 4 * v + 4))).toEqual(top);
    // the hexagon lies around its cell's centre
    expect(cells.positions[0]).toBeGreaterThan(103.8);
    expect(cells.positions[0]).toBeLessThan(103.86);
  });

  it('colours hot spots and coverage on the planner scales', () => {
    const spots = decodeCells('hotspots', { asOf, res: 8, cells: cellIds, values: [3, 0, -3] });
    expect(Array.from(spots.fillColors.slice(0, 4))).toEqual(hexToRgba(SPOT_HEX.hot99, 225));
    expect(Array.from(spots.fillColors.slice(4 * 14, 4 * 14 + 4))).toEqual(
      hexToRgba(SPOT_HEX.cold99, 225),
    );
    expect(spots.fillColors[4 * 7 + 3]).toBeLessThan(60); // not significant: faint
    const cov = decodeCells('coverage', { asOf, res: 8, cells: cellIds, values: [-5, 0, 5] });
    expect(Array.from(cov.fillColors.slice(0, 3))).toEqual(hexToRgba(RESIDUAL_HEX[0]).slice(0, 3));
    expect(Array.from(cov.fillColors.slice(4 * 14, 4 * 14 + 3))).toEqual(
      hexToRgba(RESIDUAL_HEX[6]).slice(0, 3),
    );
  });

  it('packs rating outlines (polygons and multipolygons), red drawn last', () => {
    const ring = (x: number) => [
      [x, 36],
      [x + 0.01, 36],
      [x + 0.01, 36.01],
      [x, 36],
    ];
    const r = decodeRatings({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { c: 0 },
          geometry: { type: 'Polygon', coordinates: [ring(1)] },
        },
        {
          type: 'Feature',
          properties: { c: 2 },
          geometry: { type: 'MultiPolygon', coordinates: [[ring(2)], [ring(3)]] },
        },
        {
          type: 'Feature',
          properties: { c: 1 },
          geometry: { type: 'Polygon', coordinates: [ring(4)] },
        },
      ],
    });
    expect(r.length).toBe(4);
    expect(Array.from(r.startIndices)).toEqual([0, 4, 8, 12]);
    const fillAt = (i: number) =>
      Array.from(r.fillColors.slice(4 * r.startIndices[i], 4 * r.startIndices[i] + 3));
    expect(fillAt(3)).toEqual(RATING_COLORS[0].color.slice());
    expect(fillAt(0)).toEqual(RATING_COLORS[2].color.slice());
    expect(fillAt(2)).toEqual(RATING_COLORS[1].color.slice());
    // translucent fill, opaque-ish outline
    expect(r.fillColors[3]).toBeLessThan(r.lineColors[3]);
  });

  it('closes an open ring when packing', () => {
    const p = packRings(
      [
        {
          ring: [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
          fill: [1, 2, 3, 4],
          line: [5, 6, 7, 8],
        },
      ],
      null,
    );
    expect(Array.from(p.positions)).toEqual([0, 0, 1, 0, 1, 1, 0, 0]);
  });

  it('decodes heat.bin into position and float weight columns', () => {
    const bytes = encodeHeat([103.8, 36.0, 103.9, 36.1], [3, 5], 8);
    const heat = decodeHeat(bytes.slice().buffer);
    expect(heat.length).toBe(2);
    expect(heat.total).toBe(8);
    expect(heat.positions.length).toBe(4);
    expect(heat.positions[2]).toBeCloseTo(103.9, 4);
    expect(heat.weights).toBeInstanceOf(Float32Array);
    expect(Array.from(heat.weights)).toEqual([3, 5]);
  });
});

describe('colour scales', () => {
  it('ramps open counts from dark to red, square-root scaled', () => {
    const low = openCellColor(0, 100);
    const mid = openCellColor(25, 100);
    const high = openCellColor(100, 100);
    expect(high[0]).toBeGreaterThan(200);
    expect(high[1]).toBeLessThan(100);
    expect(low[2]).toBeGreaterThan(low[0]);
    // 25 of 100 is halfway along a square-root ramp
    expect(mid).toEqual(openCellColor(50 * 50, 100 * 100));
    expect(openCellColor(5, 0)).toEqual(low);
  });

  it('maps Gi* classes -3 … 3 onto the diverging scale, clamping outside values', () => {
    expect(hotspotColor(3)).toEqual(hexToRgba(SPOT_HEX.hot99, 225));
    expect(hotspotColor(2)).toEqual(hexToRgba(SPOT_HEX.hot95, 225));
    expect(hotspotColor(-1)).toEqual(hexToRgba(SPOT_HEX.cold90, 225));
    expect(hotspotColor(9)).toEqual(hotspotColor(3));
    expect(hotspotColor(Number.NaN)[3]).toBeLessThan(60);
  });

  it('makes under-patrolled cells the most opaque, rating colours follow the vocabulary', () => {
    expect(coverageColor(-3)[3]).toBeGreaterThan(coverageColor(0)[3]);
    expect(ratingColor(0, 100)).toEqual([...RATING_COLORS[0].color, 100]);
    expect(ratingColor(7, 100)[3]).toBe(100);
  });

  it('has a colour for every replay kind and severity', () => {
    expect(REPLAY_COLORS.length).toBe(REPLAY_KINDS.length);
    expect(SEVERITY_COLORS.length).toBe(4);
  });
});

describe('scenes', () => {
  it('gives every scene kind its layers, all of them known', () => {
    for (const kind of SCENE_KINDS) {
      const layers = sceneLayers(kind);
      expect(layers.length).toBeGreaterThan(0);
      for (const l of layers) expect(WALL_LAYERS).toContain(l);
    }
    expect(sceneLayers('heat')).toEqual(['heat']);
    expect(sceneLayers('hotspots')).toEqual(['hotspots']);
    expect(sceneLayers('city')).toEqual(['ratings', 'open', 'whistles', 'hazards']);
    expect(sceneLayers('coverage')).toContain('tracks');
  });

  it('lets a replay replace the scene and a focus add its ring', () => {
    expect(visibleLayers({ kind: 'hazards' }, { focus: false, replay: false })).toEqual([
      'hazards',
    ]);
    expect(visibleLayers({ kind: 'hazards' }, { focus: true, replay: false })).toEqual([
      'hazards',
      'focus',
    ]);
    expect(visibleLayers({ kind: 'city' }, { focus: false, replay: true })).toEqual(['replay']);
    expect(visibleLayers(null, { focus: false, replay: false })).toEqual([]);
    expect(resourcesOf(['replay', 'heat', 'focus', 'tracks'])).toEqual(['heat', 'tracks']);
  });

  it('frames the city, a district, or the city when the district is unknown', () => {
    expect(sceneBounds({ kind: 'city', areaId: null }, districts)).toEqual([
      102.8, 36.0, 103.9, 36.4,
    ]);
    expect(sceneBounds({ kind: 'district', areaId: 5 }, districts)).toEqual([
      102.8, 36.2, 103.0, 36.4,
    ]);
    expect(sceneBounds({ kind: 'district', areaId: 99 }, districts)).toEqual([
      102.8, 36.0, 103.9, 36.4,
    ]);
    expect(sceneBounds({ kind: 'district', areaId: 1 }, null)).toEqual(LANZHOU_BBOX);
    expect(sceneBounds({ kind: 'heat', areaId: 1 }, districts)).toEqual([102.8, 36.0, 103.9, 36.4]);
  });

  it('writes the camera rounded', () => {
    expect(cameraAttribute(103.834567, 36.061234, 10.44)).toBe('103.8346,36.0612,10.4');
  });
});

describe('layers for a frame', () => {
  const data = { hazards, whistles };
  const ids = (layers: { id: string }[]) => layers.map((l) => l.id);

  it('builds binary point layers with stable ids, hidden rather than removed', () => {
    const layers = buildWallLayers({ visible: ['hazards'], data, t: 0, unit: 1 });
    expect(ids(layers)).toEqual([
      'wall-whistles',
      'wall-whistles-dots',
      'wall-hazards-ripple-2',
      'wall-hazards-ripple-3',
      'wall-hazards-0',
      'wall-hazards-1',
      'wall-hazards-2',
      'wall-hazards-3',
    ]);
    const byId = new Map(layers.map((l) => [l.id, l]));
    expect(byId.get('wall-whistles')!.props.visible).toBe(false);
    expect(byId.get('wall-hazards-3')!.props.visible).toBe(true);
    const crit = byId.get('wall-hazards-3')!.props.data as unknown as {
      length: number;
      attributes: { getPosition: { value: Float32Array; size: number } };
    };
    expect(crit.length).toBe(2);
    expect(crit.attributes.getPosition.size).toBe(2);
    expect(crit.attributes.getPosition.value).toBe(hazards.groups[3].positions);
  });

  it('keeps the same data between frames and moves only uniforms', () => {
    const a = buildWallLayers({ visible: ['hazards', 'whistles'], data, t: 0.1, unit: 1 });
    const b = buildWallLayers({ visible: ['hazards', 'whistles'], data, t: 0.6, unit: 1 });
    for (const id of ['wall-hazards-3', 'wall-hazards-ripple-3', 'wall-whistles']) {
      const la = a.find((l) => l.id === id)!;
      const lb = b.find((l) => l.id === id)!;
      expect(lb.props.data).toBe(la.props.data);
    }
    const ra = a.find((l) => l.id === 'wall-hazards-ripple-3')!.props as unknown as {
      radiusScale: number;
    };
    const rb = b.find((l) => l.id === 'wall-hazards-ripple-3')!.props as unknown as {
      radiusScale: number;
    };
    expect(ra.radiusScale).not.toBe(rb.radiusScale);
  });

  it('hands the heat map, tracks and replay the same binary data on every frame', () => {
    const heat = decodeHeat(encodeHeat([103.8, 36.0], [2], 2).slice().buffer);
    const tracks = {
      length: 1,
      startIndices: new Uint32Array([0, 2]),
      positions: new Float32Array([103.8, 36.0, 103.81, 36.01]),
    };
    const replay = replayColumns({ lon: [1, 2], lat: [3, 4], kind: [0, 1] }, 1);
    const build = (t: number) =>
      buildWallLayers({
        visible: ['heat', 'tracks', 'replay'],
        data: { heat, tracks },
        t,
        unit: 1,
        replay,
        replayAge: t,
      });
    const [a, b] = [build(0), build(0.5)];
    expect(ids(a)).toEqual(['wall-heat', 'wall-tracks', 'wall-replay', 'wall-replay-fresh']);
    a.forEach((l, i) => expect(b[i]!.props.data).toBe(l.props.data));
    const h = a[0]!.props.data as unknown as {
      length: number;
      attributes: Record<string, { value: unknown }>;
    };
    expect(h.length).toBe(1);
    expect(h.attributes.getWeight!.value).toBe(heat.weights);
  });

  it('scales sizes with the viewport and adds the focus ring', () => {
    const layers = buildWallLayers({
      visible: ['hazards', 'focus'],
      data,
      t: 0,
      unit: 2,
      focus: { position: [103.8, 36.0] },
    });
    expect(ids(layers).slice(-2)).toEqual(['wall-focus', 'wall-focus-core']);
    const dot = layers.find((l) => l.id === 'wall-hazards-0')!.props as unknown as {
      getRadius: number;
    };
    const one = buildWallLayers({ visible: ['hazards'], data, t: 0, unit: 1 }).find(
      (l) => l.id === 'wall-hazards-0',
    )!.props as unknown as { getRadius: number };
    expect(dot.getRadius).toBe(2 * one.getRadius);
  });

  it('animates only what moves', () => {
    expect(animated(['heat'], {})).toBe(false);
    expect(animated(['hazards'], data)).toBe(true);
    expect(animated(['hotspots', 'focus'], {})).toBe(true);
    expect(animated(['hazards'], {})).toBe(false);
  });

  it('splits replay points into fading old ones and bright fresh ones', () => {
    const r = replayColumns(
      { lon: [1, 2, 3, 4, 5], lat: [6, 7, 8, 9, 10], kind: new Uint8Array([0, 1, 2, 3, 4]) },
      2,
    );
    expect(r.old.length).toBe(3);
    expect(r.fresh.length).toBe(2);
    expect(Array.from(r.fresh.positions)).toEqual([4, 9, 5, 10]);
    expect(Array.from(r.fresh.colors.slice(0, 4))).toEqual(REPLAY_COLORS[3]);
    const alphas = [3, 7, 11].map((i) => r.old.colors[i]);
    expect(alphas[0]).toBeLessThan(alphas[1]);
    expect(alphas[1]).toBeLessThan(alphas[2]);
    expect(replayColumns({ lon: [1], lat: [2], kind: [0] }, 5).fresh.length).toBe(1);
  });
});

describe('motion', () => {
  it('puts the whistle dot on the arc: at its ends, and off to the side halfway', () => {
    const s: [number, number] = [103.7, 36.0];
    const t: [number, number] = [103.8, 36.0];
    expect(arcPoint(...s, ...t, 0, ARC_HEIGHT, ARC_TILT)[0]).toBeCloseTo(103.7, 9);
    const end = arcPoint(...s, ...t, 1, ARC_HEIGHT, ARC_TILT);
    expect(end[0]).toBeCloseTo(103.8, 9);
    expect(end[1]).toBeCloseTo(36.0, 9);
    const mid = arcPoint(...s, ...t, 0.5, ARC_HEIGHT, ARC_TILT);
    expect(mid[0]).toBeCloseTo(103.75, 9);
    // eastward arc, tilted 90°: bulges north by sqrt(.25)·height of its length
    expect(mid[1]).toBeGreaterThan(36.0 + 0.5 * ARC_HEIGHT * 0.1 * 0.75);
    // untilted, the arc stands up and from above lies on the straight line
    expect(arcPoint(...s, ...t, 0.5, ARC_HEIGHT, 0)[1]).toBeCloseTo(36.0, 9);
    const dots = whistleDots(whistles, 1.5);
    expect(dots.length).toBe(2 * whistles.length);
  });

  it('pulses critical hazards faster and bigger, ripples fade as they grow', () => {
    const amplitude = (sev: number) =>
      Math.max(...Array.from({ length: 200 }, (_, i) => breathe(i * 0.05, sev).scale));
    expect(amplitude(3)).toBeGreaterThan(amplitude(0));
    expect(ripple(0, 3)).toEqual({ scale: 1, opacity: 1 });
    expect(ripple(0.5, 3).scale).toBeCloseTo(2);
    expect(ripple(0.5, 3).opacity).toBeCloseTo(0.5);
    expect(ripple(0.5, 0).scale).toBeLessThan(ripple(0.5, 3).scale);
    expect(travelPeriod(1)).toBeLessThan(travelPeriod(0));
    expect(arcPhase(0, 0, 1)).toBe(0);
    expect(arcPhase(1.1, 0, 1)).toBeCloseTo(0.5);
    expect(flash(0)).toBeCloseTo(2.5);
    expect(flash(5)).toBeCloseTo(1, 3);
  });

  it('ticks at most 20 times a second and stops', () => {
    let now = 0;
    const queue: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => queue.push(f));
    vi.stubGlobal('cancelAnimationFrame', () => queue.splice(0));
    const seen: number[] = [];
    const ticker = new Ticker((t) => seen.push(t), 20);
    ticker.start();
    for (let i = 0; i < 60; i++) {
      now += 1000 / 60;
      queue.shift()?.(now);
    }
    expect(seen.length).toBeGreaterThanOrEqual(19);
    expect(seen.length).toBeLessThanOrEqual(21);
    ticker.stop();
    expect(ticker.running).toBe(false);
    expect(queue.length).toBe(0);
    vi.unstubAllGlobals();
  });
});
