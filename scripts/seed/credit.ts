/**
 * 物业信用评价 on a seeded city: every company's credit for the twelve months rated (the months of
 * insertRatings), computed from the records by the server's own computation (computeCredit), the
 * 红黑榜 published for every month that is over, and supervision cases (督办) for the black lists
 * of the last six published months — some closed with their accountability (问责), some still
 * rectifying, some past their deadline.
 */
import { sql } from 'kysely';
import { CASE_DEFAULT_DAYS } from '../../geo/credit-method.ts';
import { createRng } from '../../geo/prng.ts';
import { computeCredit, publishLists } from '../../server/db/queries/credit.ts';
import { BEIJING_OFFSET_S, type SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

const DAY_MS = 86_400_000;

const OUTCOMES = [
  '整改完成，复查合格',
  '投诉问题已解决，业主回访满意',
  '部分整改到位，转入常态监管',
  '更换项目经理，服务质量回升',
] as const;
const ACCOUNTABILITY = [
  '约谈企业负责人，责令书面检查',
  '全市通报批评，信用档案记录在案',
  '暂停参与新项目招投标三个月',
  '列入重点监管名单，半年内双随机抽查',
  '对项目负责人诫勉谈话',
] as const;

/** The first days (YYYY-MM-DD) of the twelve Beijing months ending with the one holding `nowS`. */
export function creditPeriods(w: SeedWindow): string[] {
  const beijing = new Date((w.nowS - 1 + BEIJING_OFFSET_S) * 1000);
  const out: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** The moment a Beijing month (YYYY-MM-01) ends. */
const monthEnd = (period: string) => {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 1) - BEIJING_OFFSET_S * 1000);
};

const beijingDay = (t: Date) =>
  new Date(t.getTime() + BEIJING_OFFSET_S * 1000).toISOString().slice(0, 10);

export async function insertCredit(
  tx: Tx,
  o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {
  // Scored as of the dataset's own "now": nothing happens to the seeded records after it, so a
  // later clock would count every ticket still open then as late (and the seed would depend on
  // the hour it ran). A month is published once it is over by that moment.
  const asOf = new Date(Math.min(o.now.getTime(), o.window.nowS * 1000));
  const periods = creditPeriods(o.window);
  for (const p of periods) await computeCredit(tx, p, asOf);
  const over = periods.filter((p) => monthEnd(p) <= asOf);
  for (const p of over) await publishLists(tx, p);
  await insertCases(tx, o.seed, over.slice(-6), asOf);
}

async function insertCases(tx: Tx, seed: number, periods: string[], now: Date) {
  if (!periods.length) return;
  const rng = createRng(`${seed}:supervision`);
  const black = await sql<{
    period: string;
    district_id: number | null;
    company_id: number;
    rank: number;
    score: number;
    district_name: string | null;
  }>`
    SELECT to_char(l.period, 'YYYY-MM-DD') AS period, l.district_id, l.company_id, l.rank, l.score,
      d.name AS district_name
    FROM credit_lists l LEFT JOIN areas d ON d.id = l.district_id
    WHERE l.list = 'black' AND l.period = ANY(${periods}::date[])
    ORDER BY l.period, l.district_id NULLS FIRST, l.rank, l.company_id`.execute(tx);
  const deps = await sql<{ id: number; code: string }>`
    SELECT id, code FROM departments WHERE code IN ('housing', 'market_regulation') ORDER BY code`.execute(
    tx,
  );
  const housing = deps.rows.find((d) => d.code === 'housing') ?? deps.rows[0];
  if (!housing) return;
  const market = deps.rows.find((d) => d.code === 'market_regulation') ?? housing;
  // A company is under at most one active case; once closed it may get another.
  const activeUntil = new Map<number, number>();
  const seq = new Map<string, number>();
  const rows: {
    code: string;
    company: number;
    period: string;
    district: number | null;
    department: number;
    reason: string;
    status: string;
    openedAt: string;
    dueOn: string;
    closedAt: string | null;
    outcome: string | null;
    accountability: string | null;
  }[] = [];
  const cased = new Set<string>();
  // One candidate listing per company and month: the city's list, or (every other time, when
  // it is on one) a district's, so districts own some of the cases.
  const byCompanyMonth = new Map<string, (typeof black.rows)[number][]>();
  for (const e of black.rows) {
    const k = `${e.company_id}:${e.period}`;
    byCompanyMonth.set(k, [...(byCompanyMonth.get(k) ?? []), e]);
  }
  const chosen = [...byCompanyMonth.values()].map((es) => {
    const district = es.filter((e) => e.district_id !== null);
    const city = es.find((e) => e.district_id === null);
    return district.length && (!city || rng.chance(0.5)) ? district[0]! : city!;
  });
  chosen.sort((a, b) => a.period.localeCompare(b.period) || a.company_id - b.company_id);
  for (const e of chosen) {
    const openedAt = new Date(
      monthEnd(e.period).getTime() + (2 + rng.int(0, 4)) * DAY_MS + 3_600_000,
    );
    if (openedAt > now) continue;
    if (cased.has(`${e.company_id}:${e.period}`)) continue;
    const busy = activeUntil.get(e.company_id);
    if (busy !== undefined && busy > openedAt.getTime()) continue;
    cased.add(`${e.company_id}:${e.period}`);
    const due = new Date(openedAt.getTime() + CASE_DEFAULT_DAYS * DAY_MS);
    let status: string;
    let closedAt: Date | null = null;
    const closeAt = new Date(openedAt.getTime() + rng.int(10, CASE_DEFAULT_DAYS + 10) * DAY_MS);
    // Closed only when that day has passed, so the same seed and day give the same cases.
    if (due.getTime() < now.getTime() && closeAt <= now && rng.chance(0.6)) {
      closedAt = closeAt;
      status = 'closed';
    } else {
      status = rng.chance(0.6) ? 'rectifying' : 'open';
    }
    activeUntil.set(e.company_id, closedAt ? closedAt.getTime() : Number.POSITIVE_INFINITY);
    const n = (seq.get(e.period) ?? 0) + 1;
    seq.set(e.period, n);
    const month = `${Number(e.period.slice(5, 7))}月`;
    rows.push({
      code: `DB${e.period.slice(0, 4)}${e.period.slice(5, 7)}-${String(n).padStart(3, '0')}`,
      company: e.company_id,
      period: e.period,
      district: e.district_id,
      department: rng.chance(0.8) ? housing.id : market.id,
      reason: `${month}${e.district_name ?? '全市'}红黑榜·黑榜第${e.rank}名（信用分 ${e.score.toFixed(1)}）`,
      status,
      openedAt: openedAt.toISOString(),
      dueOn: beijingDay(due),
      closedAt: closedAt?.toISOString() ?? null,
      outcome: closedAt ? OUTCOMES[rng.int(0, OUTCOMES.length)]! : null,
      accountability: closedAt ? ACCOUNTABILITY[rng.int(0, ACCOUNTABILITY.length)]! : null,
    });
  }
  if (!rows.length) return;
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`
    INSERT INTO supervision_cases (code, company_id, period, district_id, department_id, reason,
      status, opened_at, due_on, closed_at, outcome, accountability)
    SELECT * FROM unnest(${col('code')}::text[], ${col('company')}::int[], ${col('period')}::date[],
      ${col('district')}::int[], ${col('department')}::int[], ${col('reason')}::text[],
      ${col('status')}::text[], ${col('openedAt')}::timestamptz[], ${col('dueOn')}::date[],
      ${col('closedAt')}::timestamptz[], ${col('outcome')}::text[], ${col('accountability')}::text[])`.execute(
    tx,
  );
}
