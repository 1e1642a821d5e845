/**
 * The wall map's deck.gl layers, built by one pure function from (what is visible, the decoded
 * data, the time). Every point, path and polygon layer takes binary attributes: the typed arrays
 * of data.ts go to the GPU as they are, with no object per point and no accessor call per
 * vertex. Layer ids are stable and a hidden layer stays in the list with `visible: false`, so a
 * tour coming back to a scene finds its buffers on the GPU. Per frame only uniforms change
 * (radiusScale, opacity), except the whistles' travelling dots: one small array per frame.
 *
 * @example
 * overlay.setProps({ layers: buildWallLayers({ visible: ['heat'], data, t: 0, unit: 1 }) });
 */
import type { Layer } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { ArcLayer, PathLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { arcPhase, arcPoint, breathe, flash, HAZARD_RADIUS, ripple } from './animate.ts';
import { FOCUS_COLOR, HEAT_RANGE, REPLAY_COLORS, SEVERITY_COLORS, TRACK_COLOR } from './colors.ts';
import type { HazardData, PolygonData, WallData, WhistleData } from './data.ts';
import type { WallLayerId } from './scenes.ts';

/** The arcs lie on the ground (tilt 90) so they read as curves on the flat, north-up wall map. */
export const ARC_HEIGHT = 0.35;
export const ARC_TILT = 90;

/** The replay's points as the lead's replay gives them. */
export interface ReplayPoints {
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  kind: ArrayLike<number>;
}

/** Replay points as two binary groups: the older ones fading with age, the fresh ones bright. */
export interface ReplayData {
  old: { length: number; positions: Float32Array; colors: Uint8Array };
  fresh: { length: number; positions: Float32Array; colors: Uint8Array };
}

export interface WallLayerInput {
  visible: readonly WallLayerId[];
  data: WallData;
  /** seconds, for the animations */
  t: number;
  /** px per design px (sizes are designed at 1080 px height and follow the viewport) */
  unit: number;
  focus?: { position: readonly [number, number] } | null;
  replay?: ReplayData | null;
  /** seconds since the replay last changed */
  replayAge?: number;
}

/**
 * The replay points in two groups: the last `fresh` (the newest) bright, the rest fading from
 * alpha 230 (just before the fresh ones) down to 60 (the oldest), so the eye follows the front.
 */
export function replayColumns(points: ReplayPoints, fresh: number): ReplayData {
  const n = Math.min(points.lon.length, points.lat.length, points.kind.length);
  const f = Math.max(0, Math.min(n, Math.floor(fresh)));
  const o = n - f;
  const group = (from: number, count: number, alpha: (i: number) => number) => {
    const positions = new Float32Array(2 * count);
    const colors = new Uint8Array(4 * count);
    for (let j = 0; j < count; j++) {
      const i = from + j;
      positions[2 * j] = points.lon[i];
      positions[2 * j + 1] = points.lat[i];
      const c = REPLAY_COLORS[points.kind[i]] ?? REPLAY_COLORS[0];
      colors[4 * j] = c[0];
      colors[4 * j + 1] = c[1];
      colors[4 * j + 2] = c[2];
      colors[4 * j + 3] = alpha(j);
    }
    return { length: count, positions, colors };
  };
  return {
    old: group(0, o, (j) => Math.round(60 + (170 * (j + 1)) / Math.max(1, o))),
    fresh: group(o, f, () => 255),
  };
}

/** Where each whistle's dot is at `t`, lon/lat interleaved, on the arc the ArcLayer draws. */
export function whistleDots(w: WhistleData, t: number): Float32Array {
  const out = new Float32Array(2 * w.length);
  for (let i = 0; i < w.length; i++) {
    const [x, y] = arcPoint(
      w.sources[2 * i],
      w.sources[2 * i + 1],
      w.targets[2 * i],
      w.targets[2 * i + 1],
      arcPhase(t, i, w.states[i]),
      ARC_HEIGHT,
      ARC_TILT,
    );
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

// Binary data objects kept per decoded answer: the same object on every frame, so deck.gl sees
// no data change and touches no attribute.
const polygonInputs = new WeakMap<PolygonData, { fill: object; line: object }>();
function polygonInput(p: PolygonData) {
  let v = polygonInputs.get(p);
  if (!v) {
    const base = { length: p.length, startIndices: p.startIndices };
    v = {
      fill: {
        ...base,
        attributes: {
          getPolygon: { value: p.positions, size: 2 },
          getFillColor: { value: p.fillColors, size: 4, normalized: true },
        },
      },
      line: {
        ...base,
        attributes: {
          getPath: { value: p.positions, size: 2 },
          getColor: { value: p.lineColors, size: 4, normalized: true },
        },
      },
    };
    polygonInputs.set(p, v);
  }
  return v;
}

const hazardInputs = new WeakMap<HazardData, object[]>();
function hazardInput(h: HazardData) {
  let v = hazardInputs.get(h);
  if (!v) {
    v = h.groups.map((g) => {
      const lines = new Uint8Array(4 * g.length);
      // overdue rectifications get a white rim
      for (let i = 0; i < g.length; i++) if (g.overdue[i]) lines.set([255, 255, 255, 230], 4 * i);
      return {
        length: g.length,
        attributes: {
          getPosition: { value: g.positions, size: 2 },
          getLineColor: { value: lines, size: 4, normalized: true },
        },
      };
    });
    hazardInputs.set(h, v);
  }
  return v;
}

const whistleInputs = new WeakMap<WhistleData, object>();
function whistleInput(w: WhistleData) {
  let v = whistleInputs.get(w);
  if (!v) {
    v = {
      length: w.length,
      attributes: {
        getSourcePosition: { value: w.sources, size: 2 },
        getTargetPosition: { value: w.targets, size: 2 },
        getSourceColor: { value: w.colors, size: 4, normalized: true },
        getTargetColor: { value: w.colors, size: 4, normalized: true },
        getWidth: { value: w.widths, size: 1 },
      },
    };
    whistleInputs.set(w, v);
  }
  return v;
}

/** One binary data object per decoded answer (heat, tracks, replay groups), built once. */
const inputs = new WeakMap<object, object>();
function once<T extends object>(key: T, make: (key: T) => object): object {
  let v = inputs.get(key);
  if (!v) {
    v = make(key);
    inputs.set(key, v);
  }
  return v;
}

const EMPTY = { length: 0, attributes: { getPosition: { value: new Float32Array(0), size: 2 } } };

/** The deck.gl layers for one frame, bottom first. */
export function buildWallLayers(input: WallLayerInput): Layer[] {
  const { data, t, unit } = input;
  const on = (id: WallLayerId) => input.visible.includes(id);
  const layers: Layer[] = [];

  const polygons = (id: 'ratings' | 'open' | 'hotspots' | 'coverage', lineWidth: number) => {
    const p = data[id];
    if (!p) return;
    const inputs = polygonInput(p);
    layers.push(
      new SolidPolygonLayer({
        id: `wall-${id}`,
        data: inputs.fill as never,
        _normalize: false,
        filled: true,
        extruded: false,
        visible: on(id),
      }),
      new PathLayer({
        id: `wall-${id}-line`,
        data: inputs.line as never,
        _pathType: 'open',
        widthUnits: 'pixels',
        getWidth: lineWidth * unit,
        visible: on(id),
      }),
    );
  };
  polygons('ratings', 1);
  polygons('coverage', 0.8);
  polygons('hotspots', 0.8);
  polygons('open', 0.6);

  if (data.heat) {
    const h = data.heat;
    layers.push(
      new HeatmapLayer({
        id: 'wall-heat',
        data: once(h, () => ({
          length: h.length,
          attributes: {
            getPosition: { value: h.positions, size: 2 },
            getWeight: { value: h.weights, size: 1 },
          },
        })) as never,
        radiusPixels: Math.round(28 * unit),
        intensity: 1,
        threshold: 0.04,
        colorRange: HEAT_RANGE,
        aggregation: 'SUM',
        visible: on('heat'),
      }),
    );
  }

  if (data.tracks) {
    const tr = data.tracks;
    layers.push(
      new PathLayer({
        id: 'wall-tracks',
        data: once(tr, () => ({
          length: tr.length,
          startIndices: tr.startIndices,
          attributes: { getPath: { value: tr.positions, size: 2 } },
        })) as never,
        _pathType: 'open',
        getColor: TRACK_COLOR,
        widthUnits: 'pixels',
        getWidth: 1.6 * unit,
        capRounded: true,
        jointRounded: true,
        visible: on('tracks'),
      }),
    );
  }

  if (data.whistles) {
    const w = data.whistles;
    const visible = on('whistles');
    layers.push(
      new ArcLayer({
        id: 'wall-whistles',
        data: whistleInput(w) as never,
        greatCircle: false,
        getHeight: ARC_HEIGHT,
        getTilt: ARC_TILT,
        widthUnits: 'pixels',
        widthScale: unit,
        visible,
      }),
      new ScatterplotLayer({
        id: 'wall-whistles-dots',
        data: (visible
          ? {
              length: w.length,
              attributes: {
                getPosition: { value: whistleDots(w, t), size: 2 },
                getFillColor: { value: w.colors, size: 4, normalized: true },
              },
            }
          : EMPTY) as never,
        radiusUnits: 'pixels',
        getRadius: 3.5 * unit,
        stroked: false,
        visible,
      }),
    );
  }

  if (data.hazards) {
    const groups = hazardInput(data.hazards);
    const visible = on('hazards');
    // ripples under the dots: high and critical only, so the eye goes to the worst
    for (const s of [2, 3]) {
      const r = ripple(t, s);
      layers.push(
        new ScatterplotLayer({
          id: `wall-hazards-ripple-${s}`,
          data: groups[s] as never,
          radiusUnits: 'pixels',
          getRadius: HAZARD_RADIUS[s] * unit,
          radiusScale: r.scale,
          opacity: r.opacity,
          filled: false,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 1.5 * unit,
          getLineColor: SEVERITY_COLORS[s],
          visible,
        }),
      );
    }
    for (let s = 0; s < 4; s++) {
      const b = breathe(t, s);
      layers.push(
        new ScatterplotLayer({
          id: `wall-hazards-${s}`,
          data: groups[s] as never,
          radiusUnits: 'pixels',
          getRadius: HAZARD_RADIUS[s] * unit,
          radiusScale: b.scale,
          opacity: b.opacity,
          getFillColor: SEVERITY_COLORS[s],
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 1.2 * unit,
          visible,
        }),
      );
    }
  }

  if (input.replay) {
    const { old, fresh } = input.replay;
    const visible = on('replay');
    layers.push(
      new ScatterplotLayer({
        id: 'wall-replay',
        data: once(old, () => ({
          length: old.length,
          attributes: {
            getPosition: { value: old.positions, size: 2 },
            getFillColor: { value: old.colors, size: 4, normalized: true },
          },
        })) as never,
        radiusUnits: 'pixels',
        getRadius: 3 * unit,
        visible,
      }),
      new ScatterplotLayer({
        id: 'wall-replay-fresh',
        data: once(fresh, () => ({
          length: fresh.length,
          attributes: {
            getPosition: { value: fresh.positions, size: 2 },
            getFillColor: { value: fresh.colors, size: 4, normalized: true },
          },
        })) as never,
        radiusUnits: 'pixels',
        getRadius: 5 * unit,
        radiusScale: flash(input.replayAge ?? Infinity),
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.2 * unit,
        getLineColor: [255, 255, 255, 220],
        visible,
      }),
    );
  }

  if (input.focus && on('focus')) {
    const r = ripple(t, 1);
    const d = once(input.focus, (f) => [{ p: f.position }]) as { p: readonly [number, number] }[];
    layers.push(
      new ScatterplotLayer<{ p: readonly [number, number] }>({
        id: 'wall-focus',
        data: d,
        getPosition: (x) => x.p as [number, number],
        radiusUnits: 'pixels',
        getRadius: 18 * unit,
        radiusScale: r.scale,
        opacity: r.opacity,
        filled: false,
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 4 * unit,
        getLineColor: FOCUS_COLOR,
        updateTriggers: { getPosition: input.focus.position.join(',') },
      }),
      new ScatterplotLayer<{ p: readonly [number, number] }>({
        id: 'wall-focus-core',
        data: d,
        getPosition: (x) => x.p as [number, number],
        radiusUnits: 'pixels',
        getRadius: 7 * unit,
        getFillColor: FOCUS_COLOR,
        updateTriggers: { getPosition: input.focus.position.join(',') },
      }),
    );
  }
  return layers;
}

/** Whether anything on screen moves, so the ticker runs only when it must. */
export function animated(visible: readonly WallLayerId[], data: WallData): boolean {
  return (
    (visible.includes('hazards') && (data.hazards?.length ?? 0) > 0) ||
    (visible.includes('whistles') && (data.whistles?.length ?? 0) > 0) ||
    visible.includes('replay') ||
    visible.includes('focus')
  );
}
