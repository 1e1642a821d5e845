import { describe, expect, it } from 'vitest';
import { decodeHeat, encodeHeat, HEAT_MAGIC } from '../../geo/wall-binary.ts';

describe('MQHT heat points', () => {
  const positions = [103.8367, 36.06104, 103.7, 36.1, 104.0123, 35.9876];
  const counts = [5, 1, 4_000_000_000];

  it('lays the header, positions and counts out little-endian as the contract says', () => {
    const bytes = encodeHeat(positions, counts, 1234);
    expect(bytes.length).toBe(16 + 12 * 3);
    // "MQHT" as a little-endian uint32 0x4D514854.
    expect([...bytes.subarray(0, 4)]).toEqual([0x54, 0x48, 0x51, 0x4d]);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(0, true)).toBe(HEAT_MAGIC);
    expect(view.getUint32(4, true)).toBe(3);
    expect(view.getUint32(8, true)).toBe(1234);
    expect(view.getUint32(12, true)).toBe(0);
    expect(view.getFloat32(16, true)).toBeCloseTo(103.8367, 4);
    expect(view.getFloat32(16 + 4, true)).toBeCloseTo(36.06104, 4);
    expect(view.getUint32(16 + 24 + 8, true)).toBe(4_000_000_000);
  });

  it('decodes what it encodes, as views on an aligned buffer', () => {
    const bytes = encodeHeat(positions, counts, 99);
    const heat = decodeHeat(bytes.buffer);
    expect(heat.length).toBe(3);
    expect(heat.total).toBe(99);
    expect([...heat.counts]).toEqual(counts);
    heat.positions.forEach((v, i) => expect(v).toBeCloseTo(positions[i]!, 4));
    expect(heat.positions.buffer).toBe(bytes.buffer);
  });

  it('decodes from an unaligned slice by copying', () => {
    const bytes = encodeHeat(positions, counts, 99);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    const heat = decodeHeat(padded.subarray(1));
    expect([...heat.counts]).toEqual(counts);
    expect([...heat.positions]).toEqual([...decodeHeat(bytes).positions]);
  });

  it('decodes no cells', () => {
    const heat = decodeHeat(encodeHeat([], [], 0));
    expect(heat).toMatchObject({ length: 0, total: 0 });
    expect(heat.positions).toHaveLength(0);
  });

  it('refuses a wrong magic, a wrong length and mismatched input', () => {
    const bytes = encodeHeat(positions, counts, 1);
    const wrong = bytes.slice();
    wrong[3] = 0;
    expect(() => decodeHeat(wrong)).toThrow(/magic/);
    expect(() => decodeHeat(bytes.subarray(0, bytes.length - 4))).toThrow(/expected/);
    expect(() => encodeHeat([1, 2, 3], [1, 2], 3)).toThrow(/two coordinates/);
  });
});
