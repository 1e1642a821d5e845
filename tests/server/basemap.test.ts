/**
 * The local PMTiles basemap: a .pmtiles archive made from the project's own tiles, served with
 * range requests (206, 416, If-Range, ETag/304), named only by its public name, and read back
 * through the `pmtiles` package's own reader as MapLibre's protocol would.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { tileOf } from '../../geo/tiles.ts';
import { buildAreasPmtiles } from '../../scripts/make-basemap-pmtiles.ts';
import { openTestApp } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let app: ReturnType<typeof createApp>;
let bytes: Uint8Array;
const URL_PATH = '/tiles/basemap/lanzhou-sample.pmtiles';

beforeAll(async () => {
  t = await openTestApp();
  bytes = await buildAreasPmtiles(t.app, { minzoom: 5, maxzoom: 9 });
  const dir = await mkdtemp(join(tmpdir(), 'basemap-'));
  const file = join(dir, 'lanzhou sample.pmtiles');
  await writeFile(file, bytes);
  app = createApp({ db: t.db, config: loadConfig({ BASEMAP_PMTILES: file }) });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await t?.db.close();
});

const get = (headers: Record<string, string> = {}, path = URL_PATH) =>
  app.request(path, { headers });

describe('the PMTiles basemap', () => {
  it('is announced by /api/meta, and absent without the setting', async () => {
    const meta = (await (await app.request('/api/meta')).json()) as any;
    expect(meta.basemap).toEqual({ styleUrl: null, pmtilesUrl: URL_PATH });
    const plain = (await (await t.app.request('/api/meta')).json()) as any;
    expect(plain.basemap.pmtilesUrl).toBeNull();
    expect((await t.app.request(URL_PATH)).status).toBe(404);
  });

  it('serves the whole file, and byte ranges with 206', async () => {
    const all = await get();
    expect(all.status).toBe(200);
    expect(all.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await all.arrayBuffer())).toEqual(bytes);

    const head = await get({ Range: 'bytes=0-126' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-126/${bytes.byteLength}`);
    const h = new Uint8Array(await head.arrayBuffer());
    expect(new TextDecoder().decode(h.slice(0, 7))).toBe('PMTiles');
    expect(h[7]).toBe(3);

    const tail = await get({ Range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.slice(-10));
    const open = await get({ Range: `bytes=${bytes.byteLength - 5}-` });
    expect(open.headers.get('content-length')).toBe('5');
    // Past the end: clamped.
    const over = await get({ Range: `bytes=10-${bytes.byteLength + 100}` });
    expect(over.headers.get('content-range')).toBe(
      `bytes 10-${bytes.byteLength - 1}/${bytes.byteLength}`,
    );
  });

  it('answers 416 for a range outside the file, and honours If-Range and If-None-Match', async () => {
    const bad = await get({ Range: `bytes=${bytes.byteLength}-` });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${bytes.byteLength}`);
    const etag = (await get({ Range: 'bytes=0-0' })).headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect((await get({ Range: 'bytes=0-9', 'If-Range': etag })).status).toBe(206);
    // The client's copy is of another file: the whole file, not a piece of this one.
    const stale = await get({ Range: 'bytes=0-9', 'If-Range': '"other"' });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect((await get({ 'If-None-Match': etag })).status).toBe(304);
  });

  it('serves nothing but the configured file', async () => {
    for (const p of [
      '/tiles/basemap/other.pmtiles',
      '/tiles/basemap/..%2F..%2F..%2Fetc%2Fpasswd',
      '/tiles/basemap/lanzhou%20sample.pmtiles',
      '/tiles/basemap/%2e%2e%2fpackage.json',
    ]) {
      expect((await app.request(p)).status, p).toBe(404);
    }
  });

  it('reads back through the pmtiles reader: header, metadata and a tile', async () => {
    const source: Source = {
      getKey: () => URL_PATH,
      getBytes: async (offset: number, length: number): Promise<RangeResponse> => {
        const res = await get({ Range: `bytes=${offset}-${offset + length - 1}` });
        expect(res.status).toBe(206);
        return { data: await res.arrayBuffer(), etag: res.headers.get('etag') ?? undefined };
      },
    };
    const p = new PMTiles(source);
    const header = await p.getHeader();
    expect(header.specVersion).toBe(3);
    expect(header.minZoom).toBe(5);
    expect(header.maxZoom).toBe(9);
    expect(header.tileType).toBe(1);
    const meta = (await p.getMetadata()) as { vector_layers: { id: string }[] };
    expect(meta.vector_layers.map((l) => l.id)).toContain('district');
    const { z, x, y } = tileOf([103.83, 36.06], 9);
    const tile = await p.getZxy(z, x, y);
    const direct = await t.app.request(`/tiles/areas/${z}/${x}/${y}.mvt`);
    expect(direct.status).toBe(200);
    expect(new Uint8Array(tile!.data)).toEqual(new Uint8Array(await direct.arrayBuffer()));
  });
});
