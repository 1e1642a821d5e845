/**
 * 包抓落实: a red compound's responsible cadre and rectification plan with dated steps, followed
 * to its close. Rules:
 * - `ratings.followup` over the compound's place (an area official in its subtree); a compound
 *   outside `ratings.read` does not exist for the caller (404), one it reads but may not steer 403;
 * - a plan only for a compound red in one of the last FOLLOWUP_RED_MONTHS rated months (409),
 *   one open plan per compound (409), steps dated between today and the plan's deadline (400);
 * - the cadre's phone is personal data: masked without `party.personal` over the place.
 * Every write is audited with the plan before and after.
 */
import { beijingDate } from '../../geo/periods.ts';
import { FOLLOWUP_MAX_DAYS, FOLLOWUP_RED_MONTHS } from '../../geo/rating-method.ts';
import type { Followup } from '../contract/ratings.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as fq from '../db/queries/followups.ts';
import * as q from '../db/queries/ratings.ts';
import { placeMatches, placeRule } from '../policy.ts';
import { requireCapability, type Actor } from './actors.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';

export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '****' : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** A plan as the caller may see it: the phone masked without party.personal over the place. */
export function followupView(actor: Actor, f: fq.FollowupRow): Followup {
  const personal = placeMatches(placeRule(actor, 'party.personal'), f.areaPath, f.companyId);
  const today = beijingDate(new Date());
  const done = f.steps.filter((s) => s.doneAt !== null).length;
  return {
    id: f.id,
    compoundId: f.compoundId,
    compoundName: f.compoundName,
    areaPath: f.areaPath,
    period: f.period,
    cadre: {
      name: f.cadreName,
      post: f.cadrePost,
      phone: f.cadrePhone === null ? null : personal ? f.cadrePhone : maskPhone(f.cadrePhone),
      phoneMasked: f.cadrePhone !== null && !personal,
      accountId: f.cadreAccountId,
    },
    plan: f.plan,
    status: f.status,
    dueOn: f.dueOn,
    overdue: f.status === 'open' && f.dueOn < today,
    openedAt: f.openedAt,
    closedAt: f.closedAt,
    outcome: f.outcome,
    steps: f.steps.map((s) => ({
      ...s,
      overdue: f.status === 'open' && s.doneAt === null && s.dueOn < today,
    })),
    progress: { done, total: f.steps.length },
    colors: f.colors,
    canEdit:
      f.status === 'open' &&
      placeMatches(placeRule(actor, 'ratings.followup'), f.areaPath, f.companyId),
  };
}

/** The plan if the caller reads its compound's colours, else 404. */
async function readableFollowup(
  ex: Parameters<typeof fq.followupById>[0],
  actor: Actor,
  id: number,
) {
  const f = await fq.followupById(ex, id);
  if (!f || !placeMatches(placeRule(actor, 'ratings.read'), f.areaPath, f.companyId))
    throw notFound('followup_not_found', `No follow-up plan with id ${id} in your area`);
  return f;
}

export async function followupDetail(db: Db, actor: Actor | null, id: number) {
  const a = requireCapability(actor, 'ratings.read', 'read follow-up plans');
  return followupView(a, await readableFollowup(db.kysely, a, id));
}

function requireSteering(actor: Actor, path: number[], companyId: number | null) {
  if (!placeMatches(placeRule(actor, 'ratings.followup'), path, companyId))
    throw forbidden(
      'missing_capability',
      `A ${actor.role} account may not follow up red compounds here.`,
    );
}

export interface NewFollowup {
  compoundId: number;
  cadre: { name: string; post?: string; phone?: string; accountId?: number };
  plan: string;
  dueOn: string;
  steps: { title: string; dueOn: string }[];
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function openFollowup(db: Db, actor: Actor | null, body: NewFollowup) {
  const a = requireCapability(actor, 'ratings.followup', 'follow up red compounds');
  const place = await q.compoundPlace(db, body.compoundId);
  if (!place || !placeMatches(placeRule(a, 'ratings.read'), place.path, place.companyId))
    throw notFound(
      'compound_not_found',
      `No compound with id ${body.compoundId} in your area`,
      'compoundId',
    );
  requireSteering(a, place.path, place.companyId);
  const today = beijingDate(new Date());
  const last = addDays(today, FOLLOWUP_MAX_DAYS);
  if (body.dueOn < today || body.dueOn > last)
    throw invalid(
      'due_out_of_range',
      `parameter 'dueOn' must be a date from today (${today}) to ${last}`,
      'dueOn',
    );
  body.steps.forEach((s, k) => {
    if (s.dueOn > body.dueOn)
      throw invalid(
        'step_after_deadline',
        `parameter 'steps.${k}.dueOn' must be on or before the plan's deadline ${body.dueOn}`,
        `steps.${k}.dueOn`,
      );
  });
  if (body.cadre.accountId !== undefined && !(await fq.accountExists(db, body.cadre.accountId)))
    throw invalid(
      'account_not_found',
      `parameter 'cadre.accountId' names no account (${body.cadre.accountId})`,
      'cadre.accountId',
    );
  const id = await db.kysely.transaction().execute(async (tx) => {
    const red = await fq.redInLastMonths(tx, body.compoundId, FOLLOWUP_RED_MONTHS);
    if (!red)
      throw conflict(
        'not_red',
        `${place.name} was not red in the last ${FOLLOWUP_RED_MONTHS} rated months: a follow-up plan is for red compounds.`,
        'compoundId',
      );
    const open = await fq.openFollowupId(tx, body.compoundId);
    if (open !== null)
      throw conflict(
        'followup_open',
        `${place.name} already has an open follow-up plan (id ${open}): close it first.`,
        'compoundId',
      );
    const newId = await fq.insertFollowup(tx, {
      compoundId: body.compoundId,
      areaPath: place.path,
      period: red,
      cadre: {
        name: body.cadre.name,
        post: body.cadre.post ?? '',
        phone: body.cadre.phone ?? null,
        accountId: body.cadre.accountId ?? null,
      },
      plan: body.plan,
      dueOn: body.dueOn,
      steps: body.steps,
    });
    const after = await fq.followupById(tx, newId);
    await insertAudit(tx, a, {
      action: 'followup.open',
      entity: 'rating_followup',
      entityId: newId,
      areaPath: place.path,
      after,
    });
    return newId;
  });
  return followupDetail(db, a, id);
}

/** Locks an open plan the caller may steer; 404 outside its reach, 409 once closed. */
async function lockOpen(tx: Parameters<typeof fq.lockFollowup>[0], a: Actor, id: number) {
  const locked = await fq.lockFollowup(tx, id);
  const f = await readableFollowup(tx, a, id);
  requireSteering(a, f.areaPath, f.companyId);
  if (!locked) throw notFound('followup_not_found', `No follow-up plan with id ${id} in your area`);
  if (locked.status !== 'open')
    throw conflict('followup_closed', `Follow-up plan ${id} is already ${locked.status}.`);
  return f;
}

export async function markStep(
  db: Db,
  actor: Actor | null,
  id: number,
  stepId: number,
  body: { done: boolean; note?: string },
) {
  const a = requireCapability(actor, 'ratings.followup', 'follow up red compounds');
  await db.kysely.transaction().execute(async (tx) => {
    const before = await lockOpen(tx, a, id);
    if (!(await fq.setStepDone(tx, id, stepId, body.done, body.note)))
      throw notFound('step_not_found', `Follow-up plan ${id} has no step ${stepId}`, 'stepId');
    await insertAudit(tx, a, {
      action: body.done ? 'followup.step_done' : 'followup.step_undone',
      entity: 'rating_followup',
      entityId: id,
      areaPath: before.areaPath,
      before: before.steps.find((s) => s.id === stepId),
      after: (await fq.followupById(tx, id))?.steps.find((s) => s.id === stepId),
    });
  });
  return followupDetail(db, a, id);
}

export async function closePlan(
  db: Db,
  actor: Actor | null,
  id: number,
  body: { status: 'done' | 'cancelled'; outcome: string },
) {
  const a = requireCapability(actor, 'ratings.followup', 'follow up red compounds');
  await db.kysely.transaction().execute(async (tx) => {
    const before = await lockOpen(tx, a, id);
    await fq.closeFollowup(tx, id, body.status, body.outcome);
    await insertAudit(tx, a, {
      action: body.status === 'done' ? 'followup.done' : 'followup.cancel',
      entity: 'rating_followup',
      entityId: id,
      areaPath: before.areaPath,
      before: { status: before.status },
      after: { status: body.status, outcome: body.outcome },
    });
  });
  return followupDetail(db, a, id);
}
