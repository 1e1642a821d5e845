/**
 * The contract (server/contract/) against real answers: every main endpoint's body parses with
 * its schema, for a signed-in account and for the public, and the OpenAPI document gives every
 * success a schema. The web's types are the contract's, so a body that drifts from it fails here
 * before it fails in a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from '@hono/zod-openapi';
import {
  AreaRankRow,
  CellDetail,
  Compare,
  CompoundFacts,
  CoverageRisk,
  Emerging,
  Hotspots,
  Renovation,
  SelectionDetail,
  Series,
} from '../../server/contract/analytics.ts';
import {
  AccountPage,
  BindingAreas,
  DemoInfo,
  ManagedAccount,
} from '../../server/contract/accounts.ts';
import { AreaCollection, AreaDetail } from '../../server/contract/areas.ts';
import { AuditPage } from '../../server/contract/audit.ts';
import { HazardCollection, HazardDetail, HazardPage } from '../../server/contract/hazards.ts';
import { Health } from '../../server/contract/health.ts';
import { Meta } from '../../server/contract/meta.ts';
import {
  Coverage,
  PatrolCheckin,
  PatrolCollection,
  PatrolEnded,
  PatrolStarted,
  PatrolTrack,
} from '../../server/contract/patrols.ts';
import { SessionState, SignedIn } from '../../server/contract/session.ts';
import {
  DuplicateList,
  TicketCollection,
  TicketDetail,
  TicketPage,
  TransferTargets,
} from '../../server/contract/tickets.ts';
import { WhistleDetail, WhistleList } from '../../server/contract/whistles.ts';
import { ErrorSchema } from '../../server/routes/openapi.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'community', 'gridworker', 'property', 'planner'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

/** Calls the API and parses the answer with the schema; a mismatch names the path in the body. */
async function expectBody<S extends z.ZodType>(
  schema: S,
  method: string,
  url: string,
  who: string | null,
  body?: unknown,
  status = method === 'POST' && body !== undefined ? [200, 201] : [200],
): Promise<z.output<S>> {
  const res = await call(t.app, method, url, { cookie: who ? as[who] : undefined, body });
  expect(status, `${method} ${url}: ${JSON.stringify(res.body).slice(0, 300)}`).toContain(
    res.status,
  );
  const parsed = schema.safeParse(res.body);
  if (!parsed.success)
    throw new Error(`${method} ${url} does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

describe('the public', () => {
  it('reads meta, health, areas and its (absent) session as the contract says', async () => {
    await expectBody(Meta, 'GET', '/api/meta', null);
    await expectBody(Health, 'GET', '/api/health', null);
    expect((await expectBody(SessionState, 'GET', '/api/session', null)).account).toBeNull();
    await expectBody(DemoInfo, 'GET', '/api/accounts/demo', null);
    const districts = await expectBody(AreaCollection, 'GET', '/api/areas?level=district', null);
    expect(districts.features.length).toBeGreaterThan(0);
    await expectBody(AreaCollection, 'GET', `/api/areas?parent=${fx.gridCompound.gridId}`, null);
    await expectBody(AreaDetail, 'GET', '/api/areas/city', null);
    await expectBody(AreaDetail, 'GET', `/api/areas/${fx.gridCompound.gridId}`, null);
    const compound = await expectBody(
      AreaDetail,
      'GET',
      `/api/areas/${fx.companyCompound.id}`,
      null,
    );
    expect(compound.compound?.propertyCompany).not.toBeNull();
  });

  it('gets errors in the error shape', async () => {
    const res = await call(t.app, 'GET', '/api/tickets/list');
    expect(res.status).toBe(401);
    ErrorSchema.parse(res.body);
  });
});

describe('a planner', () => {
  it("reads the workbench's answers as the contract says", async () => {
    const hot = await expectBody(Hotspots, 'GET', '/api/analytics/hotspots?res=8', 'planner');
    expect(hot.cells.length).toBeGreaterThan(0);
    await expectBody(
      Hotspots,
      'GET',
      '/api/analytics/hotspots?res=9&metric=rate&status=open',
      'planner',
    );
    await expectBody(Emerging, 'GET', '/api/analytics/emerging?months=6', 'planner');
    const a = '2025-01-01,2025-04-01';
    const b = '2026-01-01,2026-04-01';
    await expectBody(Compare, 'GET', `/api/analytics/compare?a=${a}&b=${b}`, 'planner');
    await expectBody(
      Compare,
      'GET',
      `/api/analytics/compare?a=${a}&b=${b}&by=area&level=grid`,
      'planner',
    );
    await expectBody(CellDetail, 'GET', `/api/analytics/cells/${hot.cells[0]!.h3}`, 'planner');
    const [x, y] = fx.companyCompound.label;
    const ring = [
      [x, y],
      [x + 0.01, y],
      [x + 0.01, y + 0.01],
      [x, y],
    ];
    await expectBody(SelectionDetail, 'POST', '/api/analytics/selection', 'planner', {
      polygon: { type: 'Polygon', coordinates: [ring] },
    });
    await expectBody(Series, 'GET', '/api/analytics/series?grain=month', 'planner');
    await expectBody(
      z.object({ rows: z.array(AreaRankRow) }),
      'GET',
      '/api/analytics/areas?level=community',
      'planner',
    );
    await expectBody(Renovation, 'GET', '/api/analytics/renovation', 'planner');
    await expectBody(CoverageRisk, 'GET', '/api/analytics/coverage', 'planner');
    await expectBody(CoverageRisk, 'GET', '/api/analytics/coverage?by=h3&res=7', 'planner');
    await expectBody(
      z.object({ items: z.array(CompoundFacts) }),
      'GET',
      '/api/analytics/compounds',
      'planner',
    );
  });
});

describe('a signed-in city account', () => {
  it('reads sessions, layers, lists and details as the contract says', async () => {
    await expectBody(SessionState, 'GET', '/api/session', 'city');
    const layer = await expectBody(TicketCollection, 'GET', '/api/tickets?limit=50', 'city');
    expect(layer.features.length).toBeGreaterThan(0);
    await expectBody(TicketCollection, 'GET', '/api/tickets?limit=50', 'planner');
    await expectBody(HazardCollection, 'GET', '/api/hazards?limit=50', 'city');
    await expectBody(HazardCollection, 'GET', '/api/hazards?limit=50', 'planner');
    const tickets = await expectBody(TicketPage, 'GET', '/api/tickets/list?limit=100', 'city');
    await expectBody(TicketDetail, 'GET', `/api/tickets/${tickets.items[0]!.id}`, 'city');
    await expectBody(
      TransferTargets,
      'GET',
      `/api/tickets/${tickets.items[0]!.id}/transfer-targets`,
      'city',
    );
    const hazards = await expectBody(HazardPage, 'GET', '/api/hazards/list?limit=100', 'city');
    await expectBody(HazardDetail, 'GET', `/api/hazards/${hazards.items[0]!.id}`, 'city');
    const [lon, lat] = fx.companyCompound.label;
    const dups = await expectBody(
      DuplicateList,
      'GET',
      `/api/tickets/duplicates?lon=${lon}&lat=${lat}&category=facilities&radius=2000&days=90`,
      'city',
    );
    expect(dups.items.length).toBeGreaterThan(0);
    await expectBody(WhistleList, 'GET', '/api/whistles?state=all', 'city');
    await expectBody(PatrolCollection, 'GET', '/api/patrols', 'city');
    await expectBody(
      Coverage,
      'GET',
      `/api/patrols/coverage?area=${fx.gridCompound.gridId}`,
      'city',
    );
    await expectBody(AuditPage, 'GET', '/api/audit?limit=50', 'city');
    await expectBody(AccountPage, 'GET', '/api/accounts', 'city');
    await expectBody(BindingAreas, 'GET', '/api/accounts/areas?role=community', 'city');
  });

  it('writes as the contract says: tickets, whistles, hazards, patrols, accounts', async () => {
    await expectBody(SignedIn, 'POST', '/api/session', null, {
      username: 'city',
      password: 'Minqing@2026',
    });
    const ticket = await expectBody(TicketDetail, 'POST', '/api/tickets', 'community', {
      category: 'facilities',
      title: '二次供水水箱漏水',
      position: fx.companyCompound.label,
    });
    await expectBody(TicketDetail, 'POST', `/api/tickets/${ticket.id}/transitions`, 'community', {
      action: 'dispatch',
    });
    const whistle = await expectBody(WhistleDetail, 'POST', '/api/whistles', 'community', {
      ticketId: ticket.id,
      reason: '漏水三天未处理',
    });
    const whistled = await expectBody(
      TicketDetail,
      'GET',
      `/api/tickets/${ticket.id}`,
      'community',
    );
    expect(whistled.whistles.map((w) => w.id)).toContain(whistle.id);
    await expectBody(WhistleDetail, 'GET', `/api/whistles/${whistle.id}`, 'property');
    await expectBody(WhistleDetail, 'POST', `/api/whistles/${whistle.id}/report-in`, 'property', {
      note: '已到场',
    });
    await expectBody(WhistleDetail, 'POST', `/api/whistles/${whistle.id}/resolve`, 'community', {
      resolution: '已修复',
    });
    await expectBody(HazardDetail, 'POST', '/api/hazards', 'gridworker', {
      type: 'fire',
      severity: 'high',
      description: '消防通道堵塞',
      position: fx.gridCompound.label,
    });
    const patrol = await expectBody(PatrolStarted, 'POST', '/api/patrols', 'gridworker', {
      position: fx.gridCompound.label,
    });
    const [lon, lat] = fx.gridCompound.label;
    await expectBody(PatrolTrack, 'POST', `/api/patrols/${patrol.id}/track`, 'gridworker', {
      points: [[lon + 0.0002, lat + 0.0001, Math.floor(Date.now() / 1000) + 1]],
    });
    await expectBody(PatrolCheckin, 'POST', `/api/patrols/${patrol.id}/checkins`, 'gridworker', {
      compoundId: fx.gridCompound.id,
      position: fx.gridCompound.label,
    });
    await expectBody(PatrolEnded, 'POST', `/api/patrols/${patrol.id}/end`, 'gridworker');
    const account = await expectBody(ManagedAccount, 'POST', '/api/accounts', 'city', {
      username: 'contract.test',
      displayName: '契约测试',
      role: 'department',
      password: 'Contract@2026x',
      departmentId: fx.accounts.department.departmentId,
    });
    await expectBody(ManagedAccount, 'POST', `/api/accounts/${account.id}/disable`, 'city');
    await expectBody(ManagedAccount, 'POST', `/api/accounts/${account.id}/enable`, 'city');
  });
});

describe('GET /api/openapi.json', () => {
  it('gives every success of every path a response schema', async () => {
    const { body: doc } = await call(t.app, 'GET', '/api/openapi.json');
    const missing: string[] = [];
    let successes = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
      for (const [method, op] of Object.entries(item as Record<string, any>)) {
        for (const status of ['200', '201']) {
          const response = op.responses?.[status];
          if (!response) continue;
          successes++;
          const contents = Object.entries((response.content ?? {}) as Record<string, any>);
          if (contents.length === 0) missing.push(`${method.toUpperCase()} ${path} ${status}`);
          for (const [type, media] of contents) {
            const schema = media.schema ?? {};
            if (Object.keys(schema).length === 0)
              missing.push(`${method.toUpperCase()} ${path} ${status} ${type}`);
          }
        }
      }
    }
    expect(successes).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
