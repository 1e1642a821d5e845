/**
 * 物业信用评价 and the 红黑榜: who reads what (the policy's creditRule), the months, and the
 * city's recomputation and publication. The method is geo/credit-method.ts; the counting and
 * storing is db/queries/credit.ts.
 *
 * The 红黑榜 is published: every holder of credit.read reads the lists and the ranking, names
 * included. A company account reads only its own page, factors and evidence (another company is
 * a 404 to it), and sees only its own row in the ranking. The records behind a factor are listed
 * by the reader's own read rule on their noun (tickets, whistles, hazards): a planner gets the
 * counts only.
 */
import {
  CREDIT_FACTOR,
  CREDIT_FACTORS,
  monthOf,
  type CreditFactorKey,
  type ScoredFactor,
} from '../../geo/credit-method.ts';
import { beijingDate } from '../../geo/periods.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/credit.ts';
import * as sq from '../db/queries/supervision.ts';
import { creditRule, readRule, type Actor, type Noun } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { conflict, invalid, notFound } from './domain-error.ts';
import { caseRights } from './supervision.ts';

export function requireCreditReader(actor: Actor | null) {
  const a = requireCapability(actor, 'credit.read', 'read property-company credit');
  const rule = creditRule(a);
  const only: q.CompanyFilter =
    rule.kind === 'company' ? { kind: 'company', id: rule.id } : { kind: 'all' };
  return { actor: a, only };
}

/** The current Beijing month (YYYY-MM-01). */
export function currentMonth(now = new Date()): string {
  return `${beijingDate(now).slice(0, 7)}-01`;
}

/** The moment a month (YYYY-MM-01) ends, in Beijing. */
export function monthEnd(period: string): Date {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 1) - 8 * 3_600_000);
}

/** A `period` parameter as a month's first day; 400 naming the field otherwise. */
export function checkedPeriod(text: string, field = 'period'): string {
  const p = monthOf(text);
  if (!p)
    throw invalid('field_invalid', `parameter '${field}' must be a month like 2026-10`, field);
  return p;
}

export async function creditPeriods(db: Db, actor: Actor | null) {
  requireCreditReader(actor);
  const [p, districts] = await Promise.all([q.periods(db.kysely), q.districtsOf(db.kysely)]);
  return { ...p, latest: p.published[0] ?? p.computed[0] ?? null, districts };
}

/** The month asked for, or the latest published (else computed); 404 when none is scored. */
async function periodOrLatest(db: Db, period: string | undefined): Promise<string> {
  const p = await q.periods(db.kysely);
  const chosen = period ? checkedPeriod(period) : (p.published[0] ?? p.computed[0]);
  if (!chosen || !p.computed.includes(chosen))
    throw notFound(
      'period_not_found',
      `No credit is computed for ${period ?? 'any month'}.`,
      'period',
    );
  return chosen;
}

async function checkedDistrict(
  db: Db,
  district: number | undefined,
): Promise<{ id: number; name: string } | null> {
  if (district === undefined) return null;
  const d = (await q.districtsOf(db.kysely)).find((x) => x.id === district);
  if (!d) throw notFound('district_not_found', `There is no district ${district}.`, 'district');
  return d;
}

const factorList = (f: Record<string, ScoredFactor>): ScoredFactor[] =>
  CREDIT_FACTORS.map((d) => f[d.key]).filter((x): x is ScoredFactor => x !== undefined);

export async function creditLists(
  db: Db,
  actor: Actor | null,
  o: { period?: string; district?: number },
) {
  const { only } = requireCreditReader(actor);
  const period = await periodOrLatest(db, o.period);
  const district = await checkedDistrict(db, o.district);
  const [rows, p] = await Promise.all([
    q.listEntries(db.kysely, period, district?.id ?? null),
    q.periods(db.kysely),
  ]);
  const entries = rows.map((r) => ({
    list: r.list,
    rank: r.rank,
    companyId: r.companyId,
    name: r.name,
    score: r.score,
    grade: r.grade as ScoredGrade,
    compounds: r.compounds,
    factors:
      r.factors && (only.kind === 'all' || only.id === r.companyId) ? factorList(r.factors) : null,
    caseStatus: r.caseStatus as 'open' | 'rectifying' | 'closed' | null,
  }));
  return {
    period,
    published: p.published.includes(period),
    district,
    red: entries.filter((e) => e.list === 'red'),
    black: entries.filter((e) => e.list === 'black'),
  };
}

type ScoredGrade = 'AAA' | 'AA' | 'A' | 'B' | 'C';

export async function creditRanking(
  db: Db,
  actor: Actor | null,
  o: {
    period?: string;
    district?: number;
    sort: q.RankingSort;
    order: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
) {
  const { only } = requireCreditReader(actor);
  const period = await periodOrLatest(db, o.period);
  const district = await checkedDistrict(db, o.district);
  const r = await q.ranking(db.kysely, { ...o, period, district: district?.id ?? null, only });
  return {
    period,
    total: r.total,
    items: r.items.map((x) => ({ ...x, grade: x.grade as ScoredGrade })),
  };
}

/** The company, if this reader may read it; 404 otherwise (another company's does not exist). */
async function readableCompany(db: Db, only: q.CompanyFilter, id: number) {
  if ((only.kind === 'company' && only.id !== id) || !(await q.companyExists(db.kysely, id)))
    throw notFound('company_not_found', `There is no property company ${id}.`, 'id');
}

export async function creditCompany(
  db: Db,
  actor: Actor | null,
  id: number,
  o: { period?: string },
) {
  const { actor: a, only } = requireCreditReader(actor);
  await readableCompany(db, only, id);
  const period = await periodOrLatest(db, o.period);
  const page = (await q.companyPage(db.kysely, id, period))!;
  const cases = await sq.listCases(db.kysely, {
    only: { kind: 'all' },
    companyId: id,
    limit: 50,
    offset: 0,
  });
  const rights = caseRights(a);
  const active = cases.items.find((c) => c.status !== 'closed');
  const blackIn = page.lists.filter((l) => l.list === 'black').map((l) => l.district);
  return {
    id: page.id,
    name: page.name,
    trustModel: page.trustModel,
    period,
    credit: page.credit
      ? {
          ...page.credit,
          grade: page.credit.grade as ScoredGrade,
          factors: factorList(page.credit.factors),
        }
      : null,
    trend: page.trend.map((t) => ({ ...t, grade: t.grade as ScoredGrade })),
    lists: page.lists,
    compounds: page.compounds,
    cases: cases.items,
    can: {
      openCase: !active && blackIn.some((d) => rights.mayOpenIn(d)),
      manageCases: cases.items
        .filter((c) => c.status !== 'closed' && rights.mayManage(c.districtId))
        .map((c) => c.id),
    },
  };
}

const NOUN_OF_EVIDENCE: Record<'tickets' | 'report_ins' | 'hazards' | 'ledgers', Noun | 'ledgers'> =
  {
    tickets: 'tickets',
    report_ins: 'whistles',
    hazards: 'hazards',
    // Disclosure is public: the evidence's read rule is not a noun's.
    ledgers: 'ledgers',
  };

export async function creditEvidence(
  db: Db,
  actor: Actor | null,
  id: number,
  o: { period?: string; factor: CreditFactorKey; limit: number; offset: number },
) {
  const { actor: a, only } = requireCreditReader(actor);
  await readableCompany(db, only, id);
  const period = await periodOrLatest(db, o.period);
  const noun = NOUN_OF_EVIDENCE[CREDIT_FACTOR[o.factor].evidence];
  const asOf = new Date(Math.min(Date.now(), monthEnd(period).getTime()));
  const r = await q.evidence(db.kysely, {
    companyId: id,
    period,
    factor: o.factor,
    rule: noun === 'ledgers' ? { kind: 'all' } : readRule(a, noun),
    limit: o.limit,
    offset: o.offset,
    asOf,
  });
  return { companyId: id, period, factor: o.factor, noun, ...r };
}

export async function creditMap(db: Db, actor: Actor | null, o: { period?: string }) {
  const { only } = requireCreditReader(actor);
  const p = await q.periods(db.kysely);
  const period = o.period ? checkedPeriod(o.period) : (p.published[0] ?? p.computed[0] ?? null);
  if (!period) {
    return {
      period: null,
      companies: { ids: [], names: [], scores: [], grades: [] },
      compounds: { ids: [], company: [], lon: [], lat: [] },
    };
  }
  return q.creditMap(db.kysely, period, only);
}

// ---------------------------------------------------------------------------------------------
// Writes (the city)

/** Months further back than this are not recomputed (the record may be archived). */
export const RECOMPUTE_MONTHS_BACK = 36;

function checkedRecomputable(text: string, now: Date): string {
  const period = checkedPeriod(text);
  const current = currentMonth(now);
  const [cy, cm] = current.split('-').map(Number);
  const oldest = new Date(Date.UTC(cy!, cm! - 1 - RECOMPUTE_MONTHS_BACK, 1))
    .toISOString()
    .slice(0, 10);
  if (period > current || period < oldest)
    throw invalid(
      'field_invalid',
      `parameter 'period' must be a month from ${oldest.slice(0, 7)} to ${current.slice(0, 7)}`,
      'period',
    );
  return period;
}

/**
 * Recomputes every company's credit of a month from the records as they are now. A month whose
 * 红黑榜 was published is published again from the new scores, so the lists never disagree with
 * the scores they show.
 */
export async function recomputeCredit(db: Db, actor: Actor | null, input: { period: string }) {
  const a = requireCapability(actor, 'credit.manage', 'recompute property-company credit');
  const now = new Date();
  const period = checkedRecomputable(input.period, now);
  return db.kysely.transaction().execute(async (tx) => {
    const before = (await q.periods(tx)).published.includes(period);
    const companies = await q.computeCredit(tx, period, now);
    if (before) await q.publishLists(tx, period);
    await insertAudit(tx, a, {
      action: 'credit.recompute',
      entity: 'company_credit',
      entityId: period,
      after: { period, companies, republished: before },
    });
    return { period, companies, published: before };
  });
}

/** Publishes the 红黑榜 of a month that is over, from its stored scores. */
export async function publishCreditLists(db: Db, actor: Actor | null, input: { period: string }) {
  const a = requireCapability(actor, 'credit.manage', 'publish the 红黑榜');
  const now = new Date();
  const period = checkedRecomputable(input.period, now);
  if (monthEnd(period) > now)
    throw conflict('period_not_over', `The month ${period.slice(0, 7)} is not over yet.`, 'period');
  return db.kysely.transaction().execute(async (tx) => {
    if (!(await q.hasCredit(tx, period)))
      throw conflict(
        'not_computed',
        `No credit is computed for ${period.slice(0, 7)}: recompute it first.`,
        'period',
      );
    const r = await q.publishLists(tx, period);
    await insertAudit(tx, a, {
      action: 'credit.publish',
      entity: 'credit_lists',
      entityId: period,
      after: { period, ...r },
    });
    return { period, ...r };
  });
}
