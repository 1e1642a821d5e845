/**
 * The planner's workbench (规划研判): hotspots (Getis–Ord Gi* with a false-discovery-rate
 * correction), emerging hot spots over months, period comparison with a test for counts, what
 * lies behind a cell or a drawn polygon, rankings of areas and renovation candidates. Methods:
 * docs/ANALYTICS.md. Every answer holds categories, statuses, times and positions only.
 */
import { getResolution, isValidCell } from 'h3-js';
import { neighbourhood } from '../../geo/h3cells.ts';
import { descendantRange } from '../../geo/h3range.ts';
import { emergingHotspots, hotspots as giHotspots } from '../../geo/hotspots.ts';
import { beijingDate } from '../../geo/periods.ts';
import { POLICY_BUILT_BEFORE, RENOVATION_WEIGHTS, scoreRenovation } from '../../geo/renovation.ts';
import { benjaminiHochberg, pearsonResiduals, poissonRateTest } from '../../geo/stats.ts';
import type { AreaLevel } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/analytics.ts';
import type { Actor } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { resolveAreaRef } from './areas.ts';
import { invalid } from './domain-error.ts';
import type { TimeRange } from '../validation.ts';

export type { AnalyticsFilter } from '../db/queries/analytics.ts';
export type Resolution = 7 | 8 | 9;

/** Planners, the city and the districts: aggregates and positions, never a record's detail. */
export function requireAnalytics(actor: Actor | null): Actor {
  return requireCapability(actor, 'analytics.read', "read the planner's analytics");
}

const DAY_MS = 86_400_000;
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
/** p-values keep 4 significant digits, so small ones stay readable. */
const sig = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(4)));
const ratePer100 = (count: number, households: number) =>
  households > 0 ? round((count / households) * 100, 3) : null;

function period(range: TimeRange) {
  return { from: range.from.toISOString(), to: range.to.toISOString() };
}

/**
 * The study area: cells holding a compound, and for counts also cells with tickets. Returns the
 * cells in a stable order with their counts and households.
 */
function studyCells(
  counts: [string, number][],
  households: [string, number][],
  metric: 'count' | 'rate',
) {
  const byCell = new Map<string, { count: number; households: number }>();
  for (const [h, n] of households) if (n > 0) byCell.set(h, { count: 0, households: n });
  for (const [h, n] of counts) {
    const c = byCell.get(h);
    if (c) c.count = n;
    else if (metric === 'count') byCell.set(h, { count: n, households: 0 });
  }
  const cells = [...byCell.keys()].sort();
  return { cells, values: cells.map((h) => byCell.get(h)!) };
}

/** How a Gi* answer was computed, as its `method` says. */
function giMethod(
  g: { k: number; res: Resolution; metric: 'count' | 'rate' },
  studyCells: number,
  source: 'rollups' | 'tickets',
) {
  return {
    statistic: 'gi*' as const,
    neighbourhood: { kind: 'k-ring' as const, k: g.k, res: g.res },
    fdr: 'benjamini-hochberg' as const,
    metric: g.metric,
    studyCells,
    source,
  };
}

export interface HotspotQuery {
  res: Resolution;
  metric: 'count' | 'rate';
  k: number;
  filter: q.AnalyticsFilter;
}

export async function hotspots(db: Db, hq: HotspotQuery) {
  const counts = await q.cellCounts(db, hq.res, hq.filter);
  const households = await q.cellHouseholds(db, hq.res);
  const { cells, values } = studyCells(counts, households, hq.metric);
  const x = values.map((v) => (hq.metric === 'rate' ? (v.count / v.households) * 100 : v.count));
  const g = giHotspots(x, neighbourhood(cells, hq.k));
  return {
    method: giMethod(hq, cells.length, q.cellRollupsServe(hq.filter) ? 'rollups' : 'tickets'),
    period: period(hq.filter.range),
    cells: cells.map((h3, i) => ({
      h3,
      count: values[i]!.count,
      households: values[i]!.households,
      rate: ratePer100(values[i]!.count, values[i]!.households),
      z: round(g.z[i]!, 3),
      p: sig(g.p[i]!),
      q: sig(g.q[i]!),
      class: g.cls[i]!,
    })),
  };
}

/** The `n` whole Beijing months before the current one: `YYYY-MM-01` starts, oldest first. */
export function lastWholeMonths(n: number, now = new Date()): string[] {
  const today = beijingDate(now);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7)) - 1;
  const out: string[] = [];
  for (let i = n; i >= 1; i--) {
    const d = new Date(Date.UTC(y, m - i, 1));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export async function emerging(
  db: Db,
  eq: {
    res: Resolution;
    months: number;
    k: number;
    categories?: string[];
    channels?: string[];
    statuses?: string[];
  },
) {
  const months = lastWholeMonths(eq.months);
  const end = new Date(Date.parse(`${months.at(-1)!}T00:00:00Z`));
  end.setUTCMonth(end.getUTCMonth() + 1);
  const rows = await q.cellMonthlyCounts(
    db,
    eq.res,
    { from: months[0]!, to: end.toISOString().slice(0, 10) },
    { categories: eq.categories, channels: eq.channels, statuses: eq.statuses },
  );
  const households = await q.cellHouseholds(db, eq.res);
  const monthIndex = new Map(months.map((m, i) => [m.slice(0, 7), i]));
  const totals = new Map<string, number>();
  for (const [h, , n] of rows) totals.set(h, (totals.get(h) ?? 0) + n);
  const { cells } = studyCells([...totals], households, 'count');
  const index = new Map(cells.map((h, i) => [h, i]));
  const series = months.map(() => new Float64Array(cells.length));
  for (const [h, m, n] of rows) series[monthIndex.get(m)!]![index.get(h)!] = n;
  const r = emergingHotspots(series, neighbourhood(cells, eq.k));
  return {
    method: {
      ...giMethod(
        { ...eq, metric: 'count' },
        cells.length,
        eq.channels || eq.statuses ? 'tickets' : 'rollups',
      ),
      trend: 'mann-kendall' as const,
    },
    months: months.map((m) => m.slice(0, 7)),
    cells: cells.map((h3, i) => ({
      h3,
      class: r.cls[i]!,
      trendZ: round(r.trendZ[i]!, 3),
      trendP: sig(r.trendP[i]!),
      counts: series.map((s) => s[i]!),
    })),
  };
}

export interface CompareQuery {
  a: TimeRange;
  b: TimeRange;
  by: 'h3' | 'area';
  res: Resolution;
  level: AreaLevel;
  categories?: string[];
  channels?: string[];
  statuses?: string[];
}

/** Significance level of a comparison row, after the false-discovery-rate correction. */
export const COMPARE_ALPHA = 0.05;

export async function compare(db: Db, cq: CompareQuery) {
  const filter = (range: TimeRange) => ({
    range,
    categories: cq.categories,
    channels: cq.channels,
    statuses: cq.statuses,
  });
  const counts = new Map<string, { a: number; b: number }>();
  const add = (key: string, side: 'a' | 'b', n: number) => {
    const row = counts.get(key) ?? { a: 0, b: 0 };
    row[side] += n;
    counts.set(key, row);
  };
  let names = new Map<string, string>();
  if (cq.by === 'h3') {
    for (const side of ['a', 'b'] as const)
      for (const [h, n] of await q.cellCounts(db, cq.res, filter(cq[side]))) add(h, side, n);
  } else {
    for (const side of ['a', 'b'] as const) {
      const rows = await q.areaCounts(db, cq.level, undefined, filter(cq[side]));
      for (const r of rows) {
        add(String(r.id), side, r.count);
        names.set(String(r.id), r.name);
      }
    }
  }
  const days = (r: TimeRange) => (r.to.getTime() - r.from.getTime()) / DAY_MS;
  const [daysA, daysB] = [days(cq.a), days(cq.b)];
  const keys = [...counts.keys()].sort();
  const tests = keys.map((k) => {
    const c = counts.get(k)!;
    return { ...c, ...poissonRateTest(c.a, c.b, daysA, daysB) };
  });
  const qv = benjaminiHochberg(tests.map((t) => t.p));
  if (cq.by === 'h3') names = new Map();
  return {
    method: {
      test: 'conditional-binomial-poisson' as const,
      exposure: 'days' as const,
      fdr: 'benjamini-hochberg' as const,
      alpha: COMPARE_ALPHA,
    },
    a: { ...period(cq.a), days: round(daysA, 3) },
    b: { ...period(cq.b), days: round(daysB, 3) },
    by: cq.by,
    rows: keys.map((key, i) => {
      const t = tests[i]!;
      return {
        key,
        name: names.get(key) ?? null,
        a: t.a,
        b: t.b,
        difference: t.b - t.a,
        ratio: t.ratio === null ? null : round(t.ratio, 4),
        p: sig(t.p),
        q: sig(qv[i]!),
        significant: qv[i]! <= COMPARE_ALPHA,
      };
    }),
  };
}

/** The cell, checked: a valid H3 index at resolution 7, 8 or 9. */
function checkedCell(h3: string): { h3: string; res: number; lo: string; hi: string } {
  const h = h3.trim().toLowerCase();
  if (!/^[0-9a-f]{15,16}$/.test(h) || !isValidCell(h))
    throw invalid('invalid_cell', `'${h3.slice(0, 40)}' is not an H3 cell index`, 'h3');
  const res = getResolution(h);
  if (res < 7 || res > 9)
    throw invalid('invalid_cell', `cell resolution ${res} is not 7, 8 or 9`, 'h3');
  const [lo, hi] = descendantRange(BigInt(`0x${h}`));
  return { h3: h, res, lo: lo.toString(), hi: hi.toString() };
}

/** At most this many tickets are listed behind a cell or selection (all are counted). */
export const PLACE_TICKET_LIMIT = 500;

function placeAnswer(d: q.PlaceDetailRow, range: TimeRange) {
  const { ticketsTotal, ...rest } = d;
  return {
    period: period(range),
    ...rest,
    rate: ratePer100(d.count, d.households),
    compounds: d.compounds.map((c) => ({ ...c, rate: ratePer100(c.count, c.households) })),
    ticketsTruncated: ticketsTotal > d.tickets.length,
  };
}

export async function cellDetail(db: Db, h3: string, filter: q.AnalyticsFilter) {
  const cell = checkedCell(h3);
  const d = await q.placeDetail(
    db,
    { kind: 'cells', lo: cell.lo, hi: cell.hi },
    filter,
    PLACE_TICKET_LIMIT,
  );
  return { h3: cell.h3, res: cell.res, ...placeAnswer(d, filter.range) };
}

/** A drawn polygon: one ring of at most this many positions, inside the city's box. */
export const MAX_POLYGON_POSITIONS = 2000;
const CITY_BOX = [102.5, 35.5, 104.6, 37.5] as const;

export async function selectionDetail(
  db: Db,
  polygon: { type: 'Polygon'; coordinates: [number, number][][] },
  filter: q.AnalyticsFilter,
) {
  const ring = polygon.coordinates[0];
  if (!ring || ring.length < 4)
    throw invalid('invalid_polygon', 'the polygon needs at least 3 corners', 'polygon');
  const positions = polygon.coordinates.reduce((n, r) => n + r.length, 0);
  if (positions > MAX_POLYGON_POSITIONS)
    throw invalid(
      'invalid_polygon',
      `the polygon has ${positions} positions; draw it with at most ${MAX_POLYGON_POSITIONS}`,
      'polygon',
    );
  for (const r of polygon.coordinates) {
    const [f, l] = [r[0]!, r.at(-1)!];
    if (f[0] !== l[0] || f[1] !== l[1])
      throw invalid('invalid_polygon', 'each ring must end where it starts', 'polygon');
    for (const [x, y] of r)
      if (x < CITY_BOX[0] || x > CITY_BOX[2] || y < CITY_BOX[1] || y > CITY_BOX[3])
        throw invalid(
          'invalid_polygon',
          `the polygon reaches outside Lanzhou ([${x}, ${y}])`,
          'polygon',
        );
  }
  const d = await q.placeDetail(
    db,
    { kind: 'polygon', geojson: JSON.stringify(polygon) },
    filter,
    PLACE_TICKET_LIMIT,
  );
  return placeAnswer(d, filter.range);
}

export async function series(
  db: Db,
  sq: { area?: number; grain: 'day' | 'month'; filter: q.AnalyticsFilter },
) {
  const area = sq.area === undefined ? null : await resolveAreaRef(db, sq.area, 'area');
  return {
    grain: sq.grain,
    period: period(sq.filter.range),
    buckets: await q.series(db, area, sq.grain, sq.filter),
    categories: await q.categoryCounts(db, area, sq.filter),
  };
}

export async function areaRanking(
  db: Db,
  aq: { level: AreaLevel; parent?: number; filter: q.AnalyticsFilter },
) {
  if (aq.parent !== undefined) await resolveAreaRef(db, aq.parent, 'parent');
  const rows = await q.areaCounts(db, aq.level, aq.parent, aq.filter);
  return {
    period: period(aq.filter.range),
    rows: rows
      .map((r) => ({ ...r, rate: ratePer100(r.count, r.households) }))
      .sort((x, y) => y.count - x.count || x.id - y.id),
  };
}

export async function compoundFacts(
  db: Db,
  cq: { builtBefore?: number; area?: number; range: TimeRange },
) {
  const area = cq.area === undefined ? undefined : await resolveAreaRef(db, cq.area, 'area');
  const rows = await q.compoundFacts(db, {
    builtBefore: cq.builtBefore,
    area,
    range: cq.range,
    stats: false,
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    position: r.position,
    yearBuilt: r.yearBuilt,
    households: r.households,
    buildings: r.buildings,
    pipeCondition: r.pipeCondition,
    roofCondition: r.roofCondition,
    hasElevator: r.hasElevator,
    elevatorCandidates: r.elevatorCandidates,
    parkingSpaces: r.parkingSpaces,
    registeredCars: r.registeredCars,
    parkingGap: Math.max(0, r.registeredCars - r.parkingSpaces),
  }));
}

export async function renovation(
  db: Db,
  rq: {
    builtBefore: number | null;
    area?: number;
    range: TimeRange;
    limit: number;
    offset: number;
  },
) {
  const area = rq.area === undefined ? undefined : await resolveAreaRef(db, rq.area, 'area');
  const rows = await q.compoundFacts(db, {
    builtBefore: rq.builtBefore ?? undefined,
    area,
    range: rq.range,
    stats: true,
  });
  const year = Number(beijingDate(rq.range.to).slice(0, 4));
  const scored = scoreRenovation(rows, year).sort((a, b) => b.score - a.score || a.id - b.id);
  return {
    method: {
      weights: { ...RENOVATION_WEIGHTS },
      builtBefore: rq.builtBefore,
      period: period(rq.range),
    },
    total: scored.length,
    rows: scored.slice(rq.offset, rq.offset + rq.limit).map((r, i) => ({
      rank: rq.offset + i + 1,
      id: r.id,
      name: r.name,
      district: r.district,
      subdistrict: r.subdistrict,
      position: r.position,
      yearBuilt: r.yearBuilt,
      households: r.households,
      pipeCondition: r.pipeCondition,
      roofCondition: r.roofCondition,
      elevatorCandidates: r.elevatorCandidates,
      facilityTickets: r.facilityTickets,
      facilityRate: r.facilityRate,
      openHazards: r.openHazards,
      repeats: r.repeats,
      factors: r.factors,
      score: r.score,
    })),
  };
}

export { POLICY_BUILT_BEFORE };

/** A hazard weighs as much as this many tickets in the risk a patrol should answer. */
export const HAZARD_RISK_WEIGHT = 3;
/** A place is under-patrolled when its patrols fall this many Poisson standard errors short. */
export const UNDER_PATROLLED_RESIDUAL = -2;

/**
 * Patrols against risk (tickets + 3 × hazards) per grid, or check-ins against risk per H3 cell:
 * each place's expected share of the patrols is its share of the risk; the Pearson residual
 * (observed − expected) / √expected says how far it falls short. Under-patrolled: a residual of
 * −2 or less where the risk is at least the median, most under-patrolled first. District and
 * sub-district accounts see their own area unless they ask for another.
 */
export async function coverageAgainstRisk(
  db: Db,
  actor: Actor,
  cq: { by: 'grid' | 'h3'; res: Resolution; area?: number; range: TimeRange },
) {
  const areaId =
    cq.area ?? (actor.scope.kind === 'area' ? (actor.scope.id ?? undefined) : undefined);
  const area = areaId === undefined ? undefined : await resolveAreaRef(db, areaId, 'area');
  const places: {
    key: string;
    name: string | null;
    visits: number;
    hours: number | null;
    tickets: number;
    hazards: number;
  }[] = [];
  if (cq.by === 'grid') {
    const grids = await q.areaCounts(db, 'grid', undefined, { range: cq.range }, area?.id);
    const stats = new Map(
      (
        await q.gridPatrolStats(
          db,
          grids.map((g) => g.id),
          cq.range,
        )
      ).map((s) => [s.id, s]),
    );
    for (const g of grids) {
      const s = stats.get(g.id)!;
      places.push({
        key: String(g.id),
        name: g.name,
        visits: s.patrols,
        hours: s.hours,
        tickets: g.count,
        hazards: s.hazards,
      });
    }
  } else {
    const tickets = await q.cellCounts(db, cq.res, { range: cq.range, area });
    const stats = await q.cellPatrolStats(db, cq.res, cq.range, area?.id);
    const byCell = new Map<string, (typeof places)[number]>();
    const at = (h3: string) => {
      let p = byCell.get(h3);
      if (!p) {
        p = { key: h3, name: null, visits: 0, hours: null, tickets: 0, hazards: 0 };
        byCell.set(h3, p);
      }
      return p;
    };
    for (const [h3, n] of tickets) at(h3).tickets = n;
    for (const s of stats) {
      at(s.h3).visits = s.checkins;
      at(s.h3).hazards = s.hazards;
    }
    places.push(...[...byCell.values()].sort((a, b) => (a.key < b.key ? -1 : 1)));
  }
  const risk = places.map((p) => p.tickets + HAZARD_RISK_WEIGHT * p.hazards);
  const sortedRisk = [...risk].sort((a, b) => a - b);
  const medianRisk = sortedRisk.length ? sortedRisk[Math.floor(sortedRisk.length / 2)]! : 0;
  const fit = pearsonResiduals(
    places.map((p) => p.visits),
    risk,
  );
  const rows = places.map((p, i) => {
    const residual = fit.residual[i]!;
    return {
      ...p,
      risk: risk[i]!,
      expected: round(fit.expected[i]!, 2),
      residual: round(residual, 3),
      underPatrolled:
        residual <= UNDER_PATROLLED_RESIDUAL && risk[i]! >= medianRisk && risk[i]! > 0,
    };
  });
  rows.sort((a, b) => a.residual - b.residual || b.risk - a.risk || (a.key < b.key ? -1 : 1));
  return {
    method: {
      risk: `tickets + ${HAZARD_RISK_WEIGHT} × hazards`,
      visits: cq.by === 'grid' ? ('patrols' as const) : ('check-ins' as const),
      residual: 'pearson' as const,
      threshold: UNDER_PATROLLED_RESIDUAL,
    },
    by: cq.by,
    area: area?.id ?? null,
    period: period(cq.range),
    rows: rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
}
