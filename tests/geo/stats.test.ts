import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  binomialLogPmf,
  binomialPmf,
  logGamma,
  mannKendall,
  pearsonResiduals,
  normalCdf,
  poissonRateTest,
  twoSidedP,
} from '../../geo/stats.ts';

/** |actual − expected| ≤ tol·|expected|: the test of a value known to many digits. */
function expectRelative(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe('normalCdf', () => {
  // Reference values: the textbook quantiles, and Φ evaluated with mpmath 1.3 (`ncdf`, 50 digits).
  it('gives the textbook quantiles', () => {
    expectRelative(normalCdf(1.959963984540054), 0.975, 1e-15);
    expectRelative(normalCdf(-1.959963984540054), 0.025, 1e-14);
    expectRelative(normalCdf(-2.5758293035489004), 0.005000000000000005, 1e-14);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('matches Φ to ~1e-15 relative across the three approximation ranges', () => {
    const known: [number, number][] = [
      [-1, 0.15865525393145705],
      [-0.5, 0.3085375387259869],
      [0.3, 0.6179114221889527],
      [3, 0.9986501019683699],
      [-5, 2.866515718791939e-7],
      [-6, 9.86587645037698e-10],
    ];
    for (const [z, phi] of known) expectRelative(normalCdf(z), phi, 2e-15);
  });

  it('keeps full relative precision deep in the lower tail', () => {
    // mpmath evaluated at the exact double nearest each z (the rounding of the argument alone moves
    // Φ(−37) by ~1e-13 relative, so the references are taken at the same argument).
    const tail: [number, number][] = [
      [-7.3, 1.4388386381575877e-13],
      [-8.2, 1.2019351542735859e-16],
      [-10, 7.619853024160525e-24],
      [-12.7, 2.95648536485205e-37],
      [-19.05, 3.2851097682605814e-81],
      [-20, 2.7536241186062337e-89],
      [-25.3, 1.5971151302422e-141],
      [-30.5, 1.3029379131780763e-204],
      [-36.9, 2.3105244811406173e-298],
      [-37, 5.725571222524577e-300],
    ];
    // exp(−z²/2) taken naively would miss this by up to ~5e-15 (the rounding of z² amplified).
    for (const [z, phi] of tail) expectRelative(normalCdf(z), phi, 1e-15);
  });

  it('is symmetric, monotone and saturates at 0 and 1', () => {
    for (const z of [0.1, 0.7, 1.3, 2.2, 4.5, 6.1]) {
      expect(Math.abs(normalCdf(z) + normalCdf(-z) - 1)).toBeLessThan(1e-15);
    }
    let previous = 0;
    for (let z = -40; z <= 10; z += 0.125) {
      const phi = normalCdf(z);
      expect(phi).toBeGreaterThanOrEqual(previous);
      previous = phi;
    }
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-50)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
  });
});

describe('twoSidedP', () => {
  it('is 2·Φ(−|z|) at the usual critical values', () => {
    expectRelative(twoSidedP(1.959963984540054), 0.05, 1e-14);
    expectRelative(twoSidedP(-1.959963984540054), 0.05, 1e-14);
    expectRelative(twoSidedP(2.5758293035489004), 0.01, 1e-14);
    // 2·Φ(−3.2), mpmath
    expectRelative(twoSidedP(3.2), 0.001374275875831697, 1e-14);
  });

  it('comes from the tail, so large |z| gives a tiny p rather than 0', () => {
    // 1 − Φ(10) in doubles would be exactly 0; the tail is 2·7.619853024160526e-24.
    expectRelative(twoSidedP(10), 1.523970604832105e-23, 1e-14);
    expectRelative(twoSidedP(-37), 2 * 5.725571222524577e-300, 1e-13);
  });

  it('is 1 for z = 0 and for NaN (no evidence), 0 at infinity', () => {
    expect(twoSidedP(0)).toBe(1);
    expect(twoSidedP(NaN)).toBe(1);
    expect(twoSidedP(Infinity)).toBe(0);
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts a small vector as worked by hand, keeping the input order', () => {
    // m = 4. Sorted: 0.005 (rank 1), 0.01 (2), 0.03 (3), 0.04 (4).
    // m·p/rank: 0.02, 0.02, 0.04, 0.04; running minimum from the top changes nothing.
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(q).toBeInstanceOf(Float64Array);
    const expected = [0.02, 0.04, 0.04, 0.02];
    expected.forEach((e, i) => expect(q[i]).toBeCloseTo(e, 15));
  });

  it('steps up: a larger p-value can lower the q of smaller ones', () => {
    // m·p/rank: 4·0.04/1 = 0.16, 4·0.041/2 = 0.082, 4·0.042/3 = 0.056, 4·0.043/4 = 0.043;
    // the running minimum from the top makes them all 0.043.
    const q = benjaminiHochberg([0.041, 0.04, 0.043, 0.042]);
    for (const v of q) expect(v).toBeCloseTo(0.043, 15);
  });

  it('gives tied p-values the same q whatever their order', () => {
    // ranks 1–3 tied at 0.02: 0.08, 0.04, 0.02667; rank 4: 0.5. Minimum from the top: 0.08/3.
    const q = benjaminiHochberg([0.02, 0.5, 0.02, 0.02]);
    expect(q[0]).toBeCloseTo(0.08 / 3, 15);
    expect(q[2]).toBe(q[0]);
    expect(q[3]).toBe(q[0]);
    expect(q[1]).toBeCloseTo(0.5, 15);
  });

  it('caps at 1, leaves all ones alone, and a single p-value unchanged', () => {
    // 3·0.8/1 = 2.4, 3·0.9/2 = 1.35, 3·1/3 = 1 → 1, 1, 1
    expect(Array.from(benjaminiHochberg([0.9, 0.8, 1]))).toEqual([1, 1, 1]);
    expect(Array.from(benjaminiHochberg([1, 1, 1, 1]))).toEqual([1, 1, 1, 1]);
    expect(Array.from(benjaminiHochberg([0.037]))).toEqual([0.037]);
    expect(benjaminiHochberg([]).length).toBe(0);
  });

  it('treats a NaN p-value as 1 but still counts it among the tests', () => {
    // m = 2: 0.01 → 2·0.01/1 = 0.02; NaN → 1.
    const q = benjaminiHochberg([NaN, 0.01]);
    expect(q[0]).toBe(1);
    expect(q[1]).toBeCloseTo(0.02, 15);
  });
});

describe('mannKendall', () => {
  it('works a short series with one tie group by hand', () => {
    // x = [1, 3, 2, 3, 5], n = 5.
    // i=0 (1): vs 3, 2, 3, 5 → + + + +  = +4
    // i=1 (3): vs 2, 3, 5    → − 0 +    =  0
    // i=2 (2): vs 3, 5       → + +      = +2
    // i=3 (3): vs 5          → +        = +1      S = 7
    // ties: one group of t = 2 (the 3s): 2·1·9 = 18
    // Var(S) = (5·4·15 − 18)/18 = 282/18 = 15.667; Z = (7 − 1)/√15.667 = 1.5158734579197342
    // p = 2·Φ(−1.51587) = 0.12955135290440886 (mpmath); tau = 7/10
    const r = mannKendall([1, 3, 2, 3, 5]);
    expect(r.s).toBe(7);
    expect(r.varS).toBeCloseTo(282 / 18, 12);
    expect(r.z).toBeCloseTo(1.5158734579197342, 12);
    expect(r.p).toBeCloseTo(0.12955135290440886, 12);
    expect(r.tau).toBeCloseTo(0.7, 15);
  });

  it('works a decreasing series with two tie groups by hand', () => {
    // x = [4, 4, 4, 1, 1]: i=0: 0 0 − − = −2; i=1: 0 − − = −2; i=2: − − = −2; i=3: 0. S = −6
    // ties: t = 3 → 3·2·11 = 66, t = 2 → 18. Var(S) = (300 − 84)/18 = 12
    // Z = (−6 + 1)/√12 = −1.4433756729740643; p = 0.1489146731787657 (mpmath); tau = −0.6
    const r = mannKendall([4, 4, 4, 1, 1]);
    expect(r.s).toBe(-6);
    expect(r.varS).toBe(12);
    expect(r.z).toBeCloseTo(-1.4433756729740643, 12);
    expect(r.p).toBeCloseTo(0.1489146731787657, 12);
    expect(r.tau).toBeCloseTo(-0.6, 15);
  });

  it('finds the strongest trend in a strictly increasing series of 10', () => {
    // S = 10·9/2 = 45; Var(S) = 10·9·25/18 = 125; Z = 44/√125 = 3.9354796403996297;
    // p = 2·Φ(−3.93548) = 8.303070332644973e-5 (mpmath)
    const r = mannKendall([3, 5, 8, 13, 21, 34, 55, 89, 144, 233]);
    expect(r.s).toBe(45);
    expect(r.varS).toBe(125);
    expect(r.z).toBeCloseTo(44 / Math.sqrt(125), 13);
    expect(r.p).toBeCloseTo(8.303070332644973e-5, 15);
    expect(r.tau).toBe(1);
  });

  it('gives z = 0 and p = 1 for S = 0, a constant series and a single value', () => {
    // [1, 2, 2, 1]: i=0: + + 0; i=1: 0 −; i=2: − → S = 0, Var = (156 − 36)/18 = 20/3
    const flat = mannKendall([1, 2, 2, 1]);
    expect(flat.s).toBe(0);
    expect(flat.varS).toBeCloseTo(20 / 3, 12);
    expect([flat.z, flat.p]).toEqual([0, 1]);
    const constant = mannKendall([7, 7, 7, 7, 7, 7]);
    expect([constant.s, constant.varS, constant.z, constant.p]).toEqual([0, 0, 0, 1]);
    expect(mannKendall([5]).p).toBe(1);
    expect(mannKendall([]).p).toBe(1);
  });

  it('leaves out missing (non-finite) slices', () => {
    expect(mannKendall([1, NaN, 2, 3]).s).toBe(3);
    expect(mannKendall([1, NaN, 2, 3]).tau).toBe(1);
  });
});

describe('logGamma', () => {
  it('matches closed forms', () => {
    // Γ(½) = √π, Γ(3/2) = √π/2, Γ(n) = (n − 1)!
    expectRelative(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-15);
    expectRelative(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2), 1e-14);
    expectRelative(logGamma(10), Math.log(362880), 1e-15);
    // ln 99! (mpmath)
    expectRelative(logGamma(100), 359.1342053695754, 1e-15);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
    // Γ(x) ~ 1/x near 0
    expectRelative(logGamma(1e-10), -Math.log(1e-10) - 0.5772156649015329 * 1e-10, 1e-14);
  });

  it('agrees with Stirling’s series for large arguments', () => {
    // ln Γ(x) = (x − ½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − …
    for (const x of [50.5, 1e3, 1e6, 1e9]) {
      const stirling =
        (x - 0.5) * Math.log(x) -
        x +
        0.5 * Math.log(2 * Math.PI) +
        1 / (12 * x) -
        1 / (360 * x ** 3) +
        1 / (1260 * x ** 5);
      expectRelative(logGamma(x), stirling, 1e-14);
    }
  });

  it('is infinite at 0 and NaN for negative arguments', () => {
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-1.5)).toBeNaN();
  });
});

describe('binomialPmf', () => {
  it('matches exact small cases', () => {
    // C(14, 2)/2^14 = 91/16384; C(9, 1)·(1/3)·(2/3)^8 = 2304/19683
    expectRelative(binomialPmf(2, 14, 0.5), 91 / 16384, 1e-13);
    expectRelative(binomialPmf(1, 9, 1 / 3), 2304 / 19683, 1e-13);
    expect(binomialPmf(0, 10, 0.5)).toBe(0.5 ** 10);
    expect(binomialPmf(10, 10, 0.5)).toBe(0.5 ** 10);
    expect(binomialPmf(11, 10, 0.5)).toBe(0);
    expect(binomialPmf(0, 0, 0.3)).toBe(1);
  });

  it('stays accurate at a million trials', () => {
    // Central binomial coefficient: C(2m, m)/4^m = (1/√(πm))·(1 − 1/(8m) + 1/(128m²) + …)
    const m = 500_000;
    const central = (1 / Math.sqrt(Math.PI * m)) * (1 - 1 / (8 * m) + 1 / (128 * m * m));
    expectRelative(binomialPmf(m, 2 * m, 0.5), central, 1e-13);
    // ln of a probability far below the smallest double is still finite: P(X = 0) = 2^−10⁶
    expectRelative(binomialLogPmf(0, 1e6, 0.5), -1e6 * Math.LN2, 1e-15);
  });
});

describe('poissonRateTest', () => {
  it('finds nothing when the counts are equal', () => {
    expect(poissonRateTest(10, 10)).toEqual({
      p: 1,
      ratio: 1,
      difference: 0,
      rateA: 10,
      rateB: 10,
    });
    expect(poissonRateTest(0, 0).p).toBe(1);
  });

  it('gives 2·0.5^10 for 0 against 10 over equal periods', () => {
    // Given 10 events, a ~ Bin(10, ½): P(0) = P(10) = 1/1024 and every other outcome is likelier.
    const r = poissonRateTest(0, 10);
    expect(r.p).toBeCloseTo(0.001953125, 15);
    expect(r.ratio).toBeNull();
    expect(r.difference).toBe(10);
  });

  it('matches R binom.test(2, 14, 0.5), worked from the pmf', () => {
    // pmf(k) = C(14, k)/16384. Observed k = 2: C(14, 2) = 91.
    // Same side: k ≤ 2 → (1 + 14 + 91)/16384 = 106/16384.
    // Other side, outcomes no likelier than 91/16384: k = 12, 13, 14 → (91 + 14 + 1)/16384.
    // p = 212/16384 = 0.012939453125 (R prints 0.01294)
    const r = poissonRateTest(2, 12);
    expectRelative(r.p, 212 / 16384, 1e-13);
    expect(r.ratio).toBe(6);
    expect(r.difference).toBe(10);
    // The test is symmetric in which period comes first.
    expectRelative(poissonRateTest(12, 2).p, 212 / 16384, 1e-13);
  });

  it('weighs the periods by their exposure', () => {
    // a = 1 over 1 day, b = 8 over 2 days: a | 9 ~ Bin(9, 1/3), pmf(k) = C(9,k)·2^(9−k)/3^9:
    // k:     0    1     2     3     4     5    6    7   8  9
    // ·3^9: 512 2304  4608  5376  4032  2016  672  144  18  1   (sum 19683 = 3^9)
    // Observed 2304. Same side k ≤ 1: 2816. Other side (k ≥ 3) no likelier than 2304: k ≥ 5, 2851.
    // p = 5667/19683 = 0.2879134278311233
    const r = poissonRateTest(1, 8, 1, 2);
    expectRelative(r.p, 5667 / 19683, 1e-13);
    expect(r.rateA).toBe(1);
    expect(r.rateB).toBe(4);
    expect(r.ratio).toBe(4);
    expect(r.difference).toBe(7);
  });

  it('compares months of different lengths', () => {
    // 30 events in 31 days against 45 in 30: binom.test(30, 75, 31/61), two-sided; the reference
    // is the same rule summed in exact rational arithmetic (Python fractions).
    const r = poissonRateTest(30, 45, 31, 30);
    expectRelative(r.p, 0.06498641436819617, 1e-12);
    expectRelative(r.ratio!, 45 / 30 / (30 / 31), 1e-15);
    // a above its expectation (37 against 12 over 1 and 3 days): exact rational sum again.
    expectRelative(poissonRateTest(37, 12, 1, 3).p, 1.7267509237523473e-13, 1e-12);
  });

  it('does not underflow in the far tail', () => {
    // 0 against 300: p = 2·2^−300 = 2^−299
    expectRelative(poissonRateTest(0, 300).p, 2 ** -299, 1e-13);
    expect(poissonRateTest(0, 5000).p).toBe(0); // 2^−4999: below the smallest double
  });

  it('handles millions of events quickly and accurately', () => {
    // binom.test(2497000, 5e6, 0.5): scipy.stats.binomtest (R's rule) gives 0.007300107677080858;
    // the normal approximation with continuity correction, 2Φ(−2999.5/1118.03), gives 0.0073001.
    poissonRateTest(2_497_000, 2_503_000); // warm up the JIT
    const start = performance.now();
    const r = poissonRateTest(2_497_000, 2_503_000);
    const elapsed = performance.now() - start;
    expectRelative(r.p, 0.007300107677080858, 1e-10);
    expect(elapsed).toBeLessThan(200);
    // Ten million: scipy gives 0.057821285315843185.
    expectRelative(poissonRateTest(4_997_000, 5_003_000).p, 0.057821285315843185, 1e-10);
  });

  it('refuses counts and exposures that make no sense', () => {
    expect(() => poissonRateTest(-1, 3)).toThrow(RangeError);
    expect(() => poissonRateTest(1.5, 3)).toThrow(RangeError);
    expect(() => poissonRateTest(1, NaN)).toThrow(RangeError);
    expect(() => poissonRateTest(1, 3, 0, 1)).toThrow(RangeError);
    expect(() => poissonRateTest(1, 3, 1, -2)).toThrow(RangeError);
    expect(() => poissonRateTest(1, 3, 1, Infinity)).toThrow(RangeError);
  });
});

describe('pearsonResiduals', () => {
  it('expects visits in proportion to risk and measures the shortfall in standard errors', () => {
    // 12 visits over risk 1 : 2 : 3 → expected 2, 4, 6.
    const { expected, residual } = pearsonResiduals([5, 4, 3], [1, 2, 3]);
    expect(expected).toEqual([2, 4, 6]);
    expect(residual[0]).toBeCloseTo(3 / Math.SQRT2, 12);
    expect(residual[1]).toBe(0);
    expect(residual[2]).toBeCloseTo(-3 / Math.sqrt(6), 12);
  });

  it('expects nothing where there is no risk, and nothing at all without risk anywhere', () => {
    const some = pearsonResiduals([2, 0], [0, 4]);
    expect(some.expected).toEqual([0, 2]);
    expect(some.residual[0]).toBe(0);
    expect(some.residual[1]).toBeCloseTo(-Math.SQRT2, 12);
    expect(pearsonResiduals([3, 1], [0, 0])).toEqual({ expected: [0, 0], residual: [0, 0] });
  });
});
