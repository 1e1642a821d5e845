/**
 * The res-9 cells under a coarser H3 cell form one range of 64-bit indexes: the resolution field
 * is 9, the digits the cell fixes stay, the digits between its resolution and 9 run from 0 to 6,
 * and the digits below 9 are 7 (unused). Tickets store their res-9 cell, so "the tickets in
 * this cell" is one index range scan.
 */

const RES_SHIFT = 52n;
const RES_MASK = 15n << RES_SHIFT;

/** The resolution of an H3 index (bits 52-55). */
export function resolutionOf(cell: bigint): number {
  return Number((cell & RES_MASK) >> RES_SHIFT);
}

/** [lo, hi] of the res-`fine` descendants of `cell` (fine ≥ the cell's resolution). */
export function descendantRange(cell: bigint, fine = 9): [bigint, bigint] {
  const res = resolutionOf(cell);
  if (fine < res) throw new RangeError(`resolution ${fine} is coarser than the cell's ${res}`);
  const base = (cell & ~RES_MASK) | (BigInt(fine) << RES_SHIFT);
  let lo = base;
  let hi = base;
  // Digit d (1..15) sits at bits 3·(15 − d) .. 3·(15 − d) + 2.
  for (let d = res + 1; d <= fine; d++) {
    const shift = BigInt(3 * (15 - d));
    lo &= ~(7n << shift);
    hi = (hi & ~(7n << shift)) | (6n << shift);
  }
  return [lo, hi];
}
