/**
 * Service points (党群服务站, 居民议事厅, 调解室, 养老服务站, 托育点, 法律服务, 警务室) and 执法进小区.
 *
 * - Open points are public (name, kind, address, the point's own phone, hours, open now, the
 *   compounds served). services.manage (communities and up) creates, edits and closes the points
 *   of its area; a closed point is seen by those managers only.
 * - Visits: enforcement.read reads those of its area (a department: its own, city-wide);
 *   enforcement.record records one: an area official for a compound of its area (the community's
 *   own team), a department for any compound of the city (its bureaus serve the whole city).
 */
import { hoursProblem, isOpenAt, type OpeningSpan } from '../../geo/opening-hours.ts';
import type { EnforcementTopic, ServicePointKind } from '../../geo/mediation.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import { findPlace } from '../db/queries/party.ts';
import * as q from '../db/queries/service-points.ts';
import { placeMatches, placeRule, type Actor, type PlaceRule } from '../policy.ts';
import { requireCapability, signedIn } from './actors.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { beijingToday } from './party.ts';

/** Lanzhou's extent, with a margin: a point outside it is a typing error. */
const LANZHOU = { minLon: 102.5, maxLon: 104.6, minLat: 35.5, maxLat: 37.5 };

const manageRule = (actor: Actor | null): PlaceRule =>
  actor ? placeRule(actor, 'services.manage') : { kind: 'none' };

export interface PointQuery {
  kinds?: ServicePointKind[];
  area?: number;
  closed?: boolean;
  open?: boolean;
}

/** Closed points are for their managers: 401/403 for anyone else asking for them. */
export function checkPointQuery(actor: Actor | null, f: PointQuery) {
  if (f.closed) requireCapability(actor, 'services.manage', 'see closed service points');
}

/** The rows behind the list (cacheable: no actor, no clock). */
export async function pointRows(db: Db, actor: Actor | null, f: PointQuery) {
  checkPointQuery(actor, f);
  if (f.area !== undefined && !(await findPlace(db, f.area)))
    throw notFound('area_not_found', `There is no area ${f.area}.`, 'area');
  return q.listPoints(db, { kinds: f.kinds, area: f.area ?? null, closed: f.closed ?? false });
}

/** The points as GeoJSON, with open now (at `now`) and whether this reader may edit each. */
export function pointCollection(
  rows: q.PointRow[],
  actor: Actor | null,
  f: PointQuery,
  now = new Date(),
) {
  const rule = manageRule(actor);
  const features = rows
    // A manager sees the closed points of its own area only.
    .filter((p) => p.closedAt === null || placeMatches(rule, p.path, null))
    .map(({ path, position, ...p }) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: position },
      properties: {
        ...p,
        openNow: p.closedAt === null && isOpenAt(p.hours, now),
        canManage: p.closedAt === null && placeMatches(rule, path, null),
      },
    }))
    .filter((x) => f.open === undefined || x.properties.openNow === f.open);
  return { type: 'FeatureCollection' as const, features };
}

export async function pointDetail(db: Db, actor: Actor | null, id: number, now = new Date()) {
  const p = await q.findPoint(db.kysely, id);
  const rule = manageRule(actor);
  if (!p || (p.closedAt !== null && !placeMatches(rule, p.path, null)))
    throw notFound('point_not_found', `There is no service point ${id}.`, 'id');
  const { path, ...rest } = p;
  return {
    ...rest,
    openNow: p.closedAt === null && isOpenAt(p.hours, now),
    canManage: p.closedAt === null && placeMatches(rule, path, null),
  };
}

export interface PointBody {
  kind: ServicePointKind;
  name: string;
  areaId: number;
  position?: [number, number];
  address?: string;
  phone?: string | null;
  hours: OpeningSpan[];
  note?: string | null;
  compoundIds: number[];
}

function checkPosition(position: [number, number] | undefined) {
  if (!position) return;
  const [lon, lat] = position;
  if (lon < LANZHOU.minLon || lon > LANZHOU.maxLon || lat < LANZHOU.minLat || lat > LANZHOU.maxLat)
    throw invalid('position_outside_city', `parameter 'position' must lie in Lanzhou`, 'position');
}

function checkHours(hours: OpeningSpan[] | undefined) {
  if (!hours) return;
  const problem = hoursProblem(hours);
  if (problem) throw invalid('bad_hours', `parameter 'hours' ${problem}`, 'hours');
}

/** Every compound served must exist and lie in the manager's area. */
async function checkCompounds(db: Db, rule: PlaceRule, ids: number[]) {
  const found = await q.compoundPaths(db, ids);
  const ok = new Set(found.filter((c) => placeMatches(rule, c.path, null)).map((c) => c.id));
  const bad = ids.find((id) => !ok.has(id));
  if (bad !== undefined)
    throw invalid(
      'compound_not_in_area',
      `parameter 'compoundIds' must list compounds of your area; ${bad} is not one`,
      'compoundIds',
    );
}

export async function createPoint(db: Db, actor: Actor | null, body: PointBody) {
  const a = requireCapability(actor, 'services.manage', 'keep service points');
  const rule = placeRule(a, 'services.manage');
  const place = await findPlace(db, body.areaId);
  if (!place || !placeMatches(rule, place.path, null))
    throw invalid('area_not_in_reach', `parameter 'areaId' must be an area of yours`, 'areaId');
  checkPosition(body.position);
  checkHours(body.hours);
  const compoundIds = [...new Set(body.compoundIds)];
  await checkCompounds(db, rule, compoundIds);
  const fields: q.PointFields = {
    kind: body.kind,
    name: body.name,
    areaId: place.id,
    path: place.path,
    position: body.position ?? null,
    address: body.address ?? '',
    phone: body.phone ?? null,
    hours: body.hours,
    note: body.note ?? null,
  };
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertPoint(tx, fields, compoundIds);
    await insertAudit(tx, a, {
      action: 'service_point.create',
      entity: 'service_point',
      entityId: id,
      areaPath: place.path,
      before: null,
      after: { ...fields, path: undefined, compoundIds },
    });
    return id;
  });
  return pointDetail(db, a, id);
}

/** A point the actor manages: 404 if none (or closed and out of reach), 403 outside its area. */
async function pointForWrite(db: Db, actor: Actor | null, id: number) {
  const a = signedIn(actor);
  const p = await q.findPoint(db.kysely, id);
  const rule = placeRule(a, 'services.manage');
  if (!p || (p.closedAt !== null && !placeMatches(rule, p.path, null)))
    throw notFound('point_not_found', `There is no service point ${id}.`, 'id');
  if (!a.can.has('services.manage'))
    throw forbidden('missing_capability', `A ${a.role} account may not keep service points.`);
  // Points are public: one outside the manager's area is seen but not its to edit.
  if (!placeMatches(rule, p.path, null))
    throw forbidden('point_not_in_area', `Service point ${id} is not in your area.`);
  if (p.closedAt !== null) throw conflict('point_closed', `Service point ${id} is closed.`);
  return { a, p, rule };
}

export type PointPatch = Partial<Omit<PointBody, 'kind' | 'areaId'>>;

export async function updatePoint(db: Db, actor: Actor | null, id: number, body: PointPatch) {
  const { a, p, rule } = await pointForWrite(db, actor, id);
  checkPosition(body.position);
  checkHours(body.hours);
  const compoundIds = body.compoundIds ? [...new Set(body.compoundIds)] : undefined;
  if (compoundIds) await checkCompounds(db, rule, compoundIds);
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.updatePoint(tx, id, body)))
      throw conflict('point_closed', `Service point ${id} was closed meanwhile.`);
    if (compoundIds) await q.setCompounds(tx, id, compoundIds);
    await insertAudit(tx, a, {
      action: 'service_point.update',
      entity: 'service_point',
      entityId: id,
      areaPath: p.path,
      before: {
        name: p.name,
        address: p.address,
        phone: p.phone,
        hours: p.hours,
        note: p.note,
        position: p.position,
        compoundIds: p.servedCompounds.map((c) => c.id),
      },
      after: { ...body, compoundIds },
    });
  });
  return pointDetail(db, a, id);
}

export async function closePoint(db: Db, actor: Actor | null, id: number, reason: string) {
  const { a, p } = await pointForWrite(db, actor, id);
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.closePoint(tx, id, reason)))
      throw conflict('point_closed', `Service point ${id} was closed meanwhile.`);
    await insertAudit(tx, a, {
      action: 'service_point.close',
      entity: 'service_point',
      entityId: id,
      areaPath: p.path,
      before: { closedAt: null, note: p.note },
      after: { closed: true, note: reason },
    });
  });
  return pointDetail(db, a, id);
}

// ---------------------------------------------------------------------------------------------
// 执法进小区

/** Whose visits an actor reads: 401/403 without enforcement.read. */
export function visitScope(actor: Actor | null): q.VisitScope {
  const a = requireCapability(actor, 'enforcement.read', 'read 执法进小区 visits');
  if (a.scope.kind === 'department')
    return a.scope.id === null
      ? { kind: 'place', rule: { kind: 'none' } }
      : { kind: 'department', id: a.scope.id };
  return { kind: 'place', rule: placeRule(a, 'enforcement.read') };
}

function publicVisit({ path: _p, ...v }: q.VisitRow) {
  return v;
}

export async function listVisits(
  db: Db,
  actor: Actor | null,
  f: { area?: number; topic?: EnforcementTopic; limit: number; offset: number },
) {
  const scope = visitScope(actor);
  if (f.area !== undefined && !(await findPlace(db, f.area)))
    throw notFound('area_not_found', `There is no area ${f.area}.`, 'area');
  const page = await q.listVisits(db, scope, { ...f, area: f.area ?? null });
  return {
    items: page.items.map(publicVisit),
    total: page.total,
    limit: f.limit,
    offset: f.offset,
  };
}

const yearAgo = () => {
  const d = new Date(`${beijingToday()}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
};

export async function visitMap(db: Db, actor: Actor | null, area: number | undefined) {
  const scope = visitScope(actor);
  const since = yearAgo();
  const rows = await q.visitMap(db, scope, area ?? null, since);
  return {
    type: 'FeatureCollection' as const,
    since,
    features: rows.map(({ position, ...r }) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: position },
      properties: r,
    })),
  };
}

export interface VisitBody {
  compoundId: number;
  visitedOn: string;
  team: string;
  topic: EnforcementTopic;
  findings: string;
  ticketId?: number;
  hazardId?: number;
}

export async function recordVisit(db: Db, actor: Actor | null, body: VisitBody) {
  const a = requireCapability(actor, 'enforcement.record', 'record 执法进小区 visits');
  const c = await q.compoundOf(db, body.compoundId);
  const isDept = a.scope.kind === 'department';
  if (!c || (!isDept && !placeMatches(placeRule(a, 'enforcement.record'), c.path, c.companyId)))
    throw invalid(
      'compound_not_in_area',
      isDept
        ? `parameter 'compoundId' must be a compound`
        : `parameter 'compoundId' must be a compound of your area`,
      'compoundId',
    );
  const today = beijingToday();
  if (body.visitedOn > today || body.visitedOn < yearAgo())
    throw invalid(
      'visit_date',
      `parameter 'visitedOn' must be within the last year, up to today (${today})`,
      'visitedOn',
    );
  if (body.ticketId !== undefined && !(await q.ticketInCompound(db, body.ticketId, c.id)))
    throw invalid(
      'ticket_not_in_compound',
      `parameter 'ticketId' must be a ticket of compound ${c.id}`,
      'ticketId',
    );
  if (body.hazardId !== undefined && !(await q.hazardInCompound(db, body.hazardId, c.id)))
    throw invalid(
      'hazard_not_in_compound',
      `parameter 'hazardId' must be a hazard of compound ${c.id}`,
      'hazardId',
    );
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertVisit(tx, {
      compoundId: c.id,
      path: c.path,
      departmentId: isDept ? a.scope.id : null,
      team: body.team,
      visitedOn: body.visitedOn,
      topic: body.topic,
      findings: body.findings,
      ticketId: body.ticketId ?? null,
      hazardId: body.hazardId ?? null,
      accountId: a.accountId,
    });
    await insertAudit(tx, a, {
      action: 'enforcement_visit.create',
      entity: 'enforcement_visit',
      entityId: id,
      areaPath: c.path,
      before: null,
      after: { ...body, departmentId: isDept ? a.scope.id : null },
    });
    return id;
  });
  return publicVisit((await q.findVisit(db.kysely, id))!);
}
