import type { AreaCollection, BBox } from '../types.ts';

/** The bounding box of a feature collection's coordinates; null when it has none. */
export function bboxOf(fc: AreaCollection): BBox | null {
  let b: BBox | null = null;
  const visit = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      if (!b) b = [x, y, x, y];
      else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
      return;
    }
    for (const cc of c as unknown[]) visit(cc);
  };
  for (const f of fc.features) if (f.geometry) visit(f.geometry.coordinates);
  return b;
}
