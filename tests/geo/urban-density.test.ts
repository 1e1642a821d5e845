import { describe, expect, it } from 'vitest';
import { urbanDensity } from '../../geo/urban-density.ts';

describe('urbanDensity', () => {
  it('peaks at the centres and falls to the background', () => {
    const d = urbanDensity(
      [
        { at: [0, 0], sigma: 2000, weight: 1 },
        { at: [10000, 0], sigma: 1000, weight: 0.5 },
      ],
      0.02,
    );
    expect(d([0, 0])).toBeCloseTo(1, 9);
    expect(d([2000, 0])).toBeCloseTo(0.02 + 0.98 * Math.exp(-0.5), 9);
    expect(d([10000, 0])).toBeCloseTo(0.02 + 0.98 * 0.5, 6);
    expect(d([50000, 50000])).toBeCloseTo(0.02, 9);
  });
});
