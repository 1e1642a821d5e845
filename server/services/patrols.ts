import type { AreaLevel } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import { cityBounds } from '../db/queries/health.ts';
import * as q from '../db/queries/patrols.ts';
import { placePoint } from '../db/queries/places.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import { readRule } from '../policy.ts';
import { requireCapability, type Actor } from './actors.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { notify, type LiveEvent } from './events.ts';
import { idempotentWrite } from './idempotency.ts';

/** How far a check-in may be from the compound's outline (GPS in courtyards is rough). */
export const CHECKIN_RADIUS_M = 100;
/** A device clock may run a little ahead of the server's. */
const CLOCK_SKEW_S = 120;
/** Faster than this between two track points is a GPS glitch or a forged track, not a patrol. */
export const MAX_PATROL_SPEED_KMH = 120;
/** GPS jitter allowed on top of the speed limit between close-in-time points. */
const GPS_SLACK_M = 50;
/** Lanzhou's extent: its districts' bounding box, widened by this much (degrees, ~5 km). */
const CITY_MARGIN_DEG = 0.05;

const boundsOf = new WeakMap<Db, Promise<[number, number, number, number] | null>>();

/** The box every patrol point must lie in: the city's districts, with a margin. */
async function cityExtent(db: Db): Promise<[number, number, number, number] | null> {
  let b = boundsOf.get(db);
  if (!b) {
    b = cityBounds(db);
    boundsOf.set(db, b);
    b.catch(() => boundsOf.delete(db));
  }
  const box = await b;
  if (!box) return null;
  return [
    box[0] - CITY_MARGIN_DEG,
    box[1] - CITY_MARGIN_DEG,
    box[2] + CITY_MARGIN_DEG,
    box[3] + CITY_MARGIN_DEG,
  ];
}

function assertInCity(
  box: [number, number, number, number] | null,
  p: readonly [number, number] | readonly [number, number, number],
  field: string,
) {
  if (!box) return;
  if (p[0] < box[0] || p[0] > box[2] || p[1] < box[1] || p[1] > box[3]) {
    throw invalid(
      'outside_city',
      `${field}: [${p[0]}, ${p[1]}] is outside Lanzhou (lon ${box[0].toFixed(2)}..${box[2].toFixed(2)}, lat ${box[1].toFixed(2)}..${box[3].toFixed(2)})`,
      field,
    );
  }
}

/** Great-circle distance in metres. */
export function haversineM(a: readonly number[], b: readonly number[]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1]! - a[1]!) * rad;
  const dLon = (b[0]! - a[0]!) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a[1]! * rad) * Math.cos(b[1]! * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The Beijing day (UTC+8) containing `ymd` or today, as a UTC range. */
export function beijingDay(ymd?: string): { from: Date; to: Date } {
  const day = ymd ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = new Date(`${day}T00:00:00+08:00`);
  return { from, to: new Date(from.getTime() + 86400_000) };
}

export async function startPatrol(
  db: Db,
  actor: Actor | null,
  position: [number, number],
  idempotencyKey: string | undefined,
) {
  const a = requireCapability(actor, 'patrols.run', 'patrol');
  assertInCity(await cityExtent(db), position, 'position');
  const result = await idempotentWrite(db, a, idempotencyKey, { position }, async (tx) => {
    const place = await placePoint(tx, position);
    if (!place || place.gridId !== a.scope.id) {
      throw invalid(
        'outside_grid',
        `field 'position' [${position.join(', ')}] is not inside your grid (${a.scope.name}); start the patrol there`,
        'position',
      );
    }
    const open = await q.openPatrolOf(tx, a.accountId);
    if (open) {
      throw conflict(
        'patrol_in_progress',
        `Patrol ${open.id} is still going; end it before starting another.`,
      );
    }
    const now = new Date();
    const id = await q.insertPatrol(tx, {
      accountId: a.accountId,
      name: a.displayName,
      place,
      position,
      at: now,
    });
    await insertAudit(tx, a, {
      action: 'patrol.start',
      entity: 'patrol',
      entityId: id,
      areaPath: [place.districtId, place.subdistrictId, place.communityId, place.gridId],
      after: { startedAt: now.toISOString(), position },
    });
    await notify(tx, patrolEvent(id, a, place, 'created', 'started', position, now));
    return { id, startedAt: now.toISOString() };
  });
  return result;
}

async function ownPatrol(tx: Executor, a: Actor, id: number) {
  const p = await q.lockPatrol(tx, id);
  if (!p || p.accountId !== a.accountId)
    throw notFound('patrol_not_found', `No patrol ${id} of yours`);
  if (p.endedAt) {
    throw conflict(
      'patrol_ended',
      `Patrol ${id} ended at ${new Date(p.endedAt).toISOString()}; start a new one.`,
    );
  }
  return p;
}

/**
 * Checks a batch of track points against the patrol so far: each inside Lanzhou, after the one
 * before, not in the future, and reached at a plausible speed; a 400 naming the first bad point.
 */
export function checkTrack(
  box: [number, number, number, number] | null,
  start: { lastM: number; last: readonly [number, number]; startedAt: Date },
  points: readonly [number, number, number][],
  now = Date.now(),
) {
  let lastM = start.lastM;
  let last: readonly number[] = start.last;
  const latest = now / 1000 + CLOCK_SKEW_S;
  const earliest = start.startedAt.getTime() / 1000 - CLOCK_SKEW_S;
  points.forEach((pt, i) => {
    const field = `points[${i}]`;
    assertInCity(box, pt, field);
    if (pt[2] < earliest) {
      throw invalid(
        'track_time',
        `${field}: time ${pt[2]} is before the patrol started (${Math.round(earliest + CLOCK_SKEW_S)})`,
        field,
      );
    }
    if (pt[2] > latest)
      throw invalid('track_time', `${field}: time ${pt[2]} is in the future`, field);
    if (pt[2] <= lastM) {
      throw invalid(
        'track_order',
        `${field}: time ${pt[2]} is not after the previous point (${lastM}); send points in time order, each once`,
        field,
      );
    }
    const metres = haversineM(last, pt);
    const kmh = ((Math.max(0, metres - GPS_SLACK_M) / (pt[2] - lastM)) * 3600) / 1000;
    if (kmh > MAX_PATROL_SPEED_KMH) {
      throw invalid(
        'track_speed',
        `${field}: ${Math.round(metres)} m in ${pt[2] - lastM} s from the point before (${Math.round(kmh)} km/h) is faster than a patrol moves (${MAX_PATROL_SPEED_KMH} km/h)`,
        field,
      );
    }
    lastM = pt[2];
    last = pt;
  });
}

export async function appendTrack(
  db: Db,
  actor: Actor | null,
  id: number,
  points: [number, number, number][],
) {
  const a = requireCapability(actor, 'patrols.run', 'patrol');
  const box = await cityExtent(db);
  return db.kysely.transaction().execute(async (tx) => {
    const p = await ownPatrol(tx, a, id);
    checkTrack(box, { lastM: p.lastM, last: p.last, startedAt: new Date(p.startedAt) }, points);
    const r = await q.appendTrack(tx, id, points);
    // Track points are not audited one by one: the patrol's start, check-ins and end are.
    return { id, points: r.points, distanceM: Math.round(r.distanceM * 10) / 10 };
  });
}

export async function checkIn(
  db: Db,
  actor: Actor | null,
  id: number,
  input: { compoundId: number; position: [number, number]; note?: string },
  idempotencyKey: string | undefined,
) {
  const a = requireCapability(actor, 'patrols.run', 'patrol');
  assertInCity(await cityExtent(db), input.position, 'position');
  return idempotentWrite(db, a, idempotencyKey, { id, ...input }, async (tx) => {
    const p = await ownPatrol(tx, a, id);
    const c = await q.compoundNear(tx, input.compoundId, input.position, CHECKIN_RADIUS_M);
    if (!c) {
      throw invalid(
        'no_such_compound',
        `field 'compoundId': no compound ${input.compoundId}`,
        'compoundId',
      );
    }
    if (c.gridId !== p.gridId) {
      throw forbidden(
        'compound_not_in_grid',
        `${c.name} is not in the patrol's grid.`,
        'compoundId',
      );
    }
    if (!c.near) {
      throw invalid(
        'checkin_too_far',
        `field 'position' is ${c.distanceM} m from ${c.name}; check in within ${CHECKIN_RADIUS_M} m of the compound`,
        'position',
      );
    }
    const now = new Date();
    const checkinId = await q.insertCheckin(tx, {
      patrolId: id,
      compoundId: input.compoundId,
      at: now,
      position: input.position,
      note: input.note ?? '',
    });
    await insertAudit(tx, a, {
      action: 'patrol.checkin',
      entity: 'patrol',
      entityId: id,
      areaPath: [p.districtId, p.subdistrictId, p.communityId, p.gridId, input.compoundId],
      after: { checkinId, compoundId: input.compoundId, at: now.toISOString() },
    });
    await notify(
      tx,
      patrolEvent(id, a, p, 'updated', 'checkin', input.position, now, input.compoundId),
    );
    return { id: checkinId, at: now.toISOString() };
  });
}

export async function finishPatrol(db: Db, actor: Actor | null, id: number) {
  const a = requireCapability(actor, 'patrols.run', 'patrol');
  return db.kysely.transaction().execute(async (tx) => {
    const p = await ownPatrol(tx, a, id);
    const now = new Date();
    await q.endPatrol(tx, id, now);
    await insertAudit(tx, a, {
      action: 'patrol.end',
      entity: 'patrol',
      entityId: id,
      areaPath: [p.districtId, p.subdistrictId, p.communityId, p.gridId],
      before: { endedAt: null },
      after: { endedAt: now.toISOString(), points: p.points, distanceM: p.distanceM },
    });
    await notify(tx, patrolEvent(id, a, p, 'updated', 'ended', null, now));
    return {
      id,
      endedAt: now.toISOString(),
      points: p.points,
      distanceM: Math.round(p.distanceM * 10) / 10,
    };
  });
}

export function patrolsOfDay(
  db: Db,
  actor: Actor | null,
  f: { area?: { id: number; level: AreaLevel }; date?: string },
) {
  const a = requireCapability(actor, 'patrols.read', 'see patrols');
  return q.patrolsGeoJson(db, {
    scope: scopeCondition(readRule(a, 'patrols'), 'patrols', 'p'),
    area: f.area,
    ...beijingDay(f.date),
  });
}

export function coverage(db: Db, actor: Actor | null, area?: { id: number; level: AreaLevel }) {
  const a = requireCapability(actor, 'patrols.read', 'see patrol coverage');
  const under: number[] = [];
  if (a.scope.kind === 'area' && a.scope.id !== null) under.push(a.scope.id);
  if (area) under.push(area.id);
  return q.patrolCoverage(db, { gridScope: q.gridsUnder(under), dayStart: beijingDay().from });
}

function patrolEvent(
  id: number,
  a: Actor,
  place: { districtId: number; subdistrictId: number; communityId: number; gridId: number },
  op: 'created' | 'updated',
  status: string,
  position: [number, number] | null,
  at: Date,
  compoundId: number | null = null,
): LiveEvent {
  return {
    kind: 'patrol',
    op,
    id,
    code: null,
    status,
    category: null,
    position,
    areaIds: {
      district: place.districtId,
      subdistrict: place.subdistrictId,
      community: place.communityId,
      grid: place.gridId,
      compound: compoundId,
    },
    at: at.toISOString(),
    actor: a.displayName,
    audience: {
      propertyCompanyIds: [],
      departmentIds: [],
      reporterAccountId: null,
      compoundCompanyId: null,
    },
  };
}
