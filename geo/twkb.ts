/**
 * Decoding Tiny Well-known Binary (TWKB, https://github.com/TWKB/Specification) line strings, as
 * PostGIS's ST_AsTWKB writes them, into deck.gl PathLayer binary input; and the wall's packed
 * patrol-track format MQTR built from them (server/contract/wall.ts).
 *
 * TWKB stores each coordinate as a zigzag varint delta from the one before, scaled by 10^precision:
 * a patrol track of GPS fixes a few metres apart costs 2–3 bytes per point instead of the 30 or so
 * of GeoJSON text.
 *
 * @example
 * const tracks = decodeTracks(await (await fetch('/api/wall/layers/tracks.bin')).arrayBuffer());
 * new PathLayer({
 *   data: {
 *     length: tracks.length,
 *     startIndices: tracks.startIndices,
 *     attributes: { getPath: { value: tracks.positions, size: 2 } },
 *   },
 *   _pathType: 'open',
 * });
 */

/** `uint32` magic of a packed-track answer, little-endian: 0x4D515452 ("MQTR"). */
export const TRACKS_MAGIC = 0x4d515452;

/** Paths for deck.gl's PathLayer binary input. */
export interface PathBinary {
  /** Number of paths. */
  length: number;
  /** First vertex of each path, plus one more entry: the total number of vertices. */
  startIndices: Uint32Array;
  /** Longitude, latitude interleaved (degrees), `2 × startIndices[length]` values. */
  positions: Float32Array;
}

const TYPE_LINESTRING = 2;

/** A cursor over TWKB bytes. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new RangeError('TWKB: unexpected end of data');
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 varint, exact up to 2^53. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 56) throw new RangeError('TWKB: varint too long');
    }
  }

  /** A zigzag-encoded signed varint: 0, -1, 1, -2, 2 … are 0, 1, 2, 3, 4 …. */
  svarint(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
}

/** A line string's header: its precision, dimensions and point count (the reader then at its first point). */
function readHeader(r: Reader): { precision: number; dims: number; points: number } {
  const head = r.byte();
  const type = head & 0x0f;
  if (type !== TYPE_LINESTRING)
    throw new TypeError(`TWKB: geometry type ${type} is not a line string (2)`);
  // The precision is a zigzag-encoded nibble: 5 decimals is 10.
  const zz = head >> 4;
  const precision = zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
  const meta = r.byte();
  const hasBbox = (meta & 0x01) !== 0;
  const hasSize = (meta & 0x02) !== 0;
  const hasIdList = (meta & 0x04) !== 0;
  const hasExtended = (meta & 0x08) !== 0;
  const isEmpty = (meta & 0x10) !== 0;
  if (hasIdList) throw new TypeError('TWKB: an id list belongs to collections, not line strings');
  let dims = 2;
  if (hasExtended) {
    const ext = r.byte();
    dims += (ext & 0x01 ? 1 : 0) + (ext & 0x02 ? 1 : 0);
  }
  if (hasSize) r.varint();
  if (isEmpty) return { precision, dims, points: 0 };
  if (hasBbox) for (let i = 0; i < 2 * dims; i++) r.svarint();
  return { precision, dims, points: r.varint() };
}

/** Number of points of a TWKB line string, read from its header alone. */
export function twkbPointCount(bytes: Uint8Array, offset = 0, end = bytes.length): number {
  return readHeader(new Reader(bytes, offset, end)).points;
}

/**
 * Decodes one TWKB line string into `out` (lon, lat interleaved) from index `at` (in values);
 * Z and M, if present, are read and dropped. Returns the number of points written.
 */
export function decodeTwkbLineStringInto(
  bytes: Uint8Array,
  out: Float32Array | Float64Array,
  at = 0,
  offset = 0,
  end = bytes.length,
): number {
  const r = new Reader(bytes, offset, end);
  const { precision, dims, points } = readHeader(r);
  if (at + 2 * points > out.length) throw new RangeError('TWKB: output too small');
  const scale = 10 ** precision;
  // The hot loop reads varints inline: a delta of a few metres is one or two bytes, and a value
  // of up to 28 bits (4 bytes) is assembled with bit operations; longer ones take the slow path.
  let pos = r.pos;
  let x = 0;
  let y = 0;
  for (let i = 0; i < points; i++) {
    for (let d = 0; d < dims; d++) {
      let n: number;
      if (pos + 4 < end && bytes[pos]! < 0x80) n = bytes[pos++]!;
      else if (pos + 4 < end && bytes[pos + 1]! < 0x80) {
        n = (bytes[pos]! & 0x7f) | (bytes[pos + 1]! << 7);
        pos += 2;
      } else if (pos + 4 < end && bytes[pos + 2]! < 0x80) {
        n = (bytes[pos]! & 0x7f) | ((bytes[pos + 1]! & 0x7f) << 7) | (bytes[pos + 2]! << 14);
        pos += 3;
      } else {
        r.pos = pos;
        n = r.varint();
        pos = r.pos;
      }
      // Zigzag: 0, 1, 2, 3, 4 … are 0, -1, 1, -2, 2 ….
      const delta = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      if (d === 0) x += delta;
      else if (d === 1) y += delta;
    }
    out[at + 2 * i] = x / scale;
    out[at + 2 * i + 1] = y / scale;
  }
  r.pos = pos;
  return points;
}

/**
 * One TWKB line string as `[[lon, lat], …]` (double precision).
 *
 * @example
 * // ST_AsTWKB('LINESTRING(1 2, 3 4)'::geometry, 5)
 * decodeTwkbLineString(Uint8Array.from([0xa2, 0x00, 0x02, 0xc0, 0x9a, 0x0c, 0x80, 0xb5, 0x18, 0x80, 0xb5, 0x18, 0x80, 0xb5, 0x18]))
 * // → [[1, 2], [3, 4]]
 */
export function decodeTwkbLineString(bytes: Uint8Array): [number, number][] {
  const out = new Float64Array(2 * twkbPointCount(bytes));
  const n = decodeTwkbLineStringInto(bytes, out);
  return Array.from({ length: n }, (_, i) => [out[2 * i]!, out[2 * i + 1]!]);
}

/** TWKB line strings into one PathLayer binary input, in order. */
export function decodeTwkbLineStrings(list: readonly Uint8Array[]): PathBinary {
  const startIndices = new Uint32Array(list.length + 1);
  for (let i = 0; i < list.length; i++)
    startIndices[i + 1] = startIndices[i]! + twkbPointCount(list[i]!);
  const positions = new Float32Array(2 * startIndices[list.length]!);
  for (let i = 0; i < list.length; i++)
    decodeTwkbLineStringInto(list[i]!, positions, 2 * startIndices[i]!);
  return { length: list.length, startIndices, positions };
}

const asBytes = (buf: ArrayBufferLike | Uint8Array) =>
  buf instanceof Uint8Array ? buf : new Uint8Array(buf);

/**
 * A `tracks.bin` answer (MQTR: uint32 magic, uint32 tracks, then per track a uint32 byte length
 * and its TWKB, all little-endian) as PathLayer binary input. Two passes: the point counts from
 * the headers size the arrays, then the coordinates fill them.
 */
export function decodeTracks(buf: ArrayBufferLike | Uint8Array): PathBinary {
  const bytes = asBytes(buf);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== TRACKS_MAGIC)
    throw new TypeError('tracks: not an MQTR answer (bad magic)');
  const n = view.getUint32(4, true);
  const offsets = new Uint32Array(n + 1);
  const startIndices = new Uint32Array(n + 1);
  let pos = 8;
  for (let i = 0; i < n; i++) {
    if (pos + 4 > bytes.byteLength) throw new RangeError('tracks: truncated');
    const len = view.getUint32(pos, true);
    pos += 4;
    if (pos + len > bytes.byteLength) throw new RangeError('tracks: truncated');
    offsets[i] = pos;
    startIndices[i + 1] = startIndices[i]! + twkbPointCount(bytes, pos, pos + len);
    pos += len;
  }
  if (pos !== bytes.byteLength) throw new RangeError('tracks: bytes left after the last track');
  offsets[n] = pos;
  const positions = new Float32Array(2 * startIndices[n]!);
  for (let i = 0; i < n; i++)
    decodeTwkbLineStringInto(bytes, positions, 2 * startIndices[i]!, offsets[i]!, offsets[i + 1]!);
  return { length: n, startIndices, positions };
}
