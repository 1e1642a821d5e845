import {
  WHISTLE_DEFAULT_REPORT_HOURS,
  WHISTLE_DEFAULT_RESOLVE_HOURS,
} from '../../geo/operations.ts';
import type { AreaLevel } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import { findCompoundPlace, nextDailyCode } from '../db/queries/places.ts';
import { departmentsByIds } from '../db/queries/responders.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import { lockTicket } from '../db/queries/tickets.ts';
import * as q from '../db/queries/whistles.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { inMyArea, readRule } from '../policy.ts';
import { requireCapability, signedIn, type Actor } from './actors.ts';
import { notify, type LiveEvent } from './events.ts';
import { idempotentWrite } from './idempotency.ts';

export interface WhistleInput {
  ticketId?: number;
  compoundId?: number;
  reason: string;
  departmentIds?: number[];
  reportHours?: number;
  resolveHours?: number;
}

function readable(actor: Actor | null) {
  const a = requireCapability(actor, 'whistles.read', 'read whistles');
  return scopeCondition(readRule(a, 'whistles'), 'whistles', 'w');
}

export function listWhistles(
  db: Db,
  actor: Actor | null,
  f: {
    area?: { id: number; level: AreaLevel };
    state: q.WhistleStateFilter;
    limit: number;
    after?: { open: boolean; blownAt: string; id: number };
  },
) {
  return q.listWhistles(db, { ...f, scope: readable(actor) });
}

export async function whistleDetail(db: Db, actor: Actor | null, id: number) {
  const a = signedIn(actor);
  const w = await q.findWhistle(db.kysely, id, readable(a));
  if (!w) throw notFound('whistle_not_found', `No whistle with id ${id} in your area`);
  return { ...w, actions: whistleActions(a, w) };
}

function isResponder(a: Actor, w: q.WhistleJson) {
  return w.responders.find(
    (r) =>
      (r.kind === 'property_company' &&
        a.scope.kind === 'property_company' &&
        r.id === a.scope.id) ||
      (r.kind === 'department' && a.scope.kind === 'department' && r.id === a.scope.id),
  );
}

/** Who may resolve: the level that blew it (or above) within its scope. */
function mayResolve(a: Actor, w: q.WhistleJson) {
  if (!a.can.has('whistles.blow')) return false;
  return w.level === 'community' ? true : a.scope.level !== 'community';
}

function whistleActions(a: Actor, w: q.WhistleJson): string[] {
  if (w.resolvedAt) return [];
  const out: string[] = [];
  const mine = isResponder(a, w);
  if (mine && mine.reportedAt === null) out.push('report_in');
  if (mayResolve(a, w)) out.push('resolve');
  return out;
}

export async function blowWhistle(
  db: Db,
  actor: Actor | null,
  input: WhistleInput,
  idempotencyKey: string | undefined,
) {
  const a = requireCapability(actor, 'whistles.blow', 'blow a whistle');
  if ((input.ticketId === undefined) === (input.compoundId === undefined)) {
    throw invalid(
      'whistle_target',
      `give exactly one of 'ticketId' (a stuck ticket) or 'compoundId' (a compound)`,
    );
  }
  const level = a.scope.level === 'community' ? 'community' : 'subdistrict';
  const reportHours = input.reportHours ?? WHISTLE_DEFAULT_REPORT_HOURS;
  const resolveHours = input.resolveHours ?? WHISTLE_DEFAULT_RESOLVE_HOURS;
  if (resolveHours < reportHours) {
    throw invalid(
      'deadline_order',
      `field 'resolveHours' (${resolveHours}) must not be less than 'reportHours' (${reportHours})`,
      'resolveHours',
    );
  }
  if (level === 'subdistrict' && !input.departmentIds?.length) {
    throw invalid(
      'whistle_departments',
      `field 'departmentIds' must name 1 to 5 departments that must report in (街道吹哨、部门报到)`,
      'departmentIds',
    );
  }
  if (level === 'community' && input.departmentIds?.length) {
    throw invalid(
      'community_whistles_company',
      `a community whistles the compound's property company; departments are whistled by the subdistrict`,
      'departmentIds',
    );
  }
  const result = await idempotentWrite(db, a, idempotencyKey, input, async (tx) => {
    let compoundId = input.compoundId;
    let position: [number, number] | null = null;
    if (input.ticketId !== undefined) {
      const t = await lockTicket(tx, input.ticketId, readRule(a, 'tickets'));
      if (!t)
        throw invalid(
          'no_such_ticket',
          `field 'ticketId': no ticket ${input.ticketId} in your area`,
          'ticketId',
        );
      if (t.compoundId === null) {
        throw invalid(
          'ticket_not_in_compound',
          `ticket ${t.code} is not in a compound; whistle the compound concerned with 'compoundId'`,
          'ticketId',
        );
      }
      if (['closed', 'rejected_duplicate'].includes(t.status)) {
        throw conflict(
          'ticket_finished',
          `ticket ${t.code} is '${t.status}'; there is nothing left to whistle for`,
          'ticketId',
        );
      }
      compoundId = t.compoundId;
      position = t.position;
    }
    const place = await findCompoundPlace(tx, compoundId!);
    if (!place)
      throw invalid(
        'no_such_compound',
        `field 'compoundId': no compound ${compoundId}`,
        'compoundId',
      );
    if (!inMyArea(a, place)) {
      throw forbidden(
        'outside_scope',
        `${place.compoundName} is outside your area (${a.scope.name}); you may only whistle inside it.`,
      );
    }
    let companyIds: number[] = [];
    let departmentIds: number[] = [];
    if (level === 'community') {
      if (place.propertyCompanyId === null) {
        throw invalid(
          'no_property_company',
          `${place.compoundName} has no property company (无物业); ask the subdistrict to whistle the departments`,
          'compoundId',
        );
      }
      companyIds = [place.propertyCompanyId];
    } else {
      departmentIds = [...new Set(input.departmentIds)];
      const found = await departmentsByIds(tx, departmentIds);
      const missing = departmentIds.filter((id) => !found.some((d) => d.id === id));
      if (missing.length)
        throw invalid(
          'no_such_department',
          `field 'departmentIds': no department ${missing.join(', ')}`,
          'departmentIds',
        );
    }
    const now = new Date();
    const id = await q.insertWhistle(tx, {
      code: await nextDailyCode(tx, 'whistles', 'W', now, 3),
      level,
      ticketId: input.ticketId ?? null,
      place: { ...place, compoundId: place.compoundId },
      position: position ?? place.label,
      reason: input.reason,
      blownBy: a.accountId,
      blownByName: a.scope.kind === 'city' ? a.displayName : a.scope.name,
      blownAt: now,
      reportDueAt: new Date(now.getTime() + reportHours * 3600_000),
      resolveDueAt: new Date(now.getTime() + resolveHours * 3600_000),
      companyIds,
      departmentIds,
    });
    const w = (await q.findWhistle(tx, id, scopeCondition({ kind: 'all' }, 'whistles', 'w')))!;
    await insertAudit(tx, a, {
      action: 'whistle.create',
      entity: 'whistle',
      entityId: id,
      areaPath: q.whistleAreaPath(w),
      after: w,
    });
    await notify(tx, whistleEvent(w, a, 'created', now));
    return { id };
  });
  return { ...result, body: await whistleDetail(db, a, result.body.id) };
}

export async function reportIn(db: Db, actor: Actor | null, id: number, note: string | undefined) {
  const a = requireCapability(actor, 'whistles.report', 'report in to a whistle');
  await db.kysely.transaction().execute(async (tx) => {
    const w = await q.lockWhistle(tx, id, readable(a));
    if (!w)
      throw notFound('whistle_not_found', `No whistle with id ${id} naming your organisation`);
    if (w.resolvedAt) throw conflict('whistle_resolved', `Whistle ${w.code} is already resolved.`);
    const mine = isResponder(a, w)!;
    if (mine.reportedAt !== null) {
      throw conflict(
        'already_reported',
        `${mine.name} already reported in to whistle ${w.code} at ${mine.reportedAt}.`,
      );
    }
    const now = new Date();
    await q.markReportedIn(
      tx,
      id,
      a.scope.kind === 'property_company'
        ? { propertyCompanyId: a.scope.id, departmentId: null }
        : { propertyCompanyId: null, departmentId: a.scope.id },
      { accountId: a.accountId, name: a.displayName, note: note ?? null, at: now },
    );
    const after = (await q.findWhistle(tx, id, scopeCondition({ kind: 'all' }, 'whistles', 'w')))!;
    await insertAudit(tx, a, {
      action: 'whistle.report_in',
      entity: 'whistle',
      entityId: id,
      areaPath: q.whistleAreaPath(w),
      before: { state: w.state, responder: mine },
      after: { state: after.state, responder: isResponder(a, after) },
    });
    await notify(tx, whistleEvent(after, a, 'updated', now));
  });
  return whistleDetail(db, a, id);
}

export async function resolveWhistle(db: Db, actor: Actor | null, id: number, resolution: string) {
  const a = requireCapability(actor, 'whistles.blow', 'resolve a whistle');
  await db.kysely.transaction().execute(async (tx) => {
    const w = await q.lockWhistle(tx, id, readable(a));
    if (!w) throw notFound('whistle_not_found', `No whistle with id ${id} in your area`);
    if (w.resolvedAt)
      throw conflict(
        'whistle_resolved',
        `Whistle ${w.code} was already resolved at ${w.resolvedAt}.`,
      );
    if (!mayResolve(a, w)) {
      throw forbidden(
        'whistle_level',
        `A community account may not resolve a subdistrict's whistle.`,
      );
    }
    const now = new Date();
    await q.markResolved(tx, id, now, resolution);
    const after = (await q.findWhistle(tx, id, scopeCondition({ kind: 'all' }, 'whistles', 'w')))!;
    await insertAudit(tx, a, {
      action: 'whistle.resolve',
      entity: 'whistle',
      entityId: id,
      areaPath: q.whistleAreaPath(w),
      before: { state: w.state, resolvedAt: null },
      after: { state: after.state, resolvedAt: after.resolvedAt, resolution },
    });
    await notify(tx, whistleEvent(after, a, 'updated', now));
  });
  return whistleDetail(db, a, id);
}

/** Resolves the open whistles of a finished ticket, each with its audit row and live event. */
export async function resolveWhistlesOfTicket(
  tx: Executor,
  actor: Actor,
  ticketId: number,
  at: Date,
  resolution: string,
) {
  const all = scopeCondition({ kind: 'all' }, 'whistles', 'w');
  for (const id of await q.openWhistleIdsOfTicket(tx, ticketId)) {
    const before = (await q.findWhistle(tx, id, all))!;
    await q.markResolved(tx, id, at, resolution);
    const after = (await q.findWhistle(tx, id, all))!;
    await insertAudit(tx, actor, {
      action: 'whistle.resolve',
      entity: 'whistle',
      entityId: id,
      areaPath: q.whistleAreaPath(after),
      before: { state: before.state, resolvedAt: null },
      after: { state: after.state, resolvedAt: after.resolvedAt, resolution },
    });
    await notify(tx, whistleEvent(after, actor, 'updated', at));
  }
}

export function whistleEvent(
  w: q.WhistleJson,
  actor: Actor,
  op: 'created' | 'updated',
  at: Date,
): LiveEvent {
  return {
    kind: 'whistle',
    op,
    id: w.id,
    code: w.code,
    status: w.state,
    category: w.level,
    position: w.position,
    areaIds: w.areaIds,
    at: at.toISOString(),
    actor: actor.displayName,
    audience: {
      propertyCompanyIds: w.responders
        .filter((r) => r.kind === 'property_company')
        .map((r) => r.id),
      departmentIds: w.responders.filter((r) => r.kind === 'department').map((r) => r.id),
      reporterAccountId: null,
      compoundCompanyId: null,
    },
  };
}
