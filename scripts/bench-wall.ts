/**
 * The wall's map layers (/api/wall/layers/*): latency and bytes of each, the packed patrol
 * tracks (MQTR: TWKB behind lengths) against the GeoJSON of the same tracks and against the
 * patrol layer's own answer, the heat layer's points and where its time goes (the rollup query
 * against the cell centres from h3-js), decoding in Node, and ten walls asking at once.
 */
import { cellToLatLng } from 'h3-js';
import { sql } from 'kysely';
import { beijingMidnight } from '../geo/periods.ts';
import { decodeTracks } from '../geo/twkb.ts';
import { decodeHeat } from '../geo/wall-binary.ts';
import type { createApp } from '../server/app.ts';
import type { Db } from '../server/db/client.ts';
import { heatCells } from '../server/db/queries/wall-layers.ts';
import { lastDays, wallTracksGeoJson } from '../server/services/wall-layers.ts';

type App = ReturnType<typeof createApp>;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
}
const f1 = (n: number) => n.toFixed(1).padStart(8);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export async function benchWall(app: App, db: Db, cookie: string, runs: number) {
  const n = Math.max(5, Math.floor(runs / 2));
  const get = async (url: string, clear = true) => {
    if (clear) app.cache.clear();
    const t0 = performance.now();
    const res = await app.request(url, { headers: { cookie } });
    const body = new Uint8Array(await res.arrayBuffer());
    const ms = performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`${url} → ${res.status}: ${new TextDecoder().decode(body.subarray(0, 200))}`);
    return { ms, body };
  };
  // The bench dataset ends on its seed day: the tracks are those of its last day with patrols.
  const day = (
    await sql<{ d: string }>`
      SELECT to_char(max((started_at AT TIME ZONE 'Asia/Shanghai')::date), 'YYYY-MM-DD') AS d
      FROM patrols WHERE track IS NOT NULL`.execute(db.kysely)
  ).rows[0]!.d;

  console.log(`\nwall layers (cache cleared before each request; ${n} runs; tracks of ${day}):`);
  console.log(`  ${'layer'.padEnd(40)}  p50 ms   p95 ms        bytes  items   cached p50 ms`);
  const json = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
  const layers: [string, string, (b: Uint8Array) => number][] = [
    // The wall's figures and its tour, alarms and replay first: the same rows, uncached.
    ['summary (KPIs, districts, red list)', '/api/wall/summary', (b) => json(b).districts.length],
    ['alarms (24 h)', '/api/wall/alarms', (b) => json(b).items.length],
    ['playlist', '/api/wall/playlist', (b) => json(b).scenes.length],
    ['replay (24 h)', '/api/wall/replay?hours=24', (b) => json(b).t.length],
    [
      'hazards',
      '/api/wall/layers/hazards',
      (b) => JSON.parse(new TextDecoder().decode(b)).lon.length,
    ],
    [
      'whistles',
      '/api/wall/layers/whistles',
      (b) => JSON.parse(new TextDecoder().decode(b)).state.length,
    ],
    ...(['open', 'hotspots', 'coverage'] as const).flatMap((kind) =>
      [7, 8, 9].map(
        (res) =>
          [
            `cells ${kind} res ${res}`,
            `/api/wall/layers/cells?kind=${kind}&res=${res}`,
            (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)).cells.length,
          ] as [string, string, (b: Uint8Array) => number],
      ),
    ),
    [
      'ratings',
      '/api/wall/layers/ratings',
      (b) => JSON.parse(new TextDecoder().decode(b)).features.length,
    ],
    ['heat.bin (365 days)', '/api/wall/layers/heat.bin?days=365', (b) => decodeHeat(b).length],
    ['heat.bin (30 days)', '/api/wall/layers/heat.bin?days=30', (b) => decodeHeat(b).length],
    ['tracks.bin', `/api/wall/layers/tracks.bin?day=${day}`, (b) => decodeTracks(b).length],
  ];
  for (const [label, url, items] of layers) {
    const ms: number[] = [];
    let body = new Uint8Array();
    for (let i = 0; i < n; i++) {
      const r = await get(url);
      ms.push(r.ms);
      body = r.body;
    }
    const cached: number[] = [];
    for (let i = 0; i < n; i++) cached.push((await get(url, false)).ms);
    const s = stats(ms);
    console.log(
      `  ${label.padEnd(40)}${f1(s.p50)} ${f1(s.p95)} ${String(body.length).padStart(12)} ${String(items(body)).padStart(6)} ${f1(stats(cached).p50)}`,
    );
  }

  // The packed tracks against GeoJSON of the same tracks (6 decimals, geometry only) and against
  // the patrol layer's answer for the day (timestamps, check-ins and properties included).
  const packed = (await get(`/api/wall/layers/tracks.bin?day=${day}`)).body;
  const tracks = decodeTracks(packed);
  const geojson = new TextEncoder().encode(await wallTracksGeoJson(db, day)).length;
  const patrolLayer = (await get(`/api/patrols?date=${day}`)).body.length;
  const points = tracks.startIndices[tracks.length]!;
  console.log(`\npatrol tracks of ${day}: ${tracks.length} tracks, ${points} points`);
  console.log(
    `  tracks.bin (MQTR, TWKB 5 decimals)       ${String(packed.length).padStart(10)} B  ${kib(packed.length).padStart(11)}  ${(packed.length / points).toFixed(2)} B/point`,
  );
  console.log(
    `  GeoJSON of the same tracks (6 decimals)  ${String(geojson).padStart(10)} B  ${kib(geojson).padStart(11)}  ${(geojson / points).toFixed(2)} B/point  ratio ${(geojson / packed.length).toFixed(1)}x`,
  );
  console.log(
    `  /api/patrols?date= (the patrol layer)    ${String(patrolLayer).padStart(10)} B  ${kib(patrolLayer).padStart(11)}  ratio ${(patrolLayer / packed.length).toFixed(1)}x`,
  );
  const dec: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    decodeTracks(packed);
    dec.push(performance.now() - t0);
  }
  const parse: number[] = [];
  const text = await wallTracksGeoJson(db, day);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    JSON.parse(text);
    parse.push(performance.now() - t0);
  }
  console.log(
    `  decode in Node: decodeTracks p50 ${stats(dec).p50.toFixed(2)} ms; JSON.parse of the GeoJSON p50 ${stats(parse).p50.toFixed(2)} ms`,
  );

  // The heat layer: the rollup query, and the cell centres computed with h3-js (no H3 in SQL).
  const span = lastDays(365);
  const q: number[] = [];
  const centres: number[] = [];
  let cells = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await heatCells(db, span);
    q.push(performance.now() - t0);
    const view = new DataView(r.cells.buffer, r.cells.byteOffset, r.cells.byteLength);
    cells = r.cells.byteLength / 12;
    total = r.total;
    const t1 = performance.now();
    for (let j = 0; j < cells; j++)
      cellToLatLng([view.getUint32(12 * j + 4, false), view.getUint32(12 * j, false)]);
    centres.push(performance.now() - t1);
  }
  const heat = (await get('/api/wall/layers/heat.bin?days=365')).body;
  const hd: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    decodeHeat(heat);
    hd.push(performance.now() - t0);
  }
  console.log(
    `\nheat.bin (365 days from ${span.from}, ${beijingMidnight(span.from).toISOString()}): ${cells} cells, ${total} tickets, ${heat.length} B (${(heat.length / cells).toFixed(1)} B/cell)`,
  );
  console.log(
    `  rollup query p50 ${stats(q).p50.toFixed(1)} ms; cell centres (h3-js cellToLatLng) p50 ${stats(centres).p50.toFixed(1)} ms (${((stats(centres).p50 / cells) * 1e6).toFixed(0)} ns/cell); decodeHeat p50 ${stats(hd).p50.toFixed(3)} ms`,
  );

  // Ten walls on the same layer at once: one load, the others share it.
  for (const url of ['/api/wall/layers/heat.bin', '/api/wall/layers/cells?kind=hotspots']) {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      app.cache.clear();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 10 }, () =>
          Promise.resolve(app.request(url, { headers: { cookie } })).then((r) => r.arrayBuffer()),
        ),
      );
      ms.push(performance.now() - t0);
    }
    const alone: number[] = [];
    for (let i = 0; i < n; i++) alone.push((await get(url)).ms);
    const one = stats(alone);
    console.log(
      `  10 walls at once on ${url.padEnd(40)} p50 ${f1(stats(ms).p50)} ms (one wall alone p50 ${one.p50.toFixed(1)} ms)`,
    );
  }
}
