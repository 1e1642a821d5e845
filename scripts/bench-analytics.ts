/**
 * The planner's workbench against its baselines, in the same process: the city KPIs and the
 * hotspot counts from the rollups against counting the tickets, a playback step (one month of
 * hotspots), emerging hot spots, a period comparison, renovation candidates, and what keeping
 * the rollups current adds to a ticket create (trigger on against trigger off).
 */
import { sql } from 'kysely';
import type { createApp } from '../server/app.ts';
import type { Db } from '../server/db/client.ts';
import { cellCounts, cellCountsDirect } from '../server/db/queries/analytics.ts';
import { ticketKpisDirect } from '../server/db/queries/areas.ts';
import { areaTotalsByCategory, overdueCount } from '../server/db/queries/rollups.ts';

type App = ReturnType<typeof createApp>;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
}
const f1 = (n: number) => n.toFixed(1).padStart(8);

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}

export async function benchAnalytics(app: App, db: Db, cookie: string, runs: number) {
  const row = (label: string, ms: number[], extra = '') => {
    const s = stats(ms);
    console.log(`  ${label.padEnd(52)} p50 ${f1(s.p50)} ms   p95 ${f1(s.p95)} ms${extra}`);
    return s;
  };
  const get = async (url: string) => {
    app.cache.clear();
    const t0 = performance.now();
    const res = await app.request(url, { headers: { cookie } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url} → ${res.status}: ${text.slice(0, 200)}`);
    return { ms: performance.now() - t0, bytes: text.length, text };
  };
  const n = Math.max(5, Math.floor(runs / 2));
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const year = { from: new Date(to.getTime() - 365 * 86_400_000), to };

  console.log('\nplanner analytics (cache cleared before each request):');
  // The city's KPIs: the rollups (months, days, partial-day edges) against the tickets.
  const kpiRollups: number[] = [];
  const kpiDirect: number[] = [];
  for (let i = 0; i < n; i++) {
    kpiRollups.push(
      (
        await time(async () => {
          await areaTotalsByCategory(db, null, year);
          await overdueCount(db, null, year);
        })
      )[0],
    );
    kpiDirect.push((await time(() => ticketKpisDirect(db, null, year)))[0]);
  }
  const kr = row('city ticket KPIs, year: rollups', kpiRollups);
  const kd = row('city ticket KPIs, year: counted from tickets', kpiDirect);
  console.log(`    ratio ${(kd.p50 / kr.p50).toFixed(1)}x`);
  const cityMs: number[] = [];
  for (let i = 0; i < n; i++) cityMs.push((await get('/api/areas/city')).ms);
  row('GET /api/areas/city (all KPIs incl. hazards, whistles)', cityMs);

  // Hotspot counts at resolution 8 over the year, city-wide.
  for (const res of [8, 9]) {
    const fromRollups: number[] = [];
    const fromTickets: number[] = [];
    let cells = 0;
    for (let i = 0; i < n; i++) {
      const [a, c] = await time(() => cellCounts(db, res, { range: year }));
      fromRollups.push(a);
      cells = c.length;
      fromTickets.push((await time(() => cellCountsDirect(db, res, { range: year })))[0]);
    }
    const r = row(`cell counts res ${res}, year: rollups (${cells} cells)`, fromRollups);
    const d = row(`cell counts res ${res}, year: counted from tickets`, fromTickets);
    console.log(`    ratio ${(d.p50 / r.p50).toFixed(1)}x`);
  }
  const q = `from=${year.from.toISOString()}&to=${year.to.toISOString()}`;
  for (const [label, url] of [
    ['GET hotspots res 8, year, count', `/api/analytics/hotspots?${q}&res=8`],
    [
      'GET hotspots res 8, year, rate, parking',
      `/api/analytics/hotspots?${q}&res=8&metric=rate&category=parking`,
    ],
    ['GET hotspots res 9, year, count', `/api/analytics/hotspots?${q}&res=9`],
    [
      'GET hotspots res 8, year, channel (from tickets)',
      `/api/analytics/hotspots?${q}&res=8&channel=hotline_12345`,
    ],
  ] as const) {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const r = await get(url);
      ms.push(r.ms);
      bytes = r.bytes;
    }
    row(label, ms, `   ${(bytes / 1024).toFixed(0)} KiB`);
  }
  // Playback: one month of hotspots at a time, as the web steps through the year.
  const steps: number[] = [];
  for (let m = 0; m < 12; m++) {
    const start = new Date(
      Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12 + m, 1) - 8 * 3_600_000,
    );
    const end = new Date(
      Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11 + m, 1) - 8 * 3_600_000,
    );
    steps.push(
      (
        await get(
          `/api/analytics/hotspots?from=${start.toISOString()}&to=${end.toISOString()}&res=8`,
        )
      ).ms,
    );
  }
  row('playback step: one month of hotspots, res 8', steps);
  const quarter = (y: number) => `${y}-07-01T00:00:00%2B08:00,${y}-10-01T00:00:00%2B08:00`;
  const y = to.getUTCFullYear();
  for (const [label, url] of [
    ['GET emerging, 12 months, res 8', '/api/analytics/emerging?months=12&res=8'],
    [
      'GET compare Q3 vs Q3 last year, res 8',
      `/api/analytics/compare?a=${quarter(y - 1)}&b=${quarter(y)}&res=8`,
    ],
    [
      'GET compare Q3 vs Q3 last year, by community',
      `/api/analytics/compare?a=${quarter(y - 1)}&b=${quarter(y)}&by=area&level=community`,
    ],
    ['GET series, year, by day', `/api/analytics/series?${q}&grain=day`],
    ['GET areas ranking, communities', `/api/analytics/areas?${q}&level=community`],
    ['GET renovation candidates (pre-2001)', '/api/analytics/renovation?limit=100'],
    ['GET compound facts', '/api/analytics/compounds'],
  ] as const) {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < Math.max(3, Math.floor(n / 2)); i++) {
      const r = await get(url);
      ms.push(r.ms);
      bytes = r.bytes;
    }
    row(label, ms, `   ${(bytes / 1024).toFixed(0)} KiB`);
  }

  // Ticket create with the rollup trigger and without it, alternating, through the service.
  const community = await signInAs(app, 'community');
  const place = (
    await sql<{ x: number; y: number }>`
      SELECT ST_X(a.label_point) AS x, ST_Y(a.label_point) AS y FROM accounts u
      JOIN areas a ON a.path @> ARRAY[u.area_id] AND a.level = 'compound'
      WHERE u.username = 'community' LIMIT 1`.execute(db.kysely)
  ).rows[0]!;
  const create = async () => {
    const t0 = performance.now();
    const res = await app.request('/api/tickets', {
      method: 'POST',
      headers: { cookie: community, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'parking',
        title: '基准测试：小区门口车辆乱停',
        position: [place.x, place.y],
      }),
    });
    if (res.status !== 201) throw new Error(`create → ${res.status}: ${await res.text()}`);
    return performance.now() - t0;
  };
  const withTrigger: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < 3; i++) await create(); // warm up
  for (let i = 0; i < Math.max(10, runs); i++) {
    withTrigger.push(await create());
    await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollups`.execute(db.kysely);
    try {
      without.push(await create());
    } finally {
      await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollups`.execute(db.kysely);
    }
  }
  // The tickets written without the trigger are missing from the rollups: recount them.
  await db.kysely.transaction().execute(async (tx) => {
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    await sql`SELECT rebuild_ticket_rollups()`.execute(tx);
  });
  const w = row('ticket create, rollups kept by the trigger', withTrigger);
  const o = row('ticket create, trigger off (baseline)', without);
  console.log(`    added by the rollups: ${(((w.p50 - o.p50) / o.p50) * 100).toFixed(0)} % at p50`);
}

async function signInAs(app: App, username: string) {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Minqing@2026' }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
