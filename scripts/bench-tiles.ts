/**
 * Vector tiles (`npm run bench -- --section=tiles`): uncached tile latency per layer at zooms 10,
 * 13 and 15 (each tile asked once, so every answer is computed: SQL clip + quantise, then ST_AsMVT
 * on PostgreSQL or vt-pbf on PGlite), then cached tiles per second over loopback HTTP from one
 * Node process (one core), with keep-alive connections and If-None-Match off, as a map client
 * that already has the TileJSON would ask. Martin's published anchor is ~135k cached tiles/s on
 * many cores; this is the per-core figure to put beside it.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { tileOf, type TileAddress } from '../geo/tiles.ts';
import type { Db } from '../server/db/client.ts';
import { type App, f1, signIn, stats } from './bench-reads.ts';

/** Tiles at zoom z over the label points of `n` compounds spread over the city (distinct). */
async function tilesAt(db: Db, z: number, n: number): Promise<TileAddress[]> {
  const r = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM areas
    WHERE level = 'compound' ORDER BY md5(id::text) LIMIT ${n * 4}`.execute(db.kysely);
  const seen = new Map<string, TileAddress>();
  for (const p of r.rows) {
    const t = tileOf([p.lon, p.lat], z);
    seen.set(`${t.x}/${t.y}`, t);
    if (seen.size >= n) break;
  }
  return [...seen.values()];
}

export async function benchTiles(app: App, db: Db, cityCookie: string, runs: number) {
  const planner = await signIn(app, 'planner');
  console.log('\n### vector tiles, uncached (each tile computed once)');
  console.log('layer      zoom  tiles   p50 ms   p95 ms  mean KiB');
  const warm: string[] = [];
  for (const layer of ['areas', 'compounds', 'tickets'] as const) {
    const cookie = layer === 'tickets' ? planner : '';
    for (const z of [10, 13, 15]) {
      const tiles = await tilesAt(db, z, Math.max(10, runs));
      const ms: number[] = [];
      let bytes = 0;
      for (const t of tiles) {
        const url = `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;
        const t0 = performance.now();
        const res = await app.request(url, cookie ? { headers: { cookie } } : undefined);
        const body = await res.arrayBuffer();
        ms.push(performance.now() - t0);
        bytes += body.byteLength;
        if (res.status !== 200 && res.status !== 204) throw new Error(`${url}: ${res.status}`);
        if (layer !== 'tickets') warm.push(url);
      }
      const s = stats(ms);
      console.log(
        `${layer.padEnd(10)} ${String(z).padStart(4)} ${String(tiles.length).padStart(6)} ${f1(s.p50)} ${f1(s.p95)} ${f1(bytes / tiles.length / 1024)}`,
      );
    }
  }
  void cityCookie;

  // Cached: the tiles above, round robin, over a real socket.
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  // The server keeps tiles 30 s: ask each once more now, so the timed loop reads the cache only.
  for (const url of warm) await (await fetch(`http://127.0.0.1:${port}${url}`)).arrayBuffer();
  const seconds = 5;
  const concurrency = 32;
  let done = 0;
  let i = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const url = warm[i++ % warm.length]!;
      const res = await fetch(`http://127.0.0.1:${port}${url}`);
      await res.arrayBuffer();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  server.close();
  console.log(
    `\ncached tiles over loopback: ${(done / seconds).toFixed(0)} tiles/s (one process, ${concurrency} connections, ${warm.length} distinct tiles)`,
  );
}
