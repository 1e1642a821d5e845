import { sql, type RawBuilder } from 'kysely';
import type { AreaLevel } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import * as q from '../db/queries/patrols.ts';
import { placePoint } from '../db/queries/places.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { readRule } from '../policy.ts';
import { requireCapability, type Actor } from './actors.ts';
import { notify, type LiveEvent } from './events.ts';
import { idempotentWrite } from './idempotency.ts';

/** How far a check-in may be from the compound's outline (GPS in courtyards is rough). */
export const CHECKIN_RADIUS_M = 100;
/** A device clock may run a little ahead of the server's. */
const CLOCK_SKEW_S = 120;

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
  const result = await idempotentWrite(db, a, idempotencyKey, { position }, async (tx) => {
    const place = await placePoint(tx, position);
    if (!place || place.gridId !== a.scope.id) {
      throw badRequest(
        `field 'position' [${position.join(', ')}] is not inside your grid (${a.scope.name}); start the patrol there`,
      );
    }
    const open = await tx
      .selectFrom('patrols')
      .select('id')
      .where('account_id', '=', a.accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (open) throw conflict(`Patrol ${open.id} is still going; end it before starting another.`);
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
  if (!p || p.accountId !== a.accountId) throw notFound(`No patrol ${id} of yours`);
  if (p.endedAt)
    throw conflict(`Patrol ${id} ended at ${new Date(p.endedAt).toISOString()}; start a new one.`);
  return p;
}

export async function appendTrack(
  db: Db,
  actor: Actor | null,
  id: number,
  points: [number, number, number][],
) {
  const a = requireCapability(actor, 'patrols.run', 'patrol');
  return db.kysely.transaction().execute(async (tx) => {
    const p = await ownPatrol(tx, a, id);
    let last = p.lastM;
    const latest = Date.now() / 1000 + CLOCK_SKEW_S;
    points.forEach((pt, i) => {
      if (pt[2] <= last) {
        throw badRequest(
          `points[${i}]: time ${pt[2]} is not after the previous point (${last}); send points in time order, each once`,
        );
      }
      if (pt[2] > latest) throw badRequest(`points[${i}]: time ${pt[2]} is in the future`);
      last = pt[2];
    });
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
  return idempotentWrite(db, a, idempotencyKey, { id, ...input }, async (tx) => {
    const p = await ownPatrol(tx, a, id);
    const c = await q.compoundNear(tx, input.compoundId, input.position, CHECKIN_RADIUS_M);
    if (!c) throw badRequest(`field 'compoundId': no compound ${input.compoundId}`);
    if (c.gridId !== p.gridId) throw forbidden(`${c.name} is not in the patrol's grid.`);
    if (!c.near) {
      throw badRequest(
        `field 'position' is ${c.distanceM} m from ${c.name}; check in within ${CHECKIN_RADIUS_M} m of the compound`,
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
  const parts: RawBuilder<unknown>[] = [];
  if (a.scope.kind === 'area') parts.push(sql`g.path @> ARRAY[${a.scope.id}]::int[]`);
  if (area) parts.push(sql`g.path @> ARRAY[${area.id}]::int[]`);
  const gridScope = parts.length
    ? sql<boolean>`${sql.join(parts, sql` AND `)}`
    : sql<boolean>`true`;
  return q.patrolCoverage(db, { gridScope, dayStart: beijingDay().from });
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
