import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

describe('array values through the driver', () => {
  // The same answers on PGlite and on PostgreSQL, whose driver learns the array types per connection.
  // NULL elements too (postgres.js read them as NaN or 'NULL' until scripts/patch-postgres.mjs).
  it('reads arrays of numbers, text, booleans, dates and JSON as JavaScript arrays', async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select array[1, 2, null]::int[] as ints,
             array[1.5, -2.25]::float8[] as floats,
             array['a,b', 'say "hi"', 'back\\slash', '', null, 'NULL', '{x}']::text[] as texts,
             array[true, false]::bool[] as bools,
             array['2026-12-01T08:00:00Z']::timestamptz[] as times,
             array['{"k": [1, 2]}']::jsonb[] as docs,
             array[[1, 2], [3, 4]]::int[] as grid,
             '{}'::int[] as empty`.execute(t.db.kysely);
    const r = rows[0]!;
    expect(r.ints).toEqual([1, 2, null]);
    expect(r.floats).toEqual([1.5, -2.25]);
    expect(r.texts).toEqual(['a,b', 'say "hi"', 'back\\slash', '', null, 'NULL', '{x}']);
    expect(r.bools).toEqual([true, false]);
    expect((r.times as Date[]).map((d) => new Date(d).toISOString())).toEqual([
      '2026-12-01T08:00:00.000Z',
    ]);
    expect(r.docs).toEqual([{ k: [1, 2] }]);
    expect(r.grid).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(r.empty).toEqual([]);
  });

  it('sends JavaScript arrays as array parameters', async () => {
    const texts = ['a,b', 'say "hi"', 'back\\slash', '', null];
    const { rows } = await sql<{ n: number; texts: string[]; total: number }>`
      select cardinality(${texts}::text[]) as n,
             ${texts}::text[] as texts,
             (select sum(x)::int from unnest(${[3, 4, 5]}::int[]) x) as total`.execute(t.db.kysely);
    expect(rows[0]).toEqual({ n: 5, texts, total: 12 });
  });
});
