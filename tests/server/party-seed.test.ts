/**
 * The party seed: deterministic (the same seed and moment give the same organisation, another
 * seed another), plausible sizes, and correlated with the compounds as the issue asks.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertParty } from '../../scripts/seed/party.ts';
import type { Db } from '../../server/db/client.ts';
import { openTestApp } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const rows = async <T = any>(
  db: Db | Parameters<typeof insertParty>[0],
  q: ReturnType<typeof sql>,
) => (await q.execute('kysely' in db ? db.kysely : db)).rows as T[];

/** The party tables' content without their generated ids. */
const FINGERPRINT = sql`SELECT
  (SELECT md5(string_agg(kind || name || area_id || founded_on, ',' ORDER BY id)) FROM party_orgs) AS o,
  (SELECT md5(string_agg(o.name || m.name || m.phone || m.birth_year || m.joined_on || coalesce(m.post, '')
     || coalesce(m.building_id, 0) || coalesce(m.company_id, 0), ',' ORDER BY m.id))
   FROM party_members m JOIN party_orgs o ON o.id = m.org_id) AS m,
  (SELECT md5(string_agg(s.building_id || m.name || m.phone || s.since, ',' ORDER BY s.building_id))
   FROM building_stewards s JOIN party_members m ON m.id = s.member_id) AS s,
  (SELECT md5(string_agg(p.compound_id || p.kind || o.name, ',' ORDER BY p.compound_id, p.kind))
   FROM compound_pairings p JOIN party_orgs o ON o.id = p.org_id) AS p,
  (SELECT md5(string_agg(compound_id || name || phone || post, ',' ORDER BY id)) FROM committee_members) AS c,
  (SELECT md5(string_agg(kind || compound_id || coalesce(building_id, 0) || status || coalesce(assignee, '')
     || coalesce(due_on::text, '') || opened_at, ',' ORDER BY id)) FROM gap_tasks) AS g`;

const PARTY_TABLES = [
  'gap_tasks',
  'committee_members',
  'owners_committees',
  'compound_pairings',
  'building_stewards',
  'party_members',
  'party_orgs',
];

describe('party seed', () => {
  it('is deterministic by seed and moment', async () => {
    const now = new Date('2026-06-15T03:00:00Z');
    const prints: string[] = [];
    await t.db.kysely
      .transaction()
      .execute(async (tx) => {
        for (const seed of [7, 7, 8]) {
          for (const table of PARTY_TABLES) await sql`DELETE FROM ${sql.table(table)}`.execute(tx);
          // As in a fresh database: the dice are hashes of ids, so ids start at 1 again.
          for (const table of ['party_orgs', 'party_members', 'committee_members', 'gap_tasks'])
            await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN id RESTART WITH 1`.execute(tx);
          await insertParty(tx, { seed, now });
          prints.push(JSON.stringify((await rows(tx, FINGERPRINT))[0]));
        }
        throw new Error('rollback');
      })
      .catch((e: Error) => {
        if (e.message !== 'rollback') throw e;
      });
    expect(prints[0]).toBe(prints[1]);
    expect(prints[2]).not.toBe(prints[0]);
  });

  it('correlates with the compounds: no company, fewer committees; model compounds complete', async () => {
    const [r] = await rows(
      t.db,
      sql`SELECT
        avg(CASE WHEN has_owners_committee THEN 1 ELSE 0 END) FILTER (WHERE property_company_id IS NULL) AS without_company,
        avg(CASE WHEN has_owners_committee THEN 1 ELSE 0 END) FILTER (WHERE property_company_id IS NOT NULL) AS with_company
      FROM compounds`,
    );
    expect(Number(r.without_company)).toBeLessThan(Number(r.with_company));
    const demo = await rows(
      t.db,
      sql`SELECT c.area_id,
        EXISTS (SELECT 1 FROM party_orgs o WHERE o.kind = 'compound_branch' AND o.area_id = c.area_id) AS branch,
        EXISTS (SELECT 1 FROM owners_committees oc WHERE oc.compound_id = c.area_id) AS committee,
        NOT EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.area_id
          AND NOT EXISTS (SELECT 1 FROM building_stewards s WHERE s.building_id = b.id)) AS stewards,
        EXISTS (SELECT 1 FROM committee_members cm JOIN party_members m ON m.id = cm.party_member_id
          WHERE cm.compound_id = c.area_id AND m.post = 'secretary') AS cross_
      FROM compounds c WHERE c.provincial_demonstration`,
    );
    expect(demo.length).toBeGreaterThan(0);
    for (const d of demo)
      expect(d).toMatchObject({ branch: true, committee: true, stewards: true, cross_: true });
  });

  it('gives communities 80–400 members in plausible posts', async () => {
    const sizes = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM party_members m JOIN party_orgs o ON o.id = m.org_id
        GROUP BY o.area_path[3]`,
    );
    for (const s of sizes) {
      expect(s.n).toBeGreaterThanOrEqual(60);
      expect(s.n).toBeLessThanOrEqual(400);
    }
    const [posts] = await rows(
      t.db,
      sql`SELECT count(*) FILTER (WHERE post = 'secretary')::int AS secretaries,
        (SELECT count(*)::int FROM party_orgs WHERE kind <> 'building_group') AS orgs
      FROM party_members`,
    );
    expect(posts.secretaries).toBe(posts.orgs);
  });
});
