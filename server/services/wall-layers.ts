/**
 * The wall's map layers (指挥大屏 图层): open hazards, whistle arcs, H3 cells (open tickets, Gi*
 * hot spots, patrol coverage), the 红黄蓝 compound outlines, a year of tickets as heat and the
 * day's patrol tracks. The same answer for every viewer (`viewer` proves one was checked), and
 * nothing but places and aggregates: no person, code, title or free text.
 */
import { cellToLatLng } from 'h3-js';
import { beijingDate, beijingMidnight, type DateSpan } from '../../geo/periods.ts';
import type { SpotClass } from '../../geo/hotspots.ts';
import { encodeHeat } from '../../geo/wall-binary.ts';
import { pearsonResiduals } from '../../geo/stats.ts';
import type { Db } from '../db/client.ts';
import { cellCounts, cellPatrolStats } from '../db/queries/analytics.ts';
import * as q from '../db/queries/wall-layers.ts';
import { HAZARD_RISK_WEIGHT, hotspots, type Resolution } from './analytics.ts';
import type { WallViewer } from './wall-viewer.ts';

const DAY_MS = 86_400_000;
/** Days of tickets behind the hot-spot and coverage cells. */
export const WALL_CELL_DAYS = 30;
/** Days of tickets in the heat layer, by default and at most. */
export const HEAT_DAYS = 365;
export const MAX_HEAT_DAYS = 366;

export type CellKind = 'open' | 'hotspots' | 'coverage';

/** A Gi* class as a number: 3 hot at 99 % … −3 cold at 99 %, 0 not significant. */
export const SPOT_CLASS_VALUE: Record<SpotClass, number> = {
  hot99: 3,
  hot95: 2,
  hot90: 1,
  none: 0,
  cold90: -1,
  cold95: -2,
  cold99: -3,
};

/** The Beijing date `offset` days from `now`'s. */
const dayFrom = (now: Date, offset: number) =>
  beijingDate(new Date(now.getTime() + offset * DAY_MS));

/** The last `days` whole Beijing days, today included. */
export function lastDays(days: number, now = new Date()): DateSpan {
  return { from: dayFrom(now, 1 - days), to: dayFrom(now, 1) };
}

export async function wallHazards(db: Db, _viewer: WallViewer, now = new Date()) {
  return { asOf: now.toISOString(), ...(await q.openHazards(db)) };
}

export async function wallWhistles(db: Db, _viewer: WallViewer, now = new Date()) {
  return { asOf: now.toISOString(), ...(await q.openWhistles(db)) };
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Per H3 cell at `res`: `open` tickets now; `hotspots`, the Gi* class (−3 … 3, as the planner's
 * hot-spot analysis computes it, k = 1, counts) over the last 30 days, significant cells only;
 * `coverage`, the Pearson residual of check-ins against risk (tickets + 3 × hazards) over the
 * last 30 days, as the planner's coverage analysis computes it per cell.
 */
export async function wallCells(
  db: Db,
  _viewer: WallViewer,
  c: { kind: CellKind; res: Resolution },
  now = new Date(),
) {
  const asOf = now.toISOString();
  const span = lastDays(WALL_CELL_DAYS, now);
  const range = { from: beijingMidnight(span.from), to: beijingMidnight(span.to) };
  switch (c.kind) {
    case 'open':
      return { asOf, res: c.res, ...(await q.openTicketCells(db, c.res)) };
    case 'hotspots': {
      const h = await hotspots(db, { res: c.res, k: 1, metric: 'count', filter: { range } });
      const significant = h.cells.filter((cell) => cell.class !== 'none');
      return {
        asOf,
        res: c.res,
        cells: significant.map((cell) => cell.h3),
        values: significant.map((cell) => SPOT_CLASS_VALUE[cell.class]),
      };
    }
    case 'coverage':
      return { asOf, res: c.res, ...(await coverageResiduals(db, c.res, range)) };
  }
}

/**
 * The planner's per-cell coverage (services/analytics.ts, coverageAgainstRisk with `by=h3`) for
 * the whole city: each cell's expected share of the check-ins is its share of the risk, and the
 * residual says how far its check-ins fall short of that, in Poisson standard errors.
 */
async function coverageResiduals(db: Db, res: Resolution, range: { from: Date; to: Date }) {
  const byCell = new Map<string, { visits: number; risk: number }>();
  const at = (h3: string) => {
    let p = byCell.get(h3);
    if (!p) byCell.set(h3, (p = { visits: 0, risk: 0 }));
    return p;
  };
  for (const [h3, n] of await cellCounts(db, res, { range })) at(h3).risk += n;
  for (const s of await cellPatrolStats(db, res, range)) {
    at(s.h3).visits += s.checkins;
    at(s.h3).risk += HAZARD_RISK_WEIGHT * s.hazards;
  }
  const cells = [...byCell.keys()].sort();
  const { residual } = pearsonResiduals(
    cells.map((h3) => byCell.get(h3)!.visits),
    cells.map((h3) => byCell.get(h3)!.risk),
  );
  return { cells, values: residual.map((r) => round(r, 3)) };
}

/** Compound outlines coloured by their latest rating, as GeoJSON text. */
export async function wallRatings(db: Db, _viewer: WallViewer) {
  return q.ratedCompounds(db);
}

/**
 * The tickets of the last `days` Beijing days (today included) per res-9 cell, as MQHT
 * (geo/wall-binary.ts): each cell's centre from h3-js (the database has no H3 library), its
 * count, and the total in the header.
 */
export async function wallHeat(db: Db, _viewer: WallViewer, days: number, now = new Date()) {
  const { cells, total } = await q.heatCells(db, lastDays(days, now));
  const view = new DataView(cells.buffer, cells.byteOffset, cells.byteLength);
  const n = cells.byteLength / 12;
  const positions = new Float32Array(2 * n);
  const counts = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    // int8 big-endian: the upper half first; h3-js takes [lower, upper].
    const upper = view.getUint32(12 * i, false);
    const lower = view.getUint32(12 * i + 4, false);
    const [lat, lon] = cellToLatLng([lower, upper]);
    positions[2 * i] = lon;
    positions[2 * i + 1] = lat;
    counts[i] = view.getUint32(12 * i + 8, false);
  }
  return encodeHeat(positions, counts, total);
}

/** The patrol tracks started on a Beijing day (`YYYY-MM-DD`), as MQTR (geo/twkb.ts). */
export async function wallTracks(db: Db, _viewer: WallViewer, day: string) {
  const next = beijingDate(new Date(beijingMidnight(day).getTime() + 36 * 3_600_000));
  return q.packedTracks(db, beijingMidnight(day), beijingMidnight(next));
}

/** The patrol tracks of that day as GeoJSON geometries: the bench's baseline. */
export async function wallTracksGeoJson(db: Db, day: string) {
  const next = beijingDate(new Date(beijingMidnight(day).getTime() + 36 * 3_600_000));
  return q.tracksGeoJson(db, beijingMidnight(day), beijingMidnight(next));
}
