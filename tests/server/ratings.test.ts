import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RATING_INDICATORS,
  RED_BELOW,
  roundTo,
  scoreOf,
  YELLOW_BELOW,
} from '../../geo/rating-method.ts';
import {
  CompoundExplanation,
  Evidence,
  Followup,
  FollowupMap,
  RatingSummary,
  RecomputeResult,
} from '../../server/contract/ratings.ts';
import { ROLES_UNDER_TEST, loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string | undefined> = {};
let periods: string[];

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
  periods = (
    await sql<{ p: string }>`SELECT DISTINCT to_char(period, 'YYYY-MM-DD') AS p
      FROM compound_ratings ORDER BY 1 DESC`.execute(t.db.kysely)
  ).rows.map((r) => r.p);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const get = (who: string | null, url: string) =>
  call(t.app, 'GET', url, { cookie: who ? as[who] : undefined });
const post = (who: string | null, url: string, body: unknown) =>
  call(t.app, 'POST', url, { cookie: who ? as[who] : undefined, body });

/** The first moment of a Beijing month, and of the next one. */
function monthBounds(period: string): [number, number] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1) - 8 * 3600_000;
  const end = Date.UTC(y, m, 1) - 8 * 3600_000;
  return [start, end];
}
const ms = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).getTime());

describe('a colour recomputed independently from the records', () => {
  it('gives every compound of a past month the stored indicators, score and colour', async () => {
    const period = periods[1]!;
    // On PostgreSQL other test files share the database and leave records dated in past months
    // (a late report-in, a patrol of yesterday): the month is recomputed from today's records
    // first, as the city would, and then measured here independently.
    expect((await post('city', '/api/ratings/recompute', { period })).status).toBe(200);
    const [start, end] = monthBounds(period);
    // Plain rows, measured here in JavaScript: not the server's SQL.
    const compounds = (
      await sql<{
        id: number;
        households: number;
        company: number | null;
        committee: boolean;
        demo: boolean;
      }>`SELECT area_id AS id, households, property_company_id AS company,
          has_owners_committee AS committee, provincial_demonstration AS demo
        FROM compounds`.execute(t.db.kysely)
    ).rows;
    const tickets = (
      await sql<{
        compound_id: number;
        received_at: Date;
        due_at: Date;
        resolved_at: Date | null;
        satisfaction: number | null;
        status: string;
      }>`SELECT compound_id, received_at, due_at, resolved_at, satisfaction, status FROM tickets
        WHERE compound_id IS NOT NULL`.execute(t.db.kysely)
    ).rows;
    const hazards = (
      await sql<{
        compound_id: number;
        reported_at: Date;
        rectified_at: Date | null;
        severity: string;
      }>`SELECT compound_id, reported_at, rectified_at, severity FROM hazards
        WHERE compound_id IS NOT NULL`.execute(t.db.kysely)
    ).rows;
    const reportIns = (
      await sql<{
        compound_id: number;
        report_due_at: Date;
        reported_at: Date | null;
      }>`SELECT w.compound_id, w.report_due_at, ri.reported_at FROM whistles w
        JOIN whistle_report_ins ri ON ri.whistle_id = w.id`.execute(t.db.kysely)
    ).rows;
    const stored = new Map(
      (
        await sql<{ id: number; color: string; score: number; indicators: Record<string, number> }>`
          SELECT compound_id AS id, color, round(score::numeric, 1)::float8 AS score, indicators FROM compound_ratings
          WHERE period = ${period}::date`.execute(t.db.kysely)
      ).rows.map((r) => [r.id, r]),
    );

    const measured = compounds.map((c) => {
      const mine = tickets.filter(
        (x) =>
          x.compound_id === c.id &&
          x.status !== 'rejected_duplicate' &&
          ms(x.received_at)! >= start &&
          ms(x.received_at)! < end,
      );
      const overdue = mine.filter(
        (x) =>
          ms(x.due_at)! < end && (x.resolved_at === null || ms(x.resolved_at)! > ms(x.due_at)!),
      ).length;
      const scored = mine.filter((x) => x.satisfaction !== null);
      const open = hazards.filter(
        (h) =>
          h.compound_id === c.id &&
          ms(h.reported_at)! < end &&
          (h.rectified_at === null || ms(h.rectified_at)! >= end),
      );
      const late = reportIns.filter(
        (r) =>
          r.compound_id === c.id &&
          ms(r.report_due_at)! >= start &&
          ms(r.report_due_at)! < end &&
          (ms(r.reported_at) ?? end) > ms(r.report_due_at)!,
      ).length;
      return {
        id: c.id,
        tickets: mine.length,
        per100: (mine.length * 100) / Math.max(c.households, 1),
        overdueShare: overdue / Math.max(mine.length, 1),
        satisfaction: scored.length
          ? scored.reduce((s, x) => s + x.satisfaction!, 0) / scored.length
          : null,
        openHazards: open.length,
        hazardWeight: open.reduce(
          (s, h) => s + (h.severity === 'critical' ? 3 : h.severity === 'high' ? 2 : 1),
          0,
        ),
        lateReportIns: late,
        noPropertyCompany: c.company === null ? 1 : 0,
        noOwnersCommittee: c.committee ? 0 : 1,
        provincialDemonstration: c.demo ? 1 : 0,
      };
    });
    const cityMean = measured.reduce((s, m) => s + m.per100, 0) / measured.length;
    let checked = 0;
    let reds = 0;
    for (const m of measured) {
      const row = stored.get(m.id)!;
      const values = {
        loadVsCity: roundTo(m.per100 / cityMean, 2),
        overdueShare: roundTo(m.overdueShare, 3),
        satisfaction: m.satisfaction === null ? null : roundTo(m.satisfaction, 2),
        hazardWeight: m.hazardWeight,
        lateReportIns: m.lateReportIns,
        noPropertyCompany: m.noPropertyCompany,
        noOwnersCommittee: m.noOwnersCommittee,
        provincialDemonstration: m.provincialDemonstration,
      };
      const ind = row.indicators;
      expect(ind.tickets).toBe(m.tickets);
      expect(ind.openHazards).toBe(m.openHazards);
      expect(ind.hazardWeight).toBe(m.hazardWeight);
      expect(ind.lateReportIns).toBe(m.lateReportIns);
      expect(ind.noPropertyCompany).toBe(m.noPropertyCompany);
      expect(Math.abs(ind.ticketsPer100Households! - m.per100)).toBeLessThanOrEqual(0.0051);
      expect(Math.abs(ind.loadVsCity! - values.loadVsCity)).toBeLessThanOrEqual(0.0101);
      expect(Math.abs(ind.overdueShare! - values.overdueShare)).toBeLessThanOrEqual(0.0011);
      if (values.satisfaction === null) expect(ind.satisfaction).toBeNull();
      else expect(Math.abs(ind.satisfaction! - values.satisfaction)).toBeLessThanOrEqual(0.0101);
      // The score from the values measured here, by the method: within rounding of the stored.
      const mine = scoreOf(values);
      expect(Math.abs(mine.score - row.score)).toBeLessThanOrEqual(0.35);
      // ... and exactly the stored one from the stored values.
      expect(scoreOf(ind).score).toBe(row.score);
      expect(scoreOf(ind).color).toBe(row.color);
      if (Math.abs(mine.score - RED_BELOW) > 0.5 && Math.abs(mine.score - YELLOW_BELOW) > 0.5)
        expect(mine.color).toBe(row.color);
      checked++;
      if (row.color === 'red') reds++;
    }
    expect(checked).toBe(compounds.length);
    expect(reds).toBeGreaterThan(0);
  });
});

describe('the seeded follow-up', () => {
  it('gives most recently red compounds a plan, some overdue, some with steps done, some closed', async () => {
    const r = await sql<{
      red: number;
      planned: number;
      overdue: number;
      stepsDone: number;
      done: number;
      doneImproved: number;
    }>`
      WITH recent AS (SELECT DISTINCT compound_id FROM compound_ratings
        WHERE color = 'red' AND period >= ${periods[2]}::date)
      SELECT (SELECT count(*)::int FROM recent) AS red,
        (SELECT count(*)::int FROM recent WHERE EXISTS (SELECT 1 FROM rating_followups f
          WHERE f.compound_id = recent.compound_id)) AS planned,
        (SELECT count(*)::int FROM rating_followups WHERE status = 'open'
          AND due_on < (now() AT TIME ZONE 'Asia/Shanghai')::date) AS overdue,
        (SELECT count(DISTINCT followup_id)::int FROM rating_followup_steps s
          JOIN rating_followups f ON f.id = s.followup_id
          WHERE f.status = 'open' AND s.done_at IS NOT NULL) AS "stepsDone",
        (SELECT count(*)::int FROM rating_followups WHERE status = 'done') AS done,
        (SELECT count(*)::int FROM rating_followups f WHERE status = 'done'
          AND (SELECT color FROM compound_ratings cr WHERE cr.compound_id = f.compound_id
            AND cr.period = ${periods[0]}::date) <> 'red') AS "doneImproved"`.execute(t.db.kysely);
    const x = r.rows[0]!;
    expect(x.planned / x.red).toBeGreaterThan(0.7);
    expect(x.overdue).toBeGreaterThan(0);
    expect(x.stepsDone).toBeGreaterThan(0);
    expect(x.done).toBeGreaterThan(0);
    expect(x.doneImproved).toBe(x.done);
  });
});

/** A compound red in the latest month, with tickets, and its explanation as the city sees it. */
async function redCompound(where = sql`true`) {
  const r = await sql<{ id: number }>`
    SELECT cr.compound_id AS id FROM compound_ratings cr JOIN areas a ON a.id = cr.compound_id
    WHERE cr.period = ${periods[0]}::date AND cr.color = 'red' AND ${where}
    ORDER BY (cr.indicators->>'tickets')::int DESC, cr.compound_id LIMIT 1`.execute(t.db.kysely);
  return r.rows[0]?.id ?? null;
}

describe('the explanation of a colour', () => {
  it('lists every indicator with threshold, weight and deduction that add up to the score', async () => {
    const id = (await redCompound())!;
    const { status, body } = await get('city', `/api/ratings/compounds/${id}`);
    expect(status).toBe(200);
    expect(body.color).toBe('red');
    expect(body.period).toBe(periods[0]);
    expect(body.indicators.map((i: { key: string }) => i.key)).toEqual(
      RATING_INDICATORS.map((i) => i.key),
    );
    for (const row of body.indicators) {
      const m = RATING_INDICATORS.find((i) => i.key === row.key)!;
      expect(row.weight).toBe(m.weight);
      expect(row.threshold).toBe(m.threshold);
    }
    const sum = body.indicators.reduce((s: number, i: { deduction: number }) => s + i.deduction, 0);
    expect(body.arithmetic.deducted).toBeCloseTo(sum, 6);
    expect(body.score).toBeCloseTo(Math.max(0, 100 - sum), 1);
    expect(body.score).toBeLessThan(RED_BELOW);
    expect(body.history.length).toBe(Math.min(12, periods.length));
    expect(body.history.at(-1).period).toBe(periods[0]);
    expect(body.evidence).toEqual({ tickets: true, hazards: true, whistles: true });
  });

  it('drills each indicator to records that agree with its value', async () => {
    const id = (await redCompound())!;
    const { body } = await get('city', `/api/ratings/compounds/${id}`);
    const value = (k: string) => body.indicators.find((i: { key: string }) => i.key === k).value;
    const ev = async (k: string) =>
      (await get('city', `/api/ratings/compounds/${id}/evidence?indicator=${k}`)).body;
    const load = await ev('loadVsCity');
    expect(load.total).toBe(body.context.tickets);
    expect(load.tickets.length).toBe(load.total);
    const overdue = await ev('overdueShare');
    expect(overdue.tickets.every((x: { overdue: boolean }) => x.overdue)).toBe(true);
    expect(roundTo(overdue.total / Math.max(load.total, 1), 3)).toBeCloseTo(
      value('overdueShare'),
      3,
    );
    const sat = await ev('satisfaction');
    if (sat.total > 0) {
      const mean =
        sat.tickets.reduce((s: number, x: { satisfaction: number }) => s + x.satisfaction, 0) /
        sat.total;
      expect(mean).toBeCloseTo(value('satisfaction'), 1);
    } else expect(value('satisfaction')).toBeNull();
    const hz = await ev('hazardWeight');
    expect(hz.total).toBe(body.context.openHazards);
    expect(hz.hazards.reduce((s: number, h: { weight: number }) => s + h.weight, 0)).toBe(
      value('hazardWeight'),
    );
    const late = await ev('lateReportIns');
    expect(late.total).toBe(value('lateReportIns'));
    // A past month drills too.
    const past = await get(
      'city',
      `/api/ratings/compounds/${id}/evidence?indicator=overdueShare&period=${periods[1]}`,
    );
    expect(past.status).toBe(200);
    expect(past.body.period).toBe(periods[1]);
  });

  it('gives a planner the counts but none of the records', async () => {
    const id = (await redCompound())!;
    const city = await get('city', `/api/ratings/compounds/${id}/evidence?indicator=loadVsCity`);
    const planner = await get(
      'planner',
      `/api/ratings/compounds/${id}/evidence?indicator=loadVsCity`,
    );
    expect(planner.status).toBe(200);
    expect(planner.body.readable).toBe(false);
    expect(planner.body.total).toBe(city.body.total);
    expect(planner.body.tickets).toEqual([]);
    const explained = await get('planner', `/api/ratings/compounds/${id}`);
    expect(explained.body.evidence.tickets).toBe(false);
  });

  it('scopes a property company to its own compounds and their records', async () => {
    const own = await get('property', `/api/ratings/compounds/${fx.companyCompound.id}`);
    expect(own.status).toBe(200);
    const other = await get('property', `/api/ratings/compounds/${fx.otherCommunity.id}`);
    expect([404]).toContain(other.status);
    const ev = await get(
      'property',
      `/api/ratings/compounds/${fx.companyCompound.id}/evidence?indicator=loadVsCity`,
    );
    expect(ev.status).toBe(200);
    // Tickets dispatched to the company only: never more than the indicator counted.
    expect(ev.body.tickets.length).toBeLessThanOrEqual(ev.body.total);
  });

  it('refuses bad input naming the parameter', async () => {
    const id = (await redCompound())!;
    const a = await get('city', `/api/ratings/compounds/${id}/evidence?indicator=nope`);
    expect(a.status).toBe(400);
    expect(a.body.error.message).toContain("'indicator'");
    const b = await get('city', `/api/ratings/compounds/${id}?period=2026-13-01`);
    expect(b.status).toBe(400);
    expect(b.body.error.message).toContain("'period'");
    const c = await get('city', `/api/ratings/compounds/${id}?period=1999-01-01`);
    expect(c.status).toBe(400);
    const d = await get('city', `/api/ratings/compounds/abc`);
    expect(d.status).toBe(400);
    const e = await get('city', `/api/ratings/compounds/${fx.accounts.community.areaId}`);
    expect(e.status).toBe(404);
    const f = await get('city', `/api/ratings/summary?area=99999999`);
    expect(f.status).toBe(404);
  });
});

describe('the summary of an area', () => {
  it('counts colours, plans and transitions per child, and agrees with the red list', async () => {
    const { status, body } = await get('city', '/api/ratings/summary');
    expect(status).toBe(200);
    expect(body.latest).toBe(periods[0]);
    const redNow = await sql<{ n: number }>`SELECT count(*)::int AS n FROM compound_ratings
      WHERE period = ${periods[0]}::date AND color = 'red'`.execute(t.db.kysely);
    expect(body.totals.red).toBe(redNow.rows[0]!.n);
    expect(body.totals.redWithPlan + body.totals.redWithoutPlan).toBe(body.totals.red);
    expect(body.redList.length).toBe(body.totals.red);
    // Most red compounds are followed up (the seed), some plans overdue.
    expect(body.totals.redWithPlan).toBeGreaterThan(body.totals.redWithoutPlan);
    const moves = Object.values(body.totals.transitions as Record<string, number>);
    expect(moves.reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
    for (const c of body.children) expect(c.red + c.yellow + c.blue).toBe(c.compounds);
    // Drill to a district: its children sum to its row.
    const d = body.children[0];
    const sub = await get('city', `/api/ratings/summary?area=${d.id}`);
    expect(sub.status).toBe(200);
    expect(sub.body.totals.red).toBe(d.red);
    expect(sub.body.totals.compounds).toBe(d.compounds);
  });

  it('shows an area official only its own compounds, and no other area', async () => {
    const mine = await get('community', '/api/ratings/summary');
    expect(mine.status).toBe(200);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas
      WHERE level = 'compound' AND path @> ARRAY[${fx.accounts.community.areaId!}]::int[]`.execute(
      t.db.kysely,
    );
    expect(mine.body.totals.compounds).toBe(n.rows[0]!.n);
    const other = await get(
      'community',
      `/api/ratings/summary?area=${fx.accounts.community2.areaId}`,
    );
    expect(other.status).toBe(404);
  });
});

describe('recompute', () => {
  it('recomputes a month for the city, audited, with counts by colour', async () => {
    // Records of other test files may have changed since the seed (see above): the month is
    // recomputed once to today's records, then again, and must come out the same.
    const period = periods[2]!;
    const colours = () =>
      sql<{ md5: string }>`SELECT md5(string_agg(compound_id || color || score,
      ',' ORDER BY compound_id)) AS md5 FROM compound_ratings WHERE period = ${period}::date`.execute(
        t.db.kysely,
      );
    expect((await post('city', '/api/ratings/recompute', { period })).status).toBe(200);
    const before = await colours();
    const r = await post('city', '/api/ratings/recompute', { period });
    expect(r.status).toBe(200);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM compounds`.execute(
      t.db.kysely,
    );
    expect(r.body.red + r.body.yellow + r.body.blue).toBe(n.rows[0]!.n);
    // A past month recomputed from the same records gives the same colours.
    expect((await colours()).rows[0]!.md5).toBe(before.rows[0]!.md5);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'ratings.recompute' AND entity_id = ${period}`.execute(t.db.kysely);
    expect(audit.rows[0]!.n).toBe(2);
  });

  it('is the city’s alone, and names a bad period', async () => {
    expect((await post('district', '/api/ratings/recompute', { period: periods[0] })).status).toBe(
      403,
    );
    expect((await post(null, '/api/ratings/recompute', { period: periods[0] })).status).toBe(401);
    const bad = await post('city', '/api/ratings/recompute', { period: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'period'");
    const future = await post('city', '/api/ratings/recompute', { period: '2999-01-01' });
    expect(future.status).toBe(400);
  });
});

describe('包抓落实', () => {
  const inDays = (n: number) =>
    new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
  const plan = (compoundId: number) => ({
    compoundId,
    cadre: { name: '张建国', post: '社区党委书记', phone: '13912345678' },
    plan: '成立整改专班，逐项销号超期诉求',
    dueOn: inDays(60),
    steps: [
      { title: '摸排问题，建立台账', dueOn: inDays(10) },
      { title: '召开四方联席会议', dueOn: inDays(30) },
    ],
  });

  it('opens a plan for a red compound, marks steps, closes it; each write audited', async () => {
    const id = (await redCompound())!;
    // Close any open plan the seed gave it, as the city.
    const ex = await get('city', `/api/ratings/compounds/${id}`);
    for (const f of ex.body.followups.filter((x: { status: string }) => x.status === 'open')) {
      const c = await post('city', `/api/ratings/followups/${f.id}/close`, {
        status: 'cancelled',
        outcome: '重新制定方案',
      });
      expect(c.status).toBe(200);
      expect(c.body.status).toBe('cancelled');
    }
    const opened = await post('city', '/api/ratings/followups', plan(id));
    expect(opened.status).toBe(201);
    expect(opened.body.status).toBe('open');
    expect(opened.body.progress).toEqual({ done: 0, total: 2 });
    expect(opened.body.cadre.phone).toBe('13912345678');
    expect(opened.body.colors[0].color).toBe('red');
    // One open plan per compound.
    const again = await post('city', '/api/ratings/followups', plan(id));
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('followup_open');
    // Read after write: the explanation shows it and no longer offers a new one.
    const now = await get('city', `/api/ratings/compounds/${id}`);
    expect(now.body.followups[0].id).toBe(opened.body.id);
    expect(now.body.canOpenFollowup).toBe(false);
    const step = opened.body.steps[0];
    const marked = await post('city', `/api/ratings/followups/${opened.body.id}/steps/${step.id}`, {
      done: true,
      note: '台账已建立',
    });
    expect(marked.status).toBe(200);
    expect(marked.body.progress).toEqual({ done: 1, total: 2 });
    const wrongStep = await post(
      'city',
      `/api/ratings/followups/${opened.body.id}/steps/2147483647`,
      { done: true },
    );
    expect(wrongStep.status).toBe(404);
    const closed = await post('city', `/api/ratings/followups/${opened.body.id}/close`, {
      status: 'done',
      outcome: '诉求全部办结',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).not.toBeNull();
    const late = await post('city', `/api/ratings/followups/${opened.body.id}/steps/${step.id}`, {
      done: false,
    });
    expect(late.status).toBe(409);
    const audit = await sql<{ action: string }>`SELECT action FROM audit_log
      WHERE entity = 'rating_followup' AND entity_id = ${String(opened.body.id)} ORDER BY id`.execute(
      t.db.kysely,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'followup.open',
      'followup.step_done',
      'followup.done',
    ]);
  });

  it('refuses a compound that was not red recently, and bad input, writing nothing', async () => {
    const blue = await sql<{ id: number }>`SELECT compound_id AS id FROM compound_ratings cr
      WHERE NOT EXISTS (SELECT 1 FROM compound_ratings x WHERE x.compound_id = cr.compound_id
        AND x.color = 'red' AND x.period >= ${periods[1]}::date)
      ORDER BY compound_id LIMIT 1`.execute(t.db.kysely);
    const before = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM rating_followups`.execute(t.db.kysely);
    const r = await post('city', '/api/ratings/followups', plan(blue.rows[0]!.id));
    expect(r.status).toBe(409);
    expect(r.body.error.reason).toBe('not_red');
    const id = (await redCompound())!;
    const hostile = [
      { ...plan(id), dueOn: '2020-01-01' },
      { ...plan(id), steps: [] },
      { ...plan(id), steps: [{ title: 'x', dueOn: inDays(400) }] },
      { ...plan(id), cadre: { name: '' } },
      { ...plan(id), cadre: { name: '张', phone: "1'; DROP TABLE areas;--" } },
      { ...plan(id), plan: 'x'.repeat(5000) },
      { ...plan(id), compoundId: -1 },
      { ...plan(id), extra: true },
      { ...plan(id), dueOn: '2026-02-30' },
    ];
    for (const body of hostile) {
      const res = await post('city', '/api/ratings/followups', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toMatch(/parameter '/);
    }
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM rating_followups`.execute(
      t.db.kysely,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('masks the cadre phone without party.personal over the place', async () => {
    const f = await sql<{ id: number; compound: number }>`SELECT f.id, f.compound_id AS compound
      FROM rating_followups f JOIN compounds c ON c.area_id = f.compound_id
      WHERE c.property_company_id = ${fx.accounts.property.propertyCompanyId}
        AND f.cadre_phone IS NOT NULL ORDER BY f.id LIMIT 1`.execute(t.db.kysely);
    if (!f.rows[0]) return;
    const city = await get('city', `/api/ratings/followups/${f.rows[0].id}`);
    expect(city.body.cadre.phoneMasked).toBe(false);
    const company = await get('property', `/api/ratings/followups/${f.rows[0].id}`);
    expect(company.status).toBe(200);
    expect(company.body.cadre.phoneMasked).toBe(true);
    expect(company.body.cadre.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(company.body.canEdit).toBe(false);
  });
});

describe('the contract', () => {
  it('answers every ratings read as server/contract/ratings.ts says', async () => {
    const id = (await redCompound())!;
    RatingSummary.parse((await get('city', '/api/ratings/summary')).body);
    RatingSummary.parse((await get('community', '/api/ratings/summary')).body);
    const ex = CompoundExplanation.parse((await get('city', `/api/ratings/compounds/${id}`)).body);
    for (const i of ex.indicators.filter((x) => x.evidence)) {
      Evidence.parse(
        (await get('city', `/api/ratings/compounds/${id}/evidence?indicator=${i.key}`)).body,
      );
    }
    for (const f of ex.followups)
      Followup.parse((await get('city', `/api/ratings/followups/${f.id}`)).body);
    const map = FollowupMap.parse((await get('city', '/api/ratings/map')).body);
    RecomputeResult.parse({ period: periods[0], red: 1, yellow: 1, blue: 1 });
    // The map holds the latest month's red compounds, each with its plan state.
    const red = await sql<{ n: number }>`SELECT count(*)::int AS n FROM compound_ratings
      WHERE period = ${periods[0]}::date AND color = 'red'`.execute(t.db.kysely);
    expect(map.compounds.ids.length).toBe(red.rows[0]!.n);
    expect(map.compounds.plan.every((p) => p >= 0 && p <= 3)).toBe(true);
    const company = FollowupMap.parse((await get('property', '/api/ratings/map')).body);
    expect(company.compounds.ids.length).toBeLessThan(map.compounds.ids.length);
    expect((await get(null, '/api/ratings/map')).status).toBe(401);
    expect((await get('sentinel', '/api/ratings/map')).status).toBe(403);
  });
});

describe('permissions', () => {
  const READERS = new Set([
    'city',
    'district',
    'district2',
    'subdistrict',
    'community',
    'community2',
    'gridworker',
    'property',
    'property2',
    'planner',
  ]);
  const STEERS = new Set([
    'city',
    'district',
    'district2',
    'subdistrict',
    'community',
    'community2',
  ]);

  it('reads: every demo role and the public', async () => {
    for (const who of [...ROLES_UNDER_TEST, null]) {
      const r = await get(who, '/api/ratings/summary');
      const want = who === null ? 401 : READERS.has(who) ? 200 : 403;
      expect(r.status, `${who} summary`).toBe(want);
    }
  });

  it('a compound explained and drilled: readers of its place, 404 elsewhere', async () => {
    const c = fx.companyCompound;
    const path = (
      await sql<{ path: number[] }>`SELECT path FROM areas WHERE id = ${c.id}`.execute(t.db.kysely)
    ).rows[0]!.path;
    for (const who of [...ROLES_UNDER_TEST, null]) {
      const acc = who ? fx.accounts[who as keyof typeof fx.accounts] : null;
      const reaches =
        who === 'city' ||
        who === 'planner' ||
        (acc?.areaId != null && path.includes(acc.areaId)) ||
        (acc?.propertyCompanyId != null && acc.propertyCompanyId === c.companyId);
      const want = who === null ? 401 : !READERS.has(who) ? 403 : reaches ? 200 : 404;
      const ex = await get(who, `/api/ratings/compounds/${c.id}`);
      expect(ex.status, `${who} explanation`).toBe(want);
      const ev = await get(who, `/api/ratings/compounds/${c.id}/evidence?indicator=overdueShare`);
      expect(ev.status, `${who} evidence`).toBe(want);
    }
  });

  it('follow-up writes: area officials over their place only', async () => {
    // A red compound in the demo community, if any; else any red compound in its district.
    const community = fx.accounts.community.areaId!;
    const id =
      (await redCompound(sql`a.path @> ARRAY[${community}]::int[]`)) ??
      (await redCompound(sql`a.path @> ARRAY[${fx.accounts.district.areaId!}]::int[]`));
    if (id === null) return;
    const path = (
      await sql<{ path: number[] }>`SELECT path FROM areas WHERE id = ${id}`.execute(t.db.kysely)
    ).rows[0]!.path;
    const body = {
      compoundId: id,
      cadre: { name: '李' },
      plan: '权限测试',
      dueOn: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10),
      steps: [
        { title: '一', dueOn: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10) },
      ],
    };
    const companyOf = (
      await sql<{ c: number | null }>`SELECT property_company_id AS c FROM compounds
        WHERE area_id = ${id}`.execute(t.db.kysely)
    ).rows[0]!.c;
    for (const who of [...ROLES_UNDER_TEST, null]) {
      // Invalid on purpose (no such step list change): the status tells the permission.
      const r = await post(who, '/api/ratings/followups', { ...body, dueOn: '2000-01-01' });
      const acc = who ? fx.accounts[who as keyof typeof fx.accounts] : null;
      const reaches =
        who === 'city' ||
        (acc?.areaId != null && path.includes(acc.areaId)) ||
        (acc?.propertyCompanyId != null && acc.propertyCompanyId === companyOf);
      const want =
        who === null
          ? 401
          : !STEERS.has(who) && !READERS.has(who)
            ? 403
            : !STEERS.has(who)
              ? 403
              : reaches
                ? 400
                : 404;
      expect(r.status, `${who} open follow-up`).toBe(want);
    }
  });
});
