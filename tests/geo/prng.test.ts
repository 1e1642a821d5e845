import { describe, expect, it } from 'vitest';
import { createRng } from '../../geo/prng.ts';

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another', () => {
    const a = Array.from({ length: 5 }, createRng(42).next);
    const b = Array.from({ length: 5 }, createRng(42).next);
    const c = Array.from({ length: 5 }, createRng(43).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('forks streams that do not depend on how much the parent drew', () => {
    const r1 = createRng('seed');
    const r2 = createRng('seed');
    r2.next();
    r2.next();
    expect(r1.fork('tickets').next()).toBe(r2.fork('tickets').next());
    expect(r1.fork('tickets').next()).not.toBe(r1.fork('hazards').next());
  });

  it('draws integers, picks and weights with the right frequencies', () => {
    const r = createRng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.weighted([1, 2, 7])]++;
    expect(counts[0] / 30000).toBeCloseTo(0.1, 1);
    expect(counts[2] / 30000).toBeCloseTo(0.7, 1);
    const ints = Array.from({ length: 1000 }, () => r.int(3, 6));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(5);
  });

  it('draws normal and Poisson deviates with the asked mean', () => {
    const r = createRng(1);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal(10, 2);
      sum += x;
      sq += x * x;
    }
    expect(sum / n).toBeCloseTo(10, 1);
    expect(Math.sqrt(sq / n - (sum / n) ** 2)).toBeCloseTo(2, 1);
    for (const lambda of [0.3, 4, 150]) {
      let s = 0;
      for (let i = 0; i < n; i++) s += r.poisson(lambda);
      expect(s / n / lambda).toBeCloseTo(1, 1);
    }
  });
});
