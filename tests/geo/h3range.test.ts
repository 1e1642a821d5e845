import { cellToChildren, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { descendantRange, resolutionOf } from '../../geo/h3range.ts';

const big = (h: string) => BigInt(`0x${h}`);

describe('descendantRange', () => {
  it('holds every res-9 child of a res-7 and a res-8 cell, and no cell of a neighbour', () => {
    const c9 = latLngToCell(36.06, 103.83, 9);
    for (const res of [7, 8]) {
      const parent = latLngToCell(36.06, 103.83, res);
      const [lo, hi] = descendantRange(big(parent));
      const children = cellToChildren(parent, 9).map(big);
      expect(children.length).toBe(res === 7 ? 49 : 7);
      for (const ch of children) expect(ch >= lo && ch <= hi).toBe(true);
      expect(big(c9) >= lo && big(c9) <= hi).toBe(true);
      // A neighbouring cell's children fall outside.
      const other = latLngToCell(36.2, 103.6, res);
      for (const ch of cellToChildren(other, 9).map(big)) expect(ch >= lo && ch <= hi).toBe(false);
    }
  });

  it('is the cell itself at its own resolution, and refuses a coarser one', () => {
    const c9 = big(latLngToCell(36.06, 103.83, 9));
    expect(descendantRange(c9)).toEqual([c9, c9]);
    expect(resolutionOf(c9)).toBe(9);
    expect(() => descendantRange(c9, 8)).toThrow(RangeError);
  });
});
