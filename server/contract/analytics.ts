/**
 * The planner's workbench (规划研判): aggregates and spatial statistics over tickets, never a
 * ticket's personal data. Cells are H3 indexes as strings (what deck.gl's H3HexagonLayer and
 * h3-js read). The method of every statistic is in docs/ANALYTICS.md and in each answer's `method`.
 */
import { z } from '@hono/zod-openapi';
import { AreaLevel, LonLat, Timestamp } from './common.ts';

export const SpotClass = z
  .enum(['hot99', 'hot95', 'hot90', 'none', 'cold90', 'cold95', 'cold99'])
  .openapi('SpotClass');

const EMERGING = ['new', 'consecutive', 'intensifying', 'persistent', 'diminishing']
  .concat(['sporadic', 'oscillating', 'historical'])
  .flatMap((k) => [`${k}_hot`, `${k}_cold`]);
export const EmergingClass = z
  .enum(['none', ...EMERGING] as [string, ...string[]])
  .openapi('EmergingClass');

export const Period = z.object({ from: Timestamp, to: Timestamp }).openapi('Period');

/** How a hotspot answer was computed, for the legend and the exported file. */
export const HotspotMethod = z
  .object({
    statistic: z.literal('gi*'),
    /** The cell and every cell within k rings of it (binary weights), inside the study area. */
    neighbourhood: z.object({ kind: z.literal('k-ring'), k: z.number(), res: z.number() }),
    fdr: z.literal('benjamini-hochberg'),
    metric: z.enum(['count', 'rate']),
    /** Cells taking part in the test: cells holding a compound (or, for counts, a ticket). */
    studyCells: z.number(),
    /** `rollups`: served from the kept counts; `tickets`: counted on the fly (channel/status filters). */
    source: z.enum(['rollups', 'tickets']),
  })
  .openapi('HotspotMethod');

export const HotspotCell = z
  .object({
    h3: z.string(),
    count: z.number(),
    households: z.number(),
    /** Tickets per 100 households over the period; null where the cell has no households. */
    rate: z.number().nullable(),
    z: z.number(),
    p: z.number(),
    /** Benjamini–Hochberg adjusted p (false discovery rate). */
    q: z.number(),
    class: SpotClass,
  })
  .openapi('HotspotCell');

export const Hotspots = z
  .object({ method: HotspotMethod, period: Period, cells: z.array(HotspotCell) })
  .openapi('Hotspots');

export const EmergingCell = z
  .object({
    h3: z.string(),
    class: EmergingClass,
    /** Mann–Kendall trend of the cell's monthly counts. */
    trendZ: z.number(),
    trendP: z.number(),
    /** Counts per month, oldest first (same order as `months`). */
    counts: z.array(z.number()),
  })
  .openapi('EmergingCell');

export const Emerging = z
  .object({
    method: HotspotMethod.extend({ trend: z.literal('mann-kendall') }),
    /** Month starts (YYYY-MM, Asia/Shanghai), oldest first. */
    months: z.array(z.string()),
    cells: z.array(EmergingCell),
  })
  .openapi('Emerging');

export const CompareRow = z
  .object({
    /** The H3 cell, or the area id as a string. */
    key: z.string(),
    name: z.string().nullable(),
    a: z.number(),
    b: z.number(),
    difference: z.number(),
    /** Rate in b over rate in a (per day); null when a is 0. */
    ratio: z.number().nullable(),
    p: z.number(),
    q: z.number(),
    significant: z.boolean(),
  })
  .openapi('CompareRow');

export const Compare = z
  .object({
    method: z.object({
      test: z.literal('conditional-binomial-poisson'),
      exposure: z.literal('days'),
      fdr: z.literal('benjamini-hochberg'),
      alpha: z.number(),
    }),
    a: Period.extend({ days: z.number() }),
    b: Period.extend({ days: z.number() }),
    by: z.enum(['h3', 'area']),
    rows: z.array(CompareRow),
  })
  .openapi('Compare');

export const CellDetail = z
  .object({
    h3: z.string(),
    res: z.number(),
    period: Period,
    count: z.number(),
    households: z.number(),
    rate: z.number().nullable(),
    /** Counts per month over the period (YYYY-MM, Asia/Shanghai). */
    monthly: z.array(z.object({ month: z.string(), count: z.number() })),
    categories: z.array(z.object({ key: z.string(), count: z.number() })),
    compounds: z.array(
      z.object({
        id: z.number(),
        name: z.string(),
        households: z.number(),
        count: z.number(),
        rate: z.number().nullable(),
      }),
    ),
    /** Positions and categories only: planners never see a ticket's text. */
    tickets: z.array(
      z.object({
        id: z.number(),
        category: z.string(),
        status: z.string(),
        receivedAt: Timestamp,
        position: LonLat,
      }),
    ),
    ticketsTruncated: z.boolean(),
  })
  .openapi('CellDetail');

export const AreaRankRow = z
  .object({
    id: z.number(),
    level: AreaLevel,
    name: z.string(),
    count: z.number(),
    households: z.number(),
    rate: z.number().nullable(),
    closed: z.number(),
    open: z.number(),
  })
  .openapi('AreaRankRow');

export const RenovationFactors = z.object({
  age: z.number(),
  pipes: z.number(),
  roof: z.number(),
  elevator: z.number(),
  facilityRate: z.number(),
  hazards: z.number(),
  recurrence: z.number(),
});

export const RenovationRow = z
  .object({
    rank: z.number(),
    id: z.number(),
    name: z.string(),
    district: z.string(),
    subdistrict: z.string(),
    position: LonLat,
    yearBuilt: z.number(),
    households: z.number(),
    pipeCondition: z.string(),
    roofCondition: z.string(),
    /** Buildings of four floors or more without an elevator: 加装电梯 candidates. */
    elevatorCandidates: z.number(),
    facilityTickets: z.number(),
    facilityRate: z.number().nullable(),
    openHazards: z.number(),
    repeats: z.number(),
    /** Each factor scaled to 0..1 before weighting; `score` = Σ weight·factor, 0..100. */
    factors: RenovationFactors,
    score: z.number(),
  })
  .openapi('RenovationRow');

export const Renovation = z
  .object({
    method: z.object({
      weights: RenovationFactors,
      builtBefore: z.number().nullable(),
      period: Period,
    }),
    total: z.number(),
    rows: z.array(RenovationRow),
  })
  .openapi('Renovation');

/** Tickets per day or month for the period brush and the charts (Asia/Shanghai calendar). */
export const Series = z
  .object({
    grain: z.enum(['day', 'month']),
    period: Period,
    buckets: z.array(z.object({ start: z.string(), count: z.number() })),
    categories: z.array(z.object({ key: z.string(), count: z.number() })),
  })
  .openapi('Series');

/** What lies inside a drawn polygon over the period. */
export const SelectionDetail = CellDetail.omit({ h3: true, res: true }).openapi('SelectionDetail');

/** A compound's facts for the planner's facts layer. */
export const CompoundFacts = z
  .object({
    id: z.number(),
    name: z.string(),
    position: LonLat,
    yearBuilt: z.number(),
    households: z.number(),
    buildings: z.number(),
    pipeCondition: z.enum(['good', 'fair', 'poor']),
    roofCondition: z.enum(['good', 'fair', 'poor']),
    hasElevator: z.boolean(),
    elevatorCandidates: z.number(),
    parkingSpaces: z.number(),
    registeredCars: z.number(),
    /** Cars without a space (registered cars − spaces, never below 0). */
    parkingGap: z.number(),
  })
  .openapi('CompoundFacts');

/** Patrols against risk per grid or cell, most under-patrolled first. */
export const CoverageRiskRow = z
  .object({
    rank: z.number(),
    /** The grid id as a string, or the H3 cell. */
    key: z.string(),
    name: z.string().nullable(),
    /** Patrols (grids) or check-ins (cells). */
    visits: z.number(),
    /** Patrol hours (grids only). */
    hours: z.number().nullable(),
    tickets: z.number(),
    hazards: z.number(),
    risk: z.number(),
    expected: z.number(),
    residual: z.number(),
    underPatrolled: z.boolean(),
  })
  .openapi('CoverageRiskRow');

export const CoverageRisk = z
  .object({
    method: z.object({
      risk: z.string(),
      visits: z.enum(['patrols', 'check-ins']),
      residual: z.literal('pearson'),
      threshold: z.number(),
    }),
    by: z.enum(['grid', 'h3']),
    area: z.number().nullable(),
    period: Period,
    rows: z.array(CoverageRiskRow),
  })
  .openapi('CoverageRisk');

export type CoverageRisk = z.infer<typeof CoverageRisk>;
export type Series = z.infer<typeof Series>;
export type SelectionDetail = z.infer<typeof SelectionDetail>;
export type CompoundFacts = z.infer<typeof CompoundFacts>;
export type SpotClass = z.infer<typeof SpotClass>;
export type Hotspots = z.infer<typeof Hotspots>;
export type HotspotCell = z.infer<typeof HotspotCell>;
export type Emerging = z.infer<typeof Emerging>;
export type Compare = z.infer<typeof Compare>;
export type CellDetail = z.infer<typeof CellDetail>;
export type AreaRankRow = z.infer<typeof AreaRankRow>;
export type Renovation = z.infer<typeof Renovation>;
export type RenovationRow = z.infer<typeof RenovationRow>;
