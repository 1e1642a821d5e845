/**
 * 督办问责 in SQL: supervision cases of black-listed companies (supervision_cases), one active case
 * per company at a time (a unique index holds it), tracked from open through rectifying to closed
 * with the accountability recorded.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './audit.ts';
import type { CompanyFilter } from './credit.ts';

export interface CaseRow {
  id: number;
  code: string;
  companyId: number;
  companyName: string;
  period: string;
  districtId: number | null;
  districtName: string | null;
  departmentId: number;
  departmentName: string;
  reason: string;
  status: 'open' | 'rectifying' | 'closed';
  openedAt: string;
  dueOn: string;
  closedAt: string | null;
  outcome: string | null;
  accountability: string | null;
  overdue: boolean;
}

/** Today's date in Beijing, as SQL: a case is overdue once its due day has passed there. */
const beijingToday = sql`(now() AT TIME ZONE 'Asia/Shanghai')::date`;

const select = (where: RawBuilder<boolean>, forUpdate = false) => sql<CaseRow>`
  SELECT s.id, s.code, s.company_id AS "companyId", p.name AS "companyName",
    to_char(s.period, 'YYYY-MM-DD') AS period, s.district_id AS "districtId", d.name AS "districtName",
    s.department_id AS "departmentId", dep.name AS "departmentName", s.reason, s.status,
    s.opened_at AS "openedAt", to_char(s.due_on, 'YYYY-MM-DD') AS "dueOn", s.closed_at AS "closedAt",
    s.outcome, s.accountability,
    (s.status <> 'closed' AND s.due_on < ${beijingToday}) AS overdue
  FROM supervision_cases s JOIN property_companies p ON p.id = s.company_id
  JOIN departments dep ON dep.id = s.department_id
  LEFT JOIN areas d ON d.id = s.district_id
  WHERE ${where}
  ORDER BY (s.status <> 'closed' AND s.due_on < ${beijingToday}) DESC, s.status = 'closed', s.opened_at DESC, s.id DESC
  ${forUpdate ? sql`FOR UPDATE OF s` : sql``}`;

export async function findCase(ex: Executor, id: number, forUpdate = false) {
  const r = await select(sql<boolean>`s.id = ${id}`, forUpdate).execute(ex);
  return r.rows[0] ?? null;
}

export async function listCases(
  ex: Executor,
  f: {
    only: CompanyFilter;
    companyId?: number;
    status?: 'active' | 'closed' | 'overdue';
    district?: number;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; items: CaseRow[] }> {
  const conds: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (f.only.kind === 'company') conds.push(sql<boolean>`s.company_id = ${f.only.id}`);
  if (f.companyId !== undefined) conds.push(sql<boolean>`s.company_id = ${f.companyId}`);
  if (f.district !== undefined) conds.push(sql<boolean>`s.district_id = ${f.district}`);
  if (f.status === 'active') conds.push(sql<boolean>`s.status <> 'closed'`);
  if (f.status === 'closed') conds.push(sql<boolean>`s.status = 'closed'`);
  if (f.status === 'overdue')
    conds.push(sql<boolean>`s.status <> 'closed' AND s.due_on < ${beijingToday}`);
  const where = sql.join(conds, sql` AND `) as RawBuilder<boolean>;
  const r = await sql<CaseRow & { total: number }>`
    SELECT x.*, count(*) OVER ()::int AS total FROM (${select(where)}) x
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(ex);
  const total = r.rows[0]?.total ?? 0;
  return { total, items: r.rows.map(({ total: _t, ...row }) => row) };
}

/** The active (not closed) case of a company, if any. */
export async function activeCaseOf(ex: Executor, companyId: number) {
  const r = await select(
    sql<boolean>`s.company_id = ${companyId} AND s.status <> 'closed'`,
  ).execute(ex);
  return r.rows[0] ?? null;
}

/** Whether a company is on a month's black list: city-wide (district null) or a district's. */
export async function isBlackListed(
  ex: Executor,
  companyId: number,
  period: string,
  district: number | null,
): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM credit_lists WHERE company_id = ${companyId}
      AND period = ${period}::date AND list = 'black'
      AND ${district === null ? sql`district_id IS NULL` : sql`district_id = ${district}`}`.execute(
    ex,
  );
  return r.rows[0]!.n > 0;
}

export async function departmentExists(ex: Executor, id: number): Promise<boolean> {
  const r = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM departments WHERE id = ${id}`.execute(ex);
  return r.rows[0]!.n > 0;
}

export async function insertCase(
  ex: Executor,
  c: {
    companyId: number;
    period: string;
    districtId: number | null;
    departmentId: number;
    reason: string;
    openedAt: Date;
    dueOn: string;
  },
): Promise<number> {
  // The code names the black-list month and a running number of the month's cases.
  const r = await sql<{ id: number }>`
    INSERT INTO supervision_cases (code, company_id, period, district_id, department_id, reason,
      status, opened_at, due_on)
    SELECT 'DB' || to_char(${c.period}::date, 'YYYYMM') || '-' ||
        lpad((SELECT count(*) + 1 FROM supervision_cases WHERE period = ${c.period}::date)::text, 3, '0'),
      ${c.companyId}, ${c.period}::date, ${c.districtId}, ${c.departmentId}, ${c.reason}, 'open',
      ${c.openedAt.toISOString()}::timestamptz, ${c.dueOn}::date
    RETURNING id`.execute(ex);
  return r.rows[0]!.id;
}

export async function updateCase(
  ex: Executor,
  id: number,
  c: {
    status: 'rectifying' | 'closed';
    closedAt?: Date;
    outcome?: string;
    accountability?: string;
  },
): Promise<void> {
  await sql`
    UPDATE supervision_cases SET status = ${c.status},
      closed_at = ${c.closedAt ? c.closedAt.toISOString() : null}::timestamptz,
      outcome = coalesce(${c.outcome ?? null}, outcome),
      accountability = coalesce(${c.accountability ?? null}, accountability)
    WHERE id = ${id}`.execute(ex);
}
