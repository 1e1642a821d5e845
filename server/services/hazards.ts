import { HAZARD_ACTIONS, HAZARD_DEADLINE_DAYS, type HazardAction } from '../../geo/operations.ts';
import type { AreaLevel, HazardSeverity } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/hazards.ts';
import { nextDailyCode, placePoint } from '../db/queries/places.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { pointLayerRule, readRule, ruleKey, inMyArea } from '../policy.ts';
import { requireCapability, signedIn, type Actor } from './actors.ts';
import { notify, type LiveEvent } from './events.ts';
import { idempotentWrite } from './idempotency.ts';
import { binaryResult, geoJsonResult, type PointsResult } from './points.ts';
import { areaPath, type PointLayer } from './tickets.ts';
import { raiseHazardAlarm } from './wall-alarms.ts';
import { exportPace, keysetBatches } from './exports.ts';
import type { ExportKey } from '../db/queries/exports.ts';

/** What the actor's hazard layer holds (see pointLayerRule); a 403 when it has none. */
export function hazardLayer(actor: Actor | null): PointLayer {
  const a = signedIn(actor);
  const layer = pointLayerRule(a, 'hazards');
  if (!layer) throw forbidden('missing_capability', `A ${a.role} account may not read hazards.`);
  return { ...layer, key: `${layer.fields}:${ruleKey(layer.rule)}` };
}

export async function listHazards(
  db: Db,
  layer: PointLayer,
  filter: Omit<q.HazardFilter, 'scope'>,
  format: 'geojson' | 'binary',
): Promise<PointsResult> {
  const f = { ...filter, scope: scopeCondition(layer.rule, 'hazards', 't') };
  if (format === 'binary') {
    const r = await q.hazardsPacked(db, f);
    return binaryResult(r.fetched, r.columns, f.limit);
  }
  const r = await q.hazardsGeoJson(db, f, layer.fields);
  return geoJsonResult(r.fetched, r.features, f.limit);
}

export function listHazardRows(
  db: Db,
  actor: Actor | null,
  f: Omit<Parameters<typeof q.listHazardRows>[1], 'scope'>,
) {
  const a = requireCapability(actor, 'hazards.read', 'read hazards');
  return q.listHazardRows(db, {
    ...f,
    scope: scopeCondition(readRule(a, 'hazards'), 'hazards', 't'),
  });
}

export async function hazardDetail(db: Db, actor: Actor | null, id: number) {
  const a = requireCapability(actor, 'hazards.read', 'read hazards');
  const h = await q.findHazard(
    db.kysely,
    id,
    scopeCondition(readRule(a, 'hazards'), 'hazards', 't'),
  );
  if (!h) throw notFound('hazard_not_found', `No hazard with id ${id} in your area`);
  const events = await q.hazardEvents(db, id);
  const rectifier = [...events].reverse().find((e) => e.status === 'rectified')?.accountId ?? null;
  const { compoundCompanyId: _c, ...shown } = h;
  return { ...shown, events, actions: hazardActions(a, h, rectifier) };
}

/** Who rectifies: the company of the compound, the department of the type, or the community. */
function rectifies(a: Actor, _h: q.HazardRow): boolean {
  // Scope already limits companies to their compounds and departments to their types.
  return a.can.has('hazards.rectify');
}

function hazardActions(a: Actor, h: q.HazardRow, rectifier: number | null): HazardAction[] {
  return HAZARD_ACTIONS.filter((x) => {
    if (!(x.from as readonly string[]).includes(h.status)) return false;
    if (x.key === 'start' || x.key === 'rectify') return rectifies(a, h);
    if (x.key === 'verify') return a.can.has('hazards.verify') && rectifier !== a.accountId;
    return a.can.has('hazards.verify');
  }).map((x) => x.key);
}

export interface HazardInput {
  type: string;
  severity: HazardSeverity;
  description: string;
  position: [number, number];
  photoRef?: string;
  dueAt?: Date;
}

export async function createHazard(
  db: Db,
  actor: Actor | null,
  input: HazardInput,
  idempotencyKey: string | undefined,
) {
  const a = requireCapability(actor, 'hazards.create', 'report hazards');
  const now = new Date();
  if (input.dueAt && input.dueAt <= now) {
    throw invalid('due_in_past', `field 'dueAt' must be in the future`, 'dueAt');
  }
  const result = await idempotentWrite(db, a, idempotencyKey, input, async (tx) => {
    const place = await placePoint(tx, input.position);
    if (!place) {
      throw invalid(
        'outside_city',
        `field 'position' [${input.position.join(', ')}] is not inside any grid of Lanzhou; pick a point inside the city's gridded area`,
        'position',
      );
    }
    if (!inMyArea(a, place)) {
      throw forbidden(
        'outside_scope',
        `That point is outside your area (${a.scope.name}).`,
        'position',
      );
    }
    const dueAt =
      input.dueAt ?? new Date(now.getTime() + HAZARD_DEADLINE_DAYS[input.severity] * 86400_000);
    const id = await q.insertHazard(tx, {
      code: await nextDailyCode(tx, 'hazards', 'H', now, 4),
      type: input.type,
      severity: input.severity,
      description: input.description,
      photoRef: input.photoRef ?? null,
      position: input.position,
      place,
      reporterAccountId: a.accountId,
      reportedAt: now,
      dueAt,
    });
    await q.insertHazardEvent(tx, {
      hazardId: id,
      at: now,
      status: 'reported',
      actor: a.displayName,
      accountId: a.accountId,
      note: input.description,
      photoRef: input.photoRef ?? null,
    });
    const h = (await q.findHazard(tx, id, scopeCondition({ kind: 'all' }, 'hazards', 't')))!;
    await insertAudit(tx, a, {
      action: 'hazard.create',
      entity: 'hazard',
      entityId: id,
      areaPath: hazardAreaPath(h),
      after: snapshot(h),
    });
    await notify(tx, hazardEvent(h, a, 'created', now));
    // A critical hazard flies every wall to it: raised with the hazard, or not at all.
    await raiseHazardAlarm(tx, id);
    return { id };
  });
  return { ...result, body: await hazardDetail(db, a, result.body.id) };
}

export async function transitionHazard(
  db: Db,
  actor: Actor | null,
  id: number,
  input: { action: HazardAction; note?: string; photoRef?: string },
) {
  const a = requireCapability(actor, 'hazards.read', 'change hazards');
  const spec = HAZARD_ACTIONS.find((x) => x.key === input.action)!;
  await db.kysely.transaction().execute(async (tx) => {
    const h = await q.findHazard(
      tx,
      id,
      scopeCondition(readRule(a, 'hazards'), 'hazards', 't'),
      true,
    );
    if (!h) throw notFound('hazard_not_found', `No hazard with id ${id} in your area`);
    const rectifier = await q.lastRectifier(tx, id);
    if (!(spec.from as readonly string[]).includes(h.status)) {
      const now = hazardActions(a, h, rectifier);
      throw conflict(
        'hazard_invalid_transition',
        `Hazard ${h.code} is '${h.status}'; '${input.action}' needs '${spec.from.join("' or '")}'. ` +
          (now.length ? `You may now: ${now.join(', ')}.` : 'You can take no action on it now.'),
      );
    }
    if (!hazardActions(a, h, rectifier).includes(input.action)) {
      throw forbidden(
        input.action === 'verify' && rectifier === a.accountId
          ? 'self_verify'
          : 'missing_capability',
        input.action === 'verify' && rectifier === a.accountId
          ? 'The account that rectified a hazard may not verify it; another inspector must.'
          : `A ${a.role} account may not '${input.action}' a hazard.`,
      );
    }
    if ((input.action === 'rectify' || input.action === 'reject') && !input.note?.trim()) {
      throw invalid(
        'field_missing',
        `field 'note' must say ${input.action === 'rectify' ? 'what was rectified' : 'why the rectification is not accepted'}`,
        'note',
      );
    }
    const now = new Date();
    const next = {
      status: spec.to as string,
      rectifiedAt:
        input.action === 'rectify'
          ? now
          : input.action === 'reject'
            ? null
            : dateOrNull(h.rectifiedAt),
      verifiedAt: input.action === 'verify' ? now : null,
    };
    await q.updateHazardStatus(tx, id, { ...next, at: now });
    await q.insertHazardEvent(tx, {
      hazardId: id,
      at: now,
      status: next.status,
      actor: a.displayName,
      accountId: a.accountId,
      note: input.note?.trim() || spec.zh,
      photoRef: input.photoRef ?? null,
    });
    const after = (await q.findHazard(tx, id, scopeCondition({ kind: 'all' }, 'hazards', 't')))!;
    await insertAudit(tx, a, {
      action: `hazard.${input.action}`,
      entity: 'hazard',
      entityId: id,
      areaPath: hazardAreaPath(h),
      before: snapshot(h),
      after: snapshot(after),
    });
    await notify(tx, hazardEvent(after, a, 'updated', now));
  });
  return hazardDetail(db, a, id);
}

const dateOrNull = (s: string | null) => (s === null ? null : new Date(s));

function snapshot(h: q.HazardRow) {
  return {
    status: h.status,
    severity: h.severity,
    dueAt: h.dueAt,
    rectifiedAt: h.rectifiedAt,
    verifiedAt: h.verifiedAt,
  };
}

function hazardAreaPath(h: q.HazardRow) {
  const a = h.areaIds;
  return areaPath({
    districtId: a.district,
    subdistrictId: a.subdistrict,
    communityId: a.community,
    gridId: a.grid,
    compoundId: a.compound,
  });
}

function hazardEvent(h: q.HazardRow, a: Actor, op: 'created' | 'updated', at: Date): LiveEvent {
  return {
    kind: 'hazard',
    op,
    id: h.id,
    code: h.code,
    status: h.status,
    category: h.type,
    position: h.position,
    areaIds: h.areaIds,
    at: at.toISOString(),
    actor: a.displayName,
    audience: {
      propertyCompanyIds: [],
      departmentIds: [],
      reporterAccountId: null,
      compoundCompanyId: h.compoundCompanyId,
    },
  };
}

export type HazardAreaRef = { id: number; level: AreaLevel };

/** The workspace list as a file: the list's rows for the same filters and order, in batches. */
export function exportHazardRows(
  db: Db,
  actor: Actor | null,
  f: Omit<q.HazardListFilter, 'scope' | 'limit' | 'offset'>,
) {
  const a = requireCapability(actor, 'hazards.read', 'read hazards');
  return hazardBatches(db, {
    kind: 'list',
    filter: { ...f, scope: scopeCondition(readRule(a, 'hazards'), 'hazards', 't') },
  });
}

/** The hazard layer as a file: what the actor's layer holds (planners: no description). */
export function exportHazardLayer(
  db: Db,
  layer: PointLayer,
  filter: Omit<q.HazardFilter, 'scope' | 'limit'>,
) {
  return hazardBatches(db, {
    kind: 'layer',
    fields: layer.fields,
    filter: { ...filter, scope: scopeCondition(layer.rule, 'hazards', 't') },
  });
}

function hazardBatches(db: Db, source: q.HazardExportSource) {
  return keysetBatches(
    (after: ExportKey | null, size) => q.hazardExportBatch(db, source, after, size),
    (row) => ({ value: String(row._k), id: row.id }),
    exportPace(db.kind),
  );
}
