/**
 * The vocabulary and rules of 物业纠纷人民调解, service points and 执法进小区, shared by the server
 * (validation, step rules), the seed and the web (labels, forms).
 *
 * A case moves 受理 (accepted) → 调查 (investigating) → 调解 (mediating) → 结案 (closed), or leaves
 * early as 转交 (transferred) or 终止 (terminated). A consultation may be closed straight from
 * accepted (answered); only a dispute is mediated. Closing names an outcome that fits the kind;
 * 调解成功 needs the agreement's text.
 *
 * @example
 * nextSteps('dispute', 'accepted'); // ['investigating', 'transferred', 'terminated']
 * stepProblem('dispute', 'accepted', 'closed', 'success'); // 'a dispute is closed only after mediation'
 */

export const CASE_KINDS = ['complaint', 'consultation', 'dispute'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_CATEGORIES = [
  'property_fee',
  'service_quality',
  'parking',
  'leak',
  'noise',
  'renovation',
  'common_area',
  'neighbour',
  'other',
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

export const CASE_STATUSES = [
  'accepted',
  'investigating',
  'mediating',
  'closed',
  'transferred',
  'terminated',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The steps a mediator records after 受理 (which is the case's creation). */
export const CASE_STEPS = [
  'investigating',
  'mediating',
  'closed',
  'transferred',
  'terminated',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

export const CASE_OUTCOMES = ['success', 'failed', 'litigation', 'answered', 'resolved'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** The outcomes a case of each kind may close with. */
export const OUTCOMES_OF: Record<CaseKind, readonly CaseOutcome[]> = {
  complaint: ['resolved', 'failed'],
  consultation: ['answered'],
  dispute: ['success', 'failed', 'litigation'],
};

const ENDED: ReadonlySet<CaseStatus> = new Set(['closed', 'transferred', 'terminated']);
export const isEnded = (s: CaseStatus) => ENDED.has(s);

/** The steps open to a case of this kind in this status. */
export function nextSteps(kind: CaseKind, status: CaseStatus): CaseStep[] {
  if (isEnded(status)) return [];
  const out: CaseStep[] = [];
  if (status === 'accepted' && kind !== 'consultation') out.push('investigating');
  if (status === 'investigating' && kind === 'dispute') out.push('mediating');
  if (kind !== 'dispute' || status === 'mediating') out.push('closed');
  out.push('transferred', 'terminated');
  return out;
}

/** Why this step may not be taken now (for a 409), or null when it may. */
export function stepProblem(
  kind: CaseKind,
  status: CaseStatus,
  step: CaseStep,
  outcome: CaseOutcome | undefined,
): string | null {
  if (isEnded(status)) return `the case is already ${status}`;
  if (nextSteps(kind, status).includes(step)) return null;
  if (step === 'closed' && kind === 'dispute') return 'a dispute is closed only after mediation';
  if (step === 'mediating' && kind !== 'dispute') return `a ${kind} is not mediated`;
  if (step === 'mediating') return 'a dispute is mediated only after investigation';
  if (step === 'investigating' && kind === 'consultation')
    return 'a consultation is not investigated';
  if (step === 'investigating') return `the case is already ${status}`;
  void outcome;
  return `the step ${step} does not follow ${status}`;
}

export const SERVICE_POINT_KINDS = [
  'party_service',
  'deliberation_hall',
  'mediation_room',
  'elder_care',
  'childcare',
  'legal_service',
  'police_room',
] as const;
export type ServicePointKind = (typeof SERVICE_POINT_KINDS)[number];

export const ENFORCEMENT_TOPICS = [
  'illegal_construction',
  'road_occupation',
  'fire_lane',
  'noise',
  'property_compliance',
  'sanitation',
  'other',
] as const;
export type EnforcementTopic = (typeof ENFORCEMENT_TOPICS)[number];
