import { TICKET_ACTIONS, TICKET_DEADLINE_HOURS, type TicketAction } from '../../geo/operations.ts';
import { routeTicket } from '../../geo/routing.ts';
import {
  TICKET_CHANNELS,
  TICKET_CATEGORIES,
  type TicketCategory,
  type TicketChannel,
} from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import { nextDailyCode, placePoint } from '../db/queries/places.ts';
import * as r from '../db/queries/responders.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import {
  duplicateRules,
  fixedChannel,
  inMyArea,
  pointLayerRule,
  readRule,
  ruleKey,
  type PlaceIds,
  type ReadRule,
} from '../policy.ts';
import * as q from '../db/queries/tickets.ts';
import { whistlesOfTicket } from '../db/queries/whistles.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { requireCapability, seesPersonalData, signedIn, type Actor } from './actors.ts';
import { notify, type LiveEvent } from './events.ts';
import { idempotentWrite } from './idempotency.ts';
import { resolveWhistlesOfTicket } from './whistles.ts';
import { binaryResult, geoJsonResult, type PointsResult } from './points.ts';
import { maskName, maskPhone } from './privacy.ts';
import { exportPace, keysetBatches } from './exports.ts';

/**
 * What the actor's ticket layer holds (see pointLayerRule), with a key saying which accounts share
 * it (for the read cache); a 403 when it has no ticket layer.
 */
export function ticketLayer(actor: Actor | null): PointLayer {
  const a = signedIn(actor);
  const layer = pointLayerRule(a, 'tickets');
  if (!layer) throw forbidden('missing_capability', `A ${a.role} account has no ticket layer.`);
  return { ...layer, key: `${layer.fields}:${ruleKey(layer.rule)}` };
}

export interface PointLayer {
  rule: ReadRule;
  fields: 'full' | 'positions';
  key: string;
}

export async function listTickets(
  db: Db,
  layer: PointLayer,
  filter: Omit<q.TicketFilter, 'scope'>,
  format: 'geojson' | 'binary',
): Promise<PointsResult> {
  const f = { ...filter, scope: scopeCondition(layer.rule, 'tickets', 't') };
  if (format === 'binary') {
    const res = await q.ticketsPacked(db, f);
    return binaryResult(res.fetched, res.columns, f.limit);
  }
  const res = await q.ticketsGeoJson(db, f, layer.fields);
  return geoJsonResult(res.fetched, res.features, f.limit);
}

export async function ticketDetail(db: Db, actor: Actor | null, id: number) {
  const a = requireCapability(actor, 'tickets.read', 'read tickets');
  const t = await q.findTicket(db, id, scopeCondition(readRule(a, 'tickets'), 'tickets', 't'));
  if (!t) throw notFound('ticket_not_found', `No ticket with id ${id} in your area`);
  const events = await q.ticketEvents(db, id);
  // Only the whistles the actor may read on their own (GET /api/whistles/{id}).
  const whistles = await whistlesOfTicket(
    db,
    id,
    scopeCondition(readRule(a, 'whistles'), 'whistles', 'w'),
  );
  const state = t as unknown as q.TicketState & { status: q.TicketState['status'] };
  const unmasked = seesPersonalData(a, {
    propertyCompanyId: t.propertyCompanyId as number | null,
    departmentId: t.departmentId as number | null,
  });
  return {
    ...t,
    residentName: unmasked ? t.residentName : maskName(t.residentName as string | null),
    residentPhone: unmasked ? t.residentPhone : maskPhone(t.residentPhone as string | null),
    events,
    whistles,
    actions: allowedActions(a, state),
  };
}

export function listTicketRows(db: Db, actor: Actor | null, f: Omit<q.TicketListFilter, 'scope'>) {
  const a = requireCapability(actor, 'tickets.read', 'read tickets');
  return q.listTicketRows(db, {
    ...f,
    scope: scopeCondition(readRule(a, 'tickets'), 'tickets', 't'),
  });
}

export async function duplicateSuggestions(
  db: Db,
  actor: Actor | null,
  query: { position: [number, number]; category: TicketCategory; radiusM: number; days: number },
) {
  const a = requireCapability(actor, 'tickets.read', 'look for duplicate tickets');
  // A sentinel reads back only its own tickets, but must see that a neighbour already reported
  // the same thing: it gets the nearby tickets of its community, with code and title only on its
  // own (see duplicateRules).
  const rules = duplicateRules(a);
  const items = await q.nearbyTickets(db, {
    scope: scopeCondition(rules.among, 'tickets', 't'),
    titled: scopeCondition(rules.titled, 'tickets', 't'),
    position: query.position,
    category: query.category,
    radiusM: query.radiusM,
    since: new Date(Date.now() - query.days * 86400_000),
  });
  return { items };
}

// ---------------------------------------------------------------------------------------------
// Intake

export interface TicketInput {
  category: TicketCategory;
  channel?: TicketChannel;
  priority: 'normal' | 'urgent';
  title: string;
  description: string;
  position: [number, number];
  residentName?: string;
  residentPhone?: string;
  photoRef?: string;
}

const DEFAULT_CHANNEL: Partial<Record<Actor['role'], TicketChannel>> = {
  city: 'hotline_12345',
  gridworker: 'grid_patrol',
  sentinel: 'sentinel',
  community: 'walk_in',
};

export function deadline(category: TicketCategory, priority: 'normal' | 'urgent', from: Date) {
  const hours = TICKET_DEADLINE_HOURS[category][priority === 'urgent' ? 1 : 0];
  return new Date(from.getTime() + hours * 3600_000);
}

export async function createTicket(
  db: Db,
  actor: Actor | null,
  input: TicketInput,
  idempotencyKey: string | undefined,
) {
  const a = requireCapability(actor, 'tickets.create', 'register tickets');
  const fixed = fixedChannel(a);
  if (fixed && input.channel && input.channel !== fixed) {
    throw invalid(
      'sentinel_channel',
      `a part-time gridworker's tickets come from channel 'sentinel', not '${input.channel}'`,
      'channel',
    );
  }
  const channel = fixed ?? input.channel ?? DEFAULT_CHANNEL[a.role] ?? 'online';
  const result = await idempotentWrite(db, a, idempotencyKey, input, async (tx) => {
    const place = await placePoint(tx, input.position);
    if (!place) {
      throw invalid(
        'outside_city',
        `field 'position' [${input.position.join(', ')}] is not inside any grid of Lanzhou; pick a point inside the city's gridded area`,
        'position',
      );
    }
    assertInScope(a, place, 'register a ticket');
    const route = routeTicket(input.category, { hasCompany: place.propertyCompanyId !== null });
    const department =
      route.kind === 'department' ? await r.departmentByCode(tx, route.code) : undefined;
    const now = new Date();
    const code = await nextDailyCode(tx, 'tickets', 'T', now, 5);
    const id = await q.insertTicket(tx, {
      code,
      category: input.category,
      channel,
      priority: input.priority,
      title: input.title,
      description: input.description,
      residentName: input.residentName ?? null,
      residentPhone: input.residentPhone ?? null,
      photoRef: input.photoRef ?? null,
      position: input.position,
      place: { ...place, compoundId: place.compoundId },
      propertyCompanyId: route.kind === 'property_company' ? place.propertyCompanyId : null,
      departmentId: department?.id ?? null,
      reporterAccountId: a.accountId,
      receivedAt: now,
      dueAt: deadline(input.category, input.priority, now),
    });
    const channelName = TICKET_CHANNELS.find((c) => c.key === channel)!.zh;
    await q.insertTicketEvent(tx, {
      ticketId: id,
      at: now,
      status: 'received',
      actor: a.displayName,
      accountId: a.accountId,
      note: `${channelName}受理：${input.title}`,
    });
    const state = await q.lockTicket(tx, id, { kind: 'all' });
    await insertAudit(tx, a, {
      action: 'ticket.create',
      entity: 'ticket',
      entityId: id,
      areaPath: areaPath(state!),
      after: { ...snapshot(state!), channel, title: input.title },
    });
    await notify(tx, ticketEvent(state!, a, 'created', now));
    return { id };
  });
  return { ...result, body: await ticketDetail(db, a, result.body.id) };
}

function assertInScope(a: Actor, place: PlaceIds, doing: string) {
  if (a.scope.kind !== 'city' && a.scope.kind !== 'area') {
    throw forbidden('missing_capability', `A ${a.role} account may not ${doing}.`);
  }
  if (!inMyArea(a, place)) {
    throw forbidden(
      'outside_scope',
      `That point is outside your area (${a.scope.name}); a ${a.role} account may only ${doing} inside it.`,
      'position',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

export interface TransitionInput {
  action: TicketAction;
  note?: string;
  responder?: { kind: 'property_company' | 'department' | 'community'; id?: number | null };
  satisfaction?: number;
  duplicateOf?: number;
}

type Who = 'hub' | 'responder' | 'callback';

/** Whether this actor plays the part an action needs on this ticket. */
function plays(a: Actor, who: Who, t: q.TicketState): boolean {
  switch (who) {
    case 'hub':
      return a.can.has('tickets.dispatch');
    case 'callback':
      return a.can.has('tickets.callback');
    case 'responder':
      if (!a.can.has('tickets.handle')) return false;
      if (t.propertyCompanyId !== null) {
        return a.scope.kind === 'property_company' && a.scope.id === t.propertyCompanyId;
      }
      if (t.departmentId !== null) {
        return a.scope.kind === 'department' && a.scope.id === t.departmentId;
      }
      // The community answers itself: its cadres and gridworkers (area accounts that handle).
      return a.scope.kind === 'area';
  }
}

export function allowedActions(a: Actor, t: q.TicketState): TicketAction[] {
  return TICKET_ACTIONS.filter(
    (x) => (x.from as readonly string[]).includes(t.status) && plays(a, x.by, t),
  ).map((x) => x.key);
}

export async function transitionTicket(
  db: Db,
  actor: Actor | null,
  id: number,
  input: TransitionInput,
) {
  const a = requireCapability(actor, 'tickets.read', 'change tickets');
  const spec = TICKET_ACTIONS.find((x) => x.key === input.action)!;
  await db.kysely.transaction().execute(async (tx) => {
    const t = await q.lockTicket(tx, id, readRule(a, 'tickets'));
    if (!t) throw notFound('ticket_not_found', `No ticket with id ${id} in your area`);
    if (!(spec.from as readonly string[]).includes(t.status)) {
      const now = allowedActions(a, t);
      throw conflict(
        'invalid_transition',
        `Ticket ${t.code} is '${t.status}'; '${input.action}' needs ${spec.from.map((s) => `'${s}'`).join(' or ')}. ` +
          (now.length ? `You may now: ${now.join(', ')}.` : 'You can take no action on it now.'),
      );
    }
    if (!plays(a, spec.by, t)) {
      throw forbidden(
        spec.by === 'responder' ? 'not_responder' : 'missing_capability',
        spec.by === 'responder'
          ? `Only the body the ticket is dispatched to may '${input.action}' it.`
          : `A ${a.role} account may not '${input.action}' a ticket.`,
      );
    }
    const now = new Date();
    const next = { ...snapshot(t), status: spec.to as string };
    switch (input.action) {
      case 'dispatch':
      case 'transfer': {
        const target = await resolveResponder(tx, t, input.responder, input.action === 'dispatch');
        if (
          input.action === 'transfer' &&
          target.propertyCompanyId === t.propertyCompanyId &&
          target.departmentId === t.departmentId
        ) {
          throw invalid(
            'same_responder',
            `field 'responder' must name another body to transfer the ticket to`,
            'responder',
          );
        }
        next.propertyCompanyId = target.propertyCompanyId;
        next.departmentId = target.departmentId;
        break;
      }
      case 'return':
        requireNote(input, 'why the ticket is returned');
        break;
      case 'resolve':
        requireNote(input, 'what was done');
        next.resolvedAt = now.toISOString();
        break;
      case 'close':
        if (input.satisfaction === undefined) {
          throw invalid(
            'field_missing',
            `field 'satisfaction' (1 to 5, the resident's rating at the callback) is required to close`,
            'satisfaction',
          );
        }
        next.closedAt = now.toISOString();
        next.satisfaction = input.satisfaction;
        break;
      case 'reopen':
        requireNote(input, 'why the ticket is reopened');
        next.resolvedAt = null;
        next.closedAt = null;
        next.satisfaction = null;
        next.dueAt = deadline(t.category as TicketCategory, t.priority, now).toISOString();
        break;
      case 'reject_duplicate': {
        if (input.duplicateOf === undefined) {
          throw invalid(
            'field_missing',
            `field 'duplicateOf' (the id of the ticket this one repeats) is required`,
            'duplicateOf',
          );
        }
        if (input.duplicateOf === t.id)
          throw invalid('self_duplicate', `a ticket cannot duplicate itself`, 'duplicateOf');
        const original = await q.ticketExists(
          tx,
          input.duplicateOf,
          scopeCondition(readRule(a, 'tickets'), 'tickets', 't'),
        );
        if (!original)
          throw invalid(
            'no_such_ticket',
            `field 'duplicateOf': no ticket ${input.duplicateOf} in your area`,
            'duplicateOf',
          );
        if (original.status === 'rejected_duplicate') {
          throw invalid(
            'duplicate_of_duplicate',
            `field 'duplicateOf': ticket ${input.duplicateOf} is itself a duplicate; name the original`,
            'duplicateOf',
          );
        }
        next.duplicateOf = input.duplicateOf;
        next.closedAt = now.toISOString();
        break;
      }
      case 'accept':
      case 'start':
        break;
    }
    await q.updateTicket(tx, t.id, {
      status: next.status,
      propertyCompanyId: next.propertyCompanyId,
      departmentId: next.departmentId,
      dueAt: new Date(next.dueAt),
      resolvedAt: next.resolvedAt ? new Date(next.resolvedAt) : null,
      closedAt: next.closedAt ? new Date(next.closedAt) : null,
      satisfaction: next.satisfaction,
      duplicateOf: next.duplicateOf,
      at: now,
    });
    await q.insertTicketEvent(tx, {
      ticketId: t.id,
      at: now,
      status: next.status,
      actor: a.displayName,
      accountId: a.accountId,
      note: eventNote(input, spec.zh),
    });
    await insertAudit(tx, a, {
      action: `ticket.${input.action}`,
      entity: 'ticket',
      entityId: t.id,
      areaPath: areaPath(t),
      before: snapshot(t),
      after: next,
    });
    const after: q.TicketState = {
      ...t,
      status: next.status as q.TicketState['status'],
      propertyCompanyId: next.propertyCompanyId,
      departmentId: next.departmentId,
    };
    await notify(tx, ticketEvent(after, a, 'updated', now));
    if (input.action === 'close' || input.action === 'reject_duplicate') {
      // A whistle about a ticket that is finished has nothing left to chase.
      await resolveWhistlesOfTicket(tx, a, t.id, now, `诉求${spec.zh}`);
    }
  });
  return ticketDetail(db, a, id);
}

/**
 * The bodies a ticket can be dispatched or transferred to (转派 picker): those that can serve its
 * place, as the transition accepts them. Only for accounts that dispatch (403), on tickets they
 * can read (404).
 */
export async function transferTargets(db: Db, actor: Actor | null, id: number) {
  const a = requireCapability(actor, 'tickets.read', 'read tickets');
  const t = await q.findTicket(db, id, scopeCondition(readRule(a, 'tickets'), 'tickets', 't'));
  if (!t) throw notFound('ticket_not_found', `No ticket with id ${id} in your area`);
  if (!plays(a, 'hub', t as unknown as q.TicketState)) {
    throw forbidden(
      'missing_capability',
      `A ${a.role} account may not dispatch or transfer tickets.`,
    );
  }
  return {
    targets: await r.respondersForPlace(db, {
      compoundId: t.compoundId as number | null,
      communityId: t.communityId as number,
    }),
  };
}

function requireNote(input: TransitionInput, what: string) {
  if (!input.note?.trim()) throw invalid('field_missing', `field 'note' must say ${what}`, 'note');
}

function eventNote(input: TransitionInput, label: string): string {
  const parts = [input.note?.trim() || label];
  if (input.satisfaction !== undefined) parts.push(`满意度 ${input.satisfaction}/5`);
  if (input.duplicateOf !== undefined) parts.push(`重复于 #${input.duplicateOf}`);
  return parts.join('；');
}

async function resolveResponder(
  tx: Executor,
  t: q.TicketState,
  responder: TransitionInput['responder'],
  keepDefault: boolean,
): Promise<{ propertyCompanyId: number | null; departmentId: number | null }> {
  if (!responder) {
    if (keepDefault)
      return { propertyCompanyId: t.propertyCompanyId, departmentId: t.departmentId };
    throw invalid('field_missing', `field 'responder' ({ kind, id }) is required`, 'responder');
  }
  switch (responder.kind) {
    case 'community':
      return { propertyCompanyId: null, departmentId: null };
    case 'property_company': {
      if (responder.id == null)
        throw invalid(
          'field_missing',
          `field 'responder.id' (a property company id) is required`,
          'responder.id',
        );
      if (responder.id !== t.compoundCompanyId) {
        throw invalid(
          t.compoundCompanyId === null ? 'no_property_company' : 'not_managing_company',
          t.compoundCompanyId === null
            ? `this ticket's place has no property company (无物业); dispatch it to a department or the community`
            : `property company ${responder.id} does not manage this compound; its company is ${t.compoundCompanyId}`,
          'responder.id',
        );
      }
      return { propertyCompanyId: responder.id, departmentId: null };
    }
    case 'department': {
      if (responder.id == null)
        throw invalid(
          'field_missing',
          `field 'responder.id' (a department id) is required`,
          'responder.id',
        );
      const d = await r.departmentsByIds(tx, [responder.id]);
      if (d.length === 0)
        throw invalid(
          'no_such_department',
          `field 'responder.id': no department ${responder.id}`,
          'responder.id',
        );
      return { propertyCompanyId: null, departmentId: responder.id };
    }
  }
}

function snapshot(t: q.TicketState) {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    status: t.status as string,
    propertyCompanyId: t.propertyCompanyId,
    departmentId: t.departmentId,
    dueAt: iso(t.dueAt)!,
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    satisfaction: t.satisfaction,
    duplicateOf: t.duplicateOf,
  };
}

export function areaPath(t: {
  districtId: number;
  subdistrictId: number;
  communityId: number;
  gridId: number;
  compoundId: number | null;
}) {
  return [t.districtId, t.subdistrictId, t.communityId, t.gridId, t.compoundId];
}

function ticketEvent(t: q.TicketState, a: Actor, op: 'created' | 'updated', at: Date): LiveEvent {
  return {
    kind: 'ticket',
    op,
    id: t.id,
    code: t.code,
    status: t.status,
    category: t.category,
    position: t.position,
    areaIds: {
      district: t.districtId,
      subdistrict: t.subdistrictId,
      community: t.communityId,
      grid: t.gridId,
      compound: t.compoundId,
    },
    at: at.toISOString(),
    actor: a.displayName,
    audience: {
      propertyCompanyIds: t.propertyCompanyId === null ? [] : [t.propertyCompanyId],
      departmentIds: t.departmentId === null ? [] : [t.departmentId],
      reporterAccountId: t.reporterAccountId,
      compoundCompanyId: t.compoundCompanyId,
    },
  };
}

export const TICKET_CATEGORY_KEYS = TICKET_CATEGORIES.map((c) => c.key);

/**
 * The workspace list as a file: the list's rows (no resident's name or phone, as the list) for
 * the same filters and order, every page of them, in batches.
 */
export function exportTicketRows(
  db: Db,
  actor: Actor | null,
  f: Omit<q.TicketListFilter, 'scope' | 'limit' | 'offset'>,
) {
  const a = requireCapability(actor, 'tickets.read', 'read tickets');
  const source: q.TicketExportSource = {
    kind: 'list',
    filter: { ...f, scope: scopeCondition(readRule(a, 'tickets'), 'tickets', 't') },
  };
  return keysetBatches(
    (after: q.TicketExportKey | null, size) => q.ticketExportBatch(db, source, after, size),
    (row) => q.ticketExportKey(source, row),
    exportPace(db.kind),
  );
}

/**
 * The ticket layer as a file: what the actor's map layer holds (ticketLayer), every record of
 * the filter rather than the newest `limit`: planners get category, status, times and position.
 */
export function exportTicketLayer(
  db: Db,
  layer: PointLayer,
  filter: Omit<q.TicketFilter, 'scope' | 'limit'>,
) {
  const source: q.TicketExportSource = {
    kind: 'layer',
    fields: layer.fields,
    filter: { ...filter, scope: scopeCondition(layer.rule, 'tickets', 't') },
  };
  return keysetBatches(
    (after: q.TicketExportKey | null, size) => q.ticketExportBatch(db, source, after, size),
    (row) => q.ticketExportKey(source, row),
    exportPace(db.kind),
  );
}
