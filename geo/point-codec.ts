/**
 * A compact columnar binary encoding for the map's point layers (tickets, hazards).
 *
 * Layout, little-endian, 16 bytes a point after an 8-byte header:
 *   0   'MQP1'                      magic
 *   4   uint32 n                    point count
 *   8   float32[2n] lon,lat         WGS-84 positions, interleaved: a deck.gl attribute as it is
 *   8+8n  uint32[n] id
 *   8+12n uint8[n] a, b, c, d       four small codes (for tickets: category, status, channel,
 *                                   flags; for hazards: type, severity, status, flags)
 * float32 keeps ~1 m at Lanzhou's longitudes, enough for a point on a map.
 *
 * @example
 * const buf = encodePoints({ positions, ids, codes: [a, b, c, d] });
 * const { positions, ids } = decodePoints(buf); // Float32Array views, no copy
 */
export interface PointColumns {
  positions: Float32Array;
  ids: Uint32Array;
  codes: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
}

export const POINT_CODEC_MAGIC = 0x3150514d; // 'MQP1' read as little-endian uint32
export const POINT_CODEC_BYTES_PER_POINT = 16;
export const POINT_CODEC_HEADER_BYTES = 8;

/** Flag bits in the fourth code column. */
export const FLAG_OVERDUE = 1;
export const FLAG_URGENT = 2;

export function encodePoints(columns: PointColumns): Uint8Array {
  const n = columns.ids.length;
  if (columns.positions.length !== 2 * n) throw new Error('positions must hold 2 floats per id');
  const out = new Uint8Array(POINT_CODEC_HEADER_BYTES + POINT_CODEC_BYTES_PER_POINT * n);
  const view = new DataView(out.buffer);
  view.setUint32(0, POINT_CODEC_MAGIC, true);
  view.setUint32(4, n, true);
  const pos = new Float32Array(out.buffer, 8, 2 * n);
  const ids = new Uint32Array(out.buffer, 8 + 8 * n, n);
  if (littleEndianHost) {
    pos.set(columns.positions);
    ids.set(columns.ids);
  } else {
    for (let i = 0; i < 2 * n; i++) view.setFloat32(8 + 4 * i, columns.positions[i], true);
    for (let i = 0; i < n; i++) view.setUint32(8 + 8 * n + 4 * i, columns.ids[i], true);
  }
  columns.codes.forEach((c, k) => {
    if (c.length !== n) throw new Error(`code column ${k} must hold one byte per id`);
    out.set(c, 8 + 12 * n + k * n);
  });
  return out;
}

export function decodePoints(buffer: ArrayBuffer | Uint8Array): PointColumns {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  // Typed-array views need their own aligned buffer.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const view = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  if (aligned.byteLength < 8 || view.getUint32(0, true) !== POINT_CODEC_MAGIC) {
    throw new Error('Not an MQP1 point buffer');
  }
  const n = view.getUint32(4, true);
  if (aligned.byteLength !== POINT_CODEC_HEADER_BYTES + POINT_CODEC_BYTES_PER_POINT * n) {
    throw new Error(`MQP1 buffer of ${aligned.byteLength} bytes cannot hold ${n} points`);
  }
  const base = aligned.byteOffset;
  const codes = [0, 1, 2, 3].map(
    (k) => new Uint8Array(aligned.buffer, base + 8 + 12 * n + k * n, n),
  ) as PointColumns['codes'];
  return {
    positions: new Float32Array(aligned.buffer, base + 8, 2 * n),
    ids: new Uint32Array(aligned.buffer, base + 8 + 8 * n, n),
    codes,
  };
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
