/**
 * The planner's colour scales, shared by the map layers, the legend on screen and the legend drawn
 * into the exported PNG, so the three never disagree. Hot-spot classes use a diverging red–blue
 * scheme (ColorBrewer RdBu, readable with the common colour-vision deficiencies); counts and rates
 * use quantile bins on a sequential scheme, with the bin edges as numbers in the legend.
 *
 * @example
 * const breaks = quantileBreaks([1, 2, 3, 4, 50], 5); // [1, 2, 3, 4, 50]
 * binOf(3.5, breaks); // 3
 */
import type { Rgba } from '../layers/palette.ts';
import type { CompoundFacts, SpotClass } from '../types.ts';
import type { FactKey } from './config.ts';

export const SPOT_CLASSES = [
  'hot99',
  'hot95',
  'hot90',
  'none',
  'cold90',
  'cold95',
  'cold99',
] as const satisfies readonly SpotClass[];

export const SPOT_HEX: Record<SpotClass, string> = {
  hot99: '#b2182b',
  hot95: '#ef8a62',
  hot90: '#fddbc7',
  none: '#c8ced6',
  cold90: '#d1e5f0',
  cold95: '#67a9cf',
  cold99: '#2166ac',
};

export function hexToRgba(hex: string, alpha = 255): Rgba {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** A cell's fill by its class: not significant is (almost) transparent, drawn by its outline. */
export function spotFill(c: SpotClass, alpha = 215): Rgba {
  return c === 'none' ? [200, 206, 214, 18] : hexToRgba(SPOT_HEX[c], alpha);
}

/** Sequential bins, light to dark (ColorBrewer YlOrRd, 5 classes). */
export const SEQ_HEX = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] as const;

/**
 * Quantile class breaks: `n + 1` ascending edges from the minimum to the maximum, duplicates
 * removed (so ties make fewer, not empty, bins). Non-finite values are ignored.
 */
export function quantileBreaks(values: readonly number[], n = SEQ_HEX.length): number[] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const edges: number[] = [];
  for (let i = 0; i <= n; i++) {
    const x = v[Math.min(v.length - 1, Math.round((i / n) * (v.length - 1)))];
    if (edges.length === 0 || x > edges[edges.length - 1]) edges.push(x);
  }
  return edges;
}

/** The bin of a value: 0 … breaks.length − 2 (one bin when all values are equal). */
export function binOf(value: number, breaks: readonly number[]): number {
  const last = Math.max(0, breaks.length - 2);
  for (let i = 1; i < breaks.length - 1; i++) if (value < breaks[i]) return i - 1;
  return last;
}

/** The bin colour, spreading fewer bins over the whole scheme so the top is always darkest. */
export function binHex(bin: number, bins: number): string {
  if (bins <= 1) return SEQ_HEX[SEQ_HEX.length - 1];
  const i = Math.round((bin / (bins - 1)) * (SEQ_HEX.length - 1));
  return SEQ_HEX[Math.max(0, Math.min(SEQ_HEX.length - 1, i))];
}

/** Bins as legend rows: '12 – 30' with the count of cells in each. */
export function binRows(
  values: readonly number[],
  breaks: readonly number[],
  format: (n: number) => string,
): { hex: string; label: string; count: number }[] {
  const bins = Math.max(1, breaks.length - 1);
  if (breaks.length === 0) return [];
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) if (Number.isFinite(v)) counts[binOf(v, breaks)]++;
  return counts.map((count, i) => ({
    hex: binHex(i, bins),
    label:
      breaks.length === 1
        ? format(breaks[0])
        : `${format(breaks[i])} – ${format(breaks[Math.min(i + 1, breaks.length - 1)])}`,
    count,
  }));
}

// Emerging hot spots (Esri's classes): warm hues for hot, cool hues for cold, distinct by kind.
export const EMERGING_KINDS = [
  'new',
  'consecutive',
  'intensifying',
  'persistent',
  'diminishing',
  'sporadic',
  'oscillating',
  'historical',
] as const;
export type EmergingKind = (typeof EMERGING_KINDS)[number];

const EMERGING_HOT: Record<EmergingKind, string> = {
  new: '#fdd49e',
  consecutive: '#fc8d59',
  intensifying: '#b30000',
  persistent: '#e34a33',
  diminishing: '#f4a582',
  sporadic: '#dd3497',
  oscillating: '#ae017e',
  historical: '#8c6bb1',
};

const EMERGING_COLD: Record<EmergingKind, string> = {
  new: '#c6dbef',
  consecutive: '#6baed6',
  intensifying: '#08519c',
  persistent: '#3182bd',
  diminishing: '#9ecae1',
  sporadic: '#41b6c4',
  oscillating: '#1d91c0',
  historical: '#66c2a4',
};

/** '#rrggbb' of an emerging class ('new_hot'…); null for 'none'. */
export function emergingHex(cls: string): string | null {
  const m = /^([a-z]+)_(hot|cold)$/.exec(cls);
  if (!m) return null;
  const table = m[2] === 'hot' ? EMERGING_HOT : EMERGING_COLD;
  return table[m[1] as EmergingKind] ?? null;
}

/**
 * Change between two periods, as the ratio of daily rates: a diverging scale on log2 (halved
 * and doubled are equally far from "the same").
 */
export const RATIO_HEX = [
  '#2166ac',
  '#67a9cf',
  '#d1e5f0',
  '#f7f7f7',
  '#fddbc7',
  '#ef8a62',
  '#b2182b',
];
export const RATIO_EDGES = [0.5, 0.75, 0.9, 1.11, 1.33, 2] as const;

export function ratioHex(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return RATIO_HEX[RATIO_HEX.length - 1];
  let i = 0;
  while (i < RATIO_EDGES.length && ratio >= RATIO_EDGES[i]) i++;
  return RATIO_HEX[i];
}

/**
 * Patrols against risk, as the Pearson residual (visits − expected) / √expected: a diverging
 * scale (ColorBrewer PuOr, distinct from the hot-spot reds and blues) with orange for fewer
 * patrols than the place's risk calls for and purple for more. The bins are symmetric and the
 * under-patrolled threshold (−2) is an edge: a residual of exactly −2 is in the "−4 – −2" bin.
 *
 * @example
 * residualBin(-2); // 1
 * residualHex(-2.5) === RESIDUAL_HEX[1]; // true
 */
export const RESIDUAL_HEX = [
  '#b35806',
  '#f1a340',
  '#fee0b6',
  '#f7f7f7',
  '#d8daeb',
  '#998ec3',
  '#542788',
] as const;
export const RESIDUAL_EDGES = [-4, -2, -1, 1, 2, 4] as const;

/** The bin of a residual, 0 (most under-patrolled) … 6; non-finite residuals are the middle. */
export function residualBin(residual: number): number {
  if (!Number.isFinite(residual)) return 3;
  if (residual <= -4) return 0;
  if (residual <= -2) return 1;
  if (residual <= -1) return 2;
  if (residual < 1) return 3;
  if (residual < 2) return 4;
  if (residual < 4) return 5;
  return 6;
}

export function residualHex(residual: number): string {
  return RESIDUAL_HEX[residualBin(residual)];
}

/** The residual bins' legend labels: '≤ −4', '−4 – −2', … '≥ 4'. */
export function residualLabels(): string[] {
  const e = RESIDUAL_EDGES.map((x) => String(x).replace('-', '−'));
  return RESIDUAL_HEX.map((_, i) =>
    i === 0 ? `≤ ${e[0]}` : i === e.length ? `≥ ${e[i - 1]}` : `${e[i - 1]} – ${e[i]}`,
  );
}

// The compound facts layer: one scale per fact.

export const CONDITION_HEX = { good: '#1a9850', fair: '#fee08b', poor: '#d73027' } as const;

export const YEAR_EDGES = [1980, 1991, 2001, 2011] as const;
export const YEAR_HEX = ['#7f0000', '#d7301f', '#fc8d59', '#91bfdb', '#4575b4'] as const;

export const ELEVATOR_HEX = ['#5d7893', '#fdae61', '#d7191c'] as const;
export const PARKING_EDGES = [1, 50, 150, 300] as const;
export const PARKING_HEX = ['#1a9850', '#d9ef8b', '#fee08b', '#fc8d59', '#d73027'] as const;

function stepIndex(value: number, edges: readonly number[]): number {
  let i = 0;
  while (i < edges.length && value >= edges[i]) i++;
  return i;
}

/** The colour of a compound for the chosen fact. */
export function factHex(fact: FactKey, c: CompoundFacts): string {
  switch (fact) {
    case 'yearBuilt':
      return YEAR_HEX[stepIndex(c.yearBuilt, YEAR_EDGES)];
    case 'pipes':
      return CONDITION_HEX[c.pipeCondition];
    case 'elevator':
      return ELEVATOR_HEX[c.elevatorCandidates === 0 ? 0 : c.elevatorCandidates <= 2 ? 1 : 2];
    case 'parking':
      return PARKING_HEX[stepIndex(c.parkingGap, PARKING_EDGES)];
  }
}

/** Each colour of a fact's scale with its meaning (label keys or numbers) and its count. */
export function factRows(
  fact: FactKey,
  items: readonly CompoundFacts[],
): { hex: string; label: string; count: number }[] {
  const rows = factScale(fact);
  const counts = new Map(rows.map((r) => [r.hex, 0]));
  for (const c of items) {
    const hex = factHex(fact, c);
    counts.set(hex, (counts.get(hex) ?? 0) + 1);
  }
  return rows.map((r) => ({ ...r, count: counts.get(r.hex) ?? 0 }));
}

/** A fact's scale; labels are message keys (`planner.cond.good`) or ranges of numbers. */
function factScale(fact: FactKey): { hex: string; label: string }[] {
  const ranges = (edges: readonly number[], hex: readonly string[], unit = '') =>
    hex.map((h, i) => ({
      hex: h,
      label:
        i === 0
          ? `< ${edges[0]}${unit}`
          : i === edges.length
            ? `≥ ${edges[i - 1]}${unit}`
            : `${edges[i - 1]}–${edges[i] - 1}${unit}`,
    }));
  switch (fact) {
    case 'yearBuilt':
      return ranges(YEAR_EDGES, YEAR_HEX);
    case 'pipes':
      return (['good', 'fair', 'poor'] as const).map((k) => ({
        hex: CONDITION_HEX[k],
        label: `condition.${k}`,
      }));
    case 'elevator':
      return [
        { hex: ELEVATOR_HEX[0], label: '0' },
        { hex: ELEVATOR_HEX[1], label: '1–2' },
        { hex: ELEVATOR_HEX[2], label: '≥ 3' },
      ];
    case 'parking':
      return ranges(PARKING_EDGES, PARKING_HEX);
  }
}
