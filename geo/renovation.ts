/**
 * The renovation-candidate score (老旧小区改造): a transparent weighted sum of facts a planner can
 * check, each scaled to 0..1 before weighting, so every compound's rank can be explained factor
 * by factor. Rates and counts are scaled against the 95th percentile of all compounds considered,
 * so one extreme compound does not flatten everybody else.
 */

export interface RenovationInput {
  yearBuilt: number;
  households: number;
  buildings: number;
  pipeCondition: 'good' | 'fair' | 'poor';
  roofCondition: 'good' | 'fair' | 'poor';
  elevatorCandidates: number;
  facilityTickets: number;
  openHazards: number;
  repeats: number;
}

export interface RenovationFactors {
  age: number;
  pipes: number;
  roof: number;
  elevator: number;
  facilityRate: number;
  hazards: number;
  recurrence: number;
}

/** Weights (sum 1): age and the state of pipes and roof first, then what residents report. */
export const RENOVATION_WEIGHTS: Readonly<RenovationFactors> = Object.freeze({
  age: 0.25,
  pipes: 0.15,
  roof: 0.1,
  elevator: 0.15,
  facilityRate: 0.15,
  hazards: 0.1,
  recurrence: 0.1,
});

/** The national policy line: compounds built before the end of 2000 (2000年底前建成). */
export const POLICY_BUILT_BEFORE = 2001;

/** Age at which the age factor reaches 1 (years). */
const FULL_AGE = 40;
const CONDITION = { good: 0, fair: 0.5, poor: 1 } as const;

/** The value below which 95 % of `values` lie (nearest rank); 0 for none. */
export function percentile95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

const capped = (v: number, cap: number) => (cap > 0 ? Math.min(1, v / cap) : 0);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Facility tickets per 100 households over the period; null without households. */
export function facilityRate(c: RenovationInput): number | null {
  return c.households > 0 ? (c.facilityTickets / c.households) * 100 : null;
}

/**
 * Scores compounds against each other: factors in 0..1 and the score (0..100) = 100 × Σ weight ×
 * factor. `year` is the year the ages are counted to.
 */
export function scoreRenovation<T extends RenovationInput>(
  compounds: readonly T[],
  year: number,
): (T & { factors: RenovationFactors; score: number; facilityRate: number | null })[] {
  const rateCap = percentile95(compounds.map((c) => facilityRate(c) ?? 0));
  const hazardCap = percentile95(compounds.map((c) => c.openHazards));
  const repeatCap = percentile95(compounds.map((c) => c.repeats));
  return compounds.map((c) => {
    const factors: RenovationFactors = {
      age: round(Math.min(1, Math.max(0, year - c.yearBuilt) / FULL_AGE), 3),
      pipes: CONDITION[c.pipeCondition],
      roof: CONDITION[c.roofCondition],
      elevator: round(c.buildings > 0 ? Math.min(1, c.elevatorCandidates / c.buildings) : 0, 3),
      facilityRate: round(capped(facilityRate(c) ?? 0, rateCap), 3),
      hazards: round(capped(c.openHazards, hazardCap), 3),
      recurrence: round(capped(c.repeats, repeatCap), 3),
    };
    let score = 0;
    for (const k of Object.keys(RENOVATION_WEIGHTS) as (keyof RenovationFactors)[])
      score += RENOVATION_WEIGHTS[k] * factors[k];
    const rate = facilityRate(c);
    return {
      ...c,
      factors,
      score: round(score * 100, 1),
      facilityRate: rate === null ? null : round(rate, 2),
    };
  });
}
