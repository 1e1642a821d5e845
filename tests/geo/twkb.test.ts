import { describe, expect, it } from 'vitest';
import {
  decodeTracks,
  decodeTwkbLineString,
  decodeTwkbLineStrings,
  TRACKS_MAGIC,
  twkbPointCount,
} from '../../geo/twkb.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

/** An unsigned LEB128 varint, exact beyond 32 bits. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
const zigzag = (n: number) => (n >= 0 ? 2 * n : -2 * n - 1);
const svarint = (n: number) => varint(zigzag(n));

/** A TWKB line string written by hand, the way the specification lays it out. */
function lineString(
  points: number[][],
  o: { precision?: number; bbox?: boolean; size?: boolean; z?: boolean; m?: boolean } = {},
): Uint8Array {
  const precision = o.precision ?? 5;
  const dims = 2 + (o.z ? 1 : 0) + (o.m ? 1 : 0);
  const scaled = points.map((p) => p.map((v) => Math.round(v * 10 ** precision)));
  const body: number[] = [];
  if (o.bbox)
    for (let d = 0; d < dims; d++) {
      const vs = scaled.map((p) => p[d]!);
      const lo = Math.min(...vs);
      body.push(...svarint(lo), ...svarint(Math.max(...vs) - lo));
    }
  body.push(...varint(points.length));
  const prev = new Array(dims).fill(0);
  for (const p of scaled)
    for (let d = 0; d < dims; d++) {
      body.push(...svarint(p[d]! - prev[d]!));
      prev[d] = p[d]!;
    }
  const head = [(zigzag(precision) << 4) | 2];
  const ext = dims > 2;
  head.push((o.bbox ? 1 : 0) | (o.size ? 2 : 0) | (ext ? 8 : 0));
  if (ext) head.push((o.z ? 1 : 0) | (o.m ? 2 : 0) | (o.z ? 3 << 2 : 0) | (o.m ? 0 << 5 : 0));
  if (o.size) head.push(...varint(body.length));
  return Uint8Array.from([...head, ...body]);
}

/** An MQTR answer around some TWKB line strings. */
function mqtr(tracks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(8 + tracks.reduce((s, t) => s + 4 + t.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, TRACKS_MAGIC, true);
  view.setUint32(4, tracks.length, true);
  let at = 8;
  for (const t of tracks) {
    view.setUint32(at, t.length, true);
    out.set(t, at + 4);
    at += 4 + t.length;
  }
  return out;
}

describe('TWKB line strings', () => {
  it('reads what PostGIS writes (ST_AsTWKB at 5 decimals)', () => {
    // ST_AsTWKB('LINESTRING(1 2, 1.000001 2, 3 4)'::geometry, 5): the repeat is dropped.
    expect(decodeTwkbLineString(hex('a20002c09a0c80b51880b51880b518'))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // ST_AsTWKB('LINESTRING(1 2, 1.000001 2)'::geometry, 5): a line keeps two points.
    expect(decodeTwkbLineString(hex('a20002c09a0c80b5180000'))).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('adds up zigzag deltas at the precision, negative ones included', () => {
    const pts = [
      [103.8367, 36.06104],
      [103.83708, 36.06125],
      [103.83702, 36.0612],
      [-0.5, -70.25],
    ];
    const got = decodeTwkbLineString(lineString(pts));
    got.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(pts[i]![0]!, 9);
      expect(y).toBeCloseTo(pts[i]![1]!, 9);
    });
  });

  it('reads varints beyond 32 bits (7 decimals of a Lanzhou longitude)', () => {
    const got = decodeTwkbLineString(
      lineString(
        [
          [103.8367006, 36.0610388],
          [-103.8367006, 0],
        ],
        { precision: 7 },
      ),
    );
    expect(got[0]![0]).toBeCloseTo(103.8367006, 9);
    expect(got[1]![0]).toBeCloseTo(-103.8367006, 9);
  });

  it('reads negative precision, sizes, bounding boxes, and drops Z and M', () => {
    expect(
      decodeTwkbLineString(
        lineString(
          [
            [1230, -2350],
            [1300, -2300],
          ],
          { precision: -1 },
        ),
      ),
    ).toEqual([
      [1230, -2350],
      [1300, -2300],
    ]);
    const pts = [
      [103.8, 36.06, 1500, 1795498099],
      [103.81, 36.07, 1510, 1795498133],
      [103.805, 36.065, 1490, 1795498160],
    ];
    const zm = lineString(pts, { bbox: true, size: true, z: true, m: true, precision: 5 });
    expect(twkbPointCount(zm)).toBe(3);
    decodeTwkbLineString(zm).forEach(([x, y], i) => {
      expect(x).toBeCloseTo(pts[i]![0]!, 9);
      expect(y).toBeCloseTo(pts[i]![1]!, 9);
    });
  });

  it('reads an empty line string as no points', () => {
    expect(decodeTwkbLineString(Uint8Array.from([0xa2, 0x10]))).toEqual([]);
  });

  it('refuses other geometry types and truncated bytes', () => {
    // A point (type 1).
    expect(() => decodeTwkbLineString(Uint8Array.from([0xa1, 0x00, 0x02, 0x04]))).toThrow(
      /not a line string/,
    );
    const ok = lineString([
      [1, 2],
      [3, 4],
    ]);
    expect(() => decodeTwkbLineString(ok.subarray(0, ok.length - 2))).toThrow(/end of data/);
  });

  it('packs many line strings into PathLayer binary input', () => {
    const a = lineString([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = lineString([
      [7, 8],
      [9, 10],
    ]);
    const p = decodeTwkbLineStrings([a, b]);
    expect(p.length).toBe(2);
    expect([...p.startIndices]).toEqual([0, 3, 5]);
    expect([...p.positions]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('MQTR packed tracks', () => {
  it('decodes the tracks behind their lengths, in order', () => {
    const tracks = [
      lineString([
        [103.8, 36.06],
        [103.80001, 36.06002],
        [103.8001, 36.0601],
      ]),
      lineString(
        [
          [103.7, 36.1],
          [103.70005, 36.10007],
        ],
        { bbox: true },
      ),
    ];
    const buf = mqtr(tracks);
    const p = decodeTracks(buf.buffer);
    expect(p.length).toBe(2);
    expect([...p.startIndices]).toEqual([0, 3, 5]);
    expect(p.positions[2]).toBeCloseTo(103.80001, 5);
    expect(p.positions[3]).toBeCloseTo(36.06002, 5);
    expect(p.positions[8]).toBeCloseTo(103.70005, 5);
    // Inside a larger buffer (as a Node Buffer from a pool would be).
    const padded = new Uint8Array(buf.length + 3);
    padded.set(buf, 3);
    expect(decodeTracks(padded.subarray(3))).toEqual(p);
  });

  it('decodes an empty day', () => {
    expect(decodeTracks(mqtr([]))).toEqual({
      length: 0,
      startIndices: new Uint32Array([0]),
      positions: new Float32Array(0),
    });
  });

  it('refuses a wrong magic, a truncated answer and trailing bytes', () => {
    const buf = mqtr([
      lineString([
        [1, 2],
        [3, 4],
      ]),
    ]);
    const wrong = buf.slice();
    wrong[0] = 0;
    expect(() => decodeTracks(wrong)).toThrow(/magic/);
    expect(() => decodeTracks(buf.subarray(0, buf.length - 1))).toThrow(/truncated/);
    expect(() => decodeTracks(Uint8Array.from([...buf, 0]))).toThrow(/left/);
  });
});
