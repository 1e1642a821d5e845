import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';

export interface FollowupRow {
  id: number;
  compoundId: number;
  compoundName: string;
  areaPath: number[];
  companyId: number | null;
  period: string;
  cadreName: string;
  cadrePost: string;
  cadrePhone: string | null;
  cadreAccountId: number | null;
  plan: string;
  status: 'open' | 'done' | 'cancelled';
  dueOn: string;
  openedAt: string;
  closedAt: string | null;
  outcome: string | null;
  steps: {
    id: number;
    position: number;
    title: string;
    dueOn: string;
    doneAt: string | null;
    note: string;
  }[];
  colors: { period: string; color: 'red' | 'yellow' | 'blue'; score: number }[];
}

const FOLLOWUP_SELECT = sql`
  SELECT f.id, f.compound_id AS "compoundId", a.name AS "compoundName", f.area_path AS "areaPath",
    c.property_company_id AS "companyId", to_char(f.period, 'YYYY-MM-DD') AS period,
    f.cadre_name AS "cadreName", f.cadre_post AS "cadrePost", f.cadre_phone AS "cadrePhone",
    f.cadre_account_id AS "cadreAccountId", f.plan, f.status,
    to_char(f.due_on, 'YYYY-MM-DD') AS "dueOn", f.opened_at AS "openedAt",
    f.closed_at AS "closedAt", f.outcome,
    coalesce((SELECT json_agg(json_build_object('id', s.id, 'position', s.position,
        'title', s.title, 'dueOn', to_char(s.due_on, 'YYYY-MM-DD'), 'doneAt', s.done_at,
        'note', s.note) ORDER BY s.position)
      FROM rating_followup_steps s WHERE s.followup_id = f.id), '[]') AS steps,
    coalesce((SELECT json_agg(json_build_object('period', to_char(cr.period, 'YYYY-MM-DD'),
        'color', cr.color, 'score', round(cr.score::numeric, 1)) ORDER BY cr.period)
      FROM compound_ratings cr WHERE cr.compound_id = f.compound_id AND cr.period >= f.period), '[]')
      AS colors
  FROM rating_followups f JOIN areas a ON a.id = f.compound_id
  JOIN compounds c ON c.area_id = f.compound_id`;

export async function followupById(ex: Executor | Db['kysely'], id: number) {
  const r = await sql<FollowupRow>`${FOLLOWUP_SELECT} WHERE f.id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

/** A compound's plans, the open one first, then newest first. */
export async function followupsOfCompound(db: Db, compoundId: number) {
  const r = await sql<FollowupRow>`${FOLLOWUP_SELECT} WHERE f.compound_id = ${compoundId}
    ORDER BY (f.status = 'open') DESC, f.opened_at DESC LIMIT 20`.execute(db.kysely);
  return r.rows;
}

export async function openFollowupId(ex: Executor, compoundId: number) {
  const r = await sql<{ id: number }>`SELECT id FROM rating_followups
    WHERE compound_id = ${compoundId} AND status = 'open' FOR UPDATE`.execute(ex);
  return r.rows[0]?.id ?? null;
}

/** Whether the compound was red in one of the last `months` rated months. */
export async function redInLastMonths(
  ex: Executor | Db['kysely'],
  compoundId: number,
  months: number,
) {
  const r = await sql<{ red: string | null }>`
    SELECT to_char(max(cr.period), 'YYYY-MM-DD') AS red FROM compound_ratings cr
    WHERE cr.compound_id = ${compoundId} AND cr.color = 'red'
      AND cr.period IN (SELECT DISTINCT period FROM compound_ratings ORDER BY period DESC
        LIMIT ${months})`.execute(ex);
  return r.rows[0]?.red ?? null;
}

export async function insertFollowup(
  tx: Executor,
  f: {
    compoundId: number;
    areaPath: number[];
    period: string;
    cadre: { name: string; post: string; phone: string | null; accountId: number | null };
    plan: string;
    dueOn: string;
    steps: { title: string; dueOn: string }[];
  },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO rating_followups (compound_id, area_path, period, cadre_name, cadre_post,
      cadre_phone, cadre_account_id, plan, status, due_on, opened_at)
    VALUES (${f.compoundId}, ${f.areaPath}::int[], ${f.period}::date, ${f.cadre.name},
      ${f.cadre.post}, ${f.cadre.phone}, ${f.cadre.accountId}, ${f.plan}, 'open', ${f.dueOn}::date,
      now())
    RETURNING id`.execute(tx);
  const id = r.rows[0]!.id;
  await sql`
    INSERT INTO rating_followup_steps (followup_id, position, title, due_on)
    SELECT ${id}, s.k, s.title, s.due_on
    FROM unnest(${f.steps.map((s) => s.title)}::text[], ${f.steps.map((s) => s.dueOn)}::date[])
      WITH ORDINALITY AS s(title, due_on, k)`.execute(tx);
  return id;
}

/** Marks a step done (now) or not done; returns false when the plan holds no such step. */
export async function setStepDone(
  tx: Executor,
  followupId: number,
  stepId: number,
  done: boolean,
  note: string | undefined,
) {
  const r = await sql<{ id: number }>`
    UPDATE rating_followup_steps
    SET done_at = CASE WHEN ${done} THEN coalesce(done_at, now()) ELSE NULL END,
      note = coalesce(${note ?? null}, note)
    WHERE id = ${stepId} AND followup_id = ${followupId} RETURNING id`.execute(tx);
  return r.rows.length > 0;
}

export async function closeFollowup(
  tx: Executor,
  id: number,
  status: 'done' | 'cancelled',
  outcome: string,
) {
  await sql`UPDATE rating_followups SET status = ${status}, outcome = ${outcome}, closed_at = now()
    WHERE id = ${id}`.execute(tx);
}

/** Locks a plan for a change and says where it is. */
export async function lockFollowup(tx: Executor, id: number) {
  const r = await sql<{ id: number; status: string; compoundId: number }>`
    SELECT id, status, compound_id AS "compoundId" FROM rating_followups WHERE id = ${id}
    FOR UPDATE`.execute(tx);
  return r.rows[0] ?? null;
}

/** An account's id if it exists (a cadre may be linked to one). */
export async function accountExists(db: Db, id: number) {
  const r = await sql`SELECT 1 FROM accounts WHERE id = ${id}`.execute(db.kysely);
  return r.rows.length > 0;
}
