/**
 * The governance domains at city scale (issue 10): the party coverage and gap map, the gap list,
 * the 红黄蓝 summary, the credit ranking and 红黑榜, and a company page, each for the city and for
 * the account that uses it most (a community, a property company). Every read is timed with the
 * read cache cleared (what the first supervisor of the minute waits for) against the same answer
 * from the cache (the baseline, in the same process); bytes and rows say what crosses the wire.
 * Then what a month's recomputation costs (colours, credit with its lists), as the city runs it.
 */
import { sql } from 'kysely';
import type { createApp } from '../server/app.ts';
import type { Db } from '../server/db/client.ts';

type App = ReturnType<typeof createApp>;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
}
const f1 = (n: number) => n.toFixed(1).padStart(8);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);

async function signIn(app: App, username: string): Promise<string> {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Minqing@2026' }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Rows of the answer: the longest array in it (items, rows, features, a packed column…). */
function rowsOf(body: unknown, depth = 0): number {
  if (Array.isArray(body)) return body.length;
  if (!body || typeof body !== 'object' || depth > 2) return 0;
  let n = 0;
  for (const v of Object.values(body)) n = Math.max(n, rowsOf(v, depth + 1));
  return n;
}

export async function benchGovernance(app: App, db: Db, cityCookie: string, runs: number) {
  const n = Math.max(5, Math.floor(runs / 2));
  const community = await signIn(app, 'community');
  const property = await signIn(app, 'property');
  const get = async (url: string, cookie: string, clear: boolean) => {
    if (clear) app.cache.clear();
    const t0 = performance.now();
    const res = await app.request(url, { headers: { cookie } });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${url} → ${res.status}: ${text.slice(0, 200)}`);
    return { ms, text };
  };

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
  for (const [label, url, cookie] of reads) {
    const cold: number[] = [];
    const warm: number[] = [];
    let text = '';
    for (let i = 0; i < n; i++) {
      const r = await get(url, cookie, true);
      cold.push(r.ms);
      text = r.text;
      warm.push((await get(url, cookie, false)).ms);
    }
    const c = stats(cold);
    const w = stats(warm);
    console.log(
      `  ${label.padEnd(44)} cold p50 ${f1(c.p50)} ms  p95 ${f1(c.p95)} ms   warm p50 ${f1(w.p50)} ms  ×${(c.p50 / Math.max(w.p50, 0.01)).toFixed(0).padStart(4)}  ${kib(text.length)}  ${String(rowsOf(JSON.parse(text))).padStart(5)} rows`,
    );
  }

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
