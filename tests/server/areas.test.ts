import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, openTestApp } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const DISTRICTS = {
  '620102': '城关区',
  '620103': '七里河区',
  '620104': '西固区',
  '620105': '安宁区',
  '620111': '红古区',
};

describe('GET /api/areas', () => {
  it('lists the five urban districts of Lanzhou with their official codes and outlines', async () => {
    const { status, body } = await getJson(t.app, '/api/areas?level=district&zoom=9');
    expect(status).toBe(200);
    expect(body.type).toBe('FeatureCollection');
    const byCode = Object.fromEntries(
      body.features.map((f: any) => [f.properties.code, f.properties.name]),
    );
    expect(byCode).toEqual(DISTRICTS);
    for (const f of body.features) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(f.properties.level).toBe('district');
      expect(f.properties.parentId).toBeNull();
      const [lon, lat] = f.properties.label;
      expect(lon).toBeGreaterThan(102.5);
      expect(lon).toBeLessThan(104.5);
      expect(lat).toBeGreaterThan(35.5);
      expect(lat).toBeLessThan(37);
    }
  });

  it('simplifies geometry more at lower zooms', async () => {
    const coords = (fc: any) =>
      JSON.stringify(fc.features.map((f: any) => f.geometry)).split(',').length;
    const low = (await getJson(t.app, '/api/areas?level=district&zoom=6')).body;
    const high = (await getJson(t.app, '/api/areas?level=district&zoom=14')).body;
    expect(coords(low)).toBeLessThan(coords(high));
  });

  it('drills from a district to its subdistricts, whose real codes extend the district code', async () => {
    const districts = (await getJson(t.app, '/api/areas?level=district')).body.features;
    const chengguan = districts.find((f: any) => f.properties.code === '620102');
    const { body } = await getJson(t.app, `/api/areas?parent=${chengguan.id}`);
    expect(body.features.length).toBeGreaterThan(3);
    for (const f of body.features) {
      expect(f.properties.level).toBe('subdistrict');
      expect(f.properties.parentId).toBe(chengguan.id);
      expect(f.properties.code).toMatch(/^620102\d{3}$/);
    }
  });

  it('returns only areas meeting a bbox', async () => {
    // A box around the centre of 城关区: 西固区 and 红古区 lie far to the west.
    const { body } = await getJson(
      t.app,
      '/api/areas?level=district&bbox=103.80,36.03,103.86,36.08',
    );
    const names = body.features.map((f: any) => f.properties.name);
    expect(names).toContain('城关区');
    expect(names).not.toContain('红古区');
  });

  it('colours compounds and grids by the three-colour rating', async () => {
    const { body } = await getJson(t.app, '/api/areas?level=compound&zoom=14');
    expect(body.features.length).toBeGreaterThan(10);
    const colours = new Set(body.features.map((f: any) => f.properties.rating));
    expect([...colours].every((c) => ['red', 'yellow', 'blue'].includes(c as string))).toBe(true);
    expect(colours.size).toBeGreaterThan(1);
    const grids = (await getJson(t.app, '/api/areas?level=grid')).body.features;
    expect(grids.every((f: any) => ['red', 'yellow', 'blue'].includes(f.properties.rating))).toBe(
      true,
    );
  });
});

describe('GET /api/areas/:id', () => {
  async function someCompound() {
    const r = await sql<{ id: number }>`
      SELECT c.id FROM areas c WHERE c.level = 'compound'
        AND (SELECT count(*) FROM tickets WHERE compound_id = c.id) > 5
      ORDER BY c.id LIMIT 1`.execute(t.db.kysely);
    return r.rows[0]!.id;
  }

  it('gives a compound its breadcrumb from the district down, attributes and rating', async () => {
    const id = await someCompound();
    const { status, body } = await getJson(t.app, `/api/areas/${id}`);
    expect(status).toBe(200);
    expect(body.area.level).toBe('compound');
    expect(body.ancestors.map((a: any) => a.level)).toEqual([
      'district',
      'subdistrict',
      'community',
      'grid',
    ]);
    expect(body.ancestors[0].code).toMatch(/^6201\d\d$/);
    expect(body.ancestors[2].code).toMatch(/^\d{12}$/);
    expect(body.compound.yearBuilt).toBeGreaterThan(1949);
    expect(body.compound.households).toBeGreaterThan(0);
    expect(['red', 'yellow', 'blue']).toContain(body.rating.color);
    expect(body.area.bbox).toHaveLength(4);
  });

  it('computes the KPIs by their definitions', async () => {
    const id = await someCompound();
    const { body } = await getJson(t.app, `/api/areas/${id}`);
    const r = await sql<any>`
      SELECT count(*)::int AS received,
        count(*) FILTER (WHERE closed_at IS NOT NULL)::int AS closed,
        count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate'))::int AS open,
        count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate') AND due_at < now())::int AS overdue,
        count(*) FILTER (WHERE closed_at IS NOT NULL AND coalesce(resolved_at, closed_at) <= due_at)::int AS ontime
      FROM tickets WHERE compound_id = ${id} AND received_at >= now() - interval '365 days'`.execute(
      t.db.kysely,
    );
    const e = r.rows[0];
    expect(body.kpis.received).toBe(e.received);
    expect(body.kpis.open).toBe(e.open);
    expect(body.kpis.overdue).toBe(e.overdue);
    expect(body.kpis.completionRate).toBeCloseTo(e.closed / e.received, 3);
    expect(body.kpis.onTimeRate).toBeCloseTo(e.ontime / (e.closed + e.overdue), 3);
    const sat = body.kpis.satisfaction;
    expect(sat === null || (sat >= 1 && sat <= 5)).toBe(true);
  });

  it('adds up: the districts together hold every ticket of the city', async () => {
    const city = (await getJson(t.app, '/api/areas/city')).body;
    expect(city.area.name).toBe('兰州市');
    const districts = (await getJson(t.app, '/api/areas?level=district')).body.features;
    let received = 0;
    let open = 0;
    for (const d of districts) {
      const k = (await getJson(t.app, `/api/areas/${d.id}`)).body.kpis;
      received += k.received;
      open += k.open;
    }
    expect(city.kpis.received).toBeGreaterThan(100);
    expect(received).toBe(city.kpis.received);
    expect(open).toBe(city.kpis.open);
  });

  it('narrows KPIs to a time range', async () => {
    const all = (await getJson(t.app, '/api/areas/city')).body.kpis.received;
    const month = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    const recent = (await getJson(t.app, `/api/areas/city?from=${month}`)).body.kpis.received;
    expect(recent).toBeGreaterThan(0);
    expect(recent).toBeLessThan(all);
  });

  it('answers 404 for an unknown area', async () => {
    const { status, body } = await getJson(t.app, '/api/areas/99999999');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});
