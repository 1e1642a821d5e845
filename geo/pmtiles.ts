/**
 * A minimal PMTiles v3 writer (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
 * one root directory, no leaf directories, uncompressed directories and metadata, identical
 * tiles stored once. Enough for the project's own sample basemap (a few thousand tiles); a real
 * basemap comes from `pmtiles extract` or tippecanoe (docs/tiles.md).
 *
 * @example
 * const bytes = writePmtiles(tiles, { tileType: 'mvt', bounds: [103.3, 35.8, 104.3, 36.4], metadata: { name: 'lanzhou' } });
 */
import { zxyToTileId } from 'pmtiles';

export interface PmtilesTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface PmtilesOptions {
  tileType: 'mvt' | 'png' | 'jpeg' | 'webp';
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  center?: [number, number, number];
  /** Written as the archive's JSON metadata (vector_layers, name, attribution…). */
  metadata: Record<string, unknown>;
}

const TILE_TYPE = { mvt: 1, png: 2, jpeg: 3, webp: 4 } as const;
const HEADER_BYTES = 127;

function varints(values: number[]): number[] {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return out;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

/** The directory encoding: count, id deltas, run lengths, lengths, offsets (0: contiguous). */
function encodeDirectory(entries: Entry[]): Uint8Array {
  const v: number[] = [entries.length];
  let last = 0;
  for (const e of entries) {
    v.push(e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) v.push(e.runLength);
  for (const e of entries) v.push(e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    v.push(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return Uint8Array.from(varints(v));
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The archive's bytes. */
export function writePmtiles(tiles: PmtilesTile[], options: PmtilesOptions): Uint8Array {
  const sorted = tiles
    .map((t) => ({ ...t, tileId: zxyToTileId(t.z, t.x, t.y) }))
    .sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  const blobs: Uint8Array[] = [];
  const seen = new Map<string, { offset: number; length: number; data: Uint8Array }[]>();
  let size = 0;
  for (const t of sorted) {
    const key = `${t.data.byteLength}:${fnv1a(t.data)}`;
    const same = seen.get(key) ?? [];
    let at = same.find((b) => equal(b.data, t.data));
    if (!at) {
      at = { offset: size, length: t.data.byteLength, data: t.data };
      seen.set(key, [...same, at]);
      blobs.push(t.data);
      size += t.data.byteLength;
    }
    const prev = entries[entries.length - 1];
    // Consecutive ids with the same bytes share one entry (the spec's run length).
    if (prev && prev.tileId + prev.runLength === t.tileId && prev.offset === at.offset) {
      prev.runLength++;
    } else {
      entries.push({ tileId: t.tileId, offset: at.offset, length: at.length, runLength: 1 });
    }
  }
  const root = encodeDirectory(entries);
  const meta = new TextEncoder().encode(JSON.stringify(options.metadata));
  const rootOffset = HEADER_BYTES;
  const metaOffset = rootOffset + root.byteLength;
  const dataOffset = metaOffset + meta.byteLength;
  const out = new Uint8Array(dataOffset + size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('PMTiles'), 0);
  out[7] = 3;
  const u64 = (at: number, v: number) => view.setBigUint64(at, BigInt(v), true);
  u64(8, rootOffset);
  u64(16, root.byteLength);
  u64(24, metaOffset);
  u64(32, meta.byteLength);
  u64(40, dataOffset); // no leaf directories
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, size);
  u64(72, sorted.length);
  u64(80, entries.length);
  u64(88, blobs.length);
  out[96] = 1; // clustered: tiles are in id order
  out[97] = 1; // internal compression: none
  out[98] = 1; // tile compression: none
  out[99] = TILE_TYPE[options.tileType];
  const zooms = sorted.map((t) => t.z);
  out[100] = zooms.length ? Math.min(...zooms) : 0;
  out[101] = zooms.length ? Math.max(...zooms) : 0;
  const e7 = (deg: number) => Math.round(deg * 1e7);
  const [w, s, e, n] = options.bounds;
  view.setInt32(102, e7(w), true);
  view.setInt32(106, e7(s), true);
  view.setInt32(110, e7(e), true);
  view.setInt32(114, e7(n), true);
  const center = options.center ?? [(w + e) / 2, (s + n) / 2, out[100]];
  out[118] = center[2];
  view.setInt32(119, e7(center[0]), true);
  view.setInt32(123, e7(center[1]), true);
  out.set(root, rootOffset);
  out.set(meta, metaOffset);
  let at = dataOffset;
  for (const b of blobs) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}
