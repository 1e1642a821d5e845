/**
 * The wall's heat layer as binary (MQHT, server/contract/wall.ts), little-endian: a 16-byte
 * header (uint32 magic 0x4D514854, uint32 n, uint32 total tickets, uint32 reserved), then
 * Float32 lon/lat × n interleaved, then Uint32 count × n. A year of tickets is some tens of
 * thousands of cells: 12 bytes each, decoded without a per-point object.
 *
 * @example
 * const heat = decodeHeat(await (await fetch('/api/wall/layers/heat.bin?days=365')).arrayBuffer());
 * new HeatmapLayer({
 *   data: {
 *     length: heat.length,
 *     attributes: {
 *       getPosition: { value: heat.positions, size: 2 },
 *       getWeight: { value: heat.counts, size: 1 },
 *     },
 *   },
 * });
 */

/** `uint32` magic of a heat answer, little-endian: 0x4D514854 ("MQHT"). */
export const HEAT_MAGIC = 0x4d514854;
export const HEAT_HEADER_BYTES = 16;

export interface HeatPoints {
  /** Number of cells. */
  length: number;
  /** Cell centres, longitude and latitude interleaved (degrees). */
  positions: Float32Array;
  /** Tickets per cell. */
  counts: Uint32Array;
  /** Tickets in all cells together (the header's figure). */
  total: number;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Packs cell centres and counts as MQHT (the server's side of the format). */
export function encodeHeat(
  positions: ArrayLike<number>,
  counts: ArrayLike<number>,
  total: number,
): Uint8Array {
  const n = counts.length;
  if (positions.length !== 2 * n) throw new RangeError('heat: need two coordinates per count');
  const out = new Uint8Array(HEAT_HEADER_BYTES + 12 * n);
  const view = new DataView(out.buffer);
  view.setUint32(0, HEAT_MAGIC, true);
  view.setUint32(4, n, true);
  view.setUint32(8, total, true);
  view.setUint32(12, 0, true);
  let at = HEAT_HEADER_BYTES;
  for (let i = 0; i < 2 * n; i++, at += 4) view.setFloat32(at, positions[i]!, true);
  for (let i = 0; i < n; i++, at += 4) view.setUint32(at, counts[i]!, true);
  return out;
}

/**
 * An MQHT answer as typed arrays. On a little-endian host (every browser's) with an aligned
 * buffer the arrays are views on it, not copies.
 */
export function decodeHeat(buf: ArrayBufferLike | Uint8Array): HeatPoints {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEAT_HEADER_BYTES || view.getUint32(0, true) !== HEAT_MAGIC)
    throw new TypeError('heat: not an MQHT answer (bad magic)');
  const n = view.getUint32(4, true);
  const total = view.getUint32(8, true);
  if (bytes.byteLength !== HEAT_HEADER_BYTES + 12 * n)
    throw new RangeError(
      `heat: ${bytes.byteLength} bytes, expected ${HEAT_HEADER_BYTES + 12 * n} for ${n} cells`,
    );
  const posAt = bytes.byteOffset + HEAT_HEADER_BYTES;
  const countAt = posAt + 8 * n;
  if (LITTLE_ENDIAN_HOST && posAt % 4 === 0)
    return {
      length: n,
      positions: new Float32Array(bytes.buffer, posAt, 2 * n),
      counts: new Uint32Array(bytes.buffer, countAt, n),
      total,
    };
  const positions = new Float32Array(2 * n);
  const counts = new Uint32Array(n);
  for (let i = 0; i < 2 * n; i++) positions[i] = view.getFloat32(HEAT_HEADER_BYTES + 4 * i, true);
  for (let i = 0; i < n; i++) counts[i] = view.getUint32(HEAT_HEADER_BYTES + 8 * n + 4 * i, true);
  return { length: n, positions, counts, total };
}
