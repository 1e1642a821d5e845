import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePoints, FLAG_OVERDUE } from '../../geo/point-codec.ts';
import { keysOf, TICKET_CATEGORIES, TICKET_STATUSES } from '../../geo/vocabulary.ts';
import { getJson, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
// The map layers of tickets and hazards are for signed-in accounts; the city sees them all.
let city: string;
const req = (url: string) => t.app.request(url, { headers: { cookie: city } });
beforeAll(async () => {
  t = await openTestApp();
  city = await signIn(t.app, 'city');
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const CITY_CORE = '103.60,35.95,104.00,36.20';

describe('GET /api/tickets', () => {
  it('returns tickets inside the bbox, newest first', async () => {
    const { status, body } = await getJson(
      t.app,
      `/api/tickets?bbox=103.75,36.02,103.90,36.10&limit=500`,
      city,
    );
    expect(status).toBe(200);
    expect(body.features.length).toBeGreaterThan(0);
    for (const f of body.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(lon).toBeGreaterThanOrEqual(103.75);
      expect(lon).toBeLessThanOrEqual(103.9);
      expect(lat).toBeGreaterThanOrEqual(36.02);
      expect(lat).toBeLessThanOrEqual(36.1);
    }
    const times = body.features.map((f: any) => Date.parse(f.properties.receivedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('says when the limit cut the result', async () => {
    const cut = (await getJson(t.app, `/api/tickets?limit=10`, city)).body;
    expect(cut.count).toBe(10);
    expect(cut.features).toHaveLength(10);
    expect(cut.truncated).toBe(true);
    const whole = (
      await getJson(
        t.app,
        `/api/tickets?limit=200000&bbox=${CITY_CORE}&category=legal_aid&status=open`,
        city,
      )
    ).body;
    expect(whole.truncated).toBe(false);
    expect(whole.count).toBe(whole.features.length);
  });

  it('filters by category, status and channel', async () => {
    const { body } = await getJson(
      t.app,
      '/api/tickets?category=parking,noise&channel=hotline_12345&limit=2000',
      city,
    );
    expect(body.features.length).toBeGreaterThan(0);
    for (const f of body.features) {
      expect(['parking', 'noise']).toContain(f.properties.category);
      expect(f.properties.channel).toBe('hotline_12345');
    }
    const open = (await getJson(t.app, '/api/tickets?status=open&limit=200000', city)).body
      .features;
    expect(open.length).toBeGreaterThan(0);
    expect(open.some((f: any) => f.properties.status === 'closed')).toBe(false);
    expect(open.some((f: any) => f.properties.overdue)).toBe(true);
  });

  it('filters by a time range', async () => {
    const from = new Date(Date.now() - 7 * 86400_000);
    const { body } = await getJson(
      t.app,
      `/api/tickets?from=${from.toISOString()}&limit=200000`,
      city,
    );
    expect(body.features.length).toBeGreaterThan(0);
    for (const f of body.features)
      expect(Date.parse(f.properties.receivedAt)).toBeGreaterThanOrEqual(from.getTime() - 1000);
  });

  it('serves the same selection as compact binary columns', async () => {
    const q = `bbox=${CITY_CORE}&status=open&limit=3000`;
    const geo = (await getJson(t.app, `/api/tickets?${q}`, city)).body;
    const res = await req(`/api/tickets?${q}&format=binary`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-mqp1');
    expect(res.headers.get('x-count')).toBe(String(geo.count));
    expect(res.headers.get('x-truncated')).toBe(String(geo.truncated));
    const bytes = new Uint8Array(await res.arrayBuffer());
    const points = decodePoints(bytes);
    expect([...points.ids]).toEqual(geo.features.map((f: any) => f.id));
    const categories = keysOf(TICKET_CATEGORIES);
    const statuses = keysOf(TICKET_STATUSES);
    geo.features.forEach((f: any, i: number) => {
      expect(points.positions[2 * i]).toBeCloseTo(f.geometry.coordinates[0], 4);
      expect(points.positions[2 * i + 1]).toBeCloseTo(f.geometry.coordinates[1], 4);
      expect(categories[points.codes[0][i]]).toBe(f.properties.category);
      expect(statuses[points.codes[1][i]]).toBe(f.properties.status);
      expect(Boolean(points.codes[3][i] & FLAG_OVERDUE)).toBe(f.properties.overdue);
    });
    // The point of the encoding: many times smaller than GeoJSON.
    const geoBytes = new TextEncoder().encode(JSON.stringify(geo)).length;
    expect(bytes.length * 5).toBeLessThan(geoBytes);
  });

  it('restricts to an area subtree', async () => {
    const districts = (await getJson(t.app, '/api/areas?level=district', city)).body.features;
    const d = districts.find((f: any) => f.properties.code === '620102');
    const all = (await getJson(t.app, `/api/tickets?area=${d.id}&limit=200000`, city)).body;
    const k = (await getJson(t.app, `/api/areas/${d.id}`, city)).body.kpis;
    expect(all.count).toBe(k.received);
  });
});

describe('GET /api/tickets/:id', () => {
  it('shows the timeline and masks the resident for a district account', async () => {
    // The district account reads its whole district, but does not call residents back.
    const district = await signIn(t.app, 'district');
    const r = await sql<{ id: number }>`
      SELECT t.id FROM tickets t JOIN accounts a ON a.username = 'district'
      WHERE t.status = 'closed' AND t.resident_phone IS NOT NULL AND t.district_id = a.area_id
      ORDER BY t.id LIMIT 1`.execute(t.db.kysely);
    const id = r.rows[0]!.id;
    const { status, body } = await getJson(t.app, `/api/tickets/${id}`, district);
    expect(status).toBe(200);
    expect(body.status).toBe('closed');
    const steps = body.events.map((e: any) => e.status);
    expect(steps[0]).toBe('received');
    expect(steps.at(-1)).toBe('closed');
    const times = body.events.map((e: any) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(body.residentPhone).toMatch(/^1\d\d\*{4}\d{4}$/);
    expect(body.residentName).toMatch(/^\S\*+$/u);
  });

  it('answers 404 for an unknown ticket', async () => {
    expect((await req('/api/tickets/987654321')).status).toBe(404);
  });
});

describe('GET /api/hazards', () => {
  it('returns hazards with severity, filterable and as binary', async () => {
    const { body } = await getJson(t.app, '/api/hazards?severity=high,critical&limit=5000', city);
    expect(body.features.length).toBeGreaterThan(0);
    for (const f of body.features) expect(['high', 'critical']).toContain(f.properties.severity);
    const open = (await getJson(t.app, '/api/hazards?status=open&limit=5000', city)).body.features;
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((f: any) => f.properties.status !== 'verified')).toBe(true);
    const res = await req('/api/hazards?severity=high,critical&limit=5000&format=binary');
    expect(decodePoints(new Uint8Array(await res.arrayBuffer())).ids.length).toBe(
      body.features.length,
    );
  });
});
