/**
 * Exports at a million rows: streams the ticket list as CSV and as GeoJSON over HTTP on loopback
 * and samples the process's memory while it does, to show that an export does not grow with its
 * size; prints rows/s and MB/s, the peak RSS and the peak heap after GC over the baseline, and
 * how long a small request waits while an export runs (PGlite has one connection).
 *
 * Standalone: `node --expose-gc --import tsx scripts/bench-exports.ts [--rows=1000000]
 * [--db=pglite|postgres] [--reseed]` (PGlite: .cache/bench-exports-pglite; PostgreSQL:
 * BENCH_DATABASE_URL or DATABASE_URL; either seeded at the `test` scale when empty or with
 * `--reseed`, which rolls every migration back first, so never point it at a database you keep).
 * Inside the main bench: `npm run bench -- --section=exports` on the city dataset.
 *
 * The synthetic rows are copies of the seeded tickets with codes `BENCH-EXP-…`, inserted with the
 * rollup trigger off and deleted at the end.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Db } from '../server/db/client.ts';

type App = ReturnType<typeof createApp>;

const MB = 1024 * 1024;

/** Tops the tickets table up to `rows` tickets received in the last year. */
async function fillTickets(db: Db, rows: number) {
  const have = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db.kysely))
    .rows[0]!.n;
  const missing = rows - have;
  if (missing <= 0) return 0;
  const t0 = performance.now();
  const templates = (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db.kysely)
  ).rows[0]!.n;
  // Batches of 100k, one transaction each, as a replica: no rollup trigger (the rows go again at
  // the end) and no statement timeout.
  for (let start = 0; start < missing; start += 100_000) {
    const n = Math.min(100_000, missing - start);
    await db.kysely.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`SET LOCAL statement_timeout = 0`.execute(trx);
      await sql`
        INSERT INTO tickets (code, category, channel, status, priority, title, description,
          resident_name, resident_phone, geom, district_id, subdistrict_id, community_id, grid_id,
          compound_id, property_company_id, department_id, received_at, due_at, resolved_at,
          closed_at, satisfaction)
        SELECT 'BENCH-EXP-' || g, t.category, t.channel, t.status, t.priority, t.title,
          t.description, t.resident_name, t.resident_phone, t.geom, t.district_id, t.subdistrict_id,
          t.community_id, t.grid_id, t.compound_id, t.property_company_id, t.department_id,
          now() - ((g % 360) || ' days')::interval - ((g % 86000) || ' seconds')::interval,
          now() - ((g % 360) || ' days')::interval - ((g % 86000) || ' seconds')::interval + interval '3 days',
          NULL, NULL, NULL
        FROM generate_series(${start + 1}::int, ${start + n}::int) g
        JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM tickets
          WHERE code NOT LIKE 'BENCH-EXP-%') t ON t.k = g % ${templates}`.execute(trx);
    });
    process.stdout.write(`    inserted ${start + n} / ${missing}\r`);
  }
  await sql`ANALYZE tickets`.execute(db.kysely);
  console.log(
    `    ${missing} synthetic tickets in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  return missing;
}

async function dropSynthetic(db: Db) {
  // As a replica: no rollup trigger, and no foreign-key check of tickets.duplicate_of per row
  // (unindexed: a million sequential scans); nothing refers to the synthetic rows.
  await db.kysely.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql`SET LOCAL statement_timeout = 0`.execute(trx);
    await sql`DELETE FROM tickets WHERE code LIKE 'BENCH-EXP-%'`.execute(trx);
  });
}

/**
 * Samples RSS every 50 ms, and the JS heap left after a full collection every second (what the
 * process holds, not the garbage it has not collected yet; needs --expose-gc), until stopped.
 */
function sampler() {
  const gc = (globalThis as { gc?: () => void }).gc;
  let rss = 0;
  let retained = 0;
  let ticks = 0;
  const take = () => {
    if (gc && ticks++ % 20 === 0) {
      gc();
      const m = process.memoryUsage();
      retained = Math.max(retained, m.heapUsed + m.external);
    }
    rss = Math.max(rss, process.memoryUsage().rss);
  };
  take();
  const timer = setInterval(take, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return { rss, retained };
    },
  };
}

/** Streams one export over HTTP, counting bytes and lines; the client keeps nothing. */
async function download(base: string, path: string, cookie: string) {
  const res = await fetch(`${base}${path}`, {
    headers: { cookie, 'accept-encoding': 'identity' },
  });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  }
  return { bytes, lines };
}

/** Latency of a small request (the session check: one query), taken every 250 ms while `busy` runs. */
async function probeWhile<T>(base: string, cookie: string, busy: Promise<T>) {
  const waits: number[] = [];
  let failures = 0;
  let running = true;
  const probing = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}/api/session`, { headers: { cookie } });
        await res.text();
        if (res.status !== 200) failures++;
      } catch {
        // A keep-alive socket the server closed while its event loop was busy: count it.
        failures++;
      }
      waits.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const result = await busy;
  running = false;
  await probing;
  waits.sort((a, b) => a - b);
  const at = (p: number) => waits[Math.min(waits.length - 1, Math.floor(p * waits.length))] ?? 0;
  return {
    result,
    p50: at(0.5),
    p95: at(0.95),
    max: waits[waits.length - 1] ?? 0,
    n: waits.length,
    failures,
  };
}

export async function benchExports(app: App, db: Db, cityCookie: string, rows = 1_000_000) {
  console.log(`\n### exports (${db.kind}), ${rows.toLocaleString('en')} tickets`);
  const added = await fillTickets(db, rows);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const from = new Date(Date.now() - 400 * 86_400_000).toISOString();
  try {
    for (const format of ['csv', 'geojson'] as const) {
      // Settle the heap so that the baseline is the idle server, not the insert's garbage.
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage();
      const beforeHeap = before.heapUsed + before.external;
      const mem = sampler();
      const t0 = performance.now();
      const run = await probeWhile(
        base,
        cityCookie,
        download(base, `/api/tickets/list?from=${from}&format=${format}`, cityCookie),
      );
      const seconds = (performance.now() - t0) / 1000;
      const peak = mem.stop();
      const records = format === 'csv' ? run.result.lines - 1 : run.result.lines - 2;
      console.log(
        `${format.padEnd(8)} ${records.toLocaleString('en')} rows, ${(run.result.bytes / MB).toFixed(0)} MB in ${seconds.toFixed(1)} s: ` +
          `${Math.round(records / seconds).toLocaleString('en')} rows/s, ${(run.result.bytes / MB / seconds).toFixed(1)} MB/s; ` +
          `RSS +${((peak.rss - before.rss) / MB).toFixed(0)} MB over ${(before.rss / MB).toFixed(0)} MB, ` +
          `JS heap+external after GC +${((peak.retained - beforeHeap) / MB).toFixed(0)} MB over ${(beforeHeap / MB).toFixed(0)} MB; ` +
          `a session check meanwhile: p50 ${run.p50.toFixed(0)} ms, p95 ${run.p95.toFixed(0)} ms, max ${run.max.toFixed(0)} ms (${run.n}, ${run.failures} failed)`,
      );
    }
  } finally {
    server.close();
    await dropSynthetic(db);
    if (added > 0) console.log(`    the ${added} synthetic tickets deleted`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const rows = Number(args.find((a) => a.startsWith('--rows='))?.split('=')[1] ?? 1_000_000);
  const kind = args.find((a) => a.startsWith('--db='))?.split('=')[1] ?? 'pglite';
  const url = kind === 'postgres' ? process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL : '';
  if (kind === 'postgres' && !url) throw new Error('--db=postgres needs BENCH_DATABASE_URL');
  const { openDb } = await import('../server/db/client.ts');
  const { migrateDown, migrateUp } = await import('../server/db/migrate.ts');
  const { seedDatabase } = await import('./seed/index.ts');
  // Kept between runs (seeding takes minutes); `--reseed` starts again.
  const db = await openDb({
    databaseUrl: url || undefined,
    dataDir: '.cache/bench-exports-pglite',
  });
  await migrateUp(db);
  const seeded = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas`.execute(db.kysely))
    .rows[0]!.n;
  if (seeded === 0 || args.includes('--reseed')) {
    await migrateDown(db, 100);
    await migrateUp(db);
    await seedDatabase(db, {
      scale: 'test',
      seed: 7,
      until: new Date().toISOString().slice(0, 10),
    });
  }
  const app = createApp({ db, config: loadConfig({}) });
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'city', password: 'Minqing@2026' }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  await benchExports(app, db, cookie, rows);
  await app.close();
  await db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
