/**
 * The governance domains at city scale (issue 10): the party coverage and gap map, the gap list,
 * the 红黄蓝 summary, the credit ranking and 红黑榜, and a company page, each for the city and for
 * the account that uses it most (a community, a property company). Every read is timed with the
 * read cache cleared (what the first supervisor of the minute waits for) against the same answer
 * from the cache (the baseline, in the same process); bytes and rows say what crosses the wire.
 * Then what a month's recomputation costs (colours, credit with its lists), as the city runs it.
 */
import { sql } from 'kysely';
import type { Db } from '../server/db/client.ts';
import { type App, f1, signIn, stats, timeReads } from './bench-reads.ts';

export async function benchGovernance(app: App, db: Db, cityCookie: string, runs: number) {
  const n = Math.max(5, Math.floor(runs / 2));
  const community = await signIn(app, 'community');
  const property = await signIn(app, 'property');
  const counts = (
    await sql<Record<string, number>>`SELECT
      (SELECT count(*)::int FROM compounds) AS compounds,
      (SELECT count(*)::int FROM buildings) AS buildings,
      (SELECT count(*)::int FROM party_orgs) AS orgs,
      (SELECT count(*)::int FROM party_members) AS members,
      (SELECT count(*)::int FROM gap_tasks WHERE status <> 'closed') AS open_gaps,
      (SELECT count(*)::int FROM property_companies) AS companies,
      (SELECT count(*)::int FROM company_credit) AS credit_rows,
      (SELECT count(*)::int FROM tickets) AS tickets`.execute(db.kysely)
  ).rows[0]!;
  console.log(`\ngovernance dataset: ${JSON.stringify(counts)}`);
  const company = (
    await sql<{ id: number }>`SELECT property_company_id AS id FROM accounts
      WHERE username = 'property'`.execute(db.kysely)
  ).rows[0]!.id;
  const blackListed = (
    await sql<{ id: number | null }>`SELECT company_id AS id FROM credit_lists
      WHERE list = 'black' AND district_id IS NULL ORDER BY period DESC, rank LIMIT 1`.execute(
      db.kysely,
    )
  ).rows[0]?.id;

  const reads: [string, string, string][] = [
    ['party coverage, city (districts)', '/api/party/coverage', cityCookie],
    ['party gap map, city (districts, GeoJSON)', '/api/party/coverage/map?zoom=10', cityCookie],
    ['party coverage, own community (compounds)', '/api/party/coverage', community],
    ['gap list, city, first page', '/api/party/gaps', cityCookie],
    ['gap list, city, overdue only', '/api/party/gaps?overdue=true', cityCookie],
    ['ratings summary, city', '/api/ratings/summary', cityCookie],
    ['credit ranking, city, all companies', '/api/credit/ranking?limit=500', cityCookie],
    ['红黑榜, city', '/api/credit/lists', cityCookie],
    ['credit map layer (managed compounds)', '/api/credit/map', cityCookie],
    ['company page, own (property account)', `/api/credit/companies/${company}`, property],
  ];
  if (blackListed) {
    reads.push([
      'company page, black-listed (city)',
      `/api/credit/companies/${blackListed}`,
      cityCookie,
    ]);
  }

  console.log(
    '\ngovernance reads (cold: cache cleared before each; warm: the same answer from the cache):',
  );
  await timeReads(app, reads, n);

  // A month's recomputation, as the city runs it (each is one audited write).
  const post = async (url: string, body: unknown) => {
    const t0 = performance.now();
    const res = await app.request(url, {
      method: 'POST',
      headers: { cookie: cityCookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${url} → ${res.status}: ${text.slice(0, 200)}`);
    return performance.now() - t0;
  };
  const ratingPeriod = (
    await sql<{
      p: string;
    }>`SELECT to_char(max(period), 'YYYY-MM-DD') AS p FROM compound_ratings`.execute(db.kysely)
  ).rows[0]!.p;
  const creditPeriod = (
    await sql<{
      p: string;
    }>`SELECT to_char(max(period), 'YYYY-MM-DD') AS p FROM company_credit`.execute(db.kysely)
  ).rows[0]!.p;
  console.log('\nrecomputing one month (city account, audited):');
  for (const [label, url, period] of [
    ['红黄蓝 colours of every compound', '/api/ratings/recompute', ratingPeriod],
    ['credit of every company, with its lists', '/api/credit/recompute', creditPeriod],
  ] as const) {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) ms.push(await post(url, { period }));
    const s = stats(ms);
    console.log(`  ${label.padEnd(44)} p50 ${f1(s.p50)} ms  (${period}, 3 runs)`);
  }
}
