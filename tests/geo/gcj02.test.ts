import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../geo/gcj02.ts';
import { localFrame } from '../../geo/local-frame.ts';
import { fixture } from './helpers.ts';

const { pairs } = fixture<{
  pairs: { name: string; wgs84: [number, number]; gcj02: [number, number] }[];
}>('gcj02-pairs.json');

describe('GCJ-02 ↔ WGS-84', () => {
  it.each(pairs)('matches the published vectors: $name', ({ wgs84, gcj02 }) => {
    const g = wgs84ToGcj02(wgs84);
    expect(g[0]).toBeCloseTo(gcj02[0], 9);
    expect(g[1]).toBeCloseTo(gcj02[1], 9);
    const w = gcj02ToWgs84(gcj02);
    expect(w[0]).toBeCloseTo(wgs84[0], 8);
    expect(w[1]).toBeCloseTo(wgs84[1], 8);
  });

  it('moves Lanzhou a couple of hundred metres, and the inverse undoes it', () => {
    const bridge: [number, number] = [103.8237, 36.0665]; // Zhongshan Bridge, WGS-84
    const gcj = wgs84ToGcj02(bridge);
    const frame = localFrame(bridge);
    const [dx, dy] = frame.toMetres(gcj);
    expect(dx).toBeGreaterThan(150); // east
    expect(dx).toBeLessThan(300);
    expect(Math.abs(dy)).toBeLessThan(80);
    const back = gcj02ToWgs84(gcj);
    expect(back[0]).toBeCloseTo(bridge[0], 9);
    expect(back[1]).toBeCloseTo(bridge[1], 9);
  });
});
