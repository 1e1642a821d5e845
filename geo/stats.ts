/**
 * The numerical core of the planner's hotspot analysis: the normal distribution (to full double
 * precision, far into the tails), Benjamini–Hochberg false discovery rate adjustment, the
 * Mann–Kendall trend test, log-gamma and the binomial distribution, and the conditional test of two
 * Poisson rates used to compare two periods. Pure functions of numbers, no dependencies.
 *
 * @example
 * normalCdf(-1.959963984540054); // ≈ 0.025
 * twoSidedP(1.959963984540054); // ≈ 0.05
 * benjaminiHochberg([0.01, 0.04, 0.03, 0.005]); // Float64Array [0.02, 0.04, 0.04, 0.02]
 * mannKendall([1, 2, 3, 4, 5]).s; // 10
 * poissonRateTest(0, 10).p; // 0.001953125 = 2 · 0.5^10
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)
const INV_SQRT_2PI = 0.3989422804014327; // 1 / √(2π)
const LN_2PI = 1.8378770664093456; // ln (2π)

// W. J. Cody's rational Chebyshev approximations for the normal distribution (Cody 1969, "Rational
// Chebyshev approximations for the error function", Math. Comp. 23: 631–637; ANORM in Cody 1993,
// ACM TOMS Algorithm 715, SPECFUN), the same coefficients as R's pnorm. Designed for ~18
// significant digits; in double precision the result is within a few ulps everywhere.
const A = [
  2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356,
  0.06568233791820745,
];
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
];
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
];
const P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934,
  2.9112874951168793e-5, 0.023073441764940174,
];
const Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824,
  7.297515550839662e-5,
];

/**
 * exp(−y²/2) without the rounding of y² being amplified: y is split into a part with few bits
 * (a multiple of 1/16, whose square is exact) and a small remainder (Cody's trick). Without it the
 * relative error at y = 37 would be ~1e-13 instead of a few ulps.
 */
function gaussTail(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5);
}

/** The smaller tail, Φ(−|z|), computed directly (never as 1 − something). */
function lowerTail(y: number): number {
  // y = |z|
  if (y <= 0.67448975) {
    // Near the centre Φ(−y) = ½ − y·R(y²): no tail, no cancellation worth speaking of.
    const ysq = y * y;
    let num = A[4] * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * ysq;
      den = (den + B[i]) * ysq;
    }
    return 0.5 - (y * (num + A[3])) / (den + B[3]);
  }
  if (y <= 5.656854249492381 /* √32 */) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return gaussTail(y) * ((num + C[7]) / (den + D[7]));
  }
  if (y > 40) return 0; // Φ(−40) ≈ 3.7e-350: below the smallest double
  const ysq = 1 / (y * y);
  let num = P[5] * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * ysq;
    den = (den + Q[i]) * ysq;
  }
  const r = (ysq * (num + P[4])) / (den + Q[4]);
  return (gaussTail(y) * (INV_SQRT_2PI - r)) / y;
}

/**
 * Φ(z), the standard normal distribution function. Relative error of a few ulps in both tails
 * (e.g. Φ(−37) ≈ 5.7e-300 to ~15 digits), absolute error ~1e-16 everywhere. NaN gives NaN.
 *
 * @example
 * normalCdf(0); // 0.5
 * normalCdf(-10); // 7.619853024160527e-24
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const t = lowerTail(Math.abs(z));
  return z > 0 ? 1 - t : t;
}

/**
 * The two-sided p-value of a standard normal score: 2·(1 − Φ(|z|)), computed from the tail itself
 * so that p stays accurate (not 0) for large |z|. z = 0 gives 1; NaN gives 1 (no evidence).
 *
 * @example
 * twoSidedP(1.959963984540054); // ≈ 0.05
 */
export function twoSidedP(z: number): number {
  if (Number.isNaN(z)) return 1;
  return Math.min(1, 2 * lowerTail(Math.abs(z)));
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the input's order: with the m p-values sorted
 * ascending, q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎ / j) (Benjamini & Hochberg 1995; R's
 * `p.adjust(p, "BH")`). Declaring significant every test with q ≤ α keeps the expected share of
 * false discoveries among them at most α. A NaN p-value counts as 1 (no evidence) but still counts
 * in m.
 *
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03, 0.005]); // [0.02, 0.04, 0.04, 0.02]
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const q = new Float64Array(m);
  if (m === 0) return q;
  const value = (i: number): number => (Number.isNaN(p[i]) ? 1 : p[i]);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => value(a) - value(b));
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, (m * value(i)) / rank);
    q[i] = running;
  }
  return q;
}

export interface MannKendallResult {
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Var(S) under H0 (no trend), corrected for ties. */
  varS: number;
  /** Normal score with continuity correction; > 0 for an increasing trend. */
  z: number;
  /** Two-sided p-value of z. */
  p: number;
  /** Kendall's tau-a: S / (n(n−1)/2). */
  tau: number;
}

/**
 * The Mann–Kendall test for a monotonic trend in a series (Mann 1945; Kendall 1975):
 * S = Σ_{i<j} sign(x_j − x_i), Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18 over the groups of
 * t tied values, Z = (S − 1)/√Var(S) for S > 0, (S + 1)/√Var(S) for S < 0, 0 for S = 0, and the
 * two-sided p of Z. With n < 2 or Var(S) = 0 there is no test: z = 0, p = 1. Non-finite values
 * (missing slices) are left out. O(n²), meant for the tens of time slices of a space-time cube.
 *
 * @example
 * mannKendall([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // s 45, varS 125, z 44/√125 ≈ 3.9355, tau 1
 */
export function mannKendall(series: ArrayLike<number>): MannKendallResult {
  const x: number[] = [];
  for (let i = 0; i < series.length; i++) if (Number.isFinite(series[i])) x.push(series[i]);
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(x[j] - x[i]);
  }
  const sorted = [...x].sort((a, b) => a - b);
  let ties = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    ties += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  const varS = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const tau = n >= 2 ? s / ((n * (n - 1)) / 2) : 0;
  if (n < 2 || varS <= 0) return { s, varS: Math.max(varS, 0), z: 0, p: 1, tau };
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  return { s, varS, z, p: twoSidedP(z), tau };
}

// Lanczos approximation with g = 607/128 and 15 terms (P. Godfrey's coefficients, as in Apache
// Commons Math); relative error ~1e-15 for x ≥ 0.5.
const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.9999999999999971, 57.15623566586292, -59.59796035547549, 14.136097974741746,
  -0.4919138160976202, 3.399464998481189e-5, 4.652362892704858e-5, -9.837447530487956e-5,
  0.0001580887032249125, -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639,
  8.441822398385275e-5, -2.6190838401581408e-5, 3.6899182659531625e-6,
];

/**
 * ln Γ(x) for x > 0 (Lanczos). Relative error ~1e-15 away from the zeros at x = 1 and x = 2, where
 * the absolute error is ~1e-16 instead. Γ(0) is infinite; negative or NaN arguments give NaN.
 *
 * @example
 * logGamma(0.5); // ln √π ≈ 0.5723649429247001
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return Infinity;
  if (x < 0.5) return logGamma(x + 1) - Math.log(x); // Γ(x) = Γ(x + 1) / x
  let sum = LANCZOS[0];
  for (let i = LANCZOS.length - 1; i > 0; i--) sum += LANCZOS[i] / (x + i - 1);
  const t = x + LANCZOS_G - 0.5;
  return (x - 0.5) * Math.log(t) - t + LN_SQRT_2PI + Math.log(sum);
}

// ln n! for n ≤ 15, exact factorials (15! < 2^53), for the Stirling error below.
const LOG_FACTORIAL_SMALL = (() => {
  const out = [0];
  let f = 1;
  for (let n = 1; n <= 15; n++) out.push(Math.log((f *= n)));
  return out;
})();

/**
 * The error of Stirling's formula, δ(n) = ln n! − [(n + ½) ln n − n + ln √(2π)], for integer n ≥ 1
 * (Loader 2000). Small and known to full relative precision, which is what lets the binomial pmf
 * below stay accurate for n in the millions, where ln n! itself has lost ~8 digits to its size.
 */
function stirlingError(n: number): number {
  if (n <= 15) return LOG_FACTORIAL_SMALL[n] - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  // Asymptotic series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹): the first
  // omitted term is below 1e-16 relative for n > 15.
  const nn = n * n;
  if (n > 500) return (1 / 12 - 1 / 360 / nn) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / nn) / nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / nn) / nn) / nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n;
}

/**
 * bd0(x, m) = x ln(x/m) + m − x, the deviance term of the binomial and Poisson densities, computed
 * without cancellation when x ≈ m (Loader 2000, as in R's dbinom).
 */
function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/**
 * ln P(X = k) for X ~ Binomial(n, p), k and n integers, by Loader's saddle-point expansion
 * (C. Loader 2000, "Fast and accurate computation of binomial probabilities"; R's dbinom):
 * relative accuracy near machine precision even for n in the millions, and no underflow (the log of
 * a probability far below the smallest double is still finite).
 *
 * @example
 * Math.exp(binomialLogPmf(2, 14, 0.5)); // 91 / 16384
 */
export function binomialLogPmf(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1)) return NaN;
  if (k < 0 || k > n) return -Infinity;
  const q = 1 - p;
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (q === 0) return k === n ? 0 : -Infinity;
  if (n === 0) return 0;
  if (k === 0) return p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log1p(-p);
  if (k === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  const lc =
    stirlingError(n) - stirlingError(k) - stirlingError(n - k) - bd0(k, n * p) - bd0(n - k, n * q);
  return lc - 0.5 * (LN_2PI + Math.log(k) + Math.log1p(-k / n));
}

/** P(X = k) for X ~ Binomial(n, p); see binomialLogPmf. */
export function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(binomialLogPmf(k, n, p));
}

/**
 * Σ P(X = k) for k from `from` stepping by `step` (±1) away from the mode until the rest can no
 * longer change the sum, each term from the previous by the ratio P(k+1)/P(k) = (n−k)/(k+1) · p/q. The sum
 * is kept relative to the first term and scaled back at the end in log space, so a tail whose
 * terms are all below the smallest double still comes out right if the total is representable.
 */
function binomialTail(from: number, step: 1 | -1, n: number, p: number): number {
  const odds = p / (1 - p);
  let term = 1;
  let sum = 1;
  for (let k = from; step === 1 ? k < n : k > 0; k += step) {
    // The ratio shrinks as k moves away from the mode, so what is left is at most the geometric
    // series term·r/(1 − r): stop once that cannot move the sum.
    const r = step === 1 ? ((n - k) / (k + 1)) * odds : k / (n - k + 1) / odds;
    term *= r;
    sum += term;
    if (r < 1 && (term * r) / (1 - r) < sum * 1e-17) break;
  }
  return Math.exp(binomialLogPmf(from, n, p) + Math.log(sum));
}

export interface PoissonRateTestResult {
  /** Two-sided p-value of H0: both periods have the same rate. */
  p: number;
  /** rateB / rateA; null when rateA is 0. */
  ratio: number | null;
  /** b − a, in counts. */
  difference: number;
  rateA: number;
  rateB: number;
}

// R's binom.test treats outcomes within this relative distance of the observed one's probability as
// equally extreme, so that rounding cannot drop the mirror-image outcome of a symmetric test.
const RELATIVE_TOLERANCE = 1 + 1e-7;

/**
 * Are two Poisson rates equal? a events over exposureA against b events over exposureB (for period
 * comparison: the periods' lengths in days). Conditional exact test (Przyborowski & Wilenski 1940;
 * R's `poisson.test(c(a, b), c(eA, eB))`): given a + b, under H0 a ~ Binomial(a + b, eA/(eA + eB)),
 * and the two-sided p-value is that of R's `binom.test`: the total probability of every outcome no
 * more likely than the observed one (up to a relative 1e-7). Summed outward from the observed count
 * and its mirror, stopping when terms vanish: a few thousand terms even for a + b of ten million.
 *
 * @throws RangeError for negative or non-integer counts, or exposures that are not positive finite.
 * @example
 * poissonRateTest(2, 12); // p = 212/16384 ≈ 0.01294, ratio 6, difference 10
 * poissonRateTest(30, 45, 31, 30); // March (31 days) against April (30 days)
 */
export function poissonRateTest(
  a: number,
  b: number,
  exposureA = 1,
  exposureB = 1,
): PoissonRateTestResult {
  for (const [name, count] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`${name} must be a non-negative integer count, got ${count}`);
    }
  }
  for (const [name, exposure] of [
    ['exposureA', exposureA],
    ['exposureB', exposureB],
  ] as const) {
    if (!(Number.isFinite(exposure) && exposure > 0)) {
      throw new RangeError(`${name} must be a positive finite number, got ${exposure}`);
    }
  }
  const rateA = a / exposureA;
  const rateB = b / exposureB;
  const result = { ratio: rateA === 0 ? null : rateB / rateA, difference: b - a, rateA, rateB };
  const n = a + b;
  const p = exposureA / (exposureA + exposureB);
  const mean = n * p;
  if (n === 0 || a === mean) return { p: 1, ...result };
  const logD = binomialLogPmf(a, n, p) + Math.log(RELATIVE_TOLERANCE);
  // The pmf is unimodal with its mode(s) between floor(mean) and ceil(mean): on the other side of
  // the mean it falls monotonically, so the outcomes at most as likely as `a` form one tail there,
  // whose start a binary search finds.
  let pValue: number;
  if (a < mean) {
    let lo = Math.ceil(mean);
    let hi = n + 1; // first k ≥ ceil(mean) with pmf(k) ≤ d; n + 1 when none
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (binomialLogPmf(mid, n, p) <= logD) hi = mid;
      else lo = mid + 1;
    }
    pValue = binomialTail(a, -1, n, p) + (hi <= n ? binomialTail(hi, 1, n, p) : 0);
  } else {
    let lo = -1; // last k ≤ floor(mean) with pmf(k) ≤ d; −1 when none
    let hi = Math.floor(mean);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (binomialLogPmf(mid, n, p) <= logD) lo = mid;
      else hi = mid - 1;
    }
    pValue = binomialTail(a, 1, n, p) + (lo >= 0 ? binomialTail(lo, -1, n, p) : 0);
  }
  return { p: Math.min(1, pValue), ...result };
}

/**
 * Visits against risk, place by place: each place's expected share of all the visits is its
 * share of all the risk, and its Pearson residual (visits − expected) / √expected says how far
 * its visits fall short (negative) or exceed it, in Poisson standard errors; 0 where nothing is
 * expected.
 *
 * @example
 * pearsonResiduals([1, 3], [2, 2]); // { expected: [2, 2], residual: [-0.707…, 0.707…] }
 */
export function pearsonResiduals(
  visits: ArrayLike<number>,
  risk: ArrayLike<number>,
): { expected: number[]; residual: number[] } {
  let totalVisits = 0;
  let totalRisk = 0;
  for (let i = 0; i < risk.length; i++) {
    totalVisits += visits[i]!;
    totalRisk += risk[i]!;
  }
  const expected: number[] = [];
  const residual: number[] = [];
  for (let i = 0; i < risk.length; i++) {
    const e = totalRisk > 0 ? (totalVisits * risk[i]!) / totalRisk : 0;
    expected.push(e);
    residual.push(e > 0 ? (visits[i]! - e) / Math.sqrt(e) : 0);
  }
  return { expected, residual };
}
