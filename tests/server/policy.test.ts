/**
 * The one access policy (server/policy.ts): its SQL translation and the live-event filter agree
 * on every role × a sample of records across areas; and the scope leaks it closes stay closed
 * (whistles embedded in a ticket, planners' point layers, a sentinel's duplicate check).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountForSignIn } from '../../server/db/queries/accounts.ts';
import { scopeCondition } from '../../server/db/queries/scope.ts';
import {
  actorFromAccount,
  pointLayerRule,
  readRule,
  type Actor,
  type Noun,
} from '../../server/policy.ts';
import { canSee, type LiveEvent } from '../../server/services/events.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const actors = {} as Record<DemoUser, Actor>;
const as = {} as Record<DemoUser, string>;
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) {
    actors[u] = actorFromAccount((await findAccountForSignIn(t.db, u))!);
    as[u] = await signIn(t.app, u);
  }
  // A patrol in the gridworker's grid, so that area roles see part of the patrols, not all.
  const started = await call(t.app, 'POST', '/api/patrols', {
    cookie: as.gridworker,
    body: { position: fx.gridCompound.label },
  });
  expect(started.status).toBe(201);
  await call(t.app, 'POST', `/api/patrols/${started.body.id}/end`, {
    cookie: as.gridworker,
    body: {},
  });
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

interface SampleRow {
  id: number;
  district: number;
  subdistrict: number;
  community: number;
  grid: number;
  compound: number | null;
  status: string;
  category: string | null;
  reporter: number | null;
  companies: number[];
  departments: number[];
  compoundCompany: number | null;
}

/** A sample of each noun, with every record any demo account answers for, as SQL rows. */
async function sample(noun: Noun): Promise<SampleRow[]> {
  const a = fx.accounts;
  const companies = [a.property.propertyCompanyId!, a.property2.propertyCompanyId!];
  const departments = [a.department.departmentId!, a.department2.departmentId!];
  const areaCols = sql`x.district_id AS district, x.subdistrict_id AS subdistrict,
    x.community_id AS community, x.grid_id AS grid`;
  const q = {
    tickets: sql<SampleRow>`SELECT x.id, ${areaCols}, x.compound_id AS compound, x.status,
        x.category, x.reporter_account_id AS reporter,
        CASE WHEN x.property_company_id IS NULL THEN '{}'::int[] ELSE ARRAY[x.property_company_id] END AS companies,
        CASE WHEN x.department_id IS NULL THEN '{}'::int[] ELSE ARRAY[x.department_id] END AS departments,
        (SELECT property_company_id FROM compounds WHERE area_id = x.compound_id) AS "compoundCompany"
      FROM tickets x WHERE x.id IN (
        (SELECT id FROM tickets ORDER BY id DESC LIMIT 300)
        UNION (SELECT id FROM tickets WHERE property_company_id = ANY(${companies}::int[]) ORDER BY id LIMIT 100)
        UNION (SELECT id FROM tickets WHERE department_id = ANY(${departments}::int[]) ORDER BY id LIMIT 100)
        UNION (SELECT id FROM tickets WHERE community_id = ANY(${[a.community.areaId!, a.community2.areaId!]}::int[]) ORDER BY id LIMIT 200)
        UNION (SELECT id FROM tickets WHERE reporter_account_id = ${a.sentinel.id}))`,
    hazards: sql<SampleRow>`SELECT x.id, ${areaCols}, x.compound_id AS compound, x.status,
        x.type AS category, NULL::int AS reporter, '{}'::int[] AS companies, '{}'::int[] AS departments,
        (SELECT property_company_id FROM compounds WHERE area_id = x.compound_id) AS "compoundCompany"
      FROM hazards x WHERE x.id IN (
        (SELECT id FROM hazards ORDER BY id DESC LIMIT 300)
        UNION (SELECT h.id FROM hazards h JOIN compounds c ON c.area_id = h.compound_id
          WHERE c.property_company_id = ANY(${companies}::int[]) ORDER BY h.id LIMIT 100)
        UNION (SELECT id FROM hazards WHERE community_id = ${a.community.areaId!} ORDER BY id LIMIT 100))`,
    whistles: sql<SampleRow>`SELECT x.id, ${areaCols}, x.compound_id AS compound,
        'open' AS status, x.level AS category, NULL::int AS reporter,
        coalesce((SELECT array_agg(property_company_id) FROM whistle_report_ins WHERE whistle_id = x.id AND property_company_id IS NOT NULL), '{}') AS companies,
        coalesce((SELECT array_agg(department_id) FROM whistle_report_ins WHERE whistle_id = x.id AND department_id IS NOT NULL), '{}') AS departments,
        NULL::int AS "compoundCompany"
      FROM whistles x ORDER BY x.id DESC LIMIT 500`,
    patrols: sql<SampleRow>`SELECT x.id, ${areaCols}, NULL::int AS compound, 'started' AS status,
        NULL AS category, NULL::int AS reporter, '{}'::int[] AS companies, '{}'::int[] AS departments,
        NULL::int AS "compoundCompany"
      FROM patrols x WHERE x.id IN ((SELECT id FROM patrols ORDER BY id DESC LIMIT 300)
        UNION (SELECT id FROM patrols WHERE account_id = ${a.gridworker.id}))`,
  }[noun];
  return (await q.execute(t.db.kysely)).rows;
}

const KIND = {
  tickets: 'ticket',
  hazards: 'hazard',
  whistles: 'whistle',
  patrols: 'patrol',
} as const;
const ALIAS = { tickets: 't', hazards: 't', whistles: 'w', patrols: 'p' } as const;

function eventOf(noun: Noun, r: SampleRow): LiveEvent {
  return {
    kind: KIND[noun],
    op: 'updated',
    id: r.id,
    code: null,
    status: r.status,
    category: r.category,
    position: null,
    areaIds: {
      district: r.district,
      subdistrict: r.subdistrict,
      community: r.community,
      grid: r.grid,
      compound: r.compound,
    },
    at: new Date().toISOString(),
    actor: 'test',
    audience: {
      propertyCompanyIds: r.companies,
      departmentIds: r.departments,
      reporterAccountId: r.reporter,
      compoundCompanyId: r.compoundCompany,
    },
  };
}

describe('one access policy', () => {
  it('selects in SQL exactly the records whose live events it lets through, role × area', async () => {
    for (const noun of ['tickets', 'hazards', 'whistles', 'patrols'] as const) {
      const rows = await sample(noun);
      expect(rows.length, `${noun} sampled`).toBeGreaterThan(0);
      const ids = rows.map((r) => r.id);
      const answers = new Set<string>();
      for (const who of ROLES_UNDER_TEST) {
        const a = ALIAS[noun];
        const bySql = await sql<{ id: number }>`SELECT ${sql.ref(`${a}.id`)} AS id
          FROM ${sql.table(noun)} AS ${sql.raw(a)}
          WHERE ${sql.ref(`${a}.id`)} = ANY(${ids}::int[])
            AND ${scopeCondition(readRule(actors[who], noun), noun, a)}`.execute(t.db.kysely);
        const sqlIds = bySql.rows.map((r) => r.id).sort((x, y) => x - y);
        const eventIds = rows
          .filter((r) => canSee(actors[who], eventOf(noun, r)))
          .map((r) => r.id)
          .sort((x, y) => x - y);
        expect(eventIds, `${who} × ${noun}`).toEqual(sqlIds);
        answers.add(sqlIds.join(','));
      }
      // The sample discriminates: the roles do not all get the same answer.
      expect(answers.size, noun).toBeGreaterThan(2);
    }
  });

  it('gives planners point layers and nothing else, sentinels no hazard layer', () => {
    expect(pointLayerRule(actors.planner, 'tickets')).toEqual({
      rule: { kind: 'all' },
      fields: 'positions',
    });
    expect(pointLayerRule(actors.community, 'tickets')?.fields).toBe('full');
    expect(pointLayerRule(actors.sentinel, 'hazards')).toBeNull();
    for (const noun of ['tickets', 'hazards', 'whistles', 'patrols'] as const)
      expect(readRule(actors.planner, noun)).toEqual({ kind: 'none' });
  });
});

describe('scope leaks', () => {
  it('embeds in a ticket only the whistles the reader may open on their own', async () => {
    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: { category: 'property_service', title: '楼道堆物', position: fx.companyCompound.label },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await call(t.app, 'POST', `/api/tickets/${id}/transitions`, {
      cookie: as.community,
      body: { action: 'dispatch' },
    });
    const community = await call(t.app, 'POST', '/api/whistles', {
      cookie: as.community,
      body: { ticketId: id, reason: '物业迟迟未处理' },
    });
    expect(community.status).toBe(201);
    const subdistrict = await call(t.app, 'POST', '/api/whistles', {
      cookie: as.subdistrict,
      body: {
        ticketId: id,
        reason: '需部门协同',
        departmentIds: [fx.accounts.department.departmentId],
      },
    });
    expect(subdistrict.status).toBe(201);

    const byProperty = await call(t.app, 'GET', `/api/tickets/${id}`, { cookie: as.property });
    expect(byProperty.status).toBe(200);
    expect(byProperty.body.whistles.map((w: any) => w.id)).toEqual([community.body.id]);
    const direct = await call(t.app, 'GET', `/api/whistles/${subdistrict.body.id}`, {
      cookie: as.property,
    });
    expect(direct.status).toBe(404);

    const byCommunity = await call(t.app, 'GET', `/api/tickets/${id}`, { cookie: as.community });
    expect(byCommunity.body.whistles.map((w: any) => w.id).sort()).toEqual(
      [community.body.id, subdistrict.body.id].sort(),
    );
  });

  it('gives planners category, status, times and position: no title, code or description', async () => {
    const tickets = await call(t.app, 'GET', '/api/tickets?limit=50', { cookie: as.planner });
    expect(tickets.status).toBe(200);
    expect(tickets.body.features.length).toBeGreaterThan(0);
    for (const f of tickets.body.features) {
      expect(Object.keys(f.properties).sort()).toEqual(
        ['category', 'dueAt', 'id', 'overdue', 'receivedAt', 'status'].sort(),
      );
    }
    const hazards = await call(t.app, 'GET', '/api/hazards?limit=50', { cookie: as.planner });
    expect(hazards.status).toBe(200);
    expect(hazards.body.features.length).toBeGreaterThan(0);
    for (const f of hazards.body.features) {
      expect(f.properties.description).toBeUndefined();
      expect(f.properties.code).toBeUndefined();
    }
    // The full layer still has them for those who read tickets; the caches do not mix the two.
    const city = await call(t.app, 'GET', '/api/tickets?limit=50', { cookie: as.city });
    expect(typeof city.body.features[0].properties.title).toBe('string');
    const again = await call(t.app, 'GET', '/api/tickets?limit=50', { cookie: as.planner });
    expect(again.body.features[0].properties.title).toBeUndefined();
    // Planners still open no detail and no whistle.
    const one = tickets.body.features[0].id;
    expect((await call(t.app, 'GET', `/api/tickets/${one}`, { cookie: as.planner })).status).toBe(
      403,
    );
    expect((await call(t.app, 'GET', '/api/whistles', { cookie: as.planner })).status).toBe(403);
  });

  it('shows a sentinel its neighbours’ nearby tickets without their code or title', async () => {
    const sentinelCommunity = fx.accounts.sentinel.areaId!;
    const place = (
      await sql<{ label: [number, number] }>`
        SELECT json_build_array(ST_X(a.label_point), ST_Y(a.label_point)) AS label
        FROM areas a WHERE a.level = 'compound' AND a.path @> ARRAY[${sentinelCommunity}]::int[]
        ORDER BY a.id LIMIT 1`.execute(t.db.kysely)
    ).rows[0]!.label;
    const neighbour = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.city,
      body: { category: 'sanitation', title: '张三 13800001111 门口垃圾', position: place },
    });
    expect(neighbour.status).toBe(201);
    const own = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.sentinel,
      body: { category: 'sanitation', title: '垃圾未清运', position: place },
    });
    expect(own.status).toBe(201);
    const dup = await call(
      t.app,
      'GET',
      `/api/tickets/duplicates?lon=${place[0]}&lat=${place[1]}&category=sanitation`,
      { cookie: as.sentinel },
    );
    expect(dup.status).toBe(200);
    const theirs = dup.body.items.find((i: any) => i.id === neighbour.body.id);
    const mine = dup.body.items.find((i: any) => i.id === own.body.id);
    expect(theirs).toMatchObject({ code: null, title: null, category: 'sanitation' });
    expect(mine).toMatchObject({ title: '垃圾未清运' });
    expect(JSON.stringify(dup.body)).not.toContain('13800001111');
    // The city, which reads both, sees both titles.
    const byCity = await call(
      t.app,
      'GET',
      `/api/tickets/duplicates?lon=${place[0]}&lat=${place[1]}&category=sanitation`,
      { cookie: as.city },
    );
    expect(byCity.body.items.find((i: any) => i.id === neighbour.body.id).title).toContain('张三');
  });
});
