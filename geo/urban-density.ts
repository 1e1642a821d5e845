/**
 * A density surface for "how urban is this spot": the highest of a few Gaussian bumps around urban
 * centres, over a small rural background. Lanzhou's districts are mostly mountains with the city in
 * the Yellow River valley, so generated compounds follow this surface instead of spreading evenly.
 * Values lie in [background, 1]. Coordinates are planar, sigma in the same units (metres).
 *
 * @example
 * const density = urbanDensity([{ at: [0, 0], sigma: 2000, weight: 1 }], 0.02);
 * density([0, 0]); // 1
 * density([2000, 0]); // ≈ 0.61 (one sigma out)
 * density([20000, 0]); // 0.02 (background)
 */
import type { Position } from './planar.ts';

export interface UrbanCentre {
  at: Position;
  /** Spread of the bump, in coordinate units. */
  sigma: number;
  /** Peak height in (0, 1]. */
  weight: number;
}

export type Density = (p: readonly number[]) => number;

export function urbanDensity(centres: readonly UrbanCentre[], background = 0.02): Density {
  return (p) => {
    let best = 0;
    for (const c of centres) {
      const dx = p[0] - c.at[0];
      const dy = p[1] - c.at[1];
      const v = c.weight * Math.exp(-(dx * dx + dy * dy) / (2 * c.sigma * c.sigma));
      if (v > best) best = v;
    }
    return background + (1 - background) * best;
  };
}
