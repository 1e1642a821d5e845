/**
 * The wall map's data: read from /api/wall/layers/* and decoded once into the typed arrays that
 * deck.gl takes as binary attributes (no object per point, per cell or per vertex). Colours are
 * worked out here, once per answer, so the per-frame builders in layers.ts only hand arrays on.
 *
 * @example
 * const heat = decodeHeat(await (await fetch('/api/wall/layers/heat.bin')).arrayBuffer());
 * heat.positions.length === 2 * heat.length; // lon/lat interleaved
 */
import { cellToBoundary } from 'h3-js';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { WallCells, WallHazards, WallWhistles } from '../../../../server/contract/wall.ts';
import { decodeTracks as decodeTracksBin, type PathBinary } from '../../../../geo/twkb.ts';
import { decodeHeat as decodeHeatBin } from '../../../../geo/wall-binary.ts';
import { request } from '../../lib/api.ts';
import type { Rgba } from '../../lib/layers/palette.ts';
import {
  coverageColor,
  hotspotColor,
  openCellColor,
  ratingColor,
  WHISTLE_STATE_COLORS,
} from './colors.ts';
import type { WallResource } from './scenes.ts';

/** Points as binary columns: lon/lat interleaved. */
export interface PointColumns {
  length: number;
  positions: Float32Array;
}

/** Open hazards split by severity (index 0 low … 3 critical), so each group pulses on its own. */
export interface HazardData {
  asOf: string;
  length: number;
  groups: (PointColumns & { overdue: Uint8Array })[];
}

export interface WhistleData {
  asOf: string;
  length: number;
  sources: Float32Array;
  targets: Float32Array;
  /** RGBA per arc */
  colors: Uint8Array;
  widths: Float32Array;
  /** per arc: 0 awaiting, 1 late, 2 reported */
  states: Uint8Array;
}

/**
 * Flat polygons (outer rings, closed) for SolidPolygonLayer and their outlines for PathLayer:
 * vertex positions, where each polygon starts, and a fill and a line colour per vertex.
 */
export interface PolygonData {
  asOf: string | null;
  length: number;
  startIndices: Uint32Array;
  positions: Float64Array;
  fillColors: Uint8Array;
  lineColors: Uint8Array;
}

export interface HeatData {
  length: number;
  /** lon/lat interleaved, a view into the response */
  positions: Float32Array;
  weights: Float32Array;
  total: number;
}

/** Paths: `startIndices` has one entry more than `length` (the vertex count). */
export type TrackData = PathBinary;

export interface WallData {
  ratings?: PolygonData;
  open?: PolygonData;
  hotspots?: PolygonData;
  coverage?: PolygonData;
  heat?: HeatData;
  tracks?: TrackData;
  whistles?: WhistleData;
  hazards?: HazardData;
}

export function decodeHazards(h: WallHazards): HazardData {
  const n = h.lon.length;
  const counts = [0, 0, 0, 0];
  const sev = (i: number) => Math.max(0, Math.min(3, Math.round(h.severity[i] ?? 0)));
  for (let i = 0; i < n; i++) counts[sev(i)]++;
  const groups = counts.map((c) => ({
    length: c,
    positions: new Float32Array(2 * c),
    overdue: new Uint8Array(c),
  }));
  const fill = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const s = sev(i);
    const g = groups[s];
    const j = fill[s]++;
    g.positions[2 * j] = h.lon[i];
    g.positions[2 * j + 1] = h.lat[i];
    g.overdue[j] = h.overdue[i] ? 1 : 0;
  }
  return { asOf: h.asOf, length: n, groups };
}

const STATE_DRAW_ORDER = [2, 0, 1]; // reported first, late last: urgent arcs draw on top

export function decodeWhistles(w: WallWhistles): WhistleData {
  const n = w.fromLon.length;
  const order: number[] = [];
  for (const s of STATE_DRAW_ORDER) for (let i = 0; i < n; i++) if (w.state[i] === s) order.push(i);
  // unknown states last, drawn as awaiting
  for (let i = 0; i < n; i++) if (!STATE_DRAW_ORDER.includes(w.state[i])) order.push(i);
  const m = order.length;
  const sources = new Float32Array(2 * m);
  const targets = new Float32Array(2 * m);
  const colors = new Uint8Array(4 * m);
  const widths = new Float32Array(m);
  const states = new Uint8Array(m);
  order.forEach((i, j) => {
    const s = w.state[i] === 1 || w.state[i] === 2 ? w.state[i] : 0;
    sources[2 * j] = w.fromLon[i];
    sources[2 * j + 1] = w.fromLat[i];
    targets[2 * j] = w.toLon[i];
    targets[2 * j + 1] = w.toLat[i];
    colors.set(WHISTLE_STATE_COLORS[s], 4 * j);
    widths[j] = s === 1 ? 3 : s === 0 ? 2 : 1.2;
    states[j] = s;
  });
  return { asOf: w.asOf, length: m, sources, targets, colors, widths, states };
}

type Ring = number[][];

/** Packs closed outer rings with their colours into PolygonData. */
export function packRings(
  rings: readonly { ring: Ring; fill: Rgba; line: Rgba }[],
  asOf: string | null,
): PolygonData {
  let vertices = 0;
  for (const r of rings) vertices += closedLength(r.ring);
  const startIndices = new Uint32Array(rings.length);
  const positions = new Float64Array(2 * vertices);
  const fillColors = new Uint8Array(4 * vertices);
  const lineColors = new Uint8Array(4 * vertices);
  let v = 0;
  rings.forEach((r, i) => {
    startIndices[i] = v;
    const ring = r.ring;
    const count = closedLength(ring);
    for (let k = 0; k < count; k++) {
      const p = ring[k % ring.length];
      positions[2 * v] = p[0];
      positions[2 * v + 1] = p[1];
      fillColors.set(r.fill, 4 * v);
      lineColors.set(r.line, 4 * v);
      v++;
    }
  });
  return { asOf, length: rings.length, startIndices, positions, fillColors, lineColors };
}

/** A ring's length once closed (first vertex repeated at the end when it is not already). */
function closedLength(ring: Ring): number {
  if (ring.length === 0) return 0;
  const a = ring[0];
  const b = ring[ring.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? ring.length : ring.length + 1;
}

export type CellKind = 'open' | 'hotspots' | 'coverage';

const CELL_LINE: Rgba = [5, 11, 20, 150];

/** H3 cells as hexagons (h3-js boundaries, like the planner's cells layer), coloured by kind. */
export function decodeCells(kind: CellKind, c: WallCells): PolygonData {
  const max = c.values.reduce((m, v) => (v > m ? v : m), 0);
  const color = (v: number): Rgba => {
    switch (kind) {
      case 'open':
        return openCellColor(v, max);
      case 'hotspots':
        return hotspotColor(v);
      case 'coverage':
        return coverageColor(v);
    }
  };
  const rings = c.cells.map((h3, i) => ({
    ring: cellToBoundary(h3, true),
    fill: color(c.values[i]),
    line: CELL_LINE,
  }));
  return packRings(rings, c.asOf);
}

type RatingFeature = Feature<Polygon | MultiPolygon, { c: number }>;

/**
 * Compound outlines with their 红黄蓝 colour: translucent fill, brighter outline. Outer rings
 * only: a compound's courtyard hole would not show at city scale.
 */
export function decodeRatings(fc: FeatureCollection<Polygon | MultiPolygon, { c: number }>) {
  const rings: { ring: Ring; fill: Rgba; line: Rgba }[] = [];
  for (const f of fc.features as RatingFeature[]) {
    if (!f.geometry) continue;
    const c = f.properties?.c ?? -1;
    const fill = ratingColor(c, c === 0 ? 150 : 90);
    const line = ratingColor(c, 220);
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const p of polys) if (p[0]?.length) rings.push({ ring: p[0], fill, line });
  }
  // red last, so it draws on top of its neighbours
  const rank = (r: { fill: Rgba }) => (r.fill[0] > 200 && r.fill[1] < 100 ? 1 : 0);
  rings.sort((a, b) => rank(a) - rank(b));
  return packRings(rings, null);
}

/** heat.bin: counts widened to float weights once (deck.gl's weight attribute is float32). */
export function decodeHeat(buffer: ArrayBuffer): HeatData {
  const h = decodeHeatBin(buffer);
  return {
    length: h.length,
    positions: h.positions,
    weights: Float32Array.from(h.counts),
    total: h.total,
  };
}

export function decodeTracks(buffer: ArrayBuffer): TrackData {
  return decodeTracksBin(buffer);
}

const json = async <T>(url: string, signal?: AbortSignal) =>
  (await (await request(url, signal)).json()) as T;
const binary = async (url: string, signal?: AbortSignal) =>
  (await request(url, signal)).arrayBuffer();

/** Reads and decodes one resource. */
export async function loadResource(
  r: WallResource,
  signal?: AbortSignal,
): Promise<WallData[WallResource]> {
  const base = '/api/wall/layers';
  switch (r) {
    case 'hazards':
      return decodeHazards(await json<WallHazards>(`${base}/hazards`, signal));
    case 'whistles':
      return decodeWhistles(await json<WallWhistles>(`${base}/whistles`, signal));
    case 'open':
    case 'hotspots':
    case 'coverage':
      return decodeCells(r, await json<WallCells>(`${base}/cells?kind=${r}&res=8`, signal));
    case 'ratings':
      return decodeRatings(await json(`${base}/ratings`, signal));
    case 'heat':
      return decodeHeat(await binary(`${base}/heat.bin?days=365`, signal));
    case 'tracks':
      return decodeTracks(await binary(`${base}/tracks.bin`, signal));
  }
}
