/**
 * 督办问责: a company on a month's black list gets a supervision case with a deadline and an
 * accountable department, opened by the city (for the city-wide or any district's list) or by a
 * district (for its own district's list); moved to rectifying; closed with the outcome and the
 * accountability (问责), which closing requires. One active case per company at a time. Every
 * step is audited; every holder of credit.read reads the cases of the companies it reads.
 */
import { CASE_DEFAULT_DAYS } from '../../geo/credit-method.ts';
import { beijingDate } from '../../geo/periods.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as sq from '../db/queries/supervision.ts';
import type { Actor } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { requireCreditReader, checkedPeriod } from './credit.ts';
import { conflict, invalid, notFound } from './domain-error.ts';

export const CASE_TEXT_MAX = 500;
export const CASE_ACTIONS = ['rectify', 'close'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Where an actor may open and steer cases: the city everywhere, a district in its own. */
export function caseRights(actor: Actor) {
  const manages = actor.can.has('supervision.manage');
  const city = actor.scope.kind === 'city';
  const district =
    actor.scope.kind === 'area' && actor.scope.level === 'district' ? actor.scope.id : null;
  const mayManage = (caseDistrict: number | null) =>
    manages && (city || (district !== null && caseDistrict === district));
  return { mayOpenIn: mayManage, mayManage, district, city };
}

export async function listSupervisionCases(
  db: Db,
  actor: Actor | null,
  f: {
    company?: number;
    district?: number;
    status?: 'active' | 'closed' | 'overdue';
    limit: number;
    offset: number;
  },
) {
  const { only } = requireCreditReader(actor);
  return sq.listCases(db.kysely, { only, companyId: f.company, ...f });
}

const bad = (field: string, message: string) =>
  invalid('field_invalid', `parameter '${field}' must ${message}`, field);

export async function openSupervisionCase(
  db: Db,
  actor: Actor | null,
  input: {
    companyId: number;
    period: string;
    districtId?: number | null;
    departmentId: number;
    dueOn?: string;
    reason?: string;
  },
) {
  const a = requireCapability(actor, 'supervision.manage', 'open supervision cases');
  const rights = caseRights(a);
  const period = checkedPeriod(input.period);
  // A district opens cases of its own district's list; naming another district finds nothing.
  const districtId = rights.city ? (input.districtId ?? null) : rights.district;
  if (!rights.city && input.districtId !== undefined && input.districtId !== rights.district)
    throw notFound(
      'district_not_found',
      `District ${input.districtId} is not yours.`,
      'districtId',
    );
  if (!rights.mayOpenIn(districtId))
    throw notFound(
      'district_not_found',
      'You open cases for your own district only.',
      'districtId',
    );
  const now = new Date();
  const today = beijingDate(now);
  const dueOn =
    input.dueOn ?? beijingDate(new Date(now.getTime() + CASE_DEFAULT_DAYS * 86_400_000));
  const latest = beijingDate(new Date(now.getTime() + 365 * 86_400_000));
  if (dueOn <= today || dueOn > latest)
    throw bad('dueOn', `be a day after today (${today}) and within a year`);
  const reason = (input.reason ?? '').trim();
  if (reason.length > CASE_TEXT_MAX) throw bad('reason', `be at most ${CASE_TEXT_MAX} characters`);
  return db.kysely.transaction().execute(async (tx) => {
    const company = await tx
      .selectFrom('property_companies')
      .select(['id', 'name'])
      .where('id', '=', input.companyId)
      .executeTakeFirst();
    if (!company)
      throw notFound(
        'company_not_found',
        `There is no property company ${input.companyId}.`,
        'companyId',
      );
    if (!(await sq.departmentExists(tx, input.departmentId)))
      throw bad('departmentId', 'be the id of a department');
    if (!(await sq.isBlackListed(tx, input.companyId, period, districtId)))
      throw conflict(
        'not_black_listed',
        `${company.name} is not on the ${period.slice(0, 7)} black list ${districtId === null ? 'of the city' : 'of the district'}.`,
        'companyId',
      );
    const active = await sq.activeCaseOf(tx, input.companyId);
    if (active)
      throw conflict(
        'case_active',
        `${company.name} already has an active case ${active.code}.`,
        'companyId',
      );
    const id = await sq.insertCase(tx, {
      companyId: input.companyId,
      period,
      districtId,
      departmentId: input.departmentId,
      reason: reason || `${period.slice(0, 7)} 红黑榜黑榜`,
      openedAt: now,
      dueOn,
    });
    const after = (await sq.findCase(tx, id))!;
    await insertAudit(tx, a, {
      action: 'supervision.open',
      entity: 'supervision_case',
      entityId: id,
      areaPath: districtId === null ? [] : [districtId],
      after,
    });
    return after;
  });
}

export async function transitionSupervisionCase(
  db: Db,
  actor: Actor | null,
  id: number,
  input: { action: CaseAction; outcome?: string; accountability?: string },
) {
  const a = requireCapability(actor, 'supervision.manage', 'steer supervision cases');
  const rights = caseRights(a);
  const outcome = input.outcome?.trim() ?? '';
  const accountability = input.accountability?.trim() ?? '';
  if (input.action === 'close') {
    if (!outcome) throw bad('outcome', 'be the outcome of the rectification (1 to 500 characters)');
    if (!accountability)
      throw bad('accountability', 'be the accountability (问责) decided (1 to 500 characters)');
  }
  if (outcome.length > CASE_TEXT_MAX)
    throw bad('outcome', `be at most ${CASE_TEXT_MAX} characters`);
  if (accountability.length > CASE_TEXT_MAX)
    throw bad('accountability', `be at most ${CASE_TEXT_MAX} characters`);
  return db.kysely.transaction().execute(async (tx) => {
    const before = await sq.findCase(tx, id, true);
    if (!before || !rights.mayManage(before.districtId))
      throw notFound('case_not_found', `No supervision case ${id} of yours.`, 'id');
    const from: Record<CaseAction, readonly string[]> = {
      rectify: ['open'],
      close: ['open', 'rectifying'],
    };
    if (!from[input.action].includes(before.status))
      throw conflict(
        'case_state',
        `Case ${before.code} is ${before.status}: it cannot ${input.action}.`,
      );
    if (input.action === 'rectify') {
      await sq.updateCase(tx, id, { status: 'rectifying' });
    } else {
      await sq.updateCase(tx, id, {
        status: 'closed',
        closedAt: new Date(),
        outcome,
        accountability,
      });
    }
    const after = (await sq.findCase(tx, id))!;
    await insertAudit(tx, a, {
      action: `supervision.${input.action}`,
      entity: 'supervision_case',
      entityId: id,
      areaPath: before.districtId === null ? [] : [before.districtId],
      before,
      after,
    });
    return after;
  });
}
