/**
 * 物业信用评价, the 红黑榜 and 督办: scores recomputed here from their factors and, for one company
 * and month, the factors from the rows themselves; the lists against their rules; the case
 * lifecycle; the permission matrix; hostile input; the audit log.
 */
import { sql } from 'kysely';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDIT_FACTORS, GRADE_CUTOFFS, LIST_RULES } from '../../geo/credit-method.ts';
import {
  CreditCompany,
  CreditEvidence,
  CreditLists,
  CreditRanking,
} from '../../server/contract/credit.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Partial<Record<DemoUser | 'public', string>> = { public: undefined };
const ALL = [...ROLES_UNDER_TEST, 'public'] as const;
let latest: string;

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
  latest = (await call(t.app, 'GET', '/api/credit/periods', { cookie: as.city })).body.latest;
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(t.db.kysely)).rows;

/** The grade of a score, written out here rather than imported. */
const grade = (s: number) =>
  s >= 90 ? 'AAA' : s >= 80 ? 'AA' : s >= 70 ? 'A' : s >= 60 ? 'B' : 'C';

describe('credit scores', () => {
  it('are the sum of their factors’ points, each point from its value on the scale', async () => {
    const all = await rows(sql<{ score: number; grade: string; factors: any }>`
      SELECT score, grade, factors FROM company_credit`);
    expect(all.length).toBeGreaterThan(100);
    expect(GRADE_CUTOFFS.map((g) => g.min)).toEqual([90, 80, 70, 60, 0]);
    for (const r of all) {
      let sum = 0;
      for (const def of CREDIT_FACTORS) {
        const f = r.factors[def.key];
        // Shrinkage: (count + prior·city) / (n + prior), densities per 1,000 households.
        const per = def.kind === 'density' ? 1000 : 1;
        const shrunk = ((f.count + (def.prior * f.city) / per) / (f.n + def.prior)) * per;
        expect(f.value).toBeCloseTo(shrunk, 3);
        const x = def.kind === 'density' ? (f.city > 0 ? f.value / f.city : 0) : f.value;
        const pts = def.weight * Math.min(1, Math.max(0, (x - def.zero) / (def.full - def.zero)));
        expect(f.points).toBeCloseTo(pts, 1);
        sum += f.points;
      }
      expect(r.score).toBeCloseTo(Math.min(100, Math.max(0, sum)), 0);
      expect(r.grade).toBe(grade(r.score));
    }
    expect(CREDIT_FACTORS.reduce((s, f) => s + f.weight, 0)).toBe(100);
  });

  it('counts the factors from the rows, for the company with the most tickets in the latest month', async () => {
    const [{ company_id: id }] = await rows(sql<{ company_id: number }>`
      SELECT company_id FROM company_credit WHERE period = ${latest}::date
      ORDER BY (factors -> 'on_time' ->> 'n')::int DESC, company_id LIMIT 1`);
    const start = Date.parse(`${latest}T00:00:00+08:00`);
    const [y, m] = latest.split('-').map(Number);
    const end = Math.min(Date.UTC(y!, m!, 1) - 8 * 3600e3, Date.now());
    const inMonth = (s: string | Date | null) =>
      s !== null && +new Date(s) >= start && +new Date(s) < end;
    const tickets = await rows(sql<any>`
      SELECT t.id, t.status, t.received_at, t.due_at, t.resolved_at, t.satisfaction,
        EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.status = 'reopened') AS reopened
      FROM tickets t WHERE t.property_company_id = ${id}`);
    const mine = tickets.filter(
      (x) => inMonth(x.received_at) && !['received', 'rejected_duplicate'].includes(x.status),
    );
    const judged = mine.filter(
      (x) => +new Date(x.due_at) < end || (x.resolved_at && +new Date(x.resolved_at) < end),
    );
    const onTime = judged.filter(
      (x) =>
        x.resolved_at &&
        +new Date(x.resolved_at) <= +new Date(x.due_at) &&
        +new Date(x.resolved_at) < end,
    );
    const rated = mine.filter((x) => x.satisfaction !== null);
    const [stored] = await rows(sql<{ factors: any }>`
      SELECT factors FROM company_credit WHERE company_id = ${id} AND period = ${latest}::date`);
    const f = stored!.factors;
    expect(f.on_time.n).toBe(judged.length);
    expect(f.on_time.count).toBe(onTime.length);
    expect(f.satisfaction.n).toBe(rated.length);
    expect(f.satisfaction.count).toBe(rated.reduce((s, x) => s + x.satisfaction, 0));
    expect(f.reopen.n).toBe(mine.length);
    expect(f.reopen.count).toBe(mine.filter((x) => x.reopened).length);
    const households = await rows(sql<{ h: number }>`
      SELECT coalesce(sum(households), 0)::int AS h FROM compounds WHERE property_company_id = ${id}`);
    expect(f.complaints.n).toBe(households[0]!.h);
    const complaints = await rows(sql<any>`
      SELECT t.received_at FROM tickets t JOIN compounds c ON c.area_id = t.compound_id
      WHERE c.property_company_id = ${id} AND t.category = 'property_service'
        AND t.status <> 'rejected_duplicate'`);
    expect(f.complaints.count).toBe(complaints.filter((x) => inMonth(x.received_at)).length);
    // 财务按时公开: its compounds' ledgers of the month before, first published by the end of
    // the 15th of this month (Beijing), judged once that moment has passed.
    const due = Date.UTC(y!, m! - 1, 16) - 8 * 3600e3;
    const prev = new Date(Date.UTC(y!, m! - 2, 1)).toISOString().slice(0, 10);
    const ledgerMonths = await rows(sql<{ first: string | null }>`
      SELECT d.first_published_at AS first FROM compounds c
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id AND d.period = ${prev}::date
      WHERE c.property_company_id = ${id}`);
    const judgedLedgers = due <= end ? ledgerMonths : [];
    expect(f.disclosure.n).toBe(judgedLedgers.length);
    expect(f.disclosure.count).toBe(
      judgedLedgers.filter(
        (x) => x.first !== null && +new Date(x.first) <= due && +new Date(x.first) < end,
      ).length,
    );
    // The company page shows the same factors with their points.
    const page = await call(t.app, 'GET', `/api/credit/companies/${id}?period=${latest}`, {
      cookie: as.city,
    });
    expect(page.status).toBe(200);
    CreditCompany.parse(page.body);
    expect(page.body.credit.factors.find((x: any) => x.key === 'on_time').n).toBe(judged.length);
    // The evidence of on-time lists the judged tickets, late ones first.
    const ev = await call(
      t.app,
      'GET',
      `/api/credit/companies/${id}/evidence?period=${latest}&factor=on_time&limit=200`,
      { cookie: as.city },
    );
    expect(ev.status).toBe(200);
    CreditEvidence.parse(ev.body);
    expect(ev.body.total).toBe(judged.length);
    expect(ev.body.bad).toBe(judged.length - onTime.length);
    expect(new Set(ev.body.items.map((x: any) => x.id))).toEqual(new Set(judged.map((x) => x.id)));
  });

  it('keeps property_companies in step with the latest published month', async () => {
    const off = await rows(sql<{ n: number }>`
      SELECT count(*)::int AS n FROM property_companies p
      JOIN company_credit cc ON cc.company_id = p.id AND cc.period = ${latest}::date
      WHERE abs(p.credit_score - cc.score) > 0.01
        OR p.list <> coalesce((SELECT list FROM credit_lists l WHERE l.period = ${latest}::date
          AND l.district_id IS NULL AND l.company_id = p.id), 'none')`);
    expect(off[0]!.n).toBe(0);
  });
});

describe('the 红黑榜', () => {
  it('follows the list rules, city-wide and per district', async () => {
    const scores = await rows(sql<{ id: number; score: number; n: number; districts: number[] }>`
      SELECT cc.company_id AS id, cc.score, (cc.factors -> 'on_time' ->> 'n')::int AS n,
        coalesce((SELECT array_agg(DISTINCT a.path[1]) FROM compounds c JOIN areas a ON a.id = c.area_id
          WHERE c.property_company_id = cc.company_id), '{}') AS districts
      FROM company_credit cc WHERE cc.period = ${latest}::date`);
    const expected = (among: typeof scores, size: number) => {
      const ok = among.filter((s) => s.n >= LIST_RULES.minTickets);
      return {
        red: ok
          .filter((s) => s.score >= LIST_RULES.redMin)
          .sort((a, b) => b.score - a.score || a.id - b.id)
          .slice(0, size)
          .map((s) => s.id),
        black: ok
          .filter((s) => s.score < LIST_RULES.blackBelow)
          .sort((a, b) => a.score - b.score || a.id - b.id)
          .slice(0, size)
          .map((s) => s.id),
      };
    };
    const city = await call(t.app, 'GET', `/api/credit/lists?period=${latest}`, {
      cookie: as.city,
    });
    expect(city.status).toBe(200);
    CreditLists.parse(city.body);
    const want = expected(scores, LIST_RULES.citySize);
    expect(city.body.red.map((e: any) => e.companyId)).toEqual(want.red);
    expect(city.body.black.map((e: any) => e.companyId)).toEqual(want.black);
    const district = fx.accounts.district.areaId!;
    const d = await call(t.app, 'GET', `/api/credit/lists?period=${latest}&district=${district}`, {
      cookie: as.city,
    });
    const wantD = expected(
      scores.filter((s) => s.districts.includes(district)),
      LIST_RULES.districtSize,
    );
    expect(d.body.red.map((e: any) => e.companyId)).toEqual(wantD.red);
    expect(d.body.black.map((e: any) => e.companyId)).toEqual(wantD.black);
    // Some month of the seeded year has a black list, with its evidence.
    const black = await rows(
      sql<{ n: number }>`SELECT count(*)::int AS n FROM credit_lists WHERE list = 'black'`,
    );
    expect(black[0]!.n).toBeGreaterThan(0);
  });

  it('ranks every company, paged and sortable; a company sees its own row only', async () => {
    const r = await call(t.app, 'GET', `/api/credit/ranking?limit=5&offset=0`, {
      cookie: as.planner,
    });
    expect(r.status).toBe(200);
    CreditRanking.parse(r.body);
    expect(r.body.items).toHaveLength(5);
    const s = r.body.items.map((x: any) => x.score);
    expect([...s].sort((a, b) => b - a)).toEqual(s);
    const byName = await call(t.app, 'GET', `/api/credit/ranking?sort=name&order=asc&limit=500`, {
      cookie: as.city,
    });
    expect(byName.body.total).toBe(byName.body.items.length);
    const own = await call(t.app, 'GET', `/api/credit/ranking?limit=500`, { cookie: as.property });
    expect(own.body.items.map((x: any) => x.companyId)).toEqual([
      fx.accounts.property.propertyCompanyId,
    ]);
  });

  it('recomputes and publishes (city only, audited); reads are fresh after the write', async () => {
    const month = latest.slice(0, 7);
    const got: Record<string, number> = {};
    for (const who of ALL) {
      if (who === 'city') continue;
      got[who] = (
        await call(t.app, 'POST', '/api/credit/recompute', {
          cookie: as[who],
          body: { period: month },
        })
      ).status;
    }
    for (const who of Object.keys(got)) expect([401, 403]).toContain(got[who]);
    expect(got.public).toBe(401);
    const before = await call(t.app, 'GET', `/api/credit/ranking?limit=1`, { cookie: as.city });
    // Make the top company's record worse: its dispatched tickets of the month all reopened.
    const top = before.body.items[0].companyId;
    await sql`INSERT INTO ticket_events (ticket_id, at, status, actor, note)
      SELECT t.id, now(), 'reopened', 'test', 'credit.test' FROM tickets t
      WHERE t.property_company_id = ${top} AND t.status NOT IN ('received', 'rejected_duplicate')
        AND t.received_at >= (${latest}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
        AND t.received_at < ((${latest}::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')`.execute(
      t.db.kysely,
    );
    const re = await call(t.app, 'POST', '/api/credit/recompute', {
      cookie: as.city,
      body: { period: month },
    });
    expect(re.status).toBe(200);
    expect(re.body.published).toBe(true);
    const after = await call(t.app, 'GET', `/api/credit/companies/${top}?period=${latest}`, {
      cookie: as.city,
    });
    expect(after.body.credit.score).toBeLessThan(before.body.items[0].score);
    // Leave the record as it was for other test files sharing a PostgreSQL database.
    await sql`DELETE FROM ticket_events WHERE note = 'credit.test'`.execute(t.db.kysely);
    expect(
      (
        await call(t.app, 'POST', '/api/credit/recompute', {
          cookie: as.city,
          body: { period: month },
        })
      ).status,
    ).toBe(200);
    const pub = await call(t.app, 'POST', '/api/credit/lists/publish', {
      cookie: as.city,
      body: { period: month },
    });
    expect(pub.status).toBe(200);
    const audit = await rows(sql<{ action: string }>`
      SELECT action FROM audit_log WHERE entity IN ('company_credit', 'credit_lists') ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual([
      'credit.recompute',
      'credit.recompute',
      'credit.publish',
    ]);
    // A month in progress cannot be published; a future month is no month to recompute.
    const now = new Date(Date.now() + 8 * 3600e3);
    const current = `${now.toISOString().slice(0, 7)}`;
    expect(
      (
        await call(t.app, 'POST', '/api/credit/lists/publish', {
          cookie: as.city,
          body: { period: current },
        })
      ).status,
    ).toBe(409);
    const future = await call(t.app, 'POST', '/api/credit/recompute', {
      cookie: as.city,
      body: { period: `${now.getUTCFullYear() + 1}-01` },
    });
    expect(future.status).toBe(400);
    expect(future.body.error.field).toBe('period');
  });
});

describe('supervision cases', () => {
  it('opens one active case per black-listed company, needs 问责 to close, audits every step', async () => {
    const city = await call(t.app, 'GET', `/api/credit/lists?period=${latest}`, {
      cookie: as.city,
    });
    const periods = (await call(t.app, 'GET', '/api/credit/periods', { cookie: as.city })).body;
    // A black-listed company without an active case, in some published month.
    const candidates = await rows(sql<{ company_id: number; period: string }>`
      SELECT l.company_id, to_char(l.period, 'YYYY-MM-DD') AS period FROM credit_lists l
      WHERE l.list = 'black' AND l.district_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM supervision_cases s WHERE s.company_id = l.company_id AND s.status <> 'closed')
      ORDER BY l.period DESC, l.rank LIMIT 1`);
    expect(city.status).toBe(200);
    expect(periods.published.length).toBeGreaterThan(0);
    expect(candidates.length).toBe(1);
    const { company_id: companyId, period } = candidates[0]!;
    const [housing] = await rows(
      sql<{ id: number }>`SELECT id FROM departments WHERE code = 'housing'`,
    );
    const body = { companyId, period, departmentId: housing!.id };
    const denied: Record<string, number> = {};
    for (const who of ALL) {
      if (who === 'city' || who === 'district' || who === 'district2') continue;
      denied[who] = (
        await call(t.app, 'POST', '/api/credit/cases', { cookie: as[who], body })
      ).status;
    }
    for (const [who, s] of Object.entries(denied))
      expect(s, who).toBe(who === 'public' ? 401 : 403);
    // A district opens only for its own district's list: the city-wide list is not its.
    expect(
      (
        await call(t.app, 'POST', '/api/credit/cases', {
          cookie: as.district,
          body: { ...body, districtId: null },
        })
      ).status,
    ).toBe(404);
    const bad = await call(t.app, 'POST', '/api/credit/cases', {
      cookie: as.city,
      body: { ...body, dueOn: '2001-01-01' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('dueOn');
    const opened = await call(t.app, 'POST', '/api/credit/cases', { cookie: as.city, body });
    expect(opened.status).toBe(201);
    expect(opened.body.status).toBe('open');
    const again = await call(t.app, 'POST', '/api/credit/cases', { cookie: as.city, body });
    expect(again.status).toBe(409);
    expect(again.body.error.reason ?? again.body.error.code).toBeTruthy();
    const id = opened.body.id;
    const rect = await call(t.app, 'POST', `/api/credit/cases/${id}/transitions`, {
      cookie: as.city,
      body: { action: 'rectify' },
    });
    expect(rect.body.status).toBe('rectifying');
    const noAcc = await call(t.app, 'POST', `/api/credit/cases/${id}/transitions`, {
      cookie: as.city,
      body: { action: 'close', outcome: '整改完成' },
    });
    expect(noAcc.status).toBe(400);
    expect(noAcc.body.error.field).toBe('accountability');
    const closed = await call(t.app, 'POST', `/api/credit/cases/${id}/transitions`, {
      cookie: as.city,
      body: { action: 'close', outcome: '整改完成', accountability: '约谈企业负责人' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.accountability).toBe('约谈企业负责人');
    const twice = await call(t.app, 'POST', `/api/credit/cases/${id}/transitions`, {
      cookie: as.city,
      body: { action: 'rectify' },
    });
    expect(twice.status).toBe(409);
    const audit = await rows(sql<{ action: string }>`
      SELECT action FROM audit_log WHERE entity = 'supervision_case' AND entity_id = ${String(id)} ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual([
      'supervision.open',
      'supervision.rectify',
      'supervision.close',
    ]);
    // The company page shows the case, fresh.
    const page = await call(t.app, 'GET', `/api/credit/companies/${companyId}?period=${period}`, {
      cookie: as.city,
    });
    expect(page.body.cases.some((c: any) => c.id === id && c.status === 'closed')).toBe(true);
  });

  it('seeds cases for recent black lists, some closed with 问责, overdue ones first', async () => {
    const r = await call(t.app, 'GET', '/api/credit/cases?limit=200', { cookie: as.city });
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThan(0);
    for (const c of r.body.items) if (c.status === 'closed') expect(c.accountability).toBeTruthy();
    const firstNot = r.body.items.findIndex((c: any) => !c.overdue);
    if (firstNot >= 0) expect(r.body.items.slice(firstNot).some((c: any) => c.overdue)).toBe(false);
  });
});

describe('permissions', () => {
  it('reads the lists: every credit.read holder; others 403; public 401', async () => {
    const got: Record<string, number> = {};
    for (const who of ALL) {
      got[who] = (await call(t.app, 'GET', '/api/credit/lists', { cookie: as[who] })).status;
    }
    expect(got).toEqual({
      city: 200,
      district: 200,
      district2: 200,
      subdistrict: 200,
      community: 200,
      community2: 200,
      gridworker: 403,
      sentinel: 403,
      property: 200,
      property2: 200,
      department: 403,
      department2: 403,
      planner: 200,
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
  });

  it('a company page: its own only for a company account; evidence tickets by the reader’s rule', async () => {
    const own = fx.accounts.property.propertyCompanyId!;
    const other = fx.accounts.property2.propertyCompanyId!;
    const got: Record<string, number> = {};
    for (const who of ALL) {
      got[who] = (
        await call(t.app, 'GET', `/api/credit/companies/${own}`, { cookie: as[who] })
      ).status;
    }
    expect(got).toEqual({
      city: 200,
      district: 200,
      district2: 200,
      subdistrict: 200,
      community: 200,
      community2: 200,
      gridworker: 403,
      sentinel: 403,
      property: 200,
      property2: 404,
      department: 403,
      department2: 403,
      planner: 200,
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
    expect(
      (
        await call(t.app, 'GET', `/api/credit/companies/${other}/evidence?factor=on_time`, {
          cookie: as.property,
        })
      ).status,
    ).toBe(404);
    const planner = await call(
      t.app,
      'GET',
      `/api/credit/companies/${own}/evidence?factor=on_time`,
      {
        cookie: as.planner,
      },
    );
    expect(planner.status).toBe(200);
    expect(planner.body.items).toEqual([]);
    expect(planner.body.visible).toBe(0);
    const mine = await call(t.app, 'GET', `/api/credit/companies/${own}/evidence?factor=on_time`, {
      cookie: as.property,
    });
    expect(mine.body.visible).toBe(mine.body.total);
    // The lists name every listed company to a company account, but show it only its own figures.
    const lists = await call(t.app, 'GET', '/api/credit/lists', { cookie: as.property });
    for (const e of [...lists.body.red, ...lists.body.black])
      if (e.companyId !== own) expect(e.factors).toBeNull();
    const map = await call(t.app, 'GET', '/api/credit/map', { cookie: as.property });
    expect(map.body.companies.ids).toEqual([own]);
  });

  it('refuses hostile input with a 400 naming the field, writing nothing', async () => {
    const auditBefore = await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`);
    const cases: [string, string, unknown, string][] = [
      ['GET', `/api/credit/lists?period=2026-13`, undefined, 'period'],
      ['GET', `/api/credit/lists?period=1' OR 1=1`, undefined, 'period'],
      ['GET', `/api/credit/ranking?sort=score;DROP TABLE x`, undefined, 'sort'],
      ['GET', `/api/credit/ranking?limit=100000`, undefined, 'limit'],
      ['GET', `/api/credit/companies/1/evidence?factor=../../etc`, undefined, 'factor'],
      ['POST', `/api/credit/recompute`, { period: { $gt: 1 } }, 'period'],
      ['POST', `/api/credit/recompute`, { period: '2026-10', extra: 1 }, 'request'],
      [
        'POST',
        `/api/credit/cases`,
        { companyId: -1, period: '2026-10', departmentId: 1 },
        'companyId',
      ],
      [
        'POST',
        `/api/credit/cases`,
        { companyId: 1, period: '2026-10', departmentId: 1, reason: 'x'.repeat(600) },
        'reason',
      ],
      ['POST', `/api/credit/cases/1/transitions`, { action: 'delete' }, 'action'],
    ];
    for (const [method, url, body, field] of cases) {
      const r = await call(t.app, method, url, { cookie: as.city, body });
      expect(r.status, url).toBe(400);
      if (field !== 'request') expect(r.body.error.message, url).toContain(`'${field}'`);
    }
    const unknown = await call(t.app, 'GET', '/api/credit/companies/2147483647', {
      cookie: as.city,
    });
    expect(unknown.status).toBe(404);
    const auditAfter = await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`);
    expect(auditAfter[0]!.n).toBe(auditBefore[0]!.n);
  });

  it('documents the method in docs/credit.md with the numbers of geo/credit-method.ts', () => {
    const doc = readFileSync('docs/credit.md', 'utf8');
    for (const f of CREDIT_FACTORS) {
      const row = doc.split('\n').find((l) => l.includes(`\`${f.key}\``));
      expect(row, f.key).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells, f.key).toContain(String(f.weight));
      expect(cells, f.key).toContain(String(f.prior));
      expect(cells, f.key).toContain(String(f.zero));
      expect(cells, f.key).toContain(String(f.full));
    }
    for (const g of GRADE_CUTOFFS)
      expect(doc).toMatch(new RegExp(`\\| ${g.grade} +\\| ${g.min} +\\|`));
    for (const [k, v] of Object.entries(LIST_RULES))
      expect(doc).toMatch(new RegExp(`\\| \`${k}\` +\\| ${v} +\\|`));
  });
});
