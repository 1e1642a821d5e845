/**
 * OGC API – Features (`/ogc`) at scale: the metadata reads, a page of each collection (first and
 * deep, by the keyset cursor), a bbox page, and a whole collection walked through its `next`
 * links as GDAL's ogr2ogr does (pages/s, features/s, bytes), as the public and as a planner's
 * API key. In-process requests (app.request): the database and the page building, not sockets.
 *
 * Standalone: `DATABASE_URL=… npx tsx scripts/bench-ogc.ts` (or DATA_DIR for PGlite) against a
 * seeded database with the demo accounts; or `benchOgc(app, db, cityCookie)` from bench.ts.
 */
import { sql } from 'kysely';
import { encodeCursor } from '../geo/ogc.ts';
import type { Db } from '../server/db/client.ts';
import { type App, f1, signIn, stats } from './bench-reads.ts';

async function timed(app: App, url: string, headers: Record<string, string>) {
  const t0 = performance.now();
  const res = await app.request(url, { headers });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  return { ms, text };
}

/** Follows `next` from `url` to the end: pages, features, bytes and the time it took. */
async function walk(app: App, url: string, headers: Record<string, string>) {
  let next: string | undefined = url;
  let pages = 0;
  let features = 0;
  let bytes = 0;
  const t0 = performance.now();
  while (next) {
    const { text } = await timed(app, next, headers);
    const fc = JSON.parse(text) as { features: unknown[]; links: { rel: string; href: string }[] };
    pages++;
    features += fc.features.length;
    bytes += text.length;
    const link = fc.links.find((l) => l.rel === 'next')?.href;
    next = link ? new URL(link).pathname + new URL(link).search : undefined;
  }
  return { pages, features, bytes, ms: performance.now() - t0 };
}

export async function benchOgc(app: App, db: Db, cityCookie: string, runs = 10) {
  const res = await app.request('/api/api-keys', {
    method: 'POST',
    headers: { cookie: cityCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench QGIS', username: 'planner', scopes: ['read'] }),
  });
  if (res.status !== 201) throw new Error(`issuing a key: ${res.status} ${await res.text()}`);
  const key = ((await res.json()) as { key: string }).key;
  const planner = { 'x-api-key': key };
  const pub = {};

  console.log('\n### OGC API – Features, one request at a time (in-process)');
  console.log(
    'request                                            runs   p50 ms   p95 ms  mean KiB',
  );
  const [mid] = (
    await sql<{ id: number; at: string }>`SELECT id, to_json(received_at) #>> '{}' AS at
      FROM tickets ORDER BY received_at, id
      OFFSET (SELECT count(*) / 2 FROM tickets) LIMIT 1`.execute(db.kysely)
  ).rows;
  const [box] = (
    await sql<{ b: string }>`SELECT concat_ws(',', round(ST_X(label_point)::numeric - 0.02, 4),
        round(ST_Y(label_point)::numeric - 0.02, 4), round(ST_X(label_point)::numeric + 0.02, 4),
        round(ST_Y(label_point)::numeric + 0.02, 4)) AS b
      FROM areas WHERE level = 'compound' ORDER BY id LIMIT 1`.execute(db.kysely)
  ).rows;
  const deep = encodeCursor({ dir: 'after', id: mid!.id, at: mid!.at });
  const reads: [string, string, Record<string, string>][] = [
    ['landing', '/ogc', pub],
    ['collections (public)', '/ogc/collections', pub],
    ['collections (planner key)', '/ogc/collections', planner],
    ['api definition', '/ogc/api', planner],
    ['compounds, 1000', '/ogc/collections/compounds/items?limit=1000', pub],
    ['buildings, 1000', '/ogc/collections/buildings/items?limit=1000', pub],
    ['compounds, bbox ±0.02°', `/ogc/collections/compounds/items?limit=1000&bbox=${box!.b}`, pub],
    ['tickets (planner), first 1000', '/ogc/collections/tickets/items?limit=1000', planner],
    [
      'tickets (planner), 1000 mid-table',
      `/ogc/collections/tickets/items?limit=1000&cursor=${deep}`,
      planner,
    ],
    [
      'tickets (planner), 1000 of last 30 days',
      `/ogc/collections/tickets/items?limit=1000&datetime=${new Date(Date.now() - 30 * 86_400_000).toISOString()}/..`,
      planner,
    ],
    ['tickets (planner), 10000', '/ogc/collections/tickets/items?limit=10000', planner],
  ];
  for (const [name, url, headers] of reads) {
    await timed(app, url, headers);
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const r = await timed(app, url, headers);
      ms.push(r.ms);
      bytes += r.text.length;
    }
    const s = stats(ms);
    console.log(
      `${name.padEnd(50)} ${String(runs).padStart(4)} ${f1(s.p50)} ${f1(s.p95)} ${f1(bytes / runs / 1024)}`,
    );
  }

  console.log('\n### a whole collection through its next links (as ogr2ogr copies it)');
  console.log('collection              limit  pages  features      s  features/s   MiB');
  for (const [name, url, headers] of [
    ['compounds', '/ogc/collections/compounds/items?limit=1000', pub],
    ['buildings', '/ogc/collections/buildings/items?limit=1000', pub],
    ['tickets (planner)', '/ogc/collections/tickets/items?limit=10000', planner],
  ] as const) {
    const w = await walk(app, url, headers);
    const limit = new URL(url, 'http://x').searchParams.get('limit')!;
    console.log(
      `${name.padEnd(22)} ${limit.padStart(6)} ${String(w.pages).padStart(6)} ${String(w.features).padStart(9)} ${(w.ms / 1000).toFixed(1).padStart(6)} ${String(Math.round(w.features / (w.ms / 1000))).padStart(11)} ${(w.bytes / 2 ** 20).toFixed(1).padStart(5)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadConfig } = await import('../server/config.ts');
  const { openDb } = await import('../server/db/client.ts');
  const { createApp } = await import('../server/app.ts');
  const config = loadConfig(process.env);
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const app = createApp({ db, config });
  try {
    await benchOgc(app, db, await signIn(app, 'city'), Number(process.env.RUNS ?? 10));
  } finally {
    await app.close();
    await db.close();
  }
}
