/**
 * 物业纠纷人民调解: the committees' figures, the cases and their steps, and the k-anonymous map.
 *
 * Who reaches what (docs/mediation.md):
 * - officials (mediation.read) read the cases of their area (placeRule), never the parties, and
 *   counts; small monthly figures (under k) are withheld from them;
 * - a mediator (mediation.cases, bound to a mediator of one committee) reads its committee's cases
 *   and moves its own; the parties are shown on its own cases only; the committee's director sees
 *   and moves every case of the committee;
 * - the map shows counts only, k-anonymised (geo/k-anonymity.ts) over the reader's whole scope.
 */
import { K_ANONYMITY, kAnonymize, type KNode } from '../../geo/k-anonymity.ts';
import {
  isEnded,
  nextSteps,
  OUTCOMES_OF,
  stepProblem,
  type CaseCategory,
  type CaseKind,
  type CaseOutcome,
  type CaseStep,
} from '../../geo/mediation.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/mediation.ts';
import { findPlace } from '../db/queries/party.ts';
import { placeMatches, placeRule, type Actor, type PlaceRule } from '../policy.ts';
import { signedIn } from './actors.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { beijingToday } from './party.ts';

/** The seed's figures for one property group over a year, the panel's yardstick. */
export const CALIBRATION = {
  rooms: 7,
  mediators: 73,
  complaints: 371,
  consultations: 1473,
  disputesResolved: 142,
} as const;

export interface Reader {
  actor: Actor;
  scope: q.CaseScope;
  /** the mediator the account is (mediators only) */
  me: q.MediatorSelf | null;
}

/** Who is reading, and which cases it reaches: 401 for the public, 403 without a capability. */
export async function readerOf(db: Db, actor: Actor | null): Promise<Reader> {
  const a = signedIn(actor);
  if (a.can.has('mediation.cases')) {
    const me = await q.mediatorOfAccount(db, a.accountId);
    if (!me) throw forbidden('not_a_mediator', 'This account is not bound to an active mediator.');
    return { actor: a, scope: { kind: 'committee', committeeId: me.committeeId }, me };
  }
  if (a.can.has('mediation.read'))
    return { actor: a, scope: { kind: 'place', rule: placeRule(a, 'mediation.read') }, me: null };
  throw forbidden('missing_capability', `A ${a.role} account may not read mediation cases.`);
}

/** A scope key for caching: readers with the same scope share answers. */
export function scopeKey(r: Reader): string {
  return JSON.stringify(r.scope);
}

/** The area asked for (404 outside an official's reach), or none. */
async function areaFor(db: Db, r: Reader, areaId: number | undefined) {
  if (areaId === undefined) return null;
  const place = await findPlace(db, areaId);
  // A committee's cases may lie anywhere its sponsor works: any area is in a mediator's reach.
  const reach: PlaceRule = r.scope.kind === 'committee' ? { kind: 'all' } : r.scope.rule;
  if (!place || !placeMatches(reach, place.path, place.companyId))
    throw notFound('area_not_found', `There is no area ${areaId} in your reach.`, 'area');
  return place;
}

const yearAgo = () => {
  const d = new Date(`${beijingToday()}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
};

const withheld = (n: number, exact: boolean) => (exact || n === 0 || n >= K_ANONYMITY ? n : null);

/** The committees reaching the scope, with rooms, mediators and the year's cases; monthly figures. */
export async function overview(db: Db, actor: Actor | null, areaId: number | undefined) {
  const r = await readerOf(db, actor);
  const place = await areaFor(db, r, areaId);
  const since = yearAgo();
  const [committees, months] = await Promise.all([
    q.committeesOf(db, r.scope, place?.id ?? null, since),
    q.monthlyFigures(db, r.scope, place?.id ?? null, since),
  ]);
  // Mediators know their committee's exact figures; an official sees a small one as withheld.
  const exact = r.me !== null;
  const hide = <T extends Record<string, unknown>>(row: T, keys: (keyof T)[]) => {
    const out: Record<string, unknown> = { ...row };
    for (const k of keys) out[k as string] = withheld(row[k] as number, exact);
    return out as { [K in keyof T]: K extends (typeof keys)[number] ? number | null : T[K] };
  };
  const figureKeys = ['complaints', 'consultations', 'disputes', 'resolved'] as const;
  return {
    area: place ? { id: place.id, name: place.name, level: place.level } : null,
    since,
    k: K_ANONYMITY,
    exact,
    me: r.me
      ? {
          mediatorId: r.me.id,
          name: r.me.name,
          post: r.me.post,
          committeeId: r.me.committeeId,
          committeeName: r.me.committeeName,
        }
      : null,
    calibration: CALIBRATION,
    committees: committees.map((c) => hide(c, [...figureKeys, 'open'])),
    months: months.map((m) => hide(m, [...figureKeys])),
    mediators: r.me ? await q.committeeMediators(db, r.me.committeeId) : [],
  };
}

export interface CaseQuery {
  area?: number;
  kind?: CaseKind;
  status?: 'open' | 'ended' | q.CaseFilter['status'];
  mine?: boolean;
  limit: number;
  offset: number;
}

/** Whether the reader sees this case's parties: its own mediator, or the committee's director. */
function seesParties(r: Reader, c: { committeeId: number; mediatorId: number | null }) {
  if (!r.me || r.me.committeeId !== c.committeeId) return false;
  return r.me.post === 'director' || r.me.id === c.mediatorId;
}

function present(r: Reader, { path: _path, ...c }: q.CaseRow) {
  const inCommittee = r.me !== null && r.me.committeeId === c.committeeId;
  return {
    ...c,
    // The building narrows a case to a few households: for the committee only.
    buildingId: inCommittee ? c.buildingId : null,
    buildingName: inCommittee ? c.buildingName : null,
    mine: r.me !== null && r.me.id === c.mediatorId,
    identities: seesParties(r, c),
  };
}

export async function listCases(db: Db, actor: Actor | null, f: CaseQuery) {
  const r = await readerOf(db, actor);
  const place = await areaFor(db, r, f.area);
  const page = await q.listCases(db, r.scope, {
    area: place?.id ?? null,
    kind: f.kind,
    status: f.status,
    mine: f.mine && r.me ? r.me.id : null,
    limit: f.limit,
    offset: f.offset,
  });
  return {
    items: page.items.map((c) => present(r, c)),
    total: page.total,
    limit: f.limit,
    offset: f.offset,
  };
}

/** A case in the reader's reach, or 404 (another area's, another committee's, or none). */
async function caseFor(db: Db, r: Reader, id: number) {
  const c = await q.findCase(db.kysely, id);
  const reach =
    c &&
    (r.scope.kind === 'committee'
      ? c.committeeId === r.scope.committeeId
      : placeMatches(r.scope.rule, c.path, c.companyId));
  if (!c || !reach) throw notFound('case_not_found', `There is no case ${id} in your reach.`, 'id');
  return c;
}

function mayMove(r: Reader, c: { committeeId: number; mediatorId: number | null }) {
  return (
    r.me !== null &&
    r.me.committeeId === c.committeeId &&
    (r.me.post === 'director' || r.me.id === c.mediatorId)
  );
}

export async function caseDetail(db: Db, actor: Actor | null, id: number) {
  const r = await readerOf(db, actor);
  const c = await caseFor(db, r, id);
  const open = seesParties(r, c);
  const [steps, parties] = await Promise.all([
    q.caseSteps(db.kysely, id),
    open ? q.caseParties(db.kysely, id) : Promise.resolve(null),
  ]);
  const { companyId: _c, ...row } = c;
  const canMove = mayMove(r, c);
  return {
    ...present(r, row),
    summary: c.summary,
    agreement: c.agreement,
    parties,
    steps,
    canMove,
    nextSteps: canMove ? nextSteps(c.kind, c.status) : [],
    outcomes: OUTCOMES_OF[c.kind],
  };
}

export interface NewCaseBody {
  kind: CaseKind;
  category: CaseCategory;
  compoundId: number;
  buildingId?: number;
  summary: string;
  receivedOn?: string;
  mediatorId?: number;
  parties: { side: 'applicant' | 'respondent'; name: string; phone?: string }[];
}

/** A mediator's reader, or 403 (officials read, they do not work cases) / 401. */
async function workerOf(db: Db, actor: Actor | null, doing: string) {
  const a = signedIn(actor);
  if (!a.can.has('mediation.cases'))
    throw forbidden('missing_capability', `A ${a.role} account may not ${doing}.`);
  const r = await readerOf(db, a);
  return r as Reader & { me: q.MediatorSelf };
}

/** 受理: a mediator registers a case of its committee in a compound the committee serves. */
export async function createCase(db: Db, actor: Actor | null, body: NewCaseBody) {
  const r = await workerOf(db, actor, 'register mediation cases');
  const today = beijingToday();
  const receivedOn = body.receivedOn ?? today;
  if (receivedOn > today)
    throw invalid(
      'date_in_future',
      `parameter 'receivedOn' must be today (${today}) or earlier`,
      'receivedOn',
    );
  const compound = await q.compoundServed(db, r.me.committeeId, body.compoundId);
  if (!compound)
    throw invalid(
      'compound_not_served',
      `parameter 'compoundId' must be a compound that ${r.me.committeeName} serves`,
      'compoundId',
    );
  if (
    body.buildingId !== undefined &&
    !(await q.buildingInCompound(db, body.buildingId, body.compoundId))
  )
    throw invalid(
      'building_not_in_compound',
      `parameter 'buildingId' must be a building of compound ${body.compoundId}`,
      'buildingId',
    );
  const mediatorId = body.mediatorId ?? r.me.id;
  if (mediatorId !== r.me.id) {
    if (r.me.post !== 'director')
      throw forbidden(
        'director_only',
        'Only the committee’s director assigns a case to another mediator.',
        'mediatorId',
      );
    if (!(await q.mediatorInCommittee(db, mediatorId, r.me.committeeId)))
      throw invalid(
        'mediator_not_in_committee',
        `parameter 'mediatorId' must be an active mediator of ${r.me.committeeName}`,
        'mediatorId',
      );
  }
  if (!body.parties.some((p) => p.side === 'applicant'))
    throw invalid('no_applicant', `parameter 'parties' must include the applicant`, 'parties');
  const created = await db.kysely.transaction().execute(async (tx) => {
    const c = await q.insertCase(tx, {
      committeeId: r.me.committeeId,
      kind: body.kind,
      category: body.category,
      compoundId: body.compoundId,
      buildingId: body.buildingId ?? null,
      path: compound.path,
      mediatorId,
      summary: body.summary,
      receivedOn,
      parties: body.parties.map((p) => ({ side: p.side, name: p.name, phone: p.phone ?? null })),
      accountId: r.actor.accountId,
    });
    // The audit log is read by area officials: no party's name or phone in it.
    await insertAudit(tx, r.actor, {
      action: 'mediation_case.create',
      entity: 'mediation_case',
      entityId: c.id,
      areaPath: compound.path,
      before: null,
      after: {
        code: c.code,
        kind: body.kind,
        category: body.category,
        compoundId: body.compoundId,
        mediatorId,
        receivedOn,
        parties: body.parties.length,
      },
    });
    return c;
  });
  return caseDetail(db, r.actor, created.id);
}

/** The audit action of each step (spelt out: the audit labels test reads them from here). */
const STEP_AUDIT = {
  investigating: { action: 'mediation_case.investigating' },
  mediating: { action: 'mediation_case.mediating' },
  closed: { action: 'mediation_case.closed' },
  transferred: { action: 'mediation_case.transferred' },
  terminated: { action: 'mediation_case.terminated' },
} as const satisfies Record<CaseStep, { action: string }>;

export interface StepBody {
  step: CaseStep;
  onDate?: string;
  note?: string;
  outcome?: CaseOutcome;
  agreement?: string;
}

/** 调查 / 调解 / 结案 / 转交 / 终止: the case's mediator (or the director) moves it one step. */
export async function moveCase(db: Db, actor: Actor | null, id: number, body: StepBody) {
  const r = await workerOf(db, actor, 'move mediation cases');
  const c = await caseFor(db, r, id);
  if (!mayMove(r, c))
    throw forbidden(
      'not_your_case',
      `Case ${c.code} is another mediator's; only its mediator or the director moves it.`,
    );
  const problem = stepProblem(c.kind, c.status, body.step, body.outcome);
  if (problem) throw conflict('step_out_of_order', `Case ${c.code}: ${problem}.`);
  const closing = body.step === 'closed';
  if (closing && (!body.outcome || !OUTCOMES_OF[c.kind].includes(body.outcome)))
    throw invalid(
      'bad_outcome',
      `parameter 'outcome' must be one of ${OUTCOMES_OF[c.kind].join(', ')} for a ${c.kind}`,
      'outcome',
    );
  if (!closing && body.outcome !== undefined)
    throw invalid(
      'outcome_not_closing',
      `parameter 'outcome' is given only when closing (step 'closed')`,
      'outcome',
    );
  if (closing && body.outcome === 'success' && !body.agreement)
    throw invalid(
      'agreement_missing',
      `parameter 'agreement' must state the agreement of a successful mediation`,
      'agreement',
    );
  const today = beijingToday();
  const onDate = body.onDate ?? today;
  const last = await q.lastStepOn(db.kysely, id);
  if (onDate > today || onDate < last)
    throw invalid(
      'step_date',
      `parameter 'onDate' must be from ${last} (the last step) to today (${today})`,
      'onDate',
    );
  const ended = isEnded(body.step);
  const to = {
    status: body.step,
    outcome: closing ? body.outcome! : null,
    agreement: closing && body.outcome === 'success' ? body.agreement! : null,
    closedOn: ended ? onDate : null,
  };
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.moveCase(tx, id, c.status, to)))
      throw conflict('case_moved', `Case ${c.code} was moved meanwhile; reload it.`);
    await q.insertStep(tx, id, {
      step: body.step,
      onDate,
      note: body.note ?? null,
      mediatorId: r.me.id,
      accountId: r.actor.accountId,
    });
    await insertAudit(tx, r.actor, {
      action: STEP_AUDIT[body.step].action,
      entity: 'mediation_case',
      entityId: id,
      areaPath: c.path,
      before: { status: c.status },
      after: { status: body.step, outcome: to.outcome, onDate, note: body.note ?? null },
    });
  });
  return caseDetail(db, r.actor, id);
}

/**
 * The map: the children of an area (the reader's own by default) with their case counts over the
 * last year, only where k-anonymity lets them show, and the area's own count and rest.
 */
export async function caseMap(db: Db, actor: Actor | null, areaId: number | undefined) {
  const r = await readerOf(db, actor);
  const home =
    areaId ??
    (r.scope.kind === 'place' && r.scope.rule.kind === 'subtree' ? r.scope.rule.areaId : undefined);
  const place = await areaFor(db, r, home);
  const since = yearAgo();
  const rows = await q.caseCounts(db, r.scope, since);
  const nodes = new Map<string, KNode>();
  const add = (id: string, parent: string | null, own: number) => {
    const n = nodes.get(id);
    if (n) n.own += own;
    else nodes.set(id, { id, parent, own });
  };
  add('root', null, 0);
  for (const row of rows) {
    let parent = 'root';
    for (const [i, areaIdOf] of row.path.entries()) {
      const id = `a${areaIdOf}`;
      const last = i === row.path.length - 1;
      add(id, parent, last && row.buildingId === null ? row.n : 0);
      parent = id;
    }
    if (row.buildingId !== null) add(`b${row.buildingId}`, parent, row.n);
  }
  const result = kAnonymize([...nodes.values()], K_ANONYMITY);
  const key = place ? `a${place.id}` : 'root';
  const self = result.get(key);
  const shownChildren = self?.count
    ? [...nodes.values()].filter((n) => n.parent === key && result.get(n.id)!.count !== null)
    : [];
  const places = await q.placesOf(
    db,
    shownChildren.filter((n) => n.id.startsWith('a')).map((n) => Number(n.id.slice(1))),
    shownChildren.filter((n) => n.id.startsWith('b')).map((n) => Number(n.id.slice(1))),
  );
  const count = (kind: 'area' | 'building', id: number) =>
    result.get(`${kind === 'area' ? 'a' : 'b'}${id}`)!.count!;
  return {
    type: 'FeatureCollection' as const,
    k: K_ANONYMITY,
    since,
    area: place ? { id: place.id, name: place.name, level: place.level } : null,
    count: self?.count ?? null,
    rest: self?.rest ?? null,
    features: places
      .map((p) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: p.position },
        properties: {
          kind: p.kind,
          id: p.id,
          name: p.name,
          level: p.level,
          count: count(p.kind, p.id),
        },
      }))
      .sort((a, b) => b.properties.count - a.properties.count || a.properties.id - b.properties.id),
  };
}
