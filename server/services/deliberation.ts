/**
 * 四方联席会议 and the three lists. A proposal (议题) follows the standard flow of
 * geo/deliberation.ts: 业主建议 (deliberation.propose) → 党组织审议 → 联席商议 → 结果公开
 * (deliberation.manage); a step out of order is a 409 saying why. Needs, resources and projects
 * are kept by deliberation.manage; a match never takes more of a resource than it offers.
 *
 * Reads are scoped by placeRule(actor, 'deliberation.read'): another area's record is a 404, and
 * a reader without the capability (and the public) sees published results only, without the
 * proposer. Proposers' names and phones are unmasked only where the actor may manage (community
 * and up). Every write is audited with the compound's (or community's) path.
 */
import {
  categoryOfTopic,
  EVIDENCE_MIN_TICKETS,
  effectOf,
  effectWindows,
  fitsResource,
  nextStage,
  PROJECT_FLOW,
  RESOURCE_UNITS,
  servesCompound,
  stageDeadline,
  stepRefusal,
  stepsFrom,
  topicOfCategory,
  type ProjectStatus,
  type ProposalStage,
  type ProposalStep,
  type ResourceKind,
  type Topic,
} from '../../geo/deliberation.ts';
import { maskName, maskPhone } from '../../geo/party.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import * as q from '../db/queries/deliberation.ts';
import { placeMatches, placeRule, readRule, type Actor, type PlaceRule } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { conflict, forbidden, invalid, notFound, unauthenticated } from './domain-error.ts';
import { beijingToday } from './party.ts';

type Cap = 'deliberation.read' | 'deliberation.propose' | 'deliberation.manage';
const may = (a: Actor, cap: Cap, place: { path: number[]; companyId: number | null }) =>
  placeMatches(placeRule(a, cap), place.path, place.companyId);

/** Who reads what: the actor's read rule, or published results only (public, no capability). */
function readAccess(actor: Actor | null): {
  actor: Actor | null;
  rule: PlaceRule;
  published: boolean;
} {
  if (!actor || !actor.can.has('deliberation.read'))
    return { actor, rule: { kind: 'none' }, published: true };
  return { actor, rule: placeRule(actor, 'deliberation.read'), published: false };
}

/** The area a list is narrowed to: 404 when the reader cannot reach it (the public: any area). */
async function areaFor(
  db: Db,
  actor: Actor | null,
  rule: PlaceRule,
  published: boolean,
  id?: number,
) {
  if (id === undefined) return null;
  const place = await q.findPlace(db.kysely, id);
  if (!place) throw notFound('area_not_found', `There is no area ${id}.`, 'area');
  // A company reads its compounds wherever they are: an area narrows its list, never refuses.
  if (!published && rule.kind === 'subtree' && !placeMatches(rule, place.path, place.companyId))
    throw notFound('area_not_found', `There is no area ${id} in your reach.`, 'area');
  return place;
}

/** An actor that holds `cap` somewhere at all (else 403 before any input is looked at). */
function holding(a: Actor, cap: Cap, doing: string): Actor {
  if (!a.can.has(cap))
    throw forbidden('missing_capability', `A ${a.role} account may not ${doing}.`);
  return a;
}

// ── presenting proposals ────────────────────────────────────────────────────────────────────

/** What the public (and readers without the capability) see of a published result. */
function publicProposal(p: q.ProposalRow) {
  return {
    id: p.id,
    compoundId: p.compoundId,
    compoundName: p.compoundName,
    topic: p.topic,
    category: p.category,
    title: p.title,
    stage: p.stage,
    submittedAt: p.submittedAt,
    decision: p.decision,
    result: p.result,
    publishedOn: p.publishedOn,
    position: p.position,
  };
}

function presentProposal(p: q.ProposalRow, a: Actor) {
  const open = may(a, 'deliberation.manage', p);
  const { path: _path, companyId: _c, ...rest } = p;
  return {
    ...rest,
    proposerName: p.proposerName === null || open ? p.proposerName : maskName(p.proposerName),
    proposerPhone: p.proposerPhone === null || open ? p.proposerPhone : maskPhone(p.proposerPhone),
    masked: !open && p.proposerName !== null,
    deadline: stageDeadline(p),
    nextSteps: stepsFrom(p.stage).filter((s) => {
      const cap = s === 'resubmit' ? 'deliberation.propose' : 'deliberation.manage';
      return may(a, cap, p);
    }),
  };
}

export interface ProposalQuery {
  area?: number;
  compound?: number;
  stage?: ProposalStage | 'open';
  topic?: Topic;
  category?: string;
  overdue?: boolean;
  limit: number;
  offset: number;
}

export async function listProposals(db: Db, actor: Actor | null, f: ProposalQuery) {
  const { rule, published } = readAccess(actor);
  const area = await areaFor(db, actor, rule, published, f.area);
  const today = beijingToday();
  const stage = published && f.stage !== undefined && f.stage !== 'published' ? null : f.stage;
  if (stage === null)
    return { items: [], total: 0, limit: f.limit, offset: f.offset, counts: {}, published };
  const [page, counts] = await Promise.all([
    q.listProposals(db, rule, {
      areaId: area?.id ?? null,
      compoundId: f.compound,
      stage,
      topic: f.topic,
      category: f.category,
      overdue: published ? undefined : f.overdue,
      publishedOnly: published,
      limit: f.limit,
      offset: f.offset,
      today,
    }),
    q.proposalCounts(db, rule, area?.id ?? null, published, today),
  ]);
  return {
    items: page.items.map((p) =>
      published || !actor ? publicProposal(p) : presentProposal(p, actor),
    ),
    total: page.total,
    limit: f.limit,
    offset: f.offset,
    counts: Object.fromEntries(counts.map((c) => [c.stage, { count: c.n, overdue: c.overdue }])),
    published,
  };
}

/** A proposal the actor may read: 401/403/404 as the house rules say. */
async function readable(db: Db, actor: Actor | null, id: number) {
  const p = await q.findProposal(db.kysely, id, beijingToday());
  const { rule, published } = readAccess(actor);
  if (p && published && p.stage === 'published') return { p, full: false as const };
  if (!actor && p) throw unauthenticated();
  if (!p || (!published && !placeMatches(rule, p.path, p.companyId)))
    throw notFound('proposal_not_found', `There is no proposal ${id} in your reach.`, 'id');
  if (published)
    throw forbidden(
      'missing_capability',
      `A ${actor!.role} account may not read proposals under deliberation.`,
    );
  return { p, full: true as const };
}

export async function proposal(db: Db, actor: Actor | null, id: number) {
  const { p, full } = await readable(db, actor, id);
  if (!full || !actor) {
    return { ...publicProposal(p), full: false as const };
  }
  const [steps, meeting, need] = await Promise.all([
    q.stepsOf(db.kysely, id),
    p.meetingId === null ? null : q.findMeeting(db.kysely, p.meetingId),
    q.listNeeds(db, { kind: 'all' }, { areaId: p.compoundId, limit: 50, offset: 0 }),
  ]);
  const evidence = p.evidence as { ticketIds?: number[] } | null;
  const tickets = await q.evidenceTickets(
    db,
    evidence?.ticketIds ?? [],
    readRule(actor, 'tickets'),
  );
  return {
    ...presentProposal(p, actor),
    full: true as const,
    steps,
    meeting: meeting && { ...meeting, path: undefined },
    // The ticket read rule decides which of the evidence's tickets open (a planner: none).
    tickets,
    needs: need.items
      .filter((n) => n.proposalId === id)
      .map((n) => ({ id: n.id, title: n.title, status: n.status, projects: n.projects })),
  };
}

// ── writes on proposals ─────────────────────────────────────────────────────────────────────

/** A compound the actor may write for with `cap`: 404 outside its read reach, 403 read-only. */
async function compoundFor(db: Executor, actor: Actor | null, id: number, cap: Cap, field: string) {
  // Read first: a record beyond the reader's reach is a 404 whatever it may do; then the step's
  // capability (403).
  const a = requireCapability(actor, 'deliberation.read', 'take part in deliberation');
  const place = await q.findPlace(db, id);
  if (!place || place.level !== 'compound' || !may(a, 'deliberation.read', place))
    throw notFound('compound_not_found', `There is no compound ${id} in your reach.`, field);
  if (!may(a, cap, place))
    throw forbidden(
      'missing_capability',
      `A ${a.role} account may not do this for compound ${id}.`,
    );
  return { a, place };
}

export interface ProposalBody {
  compoundId: number;
  topic: Topic;
  title: string;
  body?: string;
  source: 'owner' | 'resident';
  proposerName: string;
  proposerPhone?: string;
}

async function created(db: Db, a: Actor, id: number) {
  return presentProposal((await q.findProposal(db.kysely, id, beijingToday()))!, a);
}

/** 业主建议: an owner's or resident's proposal recorded on their behalf. */
export async function submit(db: Db, actor: Actor | null, b: ProposalBody) {
  const { a, place } = await compoundFor(
    db.kysely,
    actor,
    b.compoundId,
    'deliberation.propose',
    'compoundId',
  );
  const at = new Date();
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertProposal(tx, {
      compoundId: place.id,
      path: place.path,
      topic: b.topic,
      category: categoryOfTopic(b.topic),
      title: b.title,
      body: b.body ?? '',
      source: b.source,
      proposerName: b.proposerName,
      proposerPhone: b.proposerPhone ?? null,
      evidence: null,
      at,
      accountId: a.accountId,
    });
    await q.insertStep(tx, {
      proposalId: id,
      step: 'submit',
      at,
      accountId: a.accountId,
      actor: a.displayName,
      fields: { source: b.source },
    });
    await insertAudit(tx, a, {
      action: 'proposal.submit',
      entity: 'proposal',
      entityId: id,
      areaPath: place.path,
      before: null,
      after: {
        stage: 'submitted',
        compoundId: place.id,
        topic: b.topic,
        title: b.title,
        source: b.source,
      },
    });
    return id;
  });
  return created(db, a, id);
}

export interface EvidenceBody {
  compoundId: number;
  category: string;
  days: number;
  kind: 'tickets' | 'hotspot';
  title?: string;
  /** The planner's hotspot as it was seen (cell, resolution, statistic): kept in the snapshot. */
  hotspot?: { cell: string; res: number; z?: number; classification?: string };
}

/**
 * Map evidence → proposal: the compound's tickets of the category in the last `days` become the
 * proposal's evidence snapshot (category, period, counts, ticket ids). Fewer than the threshold,
 * or an open proposal on the same category there already: 409.
 */
export async function fromEvidence(db: Db, actor: Actor | null, b: EvidenceBody) {
  const { a, place } = await compoundFor(
    db.kysely,
    actor,
    b.compoundId,
    'deliberation.propose',
    'compoundId',
  );
  const to = new Date();
  const from = new Date(to.getTime() - b.days * 86_400_000);
  const ticketIds = await q.clusterTickets(db.kysely, place.id, b.category, from, to);
  if (ticketIds.length < EVIDENCE_MIN_TICKETS)
    throw conflict(
      'evidence_too_thin',
      `Compound ${place.id} has ${ticketIds.length} tickets of ${b.category} in the last ${b.days} days; evidence needs at least ${EVIDENCE_MIN_TICKETS}.`,
      'category',
    );
  const open = await q.listProposals(
    db,
    { kind: 'all' },
    {
      areaId: null,
      compoundId: place.id,
      stage: 'open',
      category: b.category,
      publishedOnly: false,
      limit: 1,
      offset: 0,
      today: beijingToday(),
    },
  );
  if (open.total > 0)
    throw conflict(
      'proposal_exists',
      `Proposal ${open.items[0]!.id} on ${b.category} in this compound is still open: add to it instead.`,
      'category',
    );
  const topic = topicOfCategory(b.category);
  const evidence = {
    kind: b.kind,
    category: b.category,
    from: from.toISOString(),
    to: to.toISOString(),
    days: b.days,
    count: ticketIds.length,
    ticketIds,
    ...(b.hotspot ? { hotspot: b.hotspot } : {}),
  };
  const title =
    b.title ?? `${place.name}: ${ticketIds.length} tickets (${b.category}) in ${b.days} days`;
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertProposal(tx, {
      compoundId: place.id,
      path: place.path,
      topic,
      category: b.category,
      title: title.slice(0, 80),
      body: '',
      source: 'evidence',
      proposerName: null,
      proposerPhone: null,
      evidence,
      at: to,
      accountId: a.accountId,
    });
    await q.insertStep(tx, {
      proposalId: id,
      step: 'submit',
      at: to,
      accountId: a.accountId,
      actor: a.displayName,
      fields: { source: 'evidence', kind: b.kind, count: ticketIds.length },
    });
    await insertAudit(tx, a, {
      action: 'proposal.from_evidence',
      entity: 'proposal',
      entityId: id,
      areaPath: place.path,
      before: null,
      after: {
        stage: 'submitted',
        compoundId: place.id,
        category: b.category,
        kind: b.kind,
        count: ticketIds.length,
      },
    });
    return id;
  });
  return created(db, a, id);
}

/** A proposal for a step: 404 outside read reach, 403 without the step's capability, 409 out of order. */
async function forStep(db: Db, actor: Actor | null, id: number, step: ProposalStep) {
  const cap = step === 'resubmit' ? 'deliberation.propose' : 'deliberation.manage';
  const a = requireCapability(actor, 'deliberation.read', 'take part in deliberation');
  const p = await q.findProposal(db.kysely, id, beijingToday());
  if (!p || !may(a, 'deliberation.read', p))
    throw notFound('proposal_not_found', `There is no proposal ${id} in your reach.`, 'id');
  if (!may(a, cap, p))
    throw forbidden('missing_capability', `A ${a.role} account may not ${step} proposal ${id}.`);
  const why = stepRefusal(p.stage, step);
  if (why) throw conflict('step_out_of_order', `Proposal ${id}: ${why}.`);
  return { a, p, to: nextStage(p.stage, step)! };
}

/** The audit action of each review or publication step (the audit log's labels list them). */
const STEP_AUDIT = {
  accept: { action: 'proposal.accept' },
  return: { action: 'proposal.return' },
  reject: { action: 'proposal.reject' },
  resubmit: { action: 'proposal.resubmit' },
  publish: { action: 'proposal.publish' },
} as const;

async function takeStep(
  db: Db,
  actor: Actor | null,
  id: number,
  step: 'accept' | 'return' | 'reject' | 'resubmit' | 'publish',
  fields: Record<string, string | undefined>,
  set: Parameters<typeof q.moveProposal>[5] = {},
) {
  const { a, p, to } = await forStep(db, actor, id, step);
  const at = new Date();
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.moveProposal(tx, id, p.stage, to, at, set)))
      throw conflict('step_out_of_order', `Proposal ${id} moved on meanwhile; reload it.`);
    await q.insertStep(tx, {
      proposalId: id,
      step,
      at,
      accountId: a.accountId,
      actor: a.displayName,
      fields,
    });
    await insertAudit(tx, a, {
      ...STEP_AUDIT[step],
      entity: 'proposal',
      entityId: id,
      areaPath: p.path,
      before: { stage: p.stage },
      after: { stage: to, ...fields },
    });
  });
  return created(db, a, id);
}

/** 党组织审议: accepted to the joint meeting. */
export const accept = (db: Db, actor: Actor | null, id: number, note?: string) =>
  takeStep(db, actor, id, 'accept', { note });
/** 党组织审议: returned for more information, with what is missing. */
export const returnProposal = (db: Db, actor: Actor | null, id: number, reason: string) =>
  takeStep(db, actor, id, 'return', { reason });
/** 党组织审议: rejected, with the reason. */
export const reject = (db: Db, actor: Actor | null, id: number, reason: string) =>
  takeStep(db, actor, id, 'reject', { reason });
/** A returned proposal comes back with the information asked for (appended to its text). */
export async function resubmit(db: Db, actor: Actor | null, id: number, addition: string) {
  const p = await q.findProposal(db.kysely, id, beijingToday());
  const body = p ? `${p.body}${p.body ? '\n\n' : ''}${addition}` : addition;
  return takeStep(db, actor, id, 'resubmit', { addition }, { body });
}
/** 结果公开: the result is published (public from then on). */
export async function publish(
  db: Db,
  actor: Actor | null,
  id: number,
  b: { result: string; publishedOn?: string },
) {
  const today = beijingToday();
  const on = b.publishedOn ?? today;
  if (on > today)
    throw invalid(
      'date_in_future',
      `parameter 'publishedOn' must be today (${today}) or earlier`,
      'publishedOn',
    );
  return takeStep(
    db,
    actor,
    id,
    'publish',
    { result: b.result, publishedOn: on },
    { result: b.result, publishedOn: on },
  );
}

export interface MeetingBody {
  heldAt: string;
  place: string;
  attendees: {
    side: 'party' | 'committee' | 'company' | 'department' | 'other';
    name: string;
    unit?: string;
  }[];
  minutes: string;
  decisions: { proposalId: number; decision: string; actionOwner: string; dueOn: string }[];
}

/**
 * 联席商议: a joint meeting of one community decides its accepted proposals (one or several). The
 * "1+3+N" must sit: the party organisation and at least the owners' committee or the company.
 */
export async function holdMeeting(db: Db, actor: Actor | null, b: MeetingBody) {
  const a = holding(
    requireCapability(actor, 'deliberation.read', 'take part in deliberation'),
    'deliberation.manage',
    'hold joint meetings',
  );
  const heldAt = new Date(b.heldAt);
  if (Number.isNaN(heldAt.getTime()))
    throw invalid(
      'bad_time',
      `parameter 'heldAt' must be a date-time like 2026-11-26T09:30:00+08:00`,
      'heldAt',
    );
  if (heldAt.getTime() > Date.now() + 3_600_000)
    throw invalid(
      'date_in_future',
      `parameter 'heldAt' must not be in the future: record a meeting once held`,
      'heldAt',
    );
  const sides = new Set(b.attendees.map((x) => x.side));
  if (!sides.has('party') || !(sides.has('committee') || sides.has('company')))
    throw invalid(
      'attendees_incomplete',
      `parameter 'attendees' must include the party organisation and the owners' committee or the property company (1+3+N)`,
      'attendees',
    );
  const ids = b.decisions.map((d) => d.proposalId);
  if (new Set(ids).size !== ids.length)
    throw invalid(
      'duplicate_proposal',
      `parameter 'decisions' names a proposal twice`,
      'decisions',
    );
  const heldOn = new Date(heldAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  b.decisions.forEach((d, i) => {
    if (d.dueOn < heldOn)
      throw invalid(
        'due_before_meeting',
        `parameter 'decisions.${i}.dueOn' must be on or after the meeting's day (${heldOn})`,
        `decisions.${i}.dueOn`,
      );
  });
  const today = beijingToday();
  const proposals = await Promise.all(ids.map((id) => q.findProposal(db.kysely, id, today)));
  let community: number | undefined;
  proposals.forEach((p, i) => {
    if (!p || !may(a, 'deliberation.read', p))
      throw notFound(
        'proposal_not_found',
        `There is no proposal ${ids[i]} in your reach.`,
        `decisions.${i}.proposalId`,
      );
    if (!may(a, 'deliberation.manage', p))
      throw forbidden('missing_capability', `A ${a.role} account may not decide proposal ${p.id}.`);
    const why = stepRefusal(p.stage, 'decide');
    if (!why && heldAt.getTime() < Date.parse(p.stagedAt))
      throw invalid(
        'meeting_before_acceptance',
        `parameter 'heldAt' must be after proposal ${p.id} was accepted (${p.stagedAt})`,
        'heldAt',
      );
    if (why)
      throw conflict('step_out_of_order', `Proposal ${p.id}: ${why}.`, `decisions.${i}.proposalId`);
    const c = p.path[2];
    if (community !== undefined && c !== community)
      throw invalid(
        'mixed_communities',
        `parameter 'decisions' must name proposals of one community's compounds`,
        `decisions.${i}.proposalId`,
      );
    community = c;
  });
  const cPlace = await q.findPlace(db.kysely, community!);
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertMeeting(tx, {
      communityId: cPlace!.id,
      path: cPlace!.path,
      heldAt,
      place: b.place,
      attendees: b.attendees,
      minutes: b.minutes,
      accountId: a.accountId,
    });
    for (const [i, d] of b.decisions.entries()) {
      const p = proposals[i]!;
      if (
        !(await q.moveProposal(tx, p.id, 'accepted', 'decided', heldAt, {
          meetingId: id,
          decision: d.decision,
          actionOwner: d.actionOwner,
          dueOn: d.dueOn,
        }))
      )
        throw conflict('step_out_of_order', `Proposal ${p.id} moved on meanwhile; reload it.`);
      await q.insertStep(tx, {
        proposalId: p.id,
        step: 'decide',
        at: heldAt,
        accountId: a.accountId,
        actor: a.displayName,
        fields: { meetingId: id, decision: d.decision, actionOwner: d.actionOwner, dueOn: d.dueOn },
      });
      await insertAudit(tx, a, {
        action: 'proposal.decide',
        entity: 'proposal',
        entityId: p.id,
        areaPath: p.path,
        before: { stage: 'accepted' },
        after: {
          stage: 'decided',
          meetingId: id,
          decision: d.decision,
          actionOwner: d.actionOwner,
          dueOn: d.dueOn,
        },
      });
    }
    await insertAudit(tx, a, {
      action: 'joint_meeting.hold',
      entity: 'joint_meeting',
      entityId: id,
      areaPath: cPlace!.path,
      before: null,
      after: {
        heldAt: heldAt.toISOString(),
        place: b.place,
        attendees: b.attendees.length,
        proposals: ids,
      },
    });
    return id;
  });
  const m = (await q.findMeeting(db.kysely, id))!;
  return { ...m, path: undefined };
}

export async function meetings(
  db: Db,
  actor: Actor | null,
  f: { area?: number; limit: number; offset: number },
) {
  const a = requireCapability(actor, 'deliberation.read', 'read joint meetings');
  const rule = placeRule(a, 'deliberation.read');
  const area = await areaFor(db, a, rule, false, f.area);
  const page = await q.listMeetings(db, rule, area?.id ?? null, f.limit, f.offset);
  return {
    items: page.items.map(({ path: _p, ...m }) => m),
    total: page.total,
    limit: f.limit,
    offset: f.offset,
  };
}

/** The map: proposals by stage per compound (zoom ≥ 13) or per subdistrict; public: published. */
export async function map(db: Db, actor: Actor | null, f: { area?: number; zoom: number }) {
  const { rule, published } = readAccess(actor);
  const area = await areaFor(db, actor, rule, published, f.area);
  const byCompound = f.zoom >= 13;
  const rows = await q.proposalMap(db, rule, {
    areaId: area?.id ?? null,
    publishedOnly: published,
    byCompound,
    today: beijingToday(),
  });
  return {
    type: 'FeatureCollection' as const,
    level: byCompound ? ('compound' as const) : ('subdistrict' as const),
    published,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.id,
      geometry: { type: 'Point' as const, coordinates: r.position },
      properties: {
        id: r.id,
        name: r.name,
        level: r.level,
        total: r.total,
        submitted: r.submitted,
        returned: r.returned,
        rejected: r.rejected,
        accepted: r.accepted,
        decided: r.decided,
        published: r.published,
        overdue: r.overdue,
        latestId: r.latestId,
        latestTitle: r.latestTitle,
        latestStage: r.latestStage,
      },
    })),
  };
}

/** Ticket clusters that could become proposals (≥ threshold tickets of one category in a compound). */
export async function evidence(
  db: Db,
  actor: Actor | null,
  f: { area?: number; category?: string; days: number; min: number; limit: number },
) {
  const a = requireCapability(actor, 'deliberation.propose', 'turn map evidence into proposals');
  const rule = placeRule(a, 'deliberation.propose');
  const area = await areaFor(db, a, rule, false, f.area);
  const items = await q.ticketClusters(db, rule, area?.id ?? null, {
    days: f.days,
    min: Math.max(f.min, EVIDENCE_MIN_TICKETS),
    now: new Date(),
    category: f.category,
    limit: f.limit,
  });
  return { days: f.days, min: Math.max(f.min, EVIDENCE_MIN_TICKETS), items };
}

// ── the three lists ─────────────────────────────────────────────────────────────────────────

const strip = <T extends { path: number[]; companyId?: number | null }>({
  path: _p,
  companyId: _c,
  ...r
}: T) => r;

export async function needs(
  db: Db,
  actor: Actor | null,
  f: { area?: number; status?: string; limit: number; offset: number },
) {
  const a = requireCapability(actor, 'deliberation.read', 'read the needs list');
  const rule = placeRule(a, 'deliberation.read');
  const area = await areaFor(db, a, rule, false, f.area);
  const page = await q.listNeeds(db, rule, { ...f, areaId: area?.id ?? null });
  return { items: page.items.map(strip), total: page.total, limit: f.limit, offset: f.offset };
}

export interface NeedBody {
  proposalId?: number;
  compoundId?: number;
  topic?: Topic;
  title?: string;
  category?: string;
  days?: number;
}

/**
 * 需求清单: a need from a proposal past review (accepted, decided or published), or straight
 * from a ticket cluster of a compound (its tickets as the evidence).
 */
export async function addNeed(db: Db, actor: Actor | null, b: NeedBody) {
  const a = holding(
    requireCapability(actor, 'deliberation.read', 'take part in deliberation'),
    'deliberation.manage',
    'keep the needs list',
  );
  const at = new Date();
  let v: Parameters<typeof q.insertNeed>[1];
  if (b.proposalId !== undefined) {
    const p = await q.findProposal(db.kysely, b.proposalId, beijingToday());
    if (!p || !may(a, 'deliberation.read', p))
      throw notFound(
        'proposal_not_found',
        `There is no proposal ${b.proposalId} in your reach.`,
        'proposalId',
      );
    if (!may(a, 'deliberation.manage', p))
      throw forbidden('missing_capability', `A ${a.role} account may not keep needs here.`);
    if (!['accepted', 'decided', 'published'].includes(p.stage))
      throw conflict(
        'step_out_of_order',
        `Proposal ${p.id} is ${p.stage}: a need comes from a proposal the party organisation accepted.`,
        'proposalId',
      );
    v = {
      compoundId: p.compoundId,
      path: p.path,
      topic: p.topic,
      category: p.category,
      title: b.title ?? p.title,
      source: 'proposal',
      proposalId: p.id,
      evidence: p.evidence,
      at,
      accountId: a.accountId,
    };
  } else {
    if (b.compoundId === undefined || b.category === undefined)
      throw invalid(
        'missing_field',
        `parameter 'proposalId' or 'compoundId' with 'category' is required`,
        b.compoundId === undefined ? 'compoundId' : 'category',
      );
    const { place } = await compoundFor(
      db.kysely,
      a,
      b.compoundId,
      'deliberation.manage',
      'compoundId',
    );
    const days = b.days ?? 90;
    const ticketIds = await q.clusterTickets(
      db.kysely,
      place.id,
      b.category,
      new Date(at.getTime() - days * 86_400_000),
      at,
    );
    if (ticketIds.length < EVIDENCE_MIN_TICKETS)
      throw conflict(
        'evidence_too_thin',
        `Compound ${place.id} has ${ticketIds.length} tickets of ${b.category} in ${days} days; a need from tickets needs at least ${EVIDENCE_MIN_TICKETS}.`,
        'category',
      );
    const topic = b.topic ?? topicOfCategory(b.category);
    v = {
      compoundId: place.id,
      path: place.path,
      topic,
      category: b.category,
      title: b.title ?? `${place.name}: ${b.category}`,
      source: 'tickets',
      proposalId: null,
      evidence: { kind: 'tickets', category: b.category, days, count: ticketIds.length, ticketIds },
      at,
      accountId: a.accountId,
    };
  }
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertNeed(tx, v);
    if (id === null)
      throw conflict(
        'need_exists',
        `Proposal ${b.proposalId} is on the needs list already.`,
        'proposalId',
      );
    await insertAudit(tx, a, {
      action: 'need.add',
      entity: 'need',
      entityId: id,
      areaPath: v.path,
      before: null,
      after: {
        compoundId: v.compoundId,
        title: v.title,
        source: v.source,
        proposalId: v.proposalId,
      },
    });
    return id;
  });
  return strip((await q.findNeed(db.kysely, id))!);
}

export async function resources(
  db: Db,
  actor: Actor | null,
  f: { area?: number; kind?: ResourceKind; limit: number; offset: number },
) {
  const a = requireCapability(actor, 'deliberation.read', 'read the resources list');
  const rule = placeRule(a, 'deliberation.read');
  const area = await areaFor(db, a, rule, false, f.area);
  const page = await q.listResources(db, rule, {
    areaId: area?.id ?? null,
    areaPath: area?.path ?? null,
    kind: f.kind,
    limit: f.limit,
    offset: f.offset,
  });
  return {
    items: page.items.map(({ path: _p, ...r }) => r),
    total: page.total,
    limit: f.limit,
    offset: f.offset,
  };
}

/** 资源清单: space, funds, volunteers or a unit's help offered to a community or a compound. */
export async function addResource(
  db: Db,
  actor: Actor | null,
  b: { areaId: number; kind: ResourceKind; name: string; provider: string; capacity: number },
) {
  const a = holding(
    requireCapability(actor, 'deliberation.read', 'take part in deliberation'),
    'deliberation.manage',
    'keep the resources list',
  );
  const place = await q.findPlace(db.kysely, b.areaId);
  if (!place || !may(a, 'deliberation.read', place))
    throw notFound('area_not_found', `There is no area ${b.areaId} in your reach.`, 'areaId');
  if (place.level !== 'community' && place.level !== 'compound')
    throw invalid(
      'not_compound_or_community',
      `parameter 'areaId' must be a community or a compound`,
      'areaId',
    );
  if (!may(a, 'deliberation.manage', place))
    throw forbidden('missing_capability', `A ${a.role} account may not keep resources here.`);
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertResource(tx, {
      areaId: place.id,
      path: place.path,
      kind: b.kind,
      name: b.name,
      provider: b.provider,
      capacity: b.capacity,
      unit: RESOURCE_UNITS[b.kind],
      at: new Date(),
      accountId: a.accountId,
    });
    await insertAudit(tx, a, {
      action: 'resource.add',
      entity: 'resource',
      entityId: id,
      areaPath: place.path,
      before: null,
      after: {
        areaId: place.id,
        kind: b.kind,
        name: b.name,
        provider: b.provider,
        capacity: b.capacity,
      },
    });
    return id;
  });
  const { path: _p, ...r } = (await q.findResource(db.kysely, id))!;
  return r;
}

async function withEffect(db: Db, p: q.ProjectRow) {
  const today = beijingToday();
  const w = effectWindows(p.completedOn, today);
  const effect = w
    ? {
        days: w.days,
        beforeWindow: { from: w.before[0], to: w.before[1] },
        afterWindow: { from: w.after[0], to: w.after[1] },
        ...effectOf(
          await q.ticketCount(db.kysely, p.compoundId, p.category, w.before[0], w.before[1]),
          await q.ticketCount(db.kysely, p.compoundId, p.category, w.after[0], w.after[1]),
        ),
      }
    : null;
  return { ...strip(p), effect };
}

export async function projects(
  db: Db,
  actor: Actor | null,
  f: { area?: number; status?: ProjectStatus; limit: number; offset: number },
) {
  const a = requireCapability(actor, 'deliberation.read', 'read the projects list');
  const rule = placeRule(a, 'deliberation.read');
  const area = await areaFor(db, a, rule, false, f.area);
  const page = await q.listProjects(db, rule, {
    ...f,
    areaId: area?.id ?? null,
    today: beijingToday(),
  });
  return { items: page.items.map(strip), total: page.total, limit: f.limit, offset: f.offset };
}

async function projectFor(db: Db, actor: Actor | null, id: number, cap: Cap) {
  const a = requireCapability(actor, 'deliberation.read', 'read projects');
  const p = await q.findProject(db.kysely, id, beijingToday());
  if (!p || !may(a, 'deliberation.read', p))
    throw notFound('project_not_found', `There is no project ${id} in your reach.`, 'id');
  if (!may(a, cap, p))
    throw forbidden('missing_capability', `A ${a.role} account may not change project ${id}.`);
  return { a, p };
}

/** A project with its matches, milestones and (finished) its before/after ticket counts. */
export async function project(db: Db, actor: Actor | null, id: number) {
  const { p } = await projectFor(db, actor, id, 'deliberation.read');
  return withEffect(db, p);
}

export interface ProjectBody {
  needId: number;
  title: string;
  owner: string;
  budget: number;
  startedOn: string;
  dueOn: string;
  milestones: { title: string; dueOn: string }[];
}

/** 项目清单: a need taken on as a project. */
export async function addProject(db: Db, actor: Actor | null, b: ProjectBody) {
  const a = holding(
    requireCapability(actor, 'deliberation.read', 'take part in deliberation'),
    'deliberation.manage',
    'keep the projects list',
  );
  const n = await q.findNeed(db.kysely, b.needId);
  if (!n || !may(a, 'deliberation.read', n))
    throw notFound('need_not_found', `There is no need ${b.needId} in your reach.`, 'needId');
  if (!may(a, 'deliberation.manage', n))
    throw forbidden('missing_capability', `A ${a.role} account may not start projects here.`);
  if (n.status === 'done' || n.status === 'closed')
    throw conflict(
      'need_closed',
      `Need ${n.id} is ${n.status}: it takes no new project.`,
      'needId',
    );
  if (b.dueOn < b.startedOn)
    throw invalid('due_before_start', `parameter 'dueOn' must be on or after 'startedOn'`, 'dueOn');
  b.milestones.forEach((m, i) => {
    if (m.dueOn < b.startedOn)
      throw invalid(
        'due_before_start',
        `parameter 'milestones.${i}.dueOn' must be on or after 'startedOn'`,
        `milestones.${i}.dueOn`,
      );
  });
  const id = await db.kysely.transaction().execute(async (tx) => {
    const id = await q.insertProject(tx, {
      needId: n.id,
      compoundId: n.compoundId,
      path: n.path,
      category: n.category,
      title: b.title,
      owner: b.owner,
      budget: b.budget,
      startedOn: b.startedOn,
      dueOn: b.dueOn,
      at: new Date(),
      accountId: a.accountId,
    });
    await q.insertMilestones(tx, id, b.milestones);
    if (n.status === 'open') await q.setNeedStatus(tx, n.id, 'matched');
    await insertAudit(tx, a, {
      action: 'project.add',
      entity: 'project',
      entityId: id,
      areaPath: n.path,
      before: null,
      after: {
        needId: n.id,
        title: b.title,
        owner: b.owner,
        budget: b.budget,
        dueOn: b.dueOn,
        milestones: b.milestones.length,
      },
    });
    return id;
  });
  return withEffect(db, (await q.findProject(db.kysely, id, beijingToday()))!);
}

/** A match: a resource committed to a project, never beyond what the resource has left (409). */
export async function match(
  db: Db,
  actor: Actor | null,
  id: number,
  b: { resourceId: number; amount: number },
) {
  const { a, p } = await projectFor(db, actor, id, 'deliberation.manage');
  if (p.status === 'done' || p.status === 'cancelled')
    throw conflict('project_closed', `Project ${id} is ${p.status}: it takes no more resources.`);
  const rule = placeRule(a, 'deliberation.read');
  await db.kysely.transaction().execute(async (tx) => {
    const r = await q.findResource(tx, b.resourceId, true);
    // Readable: inside the actor's area, or serving a place the actor reads (a community's funds).
    const reachable =
      r &&
      (rule.kind === 'all' ||
        servesCompound(r.path, p.path) ||
        (rule.kind === 'subtree' && r.path.includes(rule.areaId)));
    if (!r || !reachable)
      throw notFound(
        'resource_not_found',
        `There is no resource ${b.resourceId} serving project ${id}'s compound.`,
        'resourceId',
      );
    const fits = fitsResource(r.capacity, [r.used], b.amount);
    if (!servesCompound(r.path, p.path))
      throw conflict(
        'resource_elsewhere',
        `Resource ${r.id} serves ${r.areaName}, not project ${id}'s compound.`,
        'resourceId',
      );
    if (!fits)
      throw conflict(
        'resource_exhausted',
        `Resource ${r.id} has ${r.left} ${r.unit} left of ${r.capacity}; ${b.amount} does not fit.`,
        'amount',
      );
    const mid = await q.insertMatch(tx, {
      projectId: id,
      resourceId: r.id,
      amount: b.amount,
      at: new Date(),
      by: a.displayName,
      accountId: a.accountId,
    });
    if (mid === null)
      throw conflict(
        'already_matched',
        `Resource ${r.id} is matched to project ${id} already.`,
        'resourceId',
      );
    await insertAudit(tx, a, {
      action: 'project.match',
      entity: 'project',
      entityId: id,
      areaPath: p.path,
      before: { resourceUsed: r.used },
      after: { resourceId: r.id, amount: b.amount, resourceUsed: r.used + b.amount },
    });
  });
  return withEffect(db, (await q.findProject(db.kysely, id, beijingToday()))!);
}

export async function completeMilestone(
  db: Db,
  actor: Actor | null,
  id: number,
  milestoneId: number,
  on?: string,
) {
  const { a, p } = await projectFor(db, actor, id, 'deliberation.manage');
  const today = beijingToday();
  const day = on ?? today;
  if (day > today)
    throw invalid('date_in_future', `parameter 'on' must be today (${today}) or earlier`, 'on');
  const m = p.milestones.find((x) => x.id === milestoneId);
  if (!m)
    throw notFound(
      'milestone_not_found',
      `Project ${id} has no milestone ${milestoneId}.`,
      'milestoneId',
    );
  if (m.doneOn)
    throw conflict('milestone_done', `Milestone ${milestoneId} was done on ${m.doneOn}.`);
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.completeMilestone(tx, id, milestoneId, day)))
      throw conflict('milestone_done', `Milestone ${milestoneId} was done meanwhile.`);
    await insertAudit(tx, a, {
      action: 'project.milestone',
      entity: 'project',
      entityId: id,
      areaPath: p.path,
      before: { milestoneId, doneOn: null },
      after: { milestoneId, title: m.title, doneOn: day },
    });
  });
  return withEffect(db, (await q.findProject(db.kysely, id, today))!);
}

/** A project moves planned → in progress → done (every milestone done) or is cancelled. */
export async function setStatus(
  db: Db,
  actor: Actor | null,
  id: number,
  b: { status: ProjectStatus; on?: string },
) {
  const { a, p } = await projectFor(db, actor, id, 'deliberation.manage');
  if (!PROJECT_FLOW[p.status].includes(b.status))
    throw conflict(
      'step_out_of_order',
      `Project ${id} is ${p.status}: it can become ${PROJECT_FLOW[p.status].join(' or ') || 'nothing else'}.`,
      'status',
    );
  const open = p.milestones.filter((m) => !m.doneOn);
  if (b.status === 'done' && open.length)
    throw conflict(
      'milestones_open',
      `Project ${id} still has ${open.length} milestone(s) open: ${open.map((m) => m.title).join(', ')}.`,
      'status',
    );
  const today = beijingToday();
  const on = b.on ?? today;
  if (on > today)
    throw invalid('date_in_future', `parameter 'on' must be today (${today}) or earlier`, 'on');
  if (b.status === 'done' && on < p.startedOn)
    throw invalid(
      'due_before_start',
      `parameter 'on' must be on or after the project's start (${p.startedOn})`,
      'on',
    );
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.setProjectStatus(tx, id, p.status, b.status, b.status === 'done' ? on : null)))
      throw conflict('step_out_of_order', `Project ${id} changed meanwhile; reload it.`);
    if (b.status === 'done') await q.setNeedStatus(tx, p.needId, 'done');
    await insertAudit(tx, a, {
      action: 'project.status',
      entity: 'project',
      entityId: id,
      areaPath: p.path,
      before: { status: p.status },
      after: { status: b.status, completedOn: b.status === 'done' ? on : null },
    });
  });
  return withEffect(db, (await q.findProject(db.kysely, id, today))!);
}
