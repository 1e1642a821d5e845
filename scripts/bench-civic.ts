/**
 * Deliberation and transparency at city scale (issue 11): the proposal layer and lists, the ticket
 * clusters that can become proposals, the three lists; the ledgers' disclosure summary, choropleth,
 * flagged list and a company's record; the k-anonymous mediation map and figures; service points
 * and 执法进小区. Each read for the account that uses it most and for the public where it is public,
 * cold (cache cleared) against warm (from the cache). Then one ledger CSV import (validation,
 * flags against the compound's history and its peers) and its discarding, as a company runs them.
 */
import { sql } from 'kysely';
import type { Db } from '../server/db/client.ts';
import { type App, f1, signIn, stats, timeReads } from './bench-reads.ts';

export async function benchCivic(app: App, db: Db, cityCookie: string, runs: number) {
  const n = Math.max(5, Math.floor(runs / 2));
  const community = await signIn(app, 'community');
  const property = await signIn(app, 'property');
  const mediator = await signIn(app, 'mediator');
  const counts = (
    await sql<Record<string, number>>`SELECT
      (SELECT count(*)::int FROM compounds) AS compounds,
      (SELECT count(*)::int FROM proposals) AS proposals,
      (SELECT count(*)::int FROM joint_meetings) AS meetings,
      (SELECT count(*)::int FROM projects) AS projects,
      (SELECT count(*)::int FROM ledgers) AS ledgers,
      (SELECT count(*)::int FROM ledger_lines) AS ledger_lines,
      (SELECT count(*)::int FROM mediation_cases) AS mediation_cases,
      (SELECT count(*)::int FROM service_points) AS service_points,
      (SELECT count(*)::int FROM enforcement_visits) AS enforcement_visits,
      (SELECT count(*)::int FROM tickets) AS tickets`.execute(db.kysely)
  ).rows[0]!;
  console.log(`\ncivic dataset: ${JSON.stringify(counts)}`);
  const company = (
    await sql<{ id: number }>`SELECT property_company_id AS id FROM accounts
      WHERE username = 'property'`.execute(db.kysely)
  ).rows[0]!.id;
  // The company's compound with the most ledger lines in its last published month.
  const ledger = (
    await sql<{ id: number; compound: number; month: string }>`
      SELECT l.id, l.compound_id AS compound, to_char(l.period, 'YYYY-MM') AS month
      FROM ledgers l WHERE l.company_id = ${company} AND l.status = 'published'
      ORDER BY l.period DESC, (SELECT count(*) FROM ledger_lines x WHERE x.ledger_id = l.id) DESC
      LIMIT 1`.execute(db.kysely)
  ).rows[0];
  const project = (
    await sql<{
      id: number;
    }>`SELECT id FROM projects WHERE status = 'done' ORDER BY id LIMIT 1`.execute(db.kysely)
  ).rows[0]?.id;

  const reads: [string, string, string][] = [
    ['proposal layer, city, per subdistrict', '/api/deliberation/map?zoom=11', cityCookie],
    ['proposal layer, city, per compound', '/api/deliberation/map?zoom=14', cityCookie],
    ['proposal layer, public (published results)', '/api/deliberation/map?zoom=14', ''],
    ['proposals, city, first page', '/api/deliberation/proposals', cityCookie],
    ['proposals, city, overdue', '/api/deliberation/proposals?overdue=true', cityCookie],
    ['proposals, own community', '/api/deliberation/proposals', community],
    ['ticket clusters → proposals, city', '/api/deliberation/evidence', cityCookie],
    ['projects, city', '/api/deliberation/projects', cityCookie],
    ['meetings, city', '/api/deliberation/meetings', cityCookie],
    ['disclosure summary, city (districts)', '/api/ledgers/summary', cityCookie],
    ['disclosure layer, city, per compound', '/api/ledgers/map?zoom=14', cityCookie],
    ['disclosure layer, public', '/api/ledgers/map?zoom=14', ''],
    ['flagged ledgers, city', '/api/ledgers/flagged', cityCookie],
    ['disclosure summary CSV, city', '/api/ledgers/summary/export', cityCookie],
    ['company disclosure record (own)', `/api/ledgers/companies/${company}/record`, property],
    ['mediation figures, city', '/api/mediation/overview', cityCookie],
    ['mediation map (k-anonymous), city', '/api/mediation/map', cityCookie],
    ['mediation cases, city, first page', '/api/mediation/cases', cityCookie],
    ["mediation cases, a mediator's committee", '/api/mediation/cases', mediator],
    ['service points, public, city', '/api/service-points', ''],
    ['执法进小区 map, city', '/api/service-points/enforcement/map', cityCookie],
    ['执法进小区 visits, city, first page', '/api/service-points/enforcement', cityCookie],
  ];
  if (ledger) {
    reads.push([
      'compound ledger months (own)',
      `/api/ledgers/compounds/${ledger.compound}`,
      property,
    ]);
  }
  if (project)
    reads.push(['project with before/after', `/api/deliberation/projects/${project}`, cityCookie]);
  console.log(
    '\ncivic reads (cold: cache cleared before each; warm: the same answer from the cache):',
  );
  await timeReads(app, reads, n);

  if (!ledger) return;
  // A correction of a published month: export its CSV, import it back as a revision, discard it.
  const call = async (method: string, url: string, body?: unknown) => {
    const t0 = performance.now();
    const res = await app.request(url, {
      method,
      headers: { cookie: property, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300)
      throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 200)}`);
    return { ms: performance.now() - t0, text };
  };
  const csv = (await call('GET', `/api/ledgers/${ledger.id}/export`)).text;
  const imports: number[] = [];
  const discards: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await call(
      'POST',
      `/api/ledgers/compounds/${ledger.compound}/months/${ledger.month}/import`,
      {
        csv,
        reason: '基准测试：原样重新导入',
      },
    );
    imports.push(r.ms);
    const draft = JSON.parse(r.text) as { id: number };
    discards.push((await call('DELETE', `/api/ledgers/${draft.id}`)).ms);
  }
  const lines = csv.trim().split('\n').length - 1;
  console.log(`\nledger CSV import (property account, ${lines} lines, audited; 5 runs):`);
  console.log(
    `  ${'import as a revision (validate, flag, write)'.padEnd(44)} p50 ${f1(stats(imports).p50)} ms`,
  );
  console.log(`  ${'discard the draft'.padEnd(44)} p50 ${f1(stats(discards).p50)} ms`);
}
