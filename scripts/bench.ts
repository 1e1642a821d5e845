/**
 * Measures the API on the `city` dataset, on PGlite and (when BENCH_DATABASE_URL or
 * DATABASE_URL is set) PostgreSQL. Prints seeding time, viewport ticket latency at three zooms,
 * area-detail KPI latency, and bytes per point per encoding against GeoJSON, with a row-by-row
 * baseline measured in the same process. Run: `npm run bench` (add `-- --reseed` to time a fresh seed,
 * `-- --section=analytics` for the planner's workbench against its baselines (`-- --scale=stress`
 * for 3.5 M tickets), `-- --section=operations` for the supervisors' writes and workspace reads only, `-- --section=load`
 * for reads alone and under writes over HTTP on loopback, and the page during a burst of sign-ins,
 * `-- --section=wall` for the wall's map layers, packed tracks and heat, `-- --section=wall-render`
 * for the wall map's rendering in Chromium: scripts/bench-wall-render.ts), `-- --section=governance`
 * for the party coverage and gaps, the colours' summary, credit and the 红黑榜: bench-governance.ts,
 * `-- --section=civic` for deliberation, ledgers, mediation and service points: bench-civic.ts;
 * `-- --section=tiles` for vector tiles, uncached and cached: bench-tiles.ts; `-- --section=ogc` for
 * the OGC API's pages: bench-ogc.ts; `-- --section=exports` for a million-row streamed export and
 * its memory: bench-exports.ts).
 *
 * Datasets are kept between runs in .cache/bench-pglite and the `minqing_bench` database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createApp } from '../server/app.ts';
import { passwordHashing } from '../server/services/passwords.ts';
import { loadConfig } from '../server/config.ts';
import { openDb, type Db } from '../server/db/client.ts';
import { migrateDown, migrateUp } from '../server/db/migrate.ts';
import { benchAnalytics } from './bench-analytics.ts';
import { benchCivic } from './bench-civic.ts';
import { benchExports } from './bench-exports.ts';
import { benchTiles } from './bench-tiles.ts';
import { benchGovernance } from './bench-governance.ts';
import { benchOgc } from './bench-ogc.ts';
import { benchWall } from './bench-wall.ts';
import { seedCivic, seedDatabase, seedGovernance } from './seed/index.ts';
import { seedOperations } from './seed/operations.ts';

const args = process.argv.slice(2);
const reseed = args.includes('--reseed');
const scale = (args.find((a) => a.startsWith('--scale='))?.split('=')[1] ?? 'city') as
  'city' | 'stress';
const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 40);
const only = args.find((a) => a.startsWith('--db='))?.split('=')[1];
// `--section=operations` runs only the operations section (the reads above take minutes);
// `--section=load` only the load mix and the sign-in burst.
const section = args.find((a) => a.startsWith('--section='))?.split('=')[1];
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 20);
const SEED = 20261126;
const UNTIL = '2026-11-26';

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), n: s.length };
}
const fmt = (n: number) => n.toFixed(1).padStart(8);

/** Deterministic PRNG so both databases see the same viewports. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function prepare(
  kind: 'pglite' | 'postgres',
  url?: string,
): Promise<{ db: Db; seedSeconds: number | null }> {
  const dir = scale === 'city' ? '.cache/bench-pglite' : `.cache/bench-pglite-${scale}`;
  if (kind === 'pglite' && reseed && existsSync(dir)) rmSync(dir, { recursive: true });
  const db = await openDb({ databaseUrl: url, dataDir: dir });
  if (kind === 'postgres' && reseed) {
    await migrateUp(db);
    await migrateDown(db, 100);
  }
  await migrateUp(db);
  const n = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas`.execute(db.kysely))
    .rows[0]!.n;
  if (n > 0) {
    // A dataset seeded before the operations schema gets its accounts, patrols and whistles.
    await seedOperations(db, { seed: SEED });
    // …and one seeded before the governance schema its organisation, colours and credit.
    await seedGovernance(db, { seed: SEED, until: UNTIL });
    // …and one seeded before issue 11 its service points, ledgers, deliberation and mediation.
    await seedCivic(db, { seed: SEED, until: UNTIL });
    return { db, seedSeconds: null };
  }
  const t0 = performance.now();
  await seedDatabase(db, {
    scale,
    seed: SEED,
    until: UNTIL,
    onProgress: (m: string) => console.log(`    seed: ${m}`),
  });
  return { db, seedSeconds: (performance.now() - t0) / 1000 };
}

async function bench(kind: 'pglite' | 'postgres', url?: string) {
  console.log(`\n## ${kind}${url ? ` (${url.replace(/\/\/[^@]*@/, '//')})` : ''}`);
  const { db, seedSeconds } = await prepare(kind, url);
  // The load section's sign-in burst comes from many addresses, as X-Forwarded-For says.
  const app = createApp({ db, config: loadConfig({}), trustProxy: section === 'load' });
  cityCookie = await signIn(app, 'city');
  const counts = await (await app.request('/api/health')).json();
  console.log(`rows: ${JSON.stringify(counts.counts)}`);
  console.log(
    `seeding (${scale}): ${seedSeconds === null ? 'reused an existing dataset (run with --reseed to time it)' : `${seedSeconds.toFixed(1)} s`}`,
  );
  // A section runs alone, on the same app and dataset, then closes them.
  const sections: Record<string, () => Promise<unknown>> = {
    load: () => benchLoad(app, db),
    analytics: () => benchAnalytics(app, db, cityCookie, runs),
    wall: () => benchWall(app, db, cityCookie, runs),
    governance: () => benchGovernance(app, db, cityCookie, runs),
    civic: () => benchCivic(app, db, cityCookie, runs),
    // The city's 350k tickets topped up to a million synthetic ones, deleted afterwards.
    exports: () => benchExports(app, db, cityCookie),
    tiles: () => benchTiles(app, db, cityCookie, runs),
    ogc: () => benchOgc(app, db, cityCookie, runs),
    operations: () => benchOperations(app, db),
  };
  const run = section === undefined ? undefined : sections[section];
  if (run) {
    await run();
    await app.close();
    await db.close();
    return;
  }

  const centres = (
    await sql<{
      x: number;
      y: number;
    }>`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y FROM areas WHERE level = 'compound' ORDER BY id`.execute(
      db.kysely,
    )
  ).rows;
  const rnd = mulberry32(42);
  // A 1920×1080 screen at each zoom.
  const viewport = (z: number) => {
    const c = centres[Math.floor(rnd() * centres.length)]!;
    const degPerPx = 360 / (256 * 2 ** z);
    const w = 960 * degPerPx;
    const h = 540 * degPerPx * Math.cos((c.y * Math.PI) / 180);
    return `${(c.x - w).toFixed(5)},${(c.y - h).toFixed(5)},${(c.x + w).toFixed(5)},${(c.y + h).toFixed(5)}`;
  };

  async function timed(url: string) {
    app.cache.clear();
    const t0 = performance.now();
    const res = await app.request(url, { headers: { cookie: cityCookie } });
    const body = new Uint8Array(await res.arrayBuffer());
    const ms = performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`${url} → ${res.status}: ${new TextDecoder().decode(body)}`);
    return { ms, bytes: body.length, count: Number(res.headers.get('x-count') ?? 0) };
  }

  console.log('\nviewport ticket queries (1920×1080 screen, limit 20000), per request:');
  console.log('zoom  filter      format    p50 ms   p95 ms   points(avg)  bytes/point');
  for (const z of [10, 13, 15]) {
    // The same viewports for every filter and format, so the rows compare like for like.
    const boxes = Array.from({ length: runs }, () => viewport(z));
    for (const filter of ['status=open', 'all']) {
      for (const format of ['geojson', 'binary']) {
        const ms: number[] = [];
        let points = 0;
        let bytes = 0;
        for (const box of boxes) {
          const q = `/api/tickets?bbox=${box}&limit=20000&format=${format}${filter === 'all' ? '' : `&${filter}`}`;
          const r = await timed(q);
          ms.push(r.ms);
          points += r.count;
          bytes += r.bytes;
        }
        const s = stats(ms);
        console.log(
          `${String(z).padEnd(5)} ${filter.padEnd(11)} ${format.padEnd(8)}${fmt(s.p50)} ${fmt(s.p95)} ${fmt(points / runs).padStart(12)} ${fmt(points ? bytes / points : 0).padStart(12)}`,
        );
      }
    }
  }

  // Baseline in the same process: the same rows fetched one JS object per row and encoded as
  // GeoJSON in Node, the way an ORM would, against packing inside the database.
  console.log('\nbaseline: 20000 newest tickets city-wide');
  const base: number[] = [];
  const packed: number[] = [];
  for (let i = 0; i < Math.max(5, Math.floor(runs / 4)); i++) {
    const t0 = performance.now();
    const rows =
      await sql<any>`SELECT id, code, category, status, channel, priority, received_at, due_at, title, compound_id,
        ST_X(geom) AS x, ST_Y(geom) AS y FROM tickets ORDER BY received_at DESC, id DESC LIMIT 20000`.execute(
        db.kysely,
      );
    JSON.stringify({
      type: 'FeatureCollection',
      features: rows.rows.map((r: any) => ({
        type: 'Feature',
        id: r.id,
        geometry: { type: 'Point', coordinates: [r.x, r.y] },
        properties: r,
      })),
    });
    base.push(performance.now() - t0);
    packed.push((await timed('/api/tickets?limit=20000&format=binary')).ms);
  }
  const b = stats(base);
  const p = stats(packed);
  console.log(
    `  rows to JS + GeoJSON in Node: p50 ${b.p50.toFixed(1)} ms; packed binary in SQL through the API: p50 ${p.p50.toFixed(1)} ms; ratio ${(b.p50 / p.p50).toFixed(1)}x`,
  );

  console.log('\narea detail (KPIs over the last 365 days), cache cleared before each request:');
  const pick = async (level: string) =>
    (
      await sql<{ id: number }>`SELECT id FROM areas WHERE level = ${level} ORDER BY id`.execute(
        db.kysely,
      )
    ).rows.map((r) => r.id);
  const levels: [string, (number | string)[]][] = [['city', ['city']]];
  for (const level of ['district', 'subdistrict', 'community', 'grid', 'compound'])
    levels.push([level, await pick(level)]);
  for (const [level, ids] of levels) {
    const ms: number[] = [];
    const n = level === 'city' ? Math.max(5, Math.floor(runs / 4)) : runs;
    for (let i = 0; i < n; i++)
      ms.push((await timed(`/api/areas/${ids[Math.floor(rnd() * ids.length)]}`)).ms);
    const s = stats(ms);
    console.log(`  ${level.padEnd(12)} p50 ${fmt(s.p50)} ms   p95 ${fmt(s.p95)} ms`);
  }

  console.log('\narea polygons (GeoJSON, simplified per zoom):');
  for (const [label, url] of [
    ['districts z9', '/api/areas?level=district&zoom=9'],
    ['compounds of one grid z16', `/api/areas?parent=${(await pick('grid'))[0]}&zoom=16`],
    ['compounds in a z13 viewport', `/api/areas?level=compound&zoom=13&bbox=${viewport(13)}`],
  ] as const) {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 10; i++) {
      const r = await timed(url);
      ms.push(r.ms);
      bytes = r.bytes;
    }
    const s = stats(ms);
    console.log(
      `  ${label.padEnd(28)} p50 ${fmt(s.p50)} ms   p95 ${fmt(s.p95)} ms   ${(bytes / 1024).toFixed(0)} KiB`,
    );
  }
  await benchAnalytics(app, db, cityCookie, runs);
  await benchOperations(app, db);
  await app.close();
  await db.close();
}

/** Latency figures of a phase: requests per second, p50 and p99 (ms), errors. */
function summary(ms: number[], errors: number, wallMs: number) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    rps: (ms.length / wallMs) * 1000,
    p50: s.length ? percentile(s, 50) : NaN,
    p95: s.length ? percentile(s, 95) : NaN,
    p99: s.length ? percentile(s, 99) : NaN,
    n: ms.length,
    errors,
  };
}
const line = (label: string, r: ReturnType<typeof summary>, extra = '') =>
  console.log(
    `  ${label.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${fmt(r.p50)} ms   p99 ${fmt(r.p99)} ms   errors ${r.errors}${extra}`,
  );

/**
 * The app under load over HTTP on loopback (the Node server, keep-alive connections), in three
 * phases of the same run: reads alone; reads while writes arrive at a steady rate; the same with
 * every write emptying the whole read cache (how it was before writes were tagged). Then the web
 * page (`GET /`, a file read like `server/main.ts` serves it) while 40 clients sign in at once,
 * with password hashing bounded and, as a baseline, unbounded.
 */
async function benchLoad(app: ReturnType<typeof createApp>, db: Db) {
  const readers = 16;
  const writesPerSecond = 23;
  const dir = '.cache/bench-load';
  mkdirSync(dir, { recursive: true });
  const page = existsSync('dist/index.html') ? 'dist/index.html' : `${dir}/index.html`;
  if (page !== 'dist/index.html')
    writeFileSync(page, `<!doctype html><title>民情地图</title>${'<p>民情地图</p>'.repeat(60)}`);
  const server = serve({
    fetch: async (req, env) =>
      new URL(req.url).pathname === '/'
        ? new Response(await readFile(page), { headers: { 'content-type': 'text/html' } })
        : app.fetch(req, env),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ids = async (level: string) =>
    (
      await sql<{ id: number }>`SELECT id FROM areas WHERE level = ${level} ORDER BY id`.execute(
        db.kysely,
      )
    ).rows.map((r) => r.id);
  const communities = (await ids('community')).filter((_, i) => i % 3 === 0);
  const subdistricts = await ids('subdistrict');
  const districts = await ids('district');
  const places = (
    await sql<{ x: number; y: number }>`
      SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y FROM areas
      WHERE level = 'compound' ORDER BY id`.execute(db.kysely)
  ).rows;
  const rnd = mulberry32(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  // What dashboards and supervisors ask for, weighted: a community's KPIs and points most often.
  const mix: [number, () => string][] = [
    [30, () => `/api/areas/${pick(communities)}`],
    [20, () => `/api/tickets?area=${pick(communities)}&status=open&format=binary`],
    [10, () => `/api/hazards?area=${pick(communities)}&status=open&format=binary`],
    [15, () => `/api/areas?parent=${pick(subdistricts)}&zoom=14`],
    [10, () => '/api/areas?level=district&zoom=10'],
    [10, () => `/api/areas/${pick(districts)}`],
    [5, () => '/api/areas/city'],
  ];
  const total = mix.reduce((n, [w]) => n + w, 0);
  const nextRead = () => {
    let r = rnd() * total;
    for (const [w, url] of mix) if ((r -= w) < 0) return url();
    return mix[0]![1]();
  };
  const headers = { cookie: cityCookie };

  async function readPhase(ms: number, during?: () => Promise<void>) {
    const latencies: number[] = [];
    let errors = 0;
    const until = performance.now() + ms;
    const t0 = performance.now();
    const side = during?.();
    await Promise.all(
      Array.from({ length: readers }, async () => {
        while (performance.now() < until) {
          const s = performance.now();
          try {
            const res = await fetch(base + nextRead(), { headers });
            await res.arrayBuffer();
            if (res.status !== 200) errors++;
            else latencies.push(performance.now() - s);
          } catch {
            errors++;
          }
        }
      }),
    );
    const wall = performance.now() - t0;
    await side;
    return summary(latencies, errors, wall);
  }

  // Writes at a steady rate, each one a ticket created somewhere in the city or a dispatch of one.
  function writeLoad(ms: number) {
    const latencies: number[] = [];
    let errors = 0;
    const created: number[] = [];
    const run = async () => {
      const t0 = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; performance.now() - t0 < ms; i++) {
        const due = t0 + (i * 1000) / writesPerSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const id = i % 2 === 1 ? created.shift() : undefined;
        const p = places[Math.floor(rnd() * places.length)]!;
        const [url, body] =
          id === undefined
            ? ['/api/tickets', { category: 'parking', title: '负载测试诉求', position: [p.x, p.y] }]
            : [`/api/tickets/${id}/transitions`, { action: 'dispatch' }];
        inflight.push(
          (async () => {
            const s = performance.now();
            try {
              const res = await fetch(base + url, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                body: JSON.stringify(body),
              });
              const text = await res.text();
              if (res.status >= 400) errors++;
              else {
                latencies.push(performance.now() - s);
                if (url === '/api/tickets') created.push((JSON.parse(text) as { id: number }).id);
              }
            } catch {
              errors++;
            }
          })(),
        );
      }
      await Promise.all(inflight);
      writes = summary(latencies, errors, performance.now() - t0);
    };
    let writes = summary([], 0, 1);
    return { run, result: () => writes };
  }

  console.log(
    `\nload over HTTP on loopback (${readers} readers, keep-alive; ${seconds} s a phase; reads: community/district/city KPIs, open ticket and hazard points of a community, area polygons):`,
  );
  await readPhase(5000); // warm the caches and the connections
  const alone = await readPhase(seconds * 1000);
  line('reads alone', alone);
  for (const [label, clearAll] of [
    ['reads under writes (tagged invalidation)', false],
    ['reads under writes (every write empties cache)', true],
  ] as const) {
    const invalidate = app.cache.invalidate.bind(app.cache);
    if (clearAll)
      app.cache.invalidate = () => {
        app.cache.clear();
        return 0;
      };
    const w = writeLoad(seconds * 1000);
    const r = await readPhase(seconds * 1000, w.run);
    app.cache.invalidate = invalidate;
    line(label, r, `   (${((r.rps / alone.rps) * 100).toFixed(0)}% of alone)`);
    line('  the writes meanwhile', w.result());
  }

  // The page while 40 clients sign in at once, from 40 addresses, with names nobody has: bursts
  // of 40 (the next when the last has its answer) for the whole phase.
  async function pageDuring(ms: number, signIns: number) {
    const latencies: number[] = [];
    let errors = 0;
    const outcomes: Record<number, number> = {};
    const signInMs: number[] = [];
    const until = performance.now() + ms;
    let n = 0;
    const signInOnce = async () => {
      const s = performance.now();
      const i = n++;
      const res = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `198.18.${(i >> 8) & 255}.${i & 255}`,
        },
        body: JSON.stringify({ username: `random-${i}`, password: 'Password1' }),
      });
      await res.arrayBuffer();
      outcomes[res.status] = (outcomes[res.status] ?? 0) + 1;
      signInMs.push(performance.now() - s);
    };
    const clients = (async () => {
      while (signIns > 0 && performance.now() < until)
        await Promise.all(Array.from({ length: signIns }, signInOnce));
    })();
    const t0 = performance.now();
    while (performance.now() < until) {
      const s = performance.now();
      try {
        const res = await fetch(`${base}/`);
        await res.arrayBuffer();
        if (res.status === 200) latencies.push(performance.now() - s);
        else errors++;
      } catch {
        errors++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const wall = performance.now() - t0;
    await clients;
    return { page: summary(latencies, errors, wall), outcomes, signIn: summary(signInMs, 0, wall) };
  }
  console.log(
    `\nthe web page (GET /, every 20 ms) during bursts of 40 sign-ins at once (${seconds / 2} s each):`,
  );
  const quiet = await pageDuring(5000, 0);
  console.log(
    `  GET / alone                                  p50 ${fmt(quiet.page.p50)} ms   p95 ${fmt(quiet.page.p95)} ms   p99 ${fmt(quiet.page.p99)} ms`,
  );
  for (const [label, bounded] of [
    ['hashing bounded (2 at once, queue 32)', true],
    ['hashing unbounded (as before)', false],
  ] as const) {
    if (!bounded) Object.assign(passwordHashing, { run: <T>(work: () => Promise<T>) => work() });
    const r = await pageDuring((seconds / 2) * 1000, 40);
    if (!bounded) Reflect.deleteProperty(passwordHashing, 'run');
    console.log(
      `  GET /, ${label.padEnd(36)} p50 ${fmt(r.page.p50)} ms   p95 ${fmt(r.page.p95)} ms   p99 ${fmt(r.page.p99)} ms   errors ${r.page.errors}`,
    );
    console.log(
      `    sign-ins: ${Object.entries(r.outcomes)
        .map(([status, k]) => `${k}× ${status}`)
        .join(', ')}; p50 ${r.signIn.p50.toFixed(0)} ms, p99 ${r.signIn.p99.toFixed(0)} ms`,
    );
  }
  await new Promise((r) => server.close(r));
}

async function signIn(app: ReturnType<typeof createApp>, username: string) {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Minqing@2026' }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/**
 * The supervisors' writes and workspace reads: sign-in, intake (placement, routing, code, audit,
 * event), an idempotent replay as the baseline of a write that does nothing, a transition, a page
 * of the workspace list, duplicate suggestions, the whistle list, the day's patrols, and the time
 * from a committed write to its server-sent event with many subscribers listening.
 */
async function benchOperations(app: ReturnType<typeof createApp>, db: Db) {
  console.log(
    '\noperations (signed in; every write is one transaction with its audit row and event):',
  );
  const n = Math.max(10, Math.floor(runs / 2));
  const timedMs = async (fn: () => Response | Promise<Response>) => {
    const t0 = performance.now();
    const res = await fn();
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status >= 400) throw new Error(`${res.status}: ${text.slice(0, 200)}`);
    return { ms, text, res };
  };
  const row = (label: string, ms: number[], extra = '') => {
    const s = stats(ms);
    console.log(
      `  ${label.padEnd(40)} p50 ${fmt(s.p50)} ms   p95 ${fmt(s.p95)} ms   n ${s.n}${extra}`,
    );
    return s;
  };
  const signIns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await signIn(app, 'community');
    signIns.push(performance.now() - t0);
  }
  row('sign-in (scrypt N=2^15)', signIns);
  const community = await signIn(app, 'community');
  const property = await signIn(app, 'property');
  const place = (
    await sql<{ x: number; y: number; area: number }>`
      SELECT ST_X(a.label_point) AS x, ST_Y(a.label_point) AS y, acc.area_id AS area
      FROM accounts acc JOIN accounts p ON p.username = 'property'
      JOIN areas a ON a.path @> ARRAY[acc.area_id] AND a.level = 'compound'
      JOIN compounds c ON c.area_id = a.id AND c.property_company_id = p.property_company_id
      WHERE acc.username = 'community' LIMIT 1`.execute(db.kysely)
  ).rows[0]!;
  const post = (cookie: string, url: string, body: unknown, key?: string) => () =>
    app.request(url, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'application/json',
        ...(key ? { 'Idempotency-Key': key } : {}),
      },
      body: JSON.stringify(body),
    });
  const ticket = { category: 'parking', title: '基准测试诉求', position: [place.x, place.y] };
  const creates: number[] = [];
  const replays: number[] = [];
  const transitions: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = `bench-${Date.now()}-${i}`;
    const c = await timedMs(post(community, '/api/tickets', ticket, key));
    creates.push(c.ms);
    ids.push((JSON.parse(c.text) as { id: number }).id);
    replays.push((await timedMs(post(community, '/api/tickets', ticket, key))).ms);
    transitions.push(
      (await timedMs(post(community, `/api/tickets/${ids[i]}/transitions`, { action: 'dispatch' })))
        .ms,
    );
  }
  const c = row('create a ticket (POST /api/tickets)', creates);
  const r = row('replay of the same Idempotency-Key', replays);
  console.log(`    ratio create ÷ replay: ${(c.p50 / r.p50).toFixed(1)}x`);
  row('transition (dispatch)', transitions);
  const get = (cookie: string, url: string) => () => app.request(url, { headers: { cookie } });
  // The last Beijing day with patrols in the dataset (a fixed-date dataset has none "today").
  const patrolDay = (
    await sql<{ day: string | null }>`
      SELECT to_char(max(started_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
      FROM patrols`.execute(db.kysely)
  ).rows[0]!.day;
  for (const [label, cookie, url] of [
    [
      'workspace list, community, 50 rows',
      community,
      `/api/tickets/list?area=${place.area}&limit=50`,
    ],
    [
      'workspace list, city, overdue by dueAt',
      cityCookieOf(),
      '/api/tickets/list?overdue=true&sort=dueAt&order=asc&limit=50',
    ],
    ['workspace list, property company', property, '/api/tickets/list?limit=50'],
    [
      'duplicate suggestions (300 m, 14 days)',
      community,
      `/api/tickets/duplicates?lon=${place.x}&lat=${place.y}&category=parking`,
    ],
    ['open whistles, city-wide (arcs)', cityCookieOf(), '/api/whistles?limit=2000'],
    [
      `one day's patrol tracks, city-wide (${patrolDay})`,
      cityCookieOf(),
      `/api/patrols${patrolDay ? `?date=${patrolDay}` : ''}`,
    ],
    ['patrol coverage of every grid', cityCookieOf(), '/api/patrols/coverage'],
  ] as const) {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      app.cache.clear();
      const t = await timedMs(get(cookie, url));
      ms.push(t.ms);
      bytes = t.text.length;
    }
    row(label, ms, `   ${(bytes / 1024).toFixed(0)} KiB`);
  }
  // Write → event: how long a supervisor waits to see a change made elsewhere, with 200
  // subscribers connected (each filtered by its scope).
  const streams = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const controller = new AbortController();
      const res = await app.request('/api/events', {
        headers: { cookie: i % 2 ? community : cityCookieOf() },
        signal: controller.signal,
      });
      return { controller, reader: res.body!.getReader() };
    }),
  );
  const watcher = streams[1]!.reader;
  const decoder = new TextDecoder();
  const lags: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const created = await timedMs(post(community, '/api/tickets', ticket));
    const id = (JSON.parse(created.text) as { id: number }).id;
    for (;;) {
      const { value } = await watcher.read();
      if (decoder.decode(value).includes(`"id":${id},`)) break;
    }
    lags.push(performance.now() - t0 - created.ms);
  }
  row('event after commit, 200 subscribers', lags);
  for (const s of streams) s.controller.abort();
  function cityCookieOf() {
    return cityCookie;
  }
}

let cityCookie = '';

console.log(`# 民情地图 bench — ${new Date().toISOString()}`);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (section === 'wall-render') {
  // The wall map's render benchmark runs in Chromium against a server of its own.
  const run = spawnSync('npx', ['tsx', 'scripts/bench-wall-render.ts', ...args], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}
if (!only || only === 'pglite') await bench('pglite');
if ((!only || only === 'postgres') && pgUrl) await bench('postgres', pgUrl);
else if (!pgUrl)
  console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL, e.g. from scripts/pg-cluster.sh)');
