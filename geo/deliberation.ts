/**
 * 四方联席会议 and the three lists, as pure rules shared by the server, the seed and the web:
 * the proposal flow's state machine (which step may follow which stage, and the capability it
 * takes), the deadlines that make a proposal overdue, the topics and the ticket category each is
 * counted against, the evidence threshold, the matching rule (a resource's matches never exceed
 * what it offers) and the before/after arithmetic of a finished project.
 *
 * @example
 * nextStage('submitted', 'accept'); // 'accepted'
 * stepRefusal('published', 'accept'); // 'proposal 7 is published: …' (a 409)
 */

/** Where a proposal stands. */
export const PROPOSAL_STAGES = [
  'submitted',
  'returned',
  'rejected',
  'accepted',
  'decided',
  'published',
] as const;
export type ProposalStage = (typeof PROPOSAL_STAGES)[number];

/** The steps of the standard flow (业主建议 → 党组织审议 → 联席商议 → 结果公开). */
export const PROPOSAL_STEPS = [
  'submit',
  'resubmit',
  'accept',
  'return',
  'reject',
  'decide',
  'publish',
] as const;
export type ProposalStep = (typeof PROPOSAL_STEPS)[number];

export type StepCapability = 'deliberation.propose' | 'deliberation.manage';

/**
 * The flow: from which stage a step may be taken, the stage it leads to and the capability it
 * takes. `submit` creates a proposal (no stage before it).
 */
export const FLOW: Record<
  ProposalStep,
  { from: readonly ProposalStage[]; to: ProposalStage; capability: StepCapability }
> = {
  submit: { from: [], to: 'submitted', capability: 'deliberation.propose' },
  // A returned proposal comes back with the information asked for.
  resubmit: { from: ['returned'], to: 'submitted', capability: 'deliberation.propose' },
  // 党组织审议: the community party organisation accepts it to the joint meeting, returns it for
  // more information, or rejects it (both with a reason).
  accept: { from: ['submitted'], to: 'accepted', capability: 'deliberation.manage' },
  return: { from: ['submitted'], to: 'returned', capability: 'deliberation.manage' },
  reject: { from: ['submitted'], to: 'rejected', capability: 'deliberation.manage' },
  // 联席商议: a joint meeting decides accepted proposals (one meeting, several proposals).
  decide: { from: ['accepted'], to: 'decided', capability: 'deliberation.manage' },
  // 结果公开
  publish: { from: ['decided'], to: 'published', capability: 'deliberation.manage' },
};

/** The stage a step leads to from `stage`, or null when the step may not follow it. */
export function nextStage(stage: ProposalStage, step: ProposalStep): ProposalStage | null {
  const f = FLOW[step];
  return f.from.includes(stage) ? f.to : null;
}

/** Why a step may not follow a stage (the 409's message), or null when it may. */
export function stepRefusal(stage: ProposalStage, step: ProposalStep): string | null {
  if (nextStage(stage, step)) return null;
  const allowed = PROPOSAL_STEPS.filter((s) => FLOW[s].from.includes(stage));
  const after = allowed.length ? `it can be ${allowed.join(' or ')} now` : 'its flow has ended';
  const needs = FLOW[step].from.join(' or ') || 'no proposal yet';
  return `the proposal is ${stage}: ${step} needs a proposal that is ${needs}, and ${after}`;
}

/** The steps that may be taken next from a stage (what the panel offers). */
export function stepsFrom(stage: ProposalStage): ProposalStep[] {
  return PROPOSAL_STEPS.filter((s) => FLOW[s].from.includes(stage));
}

/** Days a stage may last before the proposal is overdue (审议 within 15 days, 商议 within 30). */
export const STAGE_DAYS: Partial<Record<ProposalStage, number>> = {
  submitted: 15,
  accepted: 30,
  returned: 30,
};

const DAY_MS = 86_400_000;

/** Adds days to a calendar date `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The date by which the current stage should be done: the stage's allowance from when it began,
 * or (decided) the action's deadline. Null for the ended stages (published, rejected).
 */
export function stageDeadline(p: {
  stage: ProposalStage;
  stagedOn: string;
  dueOn: string | null;
}): string | null {
  if (p.stage === 'decided') return p.dueOn;
  const days = STAGE_DAYS[p.stage];
  return days === undefined ? null : addDays(p.stagedOn, days);
}

/** Overdue: today is past the current stage's deadline. */
export function isOverdue(
  p: { stage: ProposalStage; stagedOn: string; dueOn: string | null },
  today: string,
): boolean {
  const d = stageDeadline(p);
  return d !== null && d < today;
}

/**
 * What proposals are about, and the ticket category each is counted against (evidence and the
 * before/after effect read tickets of that category in the compound).
 */
export const TOPICS = {
  parking: 'parking',
  pipes: 'facilities',
  elevator: 'facilities',
  greening: 'sanitation',
  property_service: 'property_service',
  facilities: 'facilities',
  safety: 'safety',
  elder_care: 'elder_child_care',
  sanitation: 'sanitation',
  other: 'other',
} as const;
export type Topic = keyof typeof TOPICS;
export const TOPIC_KEYS = Object.keys(TOPICS) as Topic[];
export type CountedCategory = (typeof TOPICS)[Topic];

export const categoryOfTopic = (topic: Topic): CountedCategory => TOPICS[topic];

/** The topic a ticket category's evidence becomes (the first topic counted against it). */
export function topicOfCategory(category: string): Topic {
  return TOPIC_KEYS.find((t) => TOPICS[t] === category) ?? 'other';
}

/** Map evidence: at least this many tickets of one category in a compound within the period. */
export const EVIDENCE_MIN_TICKETS = 5;
export const EVIDENCE_DAYS = 90;

/** The kinds of resources (资源清单) and the unit each is counted in. */
export const RESOURCE_UNITS = {
  space: 'm2',
  funds: 'yuan',
  volunteers: 'hours',
  unit: 'times',
} as const;
export type ResourceKind = keyof typeof RESOURCE_UNITS;
export const RESOURCE_KINDS = Object.keys(RESOURCE_UNITS) as ResourceKind[];

export const PROJECT_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Which project status may follow which (a finished or cancelled project stays so). */
export const PROJECT_FLOW: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planned: ['in_progress', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/**
 * The matching rule: what is left of a resource after its current matches, and whether
 * `amount` more fits. Amounts are in the resource's unit; cents count (funds).
 *
 * @example
 * resourceLeft(10000, [4000, 5000]); // 1000
 * fitsResource(10000, [4000, 5000], 1500); // false
 */
export function resourceLeft(capacity: number, matched: readonly number[]): number {
  const used = matched.reduce((s, a) => s + Math.round(a * 100), 0);
  return (Math.round(capacity * 100) - used) / 100;
}

export function fitsResource(capacity: number, matched: readonly number[], amount: number) {
  return (
    amount > 0 && Math.round(amount * 100) <= Math.round(resourceLeft(capacity, matched) * 100)
  );
}

/** Whether a resource can serve a need: it serves the need's compound or an area above it. */
export function servesCompound(resourcePath: readonly number[], compoundPath: readonly number[]) {
  const areaId = resourcePath[resourcePath.length - 1];
  return areaId !== undefined && compoundPath.includes(areaId);
}

/**
 * The effect window of a project finished on `completedOn`: equal windows before and after, the
 * after window as long as the time since completion allows (at most `maxDays`). Null when the
 * project is not finished or finished today.
 */
export function effectWindows(
  completedOn: string | null,
  today: string,
  maxDays = 90,
): { before: [string, string]; after: [string, string]; days: number } | null {
  if (!completedOn) return null;
  const since = Math.round((Date.parse(today) - Date.parse(completedOn)) / DAY_MS);
  const days = Math.min(maxDays, since);
  if (days < 1) return null;
  return {
    before: [addDays(completedOn, -days), completedOn],
    after: [completedOn, addDays(completedOn, days)],
    days,
  };
}

/** Before/after counts and their change (null change when there was nothing before). */
export function effectOf(before: number, after: number) {
  return {
    before,
    after,
    change: after - before,
    changeShare: before > 0 ? Math.round(((after - before) / before) * 1000) / 1000 : null,
  };
}
