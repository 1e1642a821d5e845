import { sql, type RawBuilder } from 'kysely';
import type { Bbox } from '../validation.ts';

/** A WGS-84 rectangle for index-friendly `geom && envelope` tests. */
export function envelope(bbox: Bbox): RawBuilder<unknown> {
  return sql`ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)`;
}

/** Half a screen pixel in degrees at a web-mercator zoom: below what anyone can see. */
export function simplifyTolerance(zoom: number): number {
  return 360 / (256 * 2 ** zoom) / 2;
}

/**
 * PostgreSQL's float4send/int4send write big-endian. Large point sets are packed into one bytea
 * per column inside the database (cheap to move across PGlite's WASM boundary), then swapped to
 * the host's order here.
 */
export function float32FromBigEndian(bytes: Uint8Array | null): Float32Array {
  if (!bytes) return new Float32Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, false);
  return out;
}

export function uint32FromBigEndian(bytes: Uint8Array | null): Uint32Array {
  if (!bytes) return new Uint32Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(4 * i, false);
  return out;
}

/** Splits big-endian packed (a<<24 | b<<16 | c<<8 | d) words into four byte columns. */
export function unpackCodes(
  bytes: Uint8Array | null,
): [Uint8Array, Uint8Array, Uint8Array, Uint8Array] {
  const n = bytes ? bytes.byteLength / 4 : 0;
  const cols: [Uint8Array, Uint8Array, Uint8Array, Uint8Array] = [
    new Uint8Array(n),
    new Uint8Array(n),
    new Uint8Array(n),
    new Uint8Array(n),
  ];
  for (let i = 0; i < n; i++) {
    cols[0][i] = bytes![4 * i];
    cols[1][i] = bytes![4 * i + 1];
    cols[2][i] = bytes![4 * i + 2];
    cols[3][i] = bytes![4 * i + 3];
  }
  return cols;
}

/**
 * A value for a jsonb column. The drivers disagree on a string bound to a jsonb parameter
 * (postgres.js encodes it again as a JSON string scalar, PGlite passes it through), so the value
 * crosses as text and becomes jsonb inside the database: the same object on both.
 */
export function jsonb(value: unknown): RawBuilder<unknown> {
  return value === undefined || value === null
    ? sql`NULL::jsonb`
    : sql`${JSON.stringify(value)}::text::jsonb`;
}
