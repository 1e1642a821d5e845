/**
 * 信托制物业 over the API: the seeded ledgers, the disclosure summary recomputed from the tables,
 * the company's import → publish → correct flow with its flags, a malformed CSV refused row by
 * row with nothing written, steps out of order, exports, a company's record and the permission
 * matrix over every demo account and the public.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMonths,
  beijingMonth,
  dueAt,
  formatYuan,
  ledgerTotals,
  validateLedgerCsv,
} from '../../geo/ledgers.ts';
import {
  CompanyDisclosureRecord,
  CompoundLedgerMonth,
  CompoundLedgerMonths,
  CsvRowErrors,
  DisclosureMap,
  DisclosureSummary,
  FlaggedLedgers,
  Ledger,
} from '../../server/contract/ledgers.ts';
import { latestDueMonth } from '../../server/services/ledgers.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Partial<Record<DemoUser | 'public', string>> = { public: undefined };
const ALL = [...ROLES_UNDER_TEST, 'public'] as const;
const sessions: Partial<
  Record<DemoUser, { can: string[]; scope: { kind: string; id: number | null } }>
> = {};

/** The compound-month the flow works on: one of the property account's with nothing published. */
let target: { compound: number; period: string; path: number[]; households: number };
const created: number[] = [];

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) {
    as[u] = await signIn(t.app, u);
    sessions[u] = (await call(t.app, 'GET', '/api/session', { cookie: as[u] })).body.account;
  }
  const company = fx.accounts.property.propertyCompanyId!;
  const cur = beijingMonth(new Date());
  // Months before the one the credit test judges (current − 1), so its recomputation holds.
  const months = Array.from({ length: 9 }, (_, i) => addMonths(cur, -3 - i));
  const r = await rows<{
    compound: number;
    period: string;
    path: number[];
    households: number;
  }>(sql`
    SELECT c.area_id AS compound, to_char(m.p, 'YYYY-MM-DD') AS period, a.path, c.households
    FROM compounds c JOIN areas a ON a.id = c.area_id CROSS JOIN unnest(${months}::date[]) AS m(p)
    WHERE c.property_company_id = ${company}
      AND NOT EXISTS (SELECT 1 FROM ledgers l WHERE l.compound_id = c.area_id AND l.period = m.p)
    ORDER BY (c.area_id = ${fx.companyCompound.id}) DESC, m.p DESC, c.area_id LIMIT 1`);
  if (r[0]) target = r[0];
  else {
    // Every month published: take one back (its lines cascade), so the flow starts from nothing.
    const p = months[0]!;
    await sql`DELETE FROM ledgers WHERE compound_id = ${fx.companyCompound.id} AND period = ${p}::date`.execute(
      t.db.kysely,
    );
    await sql`DELETE FROM ledger_disclosures WHERE compound_id = ${fx.companyCompound.id} AND period = ${p}::date`.execute(
      t.db.kysely,
    );
    const [c] = await rows<{ path: number[]; households: number }>(sql`
      SELECT a.path, c.households FROM compounds c JOIN areas a ON a.id = c.area_id WHERE c.area_id = ${fx.companyCompound.id}`);
    target = { compound: fx.companyCompound.id, period: p, ...c! };
  }
});
afterAll(async () => {
  // PostgreSQL keeps the database between runs: leave the seeded month as it was (nothing).
  if (target) {
    await sql`DELETE FROM ledgers WHERE compound_id = ${target.compound} AND period = ${target.period}::date`.execute(
      t.db.kysely,
    );
    await sql`DELETE FROM ledger_disclosures WHERE compound_id = ${target.compound} AND period = ${target.period}::date`.execute(
      t.db.kysely,
    );
  }
  await t.app.close();
  await t.db.close();
});

async function rows<T = any>(q: ReturnType<typeof sql>) {
  return (await q.execute(t.db.kysely)).rows as T[];
}
const count = async (table: string) =>
  (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.table(table)}`))[0]!.n;
const month = () => target.period.slice(0, 7);
const importUrl = () => `/api/ledgers/compounds/${target.compound}/months/${month()}/import`;
const HEAD = '类别,对方单位,金额（元）,日期,备注';
const day = (d: number) => `${month()}-${String(d).padStart(2, '0')}`;

function goodCsv(extra: string[] = []) {
  return [
    HEAD,
    `物业费应收,全体业主,100000.00,${day(1)},当月应收`,
    `物业费实收,业主缴费,90000.50,${day(20)},`,
    `停车收益,车位承租业主,"8,000",${day(26)},地面停车位`,
    `保洁,兰州洁美保洁服务有限公司,20000,${day(28)},`,
    `安保,兰州金盾保安服务有限公司,24000,${day(28)},"含夜间巡逻,节假日值守"`,
    ...extra,
  ].join('\r\n');
}

describe('seeded ledgers', () => {
  it('cover the managed compounds month by month with revisions, disclosures and every kind of flag', async () => {
    const [r] = await rows(sql`
      SELECT
        (SELECT count(DISTINCT compound_id)::int FROM ledgers) AS compounds,
        (SELECT count(*)::int FROM compounds WHERE property_company_id IS NOT NULL) AS managed,
        (SELECT count(*)::int FROM ledgers l JOIN compounds c ON c.area_id = l.compound_id
          WHERE c.property_company_id IS NULL) AS unmanaged,
        (SELECT count(*)::int FROM ledgers WHERE status = 'superseded') AS superseded,
        (SELECT count(*)::int FROM ledgers WHERE revision > 1 AND reason IS NULL) AS unexplained,
        (SELECT count(*)::int FROM ledger_disclosures) AS disclosures,
        (SELECT count(*)::int FROM (SELECT compound_id, period FROM ledgers WHERE status <> 'draft'
          GROUP BY 1, 2) s) AS published_months,
        (SELECT count(*)::int FROM ledgers l WHERE l.billed + 0 <> coalesce((SELECT sum(amount)
          FROM ledger_lines x WHERE x.ledger_id = l.id AND x.category = 'fee_billed'), 0)) AS bad_totals`);
    expect(r.compounds).toBeGreaterThan(0.9 * r.managed);
    expect(r.unmanaged).toBe(0);
    expect(r.superseded).toBeGreaterThan(0);
    expect(r.unexplained).toBe(0);
    expect(r.disclosures).toBe(r.published_months);
    expect(r.bad_totals).toBe(0);
    const rules = await rows<{ rule: string; n: number }>(sql`
      SELECT f->>'rule' AS rule, count(*)::int AS n FROM ledgers, jsonb_array_elements(flags) f
      WHERE status <> 'superseded' GROUP BY 1`);
    const by = Object.fromEntries(rules.map((x) => [x.rule, x.n]));
    for (const rule of ['overspend', 'outlier_own', 'late', 'missing_months'])
      expect(by[rule], rule).toBeGreaterThan(0);
    // Amounts plausible for Lanzhou: 0.5–3 元/m²/month over about 85 m² a household.
    const [fee] = await rows(sql`
      SELECT min(l.billed::float8 / 100 / (c.households * 85)) AS lo, max(l.billed::float8 / 100 / (c.households * 85)) AS hi
      FROM ledgers l JOIN compounds c ON c.area_id = l.compound_id WHERE c.households > 0`);
    expect(fee.lo).toBeGreaterThanOrEqual(0.49);
    expect(fee.hi).toBeLessThanOrEqual(3.01);
  });
});

describe('disclosure summary', () => {
  it('counts each child from the tables, for the public as for the city', async () => {
    const period = latestDueMonth(new Date());
    const pub = await call(t.app, 'GET', `/api/ledgers/summary?month=${period.slice(0, 7)}`);
    expect(pub.status).toBe(200);
    DisclosureSummary.parse(pub.body);
    const due = dueAt(period).toISOString();
    const exp = await rows<any>(sql`
      SELECT a.path[1] AS id, count(*)::int AS compounds,
        count(*) FILTER (WHERE d.first_published_at <= ${due}::timestamptz)::int AS "onTime",
        count(*) FILTER (WHERE d.first_published_at > ${due}::timestamptz)::int AS late,
        count(*) FILTER (WHERE d.first_published_at IS NULL)::int AS missing
      FROM compounds c JOIN areas a ON a.id = c.area_id
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id AND d.period = ${period}::date
      WHERE c.property_company_id IS NOT NULL GROUP BY 1`);
    for (const e of exp) {
      const got = pub.body.children.find((c: any) => c.id === e.id);
      expect(got).toMatchObject({
        compounds: e.compounds,
        onTime: e.onTime,
        late: e.late,
        missing: e.missing,
        pending: 0,
      });
    }
    const city = await call(t.app, 'GET', `/api/ledgers/summary?month=${period.slice(0, 7)}`, {
      cookie: as.city,
    });
    expect(city.body.totals.onTime).toBe(pub.body.totals.onTime);
    // A district's children; the map with the same figures and the compounds' statuses.
    const district = pub.body.children[0].id;
    const map = await call(
      t.app,
      'GET',
      `/api/ledgers/map?area=${district}&month=${period.slice(0, 7)}&zoom=11`,
    );
    expect(map.status).toBe(200);
    DisclosureMap.parse(map.body);
    expect(map.body.features.length).toBeGreaterThan(0);
    expect(map.body.compounds.ids.length).toBe(pub.body.children[0].compounds);
    expect(map.body.compounds.status.filter((s: string) => s === 'on_time').length).toBe(
      pub.body.children[0].onTime,
    );
    const csv = await t.app.request(
      `/api/ledgers/summary/export?area=${district}&month=${period.slice(0, 7)}`,
    );
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n').filter(Boolean).length).toBe(map.body.features.length + 1);
  });

  it('answers 400 naming the parameter for a bad month, 404 for an unknown area', async () => {
    const bad = await call(t.app, 'GET', '/api/ledgers/summary?month=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('month');
    const none = await call(t.app, 'GET', '/api/ledgers/summary?area=2147483647');
    expect(none.status).toBe(404);
  });
});

describe('import, publish, correct', () => {
  it('refuses a malformed CSV naming each bad row; nothing written, audit unchanged', async () => {
    const before = {
      l: await count('ledgers'),
      x: await count('ledger_lines'),
      a: await count('audit_log'),
    };
    const csv = goodCsv([
      `维修养护,兰州安居维修工程队,12.345,${day(12)},`,
      `洗车,某某,10,${day(3)},`,
    ]);
    const r = await call(t.app, 'POST', importUrl(), { cookie: as.property, body: { csv } });
    expect(r.status).toBe(400);
    CsvRowErrors.parse(r.body);
    expect(r.body.error.reason).toBe('ledger_rows_invalid');
    expect(r.body.error.rows).toEqual([
      expect.objectContaining({ row: 7, column: 'amount', code: 'amount_format', value: '12.345' }),
      expect.objectContaining({ row: 8, column: 'category', code: 'bad_category', value: '洗车' }),
    ]);
    expect(r.body.error.message).toMatch(/row 7/);
    expect({
      l: await count('ledgers'),
      x: await count('ledger_lines'),
      a: await count('audit_log'),
    }).toEqual(before);
    // A date outside the month, a missing column: refused the same way.
    const out = await call(t.app, 'POST', importUrl(), {
      cookie: as.property,
      body: { csv: goodCsv([`保洁,甲,1,${addMonths(target.period, 1)},`]) },
    });
    expect(out.body.error.rows).toEqual([expect.objectContaining({ row: 7, column: 'date' })]);
    const head = await call(t.app, 'POST', importUrl(), {
      cookie: as.property,
      body: { csv: '类别,金额,日期\n保洁,1,2026-01-01' },
    });
    expect(head.body.error.rows[0]).toMatchObject({ row: 1, column: 'counterpart' });
    expect(await count('ledgers')).toBe(before.l);
  });

  it('imports a good file into a draft with its flags, replaces it atomically, publishes it late', async () => {
    const [prev] = await rows<{ closing: number }>(sql`
      SELECT (carried + collected + common - spending)::float8 AS closing FROM ledgers
      WHERE compound_id = ${target.compound} AND period < ${target.period}::date AND status = 'published'
      ORDER BY period DESC LIMIT 1`);
    const carried = prev?.closing ?? 0;
    // A repair bigger than everything available: overspend by exactly 1,000.00 元.
    const base = validateLedgerCsv(goodCsv(), target.period).lines!;
    const t0 = ledgerTotals(base, carried);
    const repair = carried + t0.income - t0.spending + 100_000;
    const csv = goodCsv([`维修养护,兰州安居维修工程队,${formatYuan(repair)},${day(12)},屋面大修`]);
    const first = await call(t.app, 'POST', importUrl(), {
      cookie: as.property,
      body: { csv: goodCsv() },
    });
    expect(first.status).toBe(200);
    const auditBefore = await count('audit_log');
    const r = await call(t.app, 'POST', importUrl(), { cookie: as.property, body: { csv } });
    expect(r.status).toBe(200);
    Ledger.parse(r.body);
    created.push(first.body.id, r.body.id);
    expect(r.body).toMatchObject({ status: 'draft', revision: 1, carried, publishedAt: null });
    expect(r.body.lines).toHaveLength(6);
    expect(r.body.totals.spending).toBe(t0.spending + repair);
    expect(r.body.totals.collectionRate).toBeCloseTo(0.9, 4);
    const over = r.body.flags.find((f: any) => f.rule === 'overspend');
    expect(over).toMatchObject({ value: 100_000, reference: carried + t0.income });
    // The first draft was replaced, not kept.
    expect(
      (
        await rows(sql`SELECT id FROM ledgers WHERE compound_id = ${target.compound}
      AND period = ${target.period}::date`)
      ).map((x) => x.id),
    ).toEqual([r.body.id]);
    expect(await count('audit_log')).toBe(auditBefore + 1);
    const [audit] = await rows(
      sql`SELECT action, entity, entity_id, area_path FROM audit_log ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({
      action: 'ledger.import',
      entity: 'ledger',
      entity_id: String(r.body.id),
      area_path: target.path,
    });

    // The public does not see the draft; the community does, with its flags.
    const pubMonth = await call(
      t.app,
      'GET',
      `/api/ledgers/compounds/${target.compound}/months/${month()}`,
    );
    expect(pubMonth.status).toBe(200);
    CompoundLedgerMonth.parse(pubMonth.body);
    expect(pubMonth.body.draft).toBeNull();
    expect(pubMonth.body.status).toBe('missing');
    expect((await call(t.app, 'GET', `/api/ledgers/${r.body.id}`)).status).toBe(404);
    const comm = await call(t.app, 'GET', `/api/ledgers/${r.body.id}`, { cookie: as.city });
    expect(comm.body.flags.map((f: any) => f.rule)).toContain('overspend');

    // Published now, long after the 15th: late, with its days.
    const p = await call(t.app, 'POST', `/api/ledgers/${r.body.id}/publish`, {
      cookie: as.property,
    });
    expect(p.status).toBe(200);
    expect(p.body.status).toBe('published');
    const days = Math.ceil(
      (Date.parse(p.body.publishedAt) - dueAt(target.period).getTime()) / 86_400_000,
    );
    expect(p.body.flags.find((f: any) => f.rule === 'late')).toMatchObject({ days });
    const month1 = await call(
      t.app,
      'GET',
      `/api/ledgers/compounds/${target.compound}/months/${month()}`,
    );
    expect(month1.body.status).toBe('late');
    expect(month1.body.published.id).toBe(r.body.id);
    // Read after write: the summary of its district and the flagged list see it at once.
    const flagged = await call(
      t.app,
      'GET',
      `/api/ledgers/flagged?area=${target.path[0]}&month=${month()}&limit=200`,
    );
    FlaggedLedgers.parse(flagged.body);
    expect(flagged.body.items.map((x: any) => x.id)).toContain(r.body.id);
    // Publishing again is a step out of order.
    const again = await call(t.app, 'POST', `/api/ledgers/${r.body.id}/publish`, {
      cookie: as.property,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('ledger_not_draft');
  });

  it('corrects a published month by a new revision with its reason; the old one stays visible', async () => {
    const noReason = await call(t.app, 'POST', importUrl(), {
      cookie: as.property,
      body: { csv: goodCsv() },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const [firstPub] = await rows(sql`SELECT first_published_at FROM ledger_disclosures
      WHERE compound_id = ${target.compound} AND period = ${target.period}::date`);
    const r = await call(t.app, 'POST', importUrl(), {
      cookie: as.property,
      body: { csv: goodCsv(), reason: '更正：维修款误录，实为下月支出' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      revision: 2,
      status: 'draft',
      reason: '更正：维修款误录，实为下月支出',
    });
    expect(r.body.flags.map((f: any) => f.rule)).not.toContain('overspend');
    const p = await call(t.app, 'POST', `/api/ledgers/${r.body.id}/publish`, {
      cookie: as.property,
    });
    expect(p.status).toBe(200);
    const m = await call(
      t.app,
      'GET',
      `/api/ledgers/compounds/${target.compound}/months/${month()}`,
    );
    expect(m.body.revisions.map((x: any) => [x.revision, x.status])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    // The first publication still decides disclosure: a correction does not change it.
    expect(m.body.status).toBe('late');
    const [still] = await rows(sql`SELECT first_published_at FROM ledger_disclosures
      WHERE compound_id = ${target.compound} AND period = ${target.period}::date`);
    expect(still!.first_published_at).toEqual(firstPub!.first_published_at);
    // The superseded revision is public like the published one, and exports as a re-importable CSV.
    const old = m.body.revisions[1].id;
    expect((await call(t.app, 'GET', `/api/ledgers/${old}`)).status).toBe(200);
    const res = await t.app.request(`/api/ledgers/${old}/export`);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // With its BOM, as a spreadsheet saves it back.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const back = validateLedgerCsv(text, target.period);
    expect(back.errors).toEqual([]);
    expect(back.lines).toHaveLength(6);
    const months = await call(t.app, 'GET', `/api/ledgers/compounds/${target.compound}`);
    CompoundLedgerMonths.parse(months.body);
    expect(months.body.months.find((x: any) => x.period === target.period).published.revision).toBe(
      2,
    );
  });

  it('refuses steps out of order: publishing a month not over, discarding a published ledger', async () => {
    const cur = beijingMonth(new Date());
    const url = `/api/ledgers/compounds/${target.compound}/months/${cur.slice(0, 7)}`;
    const before = await call(t.app, 'GET', url, { cookie: as.property });
    const existing = before.body.draft?.id ?? null;
    const csv = goodCsv()
      .split('\r\n')
      .map((l, i) => (i === 0 ? l : l.replace(/\d{4}-\d{2}-(\d{2})/, `${cur.slice(0, 7)}-01`)))
      .join('\r\n');
    const d = await call(t.app, 'POST', `${url}/import`, {
      cookie: as.property,
      body: { csv, reason: '本月草稿' },
    });
    expect(d.status).toBe(200);
    const p = await call(t.app, 'POST', `/api/ledgers/${d.body.id}/publish`, {
      cookie: as.property,
    });
    expect(p.status).toBe(409);
    expect(p.body.error.reason).toBe('month_not_over');
    const del = await call(t.app, 'DELETE', `/api/ledgers/${d.body.id}`, { cookie: as.property });
    expect(del.status).toBe(200);
    if (existing === null)
      expect((await call(t.app, 'GET', url, { cookie: as.property })).body.draft).toBeNull();
    const [pub] = await rows(sql`SELECT id FROM ledgers WHERE status = 'published' LIMIT 1`);
    expect(
      (await call(t.app, 'DELETE', `/api/ledgers/${pub.id}`, { cookie: as.property })).status,
    ).toBeOneOf([404, 409]);
    const future = await call(
      t.app,
      'POST',
      `/api/ledgers/compounds/${target.compound}/months/${addMonths(cur, 2).slice(0, 7)}/import`,
      { cookie: as.property, body: { csv: goodCsv() } },
    );
    expect(future.status).toBe(400);
    expect(future.body.error.field).toBe('month');
  });
});

describe("a company's disclosure record", () => {
  it('counts the 12 months due over its compounds', async () => {
    const id = fx.accounts.property.propertyCompanyId!;
    const r = await call(t.app, 'GET', `/api/ledgers/companies/${id}/record`);
    expect(r.status).toBe(200);
    CompanyDisclosureRecord.parse(r.body);
    expect(r.body.months).toHaveLength(12);
    const [n] = await rows(
      sql`SELECT count(*)::int AS n FROM compounds WHERE property_company_id = ${id}`,
    );
    for (const m of r.body.months) expect(m.onTime + m.late + m.missing + m.pending).toBe(n.n);
    expect(r.body.totals.due).toBe(
      r.body.months.reduce((s: number, m: any) => s + m.onTime + m.late + m.missing, 0),
    );
  });
});

describe('permission matrix', () => {
  /** Whether an account reads drafts of the target compound (placeRule of ledgers.read). */
  function readsDrafts(u: DemoUser) {
    const s = sessions[u]!;
    if (!s.can.includes('ledgers.read')) return false;
    if (s.scope.kind === 'city') return true;
    if (s.scope.kind === 'area') return target.path.includes(s.scope.id!);
    if (s.scope.kind === 'property_company')
      return s.scope.id === fx.accounts.property.propertyCompanyId;
    return false;
  }

  it('reads: summaries and published ledgers for everyone, drafts only in reach', async () => {
    const cur = beijingMonth(new Date());
    const url = `/api/ledgers/compounds/${target.compound}/months/${cur.slice(0, 7)}`;
    const csv = goodCsv()
      .split('\r\n')
      .map((l, i) => (i === 0 ? l : l.replace(/\d{4}-\d{2}-(\d{2})/, `${cur.slice(0, 7)}-02`)))
      .join('\r\n');
    const d = await call(t.app, 'POST', `${url}/import`, { cookie: as.property, body: { csv } });
    expect(d.status).toBe(200);
    for (const u of ALL) {
      const cookie = as[u];
      expect((await call(t.app, 'GET', '/api/ledgers/summary', { cookie })).status, u).toBe(200);
      expect((await call(t.app, 'GET', '/api/ledgers/categories', { cookie })).status, u).toBe(200);
      const m = await call(t.app, 'GET', url, { cookie });
      expect(m.status, u).toBe(200);
      const sees = u !== 'public' && readsDrafts(u);
      expect(m.body.draft?.id ?? null, u).toBe(sees ? d.body.id : null);
      expect((await call(t.app, 'GET', `/api/ledgers/${d.body.id}`, { cookie })).status, u).toBe(
        sees ? 200 : 404,
      );
      const fl = await call(t.app, 'GET', `/api/ledgers/flagged?month=${cur.slice(0, 7)}`, {
        cookie,
      });
      expect(fl.status, u).toBe(200);
      if (!sees)
        expect(
          fl.body.items.every((x: any) => x.status === 'published'),
          u,
        ).toBe(true);
    }
    await call(t.app, 'DELETE', `/api/ledgers/${d.body.id}`, { cookie: as.property });
  });

  it('writes: only the managing company; public 401, other roles 403, another company 404', async () => {
    const before = { l: await count('ledgers'), a: await count('audit_log') };
    const [draft] = await rows(
      sql`SELECT id FROM ledgers WHERE status = 'draft' AND company_id = ${fx.accounts.property.propertyCompanyId!} LIMIT 1`,
    );
    for (const u of ALL) {
      const cookie = as[u];
      // A bad file: an account allowed to write reaches the validation (400), no one writes.
      const r = await call(t.app, 'POST', importUrl(), {
        cookie,
        body: { csv: `${HEAD}\n洗车,x,1,${day(1)},` },
      });
      const s = u === 'public' ? null : sessions[u]!;
      const expected =
        u === 'public'
          ? 401
          : !s!.can.includes('ledgers.publish')
            ? 403
            : s!.scope.id === fx.accounts.property.propertyCompanyId
              ? 400
              : 404;
      expect(r.status, u).toBe(expected);
      if (draft && expected !== 400) {
        const p = await call(t.app, 'POST', `/api/ledgers/${draft.id}/publish`, { cookie });
        expect(p.status, u).toBe(expected);
      }
    }
    expect({ l: await count('ledgers'), a: await count('audit_log') }).toEqual(before);
  });
});

describe('an older database', () => {
  it('gets its ledgers from the civic stage, and its stored credit the disclosure factor', async () => {
    const { insertLedgers } = await import('../../scripts/seed/ledgers.ts');
    const { seedWindow } = await import('../../scripts/seed/calendar.ts');
    // Inside a transaction rolled back at the end: the shared database is left as it was.
    const rollback = new Error('rollback');
    const seen = await t.db.kysely
      .transaction()
      .execute(async (tx) => {
        await sql`DELETE FROM ledgers`.execute(tx);
        await sql`DELETE FROM ledger_disclosures`.execute(tx);
        await sql`UPDATE company_credit SET factors = factors - 'disclosure'`.execute(tx);
        const now = new Date();
        await insertLedgers(tx, {
          seed: 20261126,
          window: seedWindow(new Date(now.getTime() + 8 * 3600e3).toISOString().slice(0, 10)),
          now,
        });
        const [r] = (
          await sql<{ ledgers: number; without: number; judged: number }>`
            SELECT (SELECT count(*)::int FROM ledgers) AS ledgers,
              (SELECT count(*)::int FROM company_credit WHERE NOT factors ? 'disclosure') AS without,
              (SELECT count(*)::int FROM company_credit WHERE (factors -> 'disclosure' ->> 'n')::int > 0) AS judged`.execute(
            tx,
          )
        ).rows;
        // A second call finds the ledgers and does nothing.
        await insertLedgers(tx, { seed: 1, window: seedWindow('2026-01-01'), now });
        const [again] = (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM ledgers`.execute(tx)
        ).rows;
        expect(again!.n).toBe(r!.ledgers);
        throw Object.assign(rollback, { seen: r });
      })
      .catch((e) => {
        if (e !== rollback) throw e;
        return (e as Error & { seen: { ledgers: number; without: number; judged: number } }).seen;
      });
    expect(seen.ledgers).toBeGreaterThan(0);
    expect(seen.without).toBe(0);
    expect(seen.judged).toBeGreaterThan(0);
  });
});
