/**
 * Exports of lists and layers as files (CSV with BOM, GeoJSON): the same rows as the list for the
 * same filters, the caller's field rules, the scope errors of the list, and batches that neither
 * repeat nor skip a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysetBatches } from '../../server/services/exports.ts';
import { ExportSlots, exportSlots } from '../../server/services/export-slots.ts';
import * as q from '../../server/db/queries/tickets.ts';
import { sql } from 'kysely';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';
import { fileClient } from './files.ts';
import { parseCsv } from '../../geo/csv.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
const YEAR = `from=${new Date(Date.now() - 366 * 86_400_000).toISOString()}`;

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'district', 'community', 'property', 'planner', 'gridworker'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const { download, csvOf, geojsonOf } = fileClient({
  request: (u, init) => t.app.request(u, init),
});

describe('tickets list export', () => {
  it('has the list’s rows for the same filters, in its order, with Chinese headers', async () => {
    const filter = `${YEAR}&status=open&sort=dueAt&order=asc`;
    const list = await call(t.app, 'GET', `/api/tickets/list?${filter}&limit=500`, {
      cookie: as.city,
    });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    const { res, header, rows } = await csvOf(`/api/tickets/list?${filter}&format=csv`, as.city);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="minqing-tickets-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv"$/,
    );
    expect(header.slice(0, 4)).toEqual(['编号', '工单号', '标题', '类别']);
    expect(rows.length).toBe(list.body.total);
    const page = list.body.items as { id: number; code: string; title: string }[];
    expect(rows.slice(0, page.length).map((r) => Number(r[0]))).toEqual(page.map((p) => p.id));
    expect(rows[0]![1]).toBe(page[0]!.code);
  });

  it('speaks English with lang=en', async () => {
    const { header } = await csvOf(`/api/tickets/list?${YEAR}&format=csv&lang=en`, as.city);
    expect(header.slice(0, 4)).toEqual(['ID', 'Code', 'Title', 'Category']);
  });

  it('is GeoJSON with points in WGS-84 and machine keys', async () => {
    const list = await call(t.app, 'GET', `/api/tickets/list?${YEAR}&category=parking`, {
      cookie: as.district,
    });
    const fc = await geojsonOf(
      `/api/tickets/list?${YEAR}&category=parking&format=geojson`,
      as.district,
    );
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(list.body.total);
    const f = fc.features[0]!;
    expect(f.geometry.type).toBe('Point');
    const [lon, lat] = f.geometry.coordinates as [number, number];
    expect(lon).toBeGreaterThan(102.5);
    expect(lon).toBeLessThan(104.5);
    expect(lat).toBeGreaterThan(35.5);
    expect(lat).toBeLessThan(37);
    expect(f.properties.category).toBe('parking');
    expect(f.id).toBe(f.properties.id);
  });

  it('defuses a title a spreadsheet would run as a formula, and quotes commas and quotes', async () => {
    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: {
        category: 'noise',
        title: '=HYPERLINK("http://x","点我"),噪音',
        position: fx.companyCompound.label,
      },
    });
    expect(created.status).toBe(201);
    const { text } = await download(
      `/api/tickets/list?${YEAR}&q=HYPERLINK&format=csv`,
      as.community,
    );
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""点我""),噪音"`);
    const { rows } = await csvOf(`/api/tickets/list?${YEAR}&q=HYPERLINK&format=csv`, as.community);
    expect(rows.map((r) => r[2])).toContain(`'=HYPERLINK("http://x","点我"),噪音`);
  });

  it('refuses another area’s filter as the list does, and a bad format', async () => {
    const other = fx.otherCommunity.communityId;
    const list = await call(t.app, 'GET', `/api/tickets/list?area=${other}`, {
      cookie: as.community,
    });
    const file = await download(`/api/tickets/list?area=${other}&format=csv`, as.community);
    expect(file.res.status).toBe(list.status);
    if (list.status === 200) {
      // The list answers an empty page: the file has only its header.
      expect(list.body.total).toBe(0);
      expect(parseCsv(file.text.slice(1)).length).toBe(1);
    }
    const bad = await call(t.app, 'GET', `/api/tickets/list?format=xlsx`, { cookie: as.city });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    const badLayer = await call(t.app, 'GET', `/api/tickets/export?format=json`, {
      cookie: as.city,
    });
    expect(badLayer.status).toBe(400);
    // Signed out: no tickets at all.
    expect((await call(t.app, 'GET', `/api/tickets/list?format=csv`)).status).toBe(401);
  });

  it('a property company exports only the tickets dispatched to it', async () => {
    const list = await call(t.app, 'GET', `/api/tickets/list?${YEAR}`, { cookie: as.property });
    const { rows, header } = await csvOf(`/api/tickets/list?${YEAR}&format=csv`, as.property);
    expect(rows.length).toBe(list.body.total);
    const responder = header.indexOf('承办方');
    const names = new Set(rows.map((r) => r[responder]));
    expect(names.size).toBeLessThanOrEqual(1);
  });
});

describe('ticket layer export', () => {
  it('gives a planner positions only: no code, title, compound or responder', async () => {
    expect(
      (await call(t.app, 'GET', `/api/tickets/list?format=csv`, { cookie: as.planner })).status,
    ).toBe(403);
    const layer = await call(t.app, 'GET', `/api/tickets?${YEAR}&limit=200000`, {
      cookie: as.planner,
    });
    const { header, rows } = await csvOf(`/api/tickets/export?${YEAR}&format=csv`, as.planner);
    expect(header).toEqual([
      '编号',
      '类别',
      '状态',
      '超期',
      '受理时间',
      '办理时限',
      '经度',
      '纬度',
    ]);
    expect(rows.length).toBe(layer.body.count);
    const fc = await geojsonOf(`/api/tickets/export?${YEAR}&format=geojson`, as.planner);
    expect(fc.features.length).toBe(layer.body.count);
    const keys = new Set(fc.features.flatMap((f) => Object.keys(f.properties)));
    expect([...keys].sort()).toEqual(
      ['category', 'dueAt', 'id', 'overdue', 'receivedAt', 'status'].sort(),
    );
    // Nothing that looks like a phone number or a name anywhere in the file.
    const { text } = await download(`/api/tickets/export?${YEAR}&format=csv`, as.planner);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  });

  it('gives a gridworker the layer of its scope in full, bbox and category honoured', async () => {
    const [lon, lat] = fx.gridCompound.label;
    const bbox = `bbox=${lon - 0.02},${lat - 0.02},${lon + 0.02},${lat + 0.02}`;
    const layer = await call(t.app, 'GET', `/api/tickets?${YEAR}&${bbox}&category=parking`, {
      cookie: as.gridworker,
    });
    const fc = await geojsonOf(
      `/api/tickets/export?${YEAR}&${bbox}&category=parking&format=geojson`,
      as.gridworker,
    );
    expect(fc.features.length).toBe(layer.body.count);
    expect(fc.features.map((f) => f.id).sort()).toEqual(
      (layer.body.features as { id: number }[]).map((f) => f.id).sort(),
    );
    for (const f of fc.features) expect(f.properties.code).toBeTruthy();
  });
});

describe('hazards', () => {
  it('the list export has the list’s rows in its order (by severity, a computed sort)', async () => {
    const filter = `${YEAR}&sort=severity&order=desc`;
    const list = await call(t.app, 'GET', `/api/hazards/list?${filter}&limit=500`, {
      cookie: as.district,
    });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    const { header, rows } = await csvOf(`/api/hazards/list?${filter}&format=csv`, as.district);
    expect(header.slice(0, 3)).toEqual(['编号', '隐患号', '类型']);
    expect(rows.length).toBe(list.body.total);
    const page = list.body.items as { id: number }[];
    expect(rows.slice(0, page.length).map((r) => Number(r[0]))).toEqual(page.map((p) => p.id));
    const fc = await geojsonOf(`/api/hazards/list?${filter}&format=geojson`, as.district);
    expect(fc.features.map((f) => f.id)).toEqual(rows.map((r) => Number(r[0])));
    expect(Object.keys(fc.features[0]!.properties)).not.toContain('_k');
  });

  it('a planner’s layer export has no description', async () => {
    const layer = await call(t.app, 'GET', `/api/hazards?${YEAR}&limit=200000`, {
      cookie: as.planner,
    });
    const { header, rows } = await csvOf(`/api/hazards/export?${YEAR}&format=csv`, as.planner);
    expect(header).not.toContain('描述');
    expect(rows.length).toBe(layer.body.count);
    const fc = await geojsonOf(`/api/hazards/export?${YEAR}&format=geojson`, as.planner);
    for (const f of fc.features) expect(f.properties.description).toBeUndefined();
    expect(
      (await call(t.app, 'GET', `/api/hazards/list?format=csv`, { cookie: as.planner })).status,
    ).toBe(403);
  });
});

describe('audit log', () => {
  it('the city exports the log of the filter, newest first; others may not', async () => {
    const list = await call(t.app, 'GET', `/api/audit?entity=ticket&limit=1000`, {
      cookie: as.city,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const { header, rows } = await csvOf(`/api/audit?entity=ticket&format=csv`, as.city);
    expect(header.slice(0, 3)).toEqual(['编号', '时间', '账号']);
    // On a shared PostgreSQL other test files write to the log meanwhile (newer ids, left out
    // here) and may fill it past the list's page of 1000 (the file has them all).
    const listed = (list.body.items as { id: number }[]).map((i) => i.id);
    const exported = rows.map((r) => Number(r[0])).filter((id) => id <= listed[0]!);
    expect(exported.slice(0, listed.length)).toEqual(listed);
    if (listed.length < 1000) expect(exported.length).toBe(listed.length);
    const fc = await geojsonOf(`/api/audit?entity=ticket&format=geojson`, as.city);
    expect(fc.features.length).toBeGreaterThanOrEqual(rows.length);
    expect(fc.features[0]!.geometry).toBeNull();
    for (const u of ['planner', 'community'])
      expect((await call(t.app, 'GET', `/api/audit?format=csv`, { cookie: as[u] })).status).toBe(
        403,
      );
  });
});

describe('credit ranking', () => {
  it('every company of the ranking, in its order; a company only its own row', async () => {
    const list = await call(t.app, 'GET', `/api/credit/ranking?limit=500`, { cookie: as.city });
    expect(list.status).toBe(200);
    const { header, rows } = await csvOf(`/api/credit/ranking?format=csv`, as.city);
    expect(header.slice(0, 3)).toEqual(['排名', '企业编号', '物业企业']);
    expect(rows.length).toBe(list.body.total);
    expect(rows.slice(0, 5).map((r) => Number(r[1]))).toEqual(
      (list.body.items as { companyId: number }[]).slice(0, 5).map((i) => i.companyId),
    );
    const own = await call(t.app, 'GET', `/api/credit/ranking`, { cookie: as.property });
    const mine = await csvOf(`/api/credit/ranking?format=csv&lang=en`, as.property);
    expect(mine.header[0]).toBe('Rank');
    expect(mine.rows.length).toBe(own.body.total);
    expect(new Set(mine.rows.map((r) => r[1]))).toEqual(
      new Set((own.body.items as { companyId: number }[]).map((i) => String(i.companyId))),
    );
    expect(
      (await call(t.app, 'GET', `/api/credit/ranking?format=pdf`, { cookie: as.city })).status,
    ).toBe(400);
  });
});

describe('keyset batches', () => {
  it('neither repeat nor skip a row across batches, whatever the sort, read ahead or not', async () => {
    const range = { from: new Date(Date.now() - 366 * 86_400_000), to: new Date() };
    for (const [sort, ahead] of [
      ['receivedAt', true],
      ['receivedAt', false],
      ['status', true],
      ['priority', false],
    ] as const) {
      const source: q.TicketExportSource = {
        kind: 'list',
        filter: { scope: sql<boolean>`true`, range, sort, order: 'desc' },
      };
      const ids: number[] = [];
      let batches = 0;
      for await (const rows of keysetBatches(
        (after: q.TicketExportKey | null, size) => q.ticketExportBatch(t.db, source, after, size),
        (row) => q.ticketExportKey(source, row),
        { size: 97, ahead },
      )) {
        batches++;
        ids.push(...rows.map((r) => r.id));
      }
      const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets
        WHERE received_at >= ${range.from} AND received_at < ${range.to}`.execute(t.db.kysely);
      expect(ids.length).toBe(n.rows[0]!.n);
      expect(new Set(ids).size).toBe(ids.length);
      expect(batches).toBe(Math.ceil(ids.length / 97));
    }
  });
});

describe('exports running at once', () => {
  it('frees a slot when a download finishes, fails or is cancelled, once each', () => {
    const slots = new ExportSlots(2, 3);
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect(() => slots.take('a')).toThrow(/2 exports running/);
    const b1 = slots.take('b');
    expect(() => slots.take('c')).toThrow(/for others/);
    a1();
    a1();
    expect(slots.running).toBe(2);
    const a3 = slots.take('a');
    for (const free of [a2, a3, b1]) free();
    expect(slots.running).toBe(0);
  });

  it('refuses a third export of one account with a 429 until one of its downloads ends', async () => {
    const url = `/api/tickets/export?format=csv&${YEAR}`;
    const open = () => t.app.request(url, { headers: { cookie: as.city! } });
    const first = await open();
    const second = await open();
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await call(t.app, 'GET', url, { cookie: as.city });
    expect(third.status).toBe(429);
    expect(third.body.error.message).toContain('2 exports running');
    expect(third.headers.get('retry-after')).toBe('10');
    expect(third.headers.get('content-disposition')).toBeNull();
    // Another account is not held up by the city's downloads.
    const planner = await download(`/api/tickets/export?format=csv&${YEAR}`, as.planner);
    expect(planner.res.status).toBe(200);
    // A HEAD takes no slot; a cancelled download frees its slot, a finished one too.
    expect(
      (await t.app.request(url, { method: 'HEAD', headers: { cookie: as.city! } })).status,
    ).toBe(200);
    await first.body!.cancel();
    await second.arrayBuffer();
    const again = await download(url, as.city);
    expect(again.res.status).toBe(200);
    expect(exportSlots.running).toBe(0);
  });
});
