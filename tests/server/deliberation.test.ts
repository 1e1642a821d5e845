/**
 * 四方联席会议 over the API: a proposal through every step of the flow (and the steps out of
 * order: 409, nothing written, audit unchanged), bad fields and foreign compounds, the permission
 * matrix over every demo account and the public, masking of proposers, map evidence → proposal
 * with its snapshot recounted from the tickets, the three lists with matching within capacity,
 * and a finished project's before/after counts recomputed here from the tickets.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../geo/deliberation.ts';
import { maskName } from '../../geo/party.ts';
import {
  JointMeeting,
  ProjectDetail,
  Proposal,
  ProposalDetail,
  ProposalList,
  ProposalMap,
} from '../../server/contract/deliberation.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';
import { capabilitiesOf } from '../../server/policy.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Partial<Record<DemoUser | 'public', string>> = { public: undefined };
const ALL = [...ROLES_UNDER_TEST, 'public'] as const;
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let roles: Record<string, string> = {};
/** Whether a demo account reads deliberation at all (other helpers' accounts join the list). */
const reads = (who: string) =>
  who !== 'public' && capabilitiesOf(roles[who] as never).has('deliberation.read');
/** The expected statuses of the accounts named, and 403 for any other without the capability. */
function expectMatrix(got: Record<string, number>, want: Record<string, number>) {
  for (const who of ALL) {
    if (who in want) expect(got[who], who).toBe(want[who]);
    else if (!reads(who)) expect(got[who], who).toBe(403);
  }
}

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  roles = Object.fromEntries(
    (await rows<{ username: string; role: string }>(sql`SELECT username, role FROM accounts`)).map(
      (r) => [r.username, r.role],
    ),
  );
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const rows = async <T = any>(q: ReturnType<typeof sql>) =>
  (await q.execute(t.db.kysely)).rows as T[];
const auditCount = async () =>
  (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;
const stageOf = async (id: number) =>
  (await rows<{ stage: string }>(sql`SELECT stage FROM proposals WHERE id = ${id}`))[0]?.stage;
const compound = () => fx.companyCompound.id;

const owner = (over: Record<string, unknown> = {}) => ({
  compoundId: compound(),
  topic: 'parking',
  title: '测试：增设非机动车充电棚',
  body: '业主反映电动车充电难',
  source: 'owner',
  proposerName: '张建国',
  proposerPhone: '13912345678',
  ...over,
});
const meeting = (proposalId: number, over: Record<string, unknown> = {}) => ({
  heldAt: new Date().toISOString(),
  place: '社区党群服务中心议事厅',
  attendees: [
    { side: 'party', name: '社区党委书记' },
    { side: 'committee', name: '业委会主任' },
    { side: 'company', name: '物业项目经理' },
    { side: 'department', name: '街道城建办' },
  ],
  minutes: '各方协商一致。',
  decisions: [
    {
      proposalId,
      decision: '同意建设充电棚',
      actionOwner: '物业服务企业',
      dueOn: addDays(today(), 30),
    },
  ],
  ...over,
});

async function submitted(by: DemoUser = 'community', over: Record<string, unknown> = {}) {
  const r = await call(t.app, 'POST', '/api/deliberation/proposals', {
    cookie: as[by],
    body: owner(over),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as number;
}

describe('seeded deliberation', () => {
  it('has every stage, a timeline matching each stage, meetings with 1+3+N, no overdrawn resource', async () => {
    const stages = await rows<{ stage: string; n: number }>(sql`
      SELECT stage, count(*)::int AS n FROM proposals GROUP BY stage`);
    const by = Object.fromEntries(stages.map((s) => [s.stage, s.n]));
    for (const s of ['submitted', 'returned', 'rejected', 'accepted', 'decided', 'published'])
      expect(by[s] ?? 0, s).toBeGreaterThan(0);
    const [bad] = await rows(sql`
      SELECT
        (SELECT count(*)::int FROM proposals p WHERE p.stage = 'published' AND NOT EXISTS (
          SELECT 1 FROM proposal_steps s WHERE s.proposal_id = p.id AND s.step = 'publish')) AS unpublished_steps,
        (SELECT count(*)::int FROM proposals p WHERE p.stage IN ('decided', 'published') AND NOT EXISTS (
          SELECT 1 FROM proposal_steps s WHERE s.proposal_id = p.id AND s.step = 'decide')) AS undecided_steps,
        (SELECT count(*)::int FROM proposals p WHERE NOT EXISTS (
          SELECT 1 FROM proposal_steps s WHERE s.proposal_id = p.id AND s.step = 'submit')) AS unsubmitted,
        (SELECT count(*)::int FROM joint_meetings m WHERE NOT (m.attendees @> '[{"side":"party"}]'
          AND m.attendees @> '[{"side":"committee"}]')) AS incomplete_meetings,
        (SELECT count(*)::int FROM resources r WHERE r.capacity < (SELECT coalesce(sum(pr.amount), 0)
          FROM project_resources pr JOIN projects j ON j.id = pr.project_id
          WHERE pr.resource_id = r.id AND j.status <> 'cancelled')) AS overdrawn,
        (SELECT count(*)::int FROM proposals WHERE source = 'evidence') AS evidence,
        (SELECT count(*)::int FROM projects WHERE status = 'done') AS done`);
    expect(bad.unpublished_steps).toBe(0);
    expect(bad.undecided_steps).toBe(0);
    expect(bad.unsubmitted).toBe(0);
    expect(bad.incomplete_meetings).toBe(0);
    expect(bad.overdrawn).toBe(0);
    expect(bad.evidence).toBeGreaterThan(0);
    expect(bad.done).toBeGreaterThan(0);
  });
});

describe('the flow', () => {
  it('业主建议 → 党组织审议 → 联席商议 → 结果公开, each step audited and on the timeline; public afterwards', async () => {
    const a0 = await auditCount();
    const id = await submitted('gridworker', { compoundId: fx.gridCompound.id });
    expect(await stageOf(id)).toBe('submitted');
    // Not public yet.
    expect((await call(t.app, 'GET', `/api/deliberation/proposals/${id}`)).status).toBe(401);
    const acc = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
      cookie: as.community,
      body: { note: '提交联席会议' },
    });
    expect(acc.status).toBe(200);
    expect(acc.body.stage).toBe('accepted');
    expect(Proposal.safeParse(acc.body).success).toBe(true);
    const m = await call(t.app, 'POST', '/api/deliberation/meetings', {
      cookie: as.community,
      body: meeting(id),
    });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(JointMeeting.parse(m.body).proposals.map((p) => p.id)).toEqual([id]);
    expect(await stageOf(id)).toBe('decided');
    const pub = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/publish`, {
      cookie: as.community,
      body: { result: '充电棚已建成投用' },
    });
    expect(pub.status).toBe(200);
    expect(pub.body.stage).toBe('published');
    // submit, accept, decide (+ the meeting), publish
    expect(await auditCount()).toBe(a0 + 5);
    const detail = await call(t.app, 'GET', `/api/deliberation/proposals/${id}`, {
      cookie: as.community,
    });
    const d = ProposalDetail.parse(detail.body);
    expect(d.full).toBe(true);
    if (d.full) {
      expect(d.steps.map((s) => s.step)).toEqual(['submit', 'accept', 'decide', 'publish']);
      expect(d.meeting?.id).toBe(m.body.id);
      expect(d.proposerName).toBe('张建国');
    }
    // The public reads the result, without the proposer, in the list and on the map.
    const pubDetail = await call(t.app, 'GET', `/api/deliberation/proposals/${id}`);
    expect(pubDetail.status).toBe(200);
    expect(pubDetail.body.full).toBe(false);
    expect(JSON.stringify(pubDetail.body)).not.toContain('张建国');
    expect(pubDetail.body.result).toBe('充电棚已建成投用');
    const list = await call(
      t.app,
      'GET',
      `/api/deliberation/proposals?compound=${fx.gridCompound.id}&limit=200`,
    );
    expect(ProposalList.parse(list.body).published).toBe(true);
    expect(list.body.items.some((p: any) => p.id === id)).toBe(true);
    expect(
      list.body.items.every((p: any) => p.stage === 'published' && !('proposerName' in p)),
    ).toBe(true);
    const map = await call(t.app, 'GET', '/api/deliberation/map?zoom=14');
    const feature = ProposalMap.parse(map.body).features.find((f) => f.id === fx.gridCompound.id);
    expect(feature?.properties.published).toBeGreaterThan(0);
    expect(map.body.features.every((f: any) => f.properties.total === f.properties.published)).toBe(
      true,
    );
  });

  it('returned with a reason, resubmitted, accepted; rejected with a reason', async () => {
    const id = await submitted();
    const ret = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/return`, {
      cookie: as.community,
      body: { reason: '请补充业主签名' },
    });
    expect(ret.body.stage).toBe('returned');
    const again = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/resubmit`, {
      cookie: as.gridworker === undefined ? as.community : as.community,
      body: { addition: '已补充32户业主签名' },
    });
    expect(again.status).toBe(200);
    expect(again.body.stage).toBe('submitted');
    expect(again.body.body).toContain('已补充32户业主签名');
    const rej = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/reject`, {
      cookie: as.community,
      body: { reason: '属于个人诉求，转12345办理' },
    });
    expect(rej.body.stage).toBe('rejected');
    const steps = await rows<{ step: string; fields: any }>(sql`
      SELECT step, fields FROM proposal_steps WHERE proposal_id = ${id} ORDER BY id`);
    expect(steps.map((s) => s.step)).toEqual(['submit', 'return', 'resubmit', 'reject']);
    expect(steps[3]!.fields.reason).toBe('属于个人诉求，转12345办理');
  });

  it('a step out of order is a 409 saying why; nothing written, audit unchanged', async () => {
    const id = await submitted();
    const a0 = await auditCount();
    const s0 = (await rows(sql`SELECT count(*)::int AS n FROM proposal_steps`))[0].n;
    const pub = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/publish`, {
      cookie: as.community,
      body: { result: '已完成' },
    });
    expect(pub.status).toBe(409);
    expect(pub.body.error.message).toContain('submitted');
    expect(pub.body.error.message).toContain('decided');
    const meet = await call(t.app, 'POST', '/api/deliberation/meetings', {
      cookie: as.community,
      body: meeting(id),
    });
    expect(meet.status).toBe(409);
    const resub = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/resubmit`, {
      cookie: as.community,
      body: { addition: '补充材料' },
    });
    expect(resub.status).toBe(409);
    await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
      cookie: as.community,
      body: {},
    });
    const twice = await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
      cookie: as.community,
      body: {},
    });
    expect(twice.status).toBe(409);
    expect(await auditCount()).toBe(a0 + 1);
    expect((await rows(sql`SELECT count(*)::int AS n FROM proposal_steps`))[0].n).toBe(s0 + 1);
    expect(await stageOf(id)).toBe('accepted');
    expect(
      await rows(sql`SELECT 1 FROM joint_meetings WHERE minutes = '各方协商一致。' AND
      id IN (SELECT meeting_id FROM proposals WHERE id = ${id})`),
    ).toEqual([]);
  });

  it('bad fields are 400s naming the field; foreign compounds 404; read-only 403; nothing written', async () => {
    const a0 = await auditCount();
    const n0 = (await rows(sql`SELECT count(*)::int AS n FROM proposals`))[0].n;
    const bad: [Record<string, unknown>, string][] = [
      [{ topic: 'weather' }, 'topic'],
      [{ title: 'x' }, 'title'],
      [{ source: 'mayor' }, 'source'],
      [{ proposerPhone: 'call me' }, 'proposerPhone'],
      [{ compoundId: -1 }, 'compoundId'],
      [{ extra: 1 }, 'request'],
    ];
    for (const [over, field] of bad) {
      const r = await call(t.app, 'POST', '/api/deliberation/proposals', {
        cookie: as.community,
        body: owner(over),
      });
      expect(r.status, field).toBe(400);
      expect(r.body.error.message).toContain(`'${field === 'request' ? '' : field}`);
    }
    const foreign = await call(t.app, 'POST', '/api/deliberation/proposals', {
      cookie: as.community,
      body: owner({ compoundId: fx.otherCommunity.id }),
    });
    expect(foreign.status).toBe(404);
    const id = await submitted();
    const a1 = await auditCount();
    expect(
      (
        await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
          cookie: as.community2,
          body: {},
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
          cookie: as.gridworker,
          body: {},
        })
      ).status,
    ).toBe(fx.companyCompound.gridId === fx.accounts.gridworker.areaId ? 403 : 404);
    expect(
      (
        await call(t.app, 'POST', `/api/deliberation/proposals/${id}/reject`, {
          cookie: as.community,
          body: { reason: 'x' },
        })
      ).body.error.field,
    ).toBe('reason');
    // The meeting's own checks: 1+3+N, due dates, the time.
    await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
      cookie: as.community,
      body: {},
    });
    const a2 = await auditCount();
    const noParty = await call(t.app, 'POST', '/api/deliberation/meetings', {
      cookie: as.community,
      body: meeting(id, {
        attendees: [
          { side: 'committee', name: 'A' },
          { side: 'company', name: 'B' },
        ],
      }),
    });
    expect(noParty.status).toBe(400);
    expect(noParty.body.error.field).toBe('attendees');
    const early = meeting(id);
    early.decisions[0]!.dueOn = '2020-01-01';
    const due = await call(t.app, 'POST', '/api/deliberation/meetings', {
      cookie: as.community,
      body: early,
    });
    expect(due.status).toBe(400);
    expect(due.body.error.field).toBe('decisions.0.dueOn');
    const future = await call(t.app, 'POST', '/api/deliberation/meetings', {
      cookie: as.community,
      body: meeting(id, { heldAt: new Date(Date.now() + 5 * 86_400_000).toISOString() }),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.field).toBe('heldAt');
    expect(await auditCount()).toBe(a2);
    expect(await stageOf(id)).toBe('accepted');
    expect(a1).toBe(a0 + 1);
    expect((await rows(sql`SELECT count(*)::int AS n FROM proposals`))[0].n).toBe(n0 + 1);
  });
});

describe('permission matrix', () => {
  async function matrix(method: string, url: () => string, body?: () => unknown) {
    const got: Record<string, number> = {};
    for (const who of ALL)
      got[who] = (await call(t.app, method, url(), { cookie: as[who], body: body?.() })).status;
    return got;
  }

  it('lists: everyone (the public and roles without the capability see published results only)', async () => {
    for (const who of ALL) {
      const r = await call(t.app, 'GET', '/api/deliberation/proposals?limit=200', {
        cookie: as[who],
      });
      expect(r.status, who).toBe(200);
      const readsAll = reads(who);
      expect(r.body.published, who).toBe(!readsAll);
      if (!readsAll) expect(r.body.items.every((p: any) => p.stage === 'published')).toBe(true);
    }
  });

  it("scopes every reader's list to its area or its compounds", async () => {
    for (const who of ['community', 'gridworker', 'property', 'district2'] as const) {
      const r = await call(t.app, 'GET', '/api/deliberation/proposals?limit=200', {
        cookie: as[who],
      });
      const ids = r.body.items.map((p: any) => p.id);
      if (ids.length === 0) continue;
      const acc = fx.accounts[who];
      const outside = await rows(sql`
        SELECT p.id FROM proposals p JOIN compounds c ON c.area_id = p.compound_id
        WHERE p.id = ANY(${ids}::int[]) AND NOT ${
          acc.propertyCompanyId
            ? sql`c.property_company_id = ${acc.propertyCompanyId}`
            : sql`p.area_path @> ARRAY[${acc.areaId}::int]`
        }`);
      expect(outside, who).toEqual([]);
    }
  });

  it('a proposal under deliberation: area 200, others 404, no capability 403, public 401', async () => {
    const id = await submitted('community', { compoundId: fx.gridCompound.id });
    const company = fx.gridCompound.companyId;
    expectMatrix(await matrix('GET', () => `/api/deliberation/proposals/${id}`), {
      city: 200,
      district: 200,
      district2: 404,
      subdistrict: 200,
      community: 200,
      community2: 404,
      gridworker: 200,
      sentinel: 403,
      property: company === fx.accounts.property.propertyCompanyId ? 200 : 404,
      property2: company === fx.accounts.property2.propertyCompanyId ? 200 : 404,
      department: 403,
      department2: 403,
      planner: 200,
      public: 401,
    });
  });

  it('the three lists and meetings: readers 200, no capability 403, public 401', async () => {
    for (const path of ['needs', 'resources', 'projects', 'meetings']) {
      const got = await matrix('GET', () => `/api/deliberation/${path}`);
      for (const who of ALL) {
        const want = who === 'public' ? 401 : reads(who) ? 200 : 403;
        expect(got[who], `${path} ${who}`).toBe(want);
      }
    }
  });

  it('review: community and up of the area; company, gridworker, planner 403; public 401', async () => {
    const statuses: Record<string, number> = {};
    for (const who of ALL) {
      const id = await submitted('community', { compoundId: compound() });
      statuses[who] = (
        await call(t.app, 'POST', `/api/deliberation/proposals/${id}/return`, {
          cookie: as[who],
          body: { reason: '请补充材料' },
        })
      ).status;
    }
    expectMatrix(statuses, {
      city: 200,
      district: 200,
      district2: 404,
      subdistrict: 200,
      community: 200,
      community2: 404,
      gridworker: fx.companyCompound.gridId === fx.accounts.gridworker.areaId ? 403 : 404,
      sentinel: 403,
      property: 403,
      property2:
        fx.companyCompound.companyId === fx.accounts.property2.propertyCompanyId ? 403 : 404,
      department: 403,
      department2: 403,
      planner: 403,
      public: 401,
    });
  });

  it("proposers' names and phones are masked below community level", async () => {
    const id = await submitted('community', { compoundId: compound() });
    const open = await call(t.app, 'GET', `/api/deliberation/proposals/${id}`, {
      cookie: as.community,
    });
    expect(open.body.proposerName).toBe('张建国');
    expect(open.body.masked).toBe(false);
    for (const who of ['property', 'planner'] as const) {
      const r = await call(t.app, 'GET', `/api/deliberation/proposals/${id}`, { cookie: as[who] });
      if (r.status !== 200) continue;
      expect(r.body.proposerName, who).toBe(maskName('张建国'));
      expect(r.body.proposerPhone, who).toBe('139****5678');
      expect(r.body.masked).toBe(true);
    }
  });
});

describe('evidence from the map', () => {
  it('a ticket cluster becomes a proposal carrying its snapshot; a second is refused; tickets by the read rule', async () => {
    const ev = await call(t.app, 'GET', '/api/deliberation/evidence?days=365&limit=200', {
      cookie: as.city,
    });
    expect(ev.status).toBe(200);
    const cluster = ev.body.items.find((c: any) => c.openProposalId === null);
    expect(cluster, 'a cluster without an open proposal').toBeDefined();
    const [want] = await rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM tickets WHERE compound_id = ${cluster.compoundId}
        AND category = ${cluster.category} AND status <> 'rejected_duplicate'
        AND received_at >= now() - interval '365 days'`);
    expect(cluster.count).toBe(want!.n);
    const r = await call(t.app, 'POST', '/api/deliberation/proposals/from-evidence', {
      cookie: as.city,
      body: {
        compoundId: cluster.compoundId,
        category: cluster.category,
        days: 365,
        kind: 'hotspot',
        hotspot: { cell: '8731aa4a9ffffff', res: 7, z: 3.2 },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.source).toBe('evidence');
    expect(r.body.evidence.count).toBe(want!.n);
    expect(r.body.evidence.ticketIds).toHaveLength(want!.n);
    expect(r.body.evidence.hotspot.cell).toBe('8731aa4a9ffffff');
    const again = await call(t.app, 'POST', '/api/deliberation/proposals/from-evidence', {
      cookie: as.city,
      body: { compoundId: cluster.compoundId, category: cluster.category, days: 365 },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('proposal_exists');
    // The city opens every ticket of the evidence; a planner (no ticket reads) none.
    const city = await call(t.app, 'GET', `/api/deliberation/proposals/${r.body.id}`, {
      cookie: as.city,
    });
    expect(city.body.tickets).toHaveLength(want!.n);
    const planner = await call(t.app, 'GET', `/api/deliberation/proposals/${r.body.id}`, {
      cookie: as.planner,
    });
    expect(planner.status).toBe(200);
    expect(planner.body.tickets).toEqual([]);
  });

  it('too few tickets is a 409 naming the category', async () => {
    const [quiet] = await rows<{ id: number }>(sql`
      SELECT a.id FROM areas a WHERE a.level = 'compound' AND a.path @> ARRAY[${fx.accounts.community.areaId}::int]
        AND (SELECT count(*) FROM tickets t WHERE t.compound_id = a.id AND t.category = 'elder_child_care'
          AND t.received_at >= now() - interval '30 days') < 5 LIMIT 1`);
    const r = await call(t.app, 'POST', '/api/deliberation/proposals/from-evidence', {
      cookie: as.community,
      body: { compoundId: quiet!.id, category: 'elder_child_care', days: 30 },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.reason).toBe('evidence_too_thin');
    expect(r.body.error.field).toBe('category');
  });
});

describe('the three lists', () => {
  it('need → project with milestones, matched within capacity, done with its before/after counts', async () => {
    const id = await submitted();
    await call(t.app, 'POST', `/api/deliberation/proposals/${id}/accept`, {
      cookie: as.community,
      body: {},
    });
    const need = await call(t.app, 'POST', '/api/deliberation/needs', {
      cookie: as.community,
      body: { proposalId: id },
    });
    expect(need.status, JSON.stringify(need.body)).toBe(201);
    expect(
      (
        await call(t.app, 'POST', '/api/deliberation/needs', {
          cookie: as.community,
          body: { proposalId: id },
        })
      ).status,
    ).toBe(409);
    const res = await call(t.app, 'POST', '/api/deliberation/resources', {
      cookie: as.community,
      body: {
        areaId: fx.accounts.community.areaId,
        kind: 'funds',
        name: '测试公益金',
        provider: '街道办事处',
        capacity: 10000,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.unit).toBe('yuan');
    const start = addDays(today(), -120);
    const proj = await call(t.app, 'POST', '/api/deliberation/projects', {
      cookie: as.community,
      body: {
        needId: need.body.id,
        title: '充电棚建设',
        owner: '物业服务企业',
        budget: 9000,
        startedOn: start,
        dueOn: addDays(start, 90),
        milestones: [{ title: '施工', dueOn: addDays(start, 30) }],
      },
    });
    expect(proj.status, JSON.stringify(proj.body)).toBe(201);
    const pid = proj.body.id;
    const a0 = await auditCount();
    const over = await call(t.app, 'POST', `/api/deliberation/projects/${pid}/resources`, {
      cookie: as.community,
      body: { resourceId: res.body.id, amount: 10000.01 },
    });
    expect(over.status).toBe(409);
    expect(over.body.error.reason).toBe('resource_exhausted');
    expect(await auditCount()).toBe(a0);
    const ok = await call(t.app, 'POST', `/api/deliberation/projects/${pid}/resources`, {
      cookie: as.community,
      body: { resourceId: res.body.id, amount: 6000 },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.resources[0].amount).toBe(6000);
    // A second project cannot take more than the 4,000 left.
    const id2 = await submitted();
    await call(t.app, 'POST', `/api/deliberation/proposals/${id2}/accept`, {
      cookie: as.community,
      body: {},
    });
    const need2 = await call(t.app, 'POST', '/api/deliberation/needs', {
      cookie: as.community,
      body: { proposalId: id2 },
    });
    const proj2 = await call(t.app, 'POST', '/api/deliberation/projects', {
      cookie: as.community,
      body: {
        needId: need2.body.id,
        title: '二期',
        owner: '社区',
        budget: 0,
        startedOn: today(),
        dueOn: today(),
      },
    });
    const second = await call(
      t.app,
      'POST',
      `/api/deliberation/projects/${proj2.body.id}/resources`,
      {
        cookie: as.community,
        body: { resourceId: res.body.id, amount: 4500 },
      },
    );
    expect(second.status).toBe(409);
    const list = await call(
      t.app,
      'GET',
      `/api/deliberation/resources?area=${fx.accounts.community.areaId}&limit=200`,
      { cookie: as.community },
    );
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.items.find((r: any) => r.id === res.body.id).left).toBe(4000);
    // Done needs its milestones; then the effect.
    const done = addDays(today(), -60);
    await call(t.app, 'POST', `/api/deliberation/projects/${pid}/status`, {
      cookie: as.community,
      body: { status: 'in_progress' },
    });
    const early = await call(t.app, 'POST', `/api/deliberation/projects/${pid}/status`, {
      cookie: as.community,
      body: { status: 'done', on: done },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.reason).toBe('milestones_open');
    const mid = proj.body.milestones[0].id;
    expect(
      (
        await call(t.app, 'POST', `/api/deliberation/projects/${pid}/milestones/${mid}/done`, {
          cookie: as.community,
          body: { on: done },
        })
      ).status,
    ).toBe(200);
    const fin = await call(t.app, 'POST', `/api/deliberation/projects/${pid}/status`, {
      cookie: as.community,
      body: { status: 'done', on: done },
    });
    expect(fin.status, JSON.stringify(fin.body)).toBe(200);
    const p = ProjectDetail.parse(fin.body);
    expect(p.effect?.days).toBe(60);
    const count = async (from: string, to: string) =>
      (
        await rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM tickets WHERE compound_id = ${compound()} AND category = 'parking'
          AND status <> 'rejected_duplicate'
          AND received_at >= (${from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
          AND received_at < (${to}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`)
      )[0]!.n;
    expect(p.effect?.before).toBe(await count(addDays(done, -60), done));
    expect(p.effect?.after).toBe(await count(done, addDays(done, 60)));
    expect(p.effect?.change).toBe(p.effect!.after - p.effect!.before);
    const needAfter = await rows(sql`SELECT status FROM needs WHERE id = ${need.body.id}`);
    expect(needAfter[0].status).toBe('done');
    // A finished project takes nothing more and stays finished.
    expect(
      (
        await call(t.app, 'POST', `/api/deliberation/projects/${pid}/status`, {
          cookie: as.community,
          body: { status: 'cancelled' },
        })
      ).status,
    ).toBe(409);
  });

  it("a seeded finished project's effect is the tickets' own count", async () => {
    const [j] = await rows<{ id: number }>(
      sql`SELECT id FROM projects WHERE status = 'done' ORDER BY id LIMIT 1`,
    );
    const r = await call(t.app, 'GET', `/api/deliberation/projects/${j!.id}`, { cookie: as.city });
    const p = ProjectDetail.parse(r.body);
    const e = p.effect!;
    const [c] = await rows<{ before: number; after: number }>(sql`
      SELECT count(*) FILTER (WHERE received_at < b)::int AS before, count(*) FILTER (WHERE received_at >= b)::int AS after
      FROM tickets, LATERAL (SELECT (${e.beforeWindow.to}::date::timestamp AT TIME ZONE 'Asia/Shanghai') AS b) x
      WHERE compound_id = ${p.compoundId} AND category = ${p.category} AND status <> 'rejected_duplicate'
        AND received_at >= (${e.beforeWindow.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
        AND received_at < (${e.afterWindow.to}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    expect([e.before, e.after]).toEqual([c!.before, c!.after]);
  });
});
