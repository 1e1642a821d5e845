/**
 * Hot spots of a value over a set of cells (Getis–Ord Gi*, with the false discovery rate held by
 * Benjamini–Hochberg), and how they change over time slices (Esri's Emerging Hot Spot Analysis
 * classes, with the Mann–Kendall trend test). Cells are plain indices; their neighbourhoods come
 * from the caller (for H3 cells, `neighbourhood` in h3cells.ts). docs/ANALYTICS.md explains the
 * method for planners.
 *
 * @example
 * // five cells on a path 0–1–2–3–4, one busy cell in the middle
 * giStar([0, 0, 10, 0, 0], [[1], [0, 2], [1, 3], [2, 4], [3]]);
 * // ≈ [-0.816, 0.816, 0.816, 0.816, -0.816]
 */
import { benjaminiHochberg, mannKendall, twoSidedP } from './stats.ts';

export type SpotClass = 'hot99' | 'hot95' | 'hot90' | 'none' | 'cold90' | 'cold95' | 'cold99';

/**
 * Getis–Ord Gi* z-score of every cell (Getis & Ord 1992; Ord & Getis 1995), binary weights: cell
 * i's neighbourhood is i itself plus `neighbours[i]` (indices into `values`; i itself and repeated
 * indices in the list are ignored). With n cells, X̄ = Σx/n, S = √(Σx²/n − X̄²) and W_i the size of
 * the neighbourhood,
 *
 *   Gi* = (Σ_{j∈N(i)} x_j − X̄·W_i) / (S·√((n·W_i − W_i²)/(n − 1)))
 *
 * (with binary weights Σw² = W_i). Under the null hypothesis of no spatial association it is
 * approximately standard normal. No test is possible, and z = 0, for n ≤ 1, for values that are
 * all equal (S = 0, e.g. all zero), and for a cell whose neighbourhood is the whole study area.
 *
 * @throws RangeError when `neighbours` does not have one list per value, or holds an index outside
 *   the values, or a value is not finite.
 */
export function giStar(
  values: ArrayLike<number>,
  neighbours: readonly (readonly number[])[],
): Float64Array {
  const n = values.length;
  if (neighbours.length !== n) {
    throw new RangeError(
      `need one neighbour list per value: ${neighbours.length} lists, ${n} values`,
    );
  }
  const z = new Float64Array(n);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) throw new RangeError(`values[${i}] is not a finite number: ${x}`);
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  if (n <= 1 || min === max) return z;
  const mean = sum / n;
  // Two passes: Σ(x − X̄)²/n equals Σx²/n − X̄² but does not cancel when the mean is large.
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const s = Math.sqrt(ss / n);
  // seen[j] === i + 1 marks j as already counted in cell i's neighbourhood: duplicates cost O(1).
  const seen = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    seen[i] = i + 1;
    let w = 1;
    let local = values[i];
    for (const j of neighbours[i]) {
      if (!Number.isInteger(j) || j < 0 || j >= n) {
        throw new RangeError(`neighbours[${i}] holds ${j}, not an index into ${n} values`);
      }
      if (seen[j] === i + 1) continue;
      seen[j] = i + 1;
      w++;
      local += values[j];
    }
    const spread = (n * w - w * w) / (n - 1);
    if (spread <= 0) continue; // the neighbourhood is everything: nothing to compare it with
    z[i] = (local - mean * w) / (s * Math.sqrt(spread));
  }
  return z;
}

/**
 * The class of a cell from its z-score and its FDR-adjusted p-value (q): hot or cold by the sign
 * of z, at the 99, 95 or 90 % level when q ≤ 0.01, 0.05 or 0.10.
 */
export function spotClass(z: number, q: number): SpotClass {
  if (!(q <= 0.1) || z === 0 || Number.isNaN(z)) return 'none';
  const level = q <= 0.01 ? '99' : q <= 0.05 ? '95' : '90';
  return z > 0 ? `hot${level}` : `cold${level}`;
}

export interface HotspotResult {
  /** Gi* z-score per cell. */
  z: Float64Array;
  /** Two-sided p-value per cell, uncorrected. */
  p: Float64Array;
  /** Benjamini–Hochberg adjusted p-value per cell, over all the cells. */
  q: Float64Array;
  cls: SpotClass[];
}

/**
 * Gi* hot and cold spots with the false discovery rate controlled over all cells: p = twoSidedP(z),
 * q = Benjamini–Hochberg over every cell of the study area, and the class from q (≤ 0.01, 0.05,
 * 0.10 → 99, 95, 90 %) and the sign of z. Uncorrected, testing hundreds of cells at once would
 * paint about one cell in ten of pure noise as a "90 %" hot or cold spot.
 */
export function hotspots(
  values: ArrayLike<number>,
  neighbours: readonly (readonly number[])[],
): HotspotResult {
  const z = giStar(values, neighbours);
  const p = z.map(twoSidedP);
  const q = benjaminiHochberg(p);
  const cls = Array.from(z, (zi, i) => spotClass(zi, q[i]));
  return { z, p, q, cls };
}

type Trend = 'new' | 'consecutive' | 'intensifying' | 'persistent' | 'diminishing';
type History = 'sporadic' | 'oscillating' | 'historical';
export type EmergingClass = `${Trend | History}_${'hot' | 'cold'}` | 'none';

/** The emerging classes in display order, hot first. */
export const EMERGING_CLASSES: readonly EmergingClass[] = [
  'new_hot',
  'consecutive_hot',
  'intensifying_hot',
  'persistent_hot',
  'diminishing_hot',
  'sporadic_hot',
  'oscillating_hot',
  'historical_hot',
  'new_cold',
  'consecutive_cold',
  'intensifying_cold',
  'persistent_cold',
  'diminishing_cold',
  'sporadic_cold',
  'oscillating_cold',
  'historical_cold',
  'none',
];

// A trend in the Gi* z-scores counts when Mann–Kendall's two-sided p is below this.
const TREND_ALPHA = 0.05;

/**
 * The pattern of one kind (hot, or cold with every comparison mirrored) in one cell's series, or
 * null. `is[t]` says whether slice t is significant of this kind, `opposite[t]` of the other kind;
 * `trend` is the Mann–Kendall z of the Gi* series with its sign flipped for cold spots, so that
 * > 0 always means "more intense".
 */
function pattern(
  is: readonly boolean[],
  opposite: readonly boolean[],
  trend: { z: number; p: number },
): Trend | History | null {
  const n = is.length;
  const count = is.filter(Boolean).length;
  // "At least 90 % of the slices", in integers so that 0.9·n cannot round the wrong way.
  const mostly = count * 10 >= 9 * n;
  const final = is[n - 1];
  if (final) {
    let runStart = n - 1;
    while (runStart > 0 && is[runStart - 1]) runStart--;
    const hotBeforeRun = is.slice(0, runStart).some(Boolean);
    if (count === 1) return 'new';
    if (!mostly) {
      if (!hotBeforeRun && n - runStart >= 2) return 'consecutive';
      return opposite.slice(0, n - 1).some(Boolean) ? 'oscillating' : 'sporadic';
    }
    if (trend.p < TREND_ALPHA && trend.z > 0) return 'intensifying';
    if (trend.p < TREND_ALPHA && trend.z < 0) return 'diminishing';
    return 'persistent';
  }
  return mostly ? 'historical' : null;
}

/**
 * The emerging hot spot class of one cell from its Gi* z-scores and classes over the time slices
 * (oldest first; cls[t] is the FDR-corrected class at slice t, 'none' when not significant at
 * 90 %). Esri's definitions (ArcGIS Pro, "How Emerging Hot Spot Analysis works"), "hot" meaning a
 * significant hot spot, and "≥ 90 %" meaning count ≥ 0.9·n:
 *
 * - new: hot at the final slice and never hot before.
 * - consecutive: one uninterrupted run of ≥ 2 hot slices ending at the final slice, never hot
 *   before the run, and < 90 % of the slices hot.
 * - intensifying: hot in ≥ 90 % of the slices including the final one, and the Gi* z-scores rise
 *   significantly (Mann–Kendall, two-sided p < 0.05, z > 0).
 * - persistent: hot in ≥ 90 % of the slices including the final one, no significant trend.
 * - diminishing: as intensifying, but the z-scores fall significantly.
 * - sporadic: hot at the final slice, hot on and off before (not new, not consecutive), < 90 % of
 *   the slices hot, never cold.
 * - oscillating: hot at the final slice, cold at some earlier slice, < 90 % of the slices hot.
 * - historical: not hot at the final slice, but hot in ≥ 90 % of the slices.
 *
 * Cold classes mirror these (cold for hot; intensifying cold = z-scores falling significantly).
 * Precedence where the definitions overlap: hot patterns before cold ones, then in the order above,
 * so a cell that was cold long ago and turned hot only in the last slice is "new", not
 * "oscillating" — what is news about it is that it became hot. Consequences of the ≥ 90 % rule:
 * with fewer than 10 slices one non-hot slice already falls below it, so "historical" needs at
 * least 10 slices; and with a single slice, a hot cell is "new".
 *
 * @throws RangeError when z and cls differ in length.
 * @example
 * emergingClass([0.5, 0.8, 3.1], ['none', 'none', 'hot99']); // 'new_hot'
 */
export function emergingClass(z: ArrayLike<number>, cls: readonly SpotClass[]): EmergingClass {
  if (z.length !== cls.length) {
    throw new RangeError(`z has ${z.length} slices but cls has ${cls.length}`);
  }
  if (cls.length === 0) return 'none';
  const hot = cls.map((c) => c.startsWith('hot'));
  const cold = cls.map((c) => c.startsWith('cold'));
  const { z: trendZ, p: trendP } = mannKendall(z);
  const hotPattern = pattern(hot, cold, { z: trendZ, p: trendP });
  if (hotPattern) return `${hotPattern}_hot`;
  const coldPattern = pattern(cold, hot, { z: -trendZ, p: trendP });
  if (coldPattern) return `${coldPattern}_cold`;
  return 'none';
}

export interface EmergingHotspotResult {
  cls: EmergingClass[];
  /** Mann–Kendall z of each cell's raw values over the slices (> 0: counts rising). */
  trendZ: Float64Array;
  /** Its two-sided p-value. */
  trendP: Float64Array;
}

/**
 * Emerging hot spots over time slices: `hotspots` in each slice (Gi* with FDR over the cells of
 * that slice), then `emergingClass` per cell; trendZ/trendP are the Mann–Kendall test of the
 * cell's raw values over the slices, the space-time trend of the counts themselves.
 *
 * @param series per slice, oldest first, the value of every cell (same cells, same order).
 * @throws RangeError when a slice has a different number of cells than `neighbours`.
 */
export function emergingHotspots(
  series: readonly ArrayLike<number>[],
  neighbours: readonly (readonly number[])[],
): EmergingHotspotResult {
  const cells = neighbours.length;
  const slices = series.map((values) => hotspots(values, neighbours));
  const cls: EmergingClass[] = [];
  const trendZ = new Float64Array(cells);
  const trendP = new Float64Array(cells);
  const zs = new Float64Array(series.length);
  const raw = new Float64Array(series.length);
  for (let i = 0; i < cells; i++) {
    const classes: SpotClass[] = [];
    slices.forEach((slice, t) => {
      zs[t] = slice.z[i];
      raw[t] = series[t][i];
      classes.push(slice.cls[i]);
    });
    cls.push(emergingClass(zs, classes));
    const trend = mannKendall(raw);
    trendZ[i] = trend.z;
    trendP[i] = trend.p;
  }
  return { cls, trendZ, trendP };
}
