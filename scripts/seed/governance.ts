/**
 * Governance on top of a seeded city and its operations: the party organisation with owners'
 * committees and the gap tasks (party.ts), the monthly 红黄蓝 colours (ratings.ts, after the
 * whistles because late report-ins are one of their indicators), the follow-up of red compounds
 * (followups.ts), and property-company credit with the 红黑榜 and supervision cases (credit.ts).
 *
 * `seedGovernance` is idempotent like seedOperations: it does nothing when party organisations
 * exist, so the server can call it on every start to bring a demo city seeded before the
 * governance schema up to date (its colours are recomputed by the current method).
 *
 * @example
 * await seedGovernance(db, { seed: 20261126, onProgress: (m) => console.log(m) });
 */
import { sql } from 'kysely';
import type { Db } from '../../server/db/client.ts';
import { seedWindow, type SeedWindow } from './calendar.ts';
import { insertCredit } from './credit.ts';
import { insertFollowups } from './followups.ts';
import { writeLedgers } from './ledgers.ts';
import { insertParty } from './party.ts';
import { insertRatings } from './ratings.ts';
import type { Tx } from './write.ts';

/** The tables this writes, in the order they are written. */
export const GOVERNANCE_TABLES = [
  'party_orgs',
  'party_members',
  'building_stewards',
  'compound_pairings',
  'owners_committees',
  'committee_members',
  'gap_tasks',
  'compound_ratings',
  'rating_followups',
  'rating_followup_steps',
  'company_credit',
  'credit_lists',
  'supervision_cases',
] as const;

export interface GovernanceOptions {
  seed: number;
  /** The dataset's year (the twelve months rated and scored). */
  window: SeedWindow;
  /** The moment open tasks and cases are dated against. Default: the current time. */
  now?: Date;
  onProgress?: (message: string) => void;
}

/** The writes of seedGovernance inside a caller's transaction; returns the tables' row counts. */
export async function writeGovernance(
  tx: Tx,
  options: GovernanceOptions,
): Promise<Record<string, number>> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const now = options.now ?? new Date();
  await insertParty(tx, { seed: options.seed, now });
  say(`party organisation, owners' committees and gap tasks (${elapsed()})`);
  await insertRatings(tx, options.window);
  say(`three-colour ratings (${elapsed()})`);
  await insertFollowups(tx, { seed: options.seed, now });
  say(`follow-up of red compounds (${elapsed()})`);
  // The ledgers (a civic table) come before the credit, whose disclosure factor counts them.
  await writeLedgers(tx, { seed: options.seed, window: options.window, now });
  say(`trust-property ledgers (${elapsed()})`);
  await insertCredit(tx, { seed: options.seed, window: options.window, now });
  say(`property-company credit, 红黑榜 and supervision cases (${elapsed()})`);
  return countAll(tx);
}

export async function seedGovernance(
  db: Db,
  options: Omit<GovernanceOptions, 'window'> & { until?: string },
): Promise<{ skipped: boolean; seconds: number; counts: Record<string, number> }> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  if (await hasGovernance(db.kysely)) {
    say('the database already holds party organisations: no governance data seeded');
    return { skipped: true, seconds: 0, counts: {} };
  }
  const window = seedWindow(options.until ?? new Date().toISOString().slice(0, 10));
  const counts = await db.kysely.transaction().execute(async (tx) => {
    if (db.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(20261127)`.execute(tx);
    if (await hasGovernance(tx)) return null;
    await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    // Colours seeded by an earlier method are replaced by the current one's.
    await sql`DELETE FROM compound_ratings`.execute(tx);
    return writeGovernance(tx, { ...options, window });
  });
  if (!counts) return { skipped: true, seconds: 0, counts: {} };
  return { skipped: false, seconds: (performance.now() - t0) / 1000, counts };
}

async function hasGovernance(ex: Tx): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM party_orgs LIMIT 1) s`.execute(ex);
  return r.rows[0].n > 0;
}

async function countAll(tx: Tx): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`SELECT ${sql.join(
    GOVERNANCE_TABLES.map((t) => sql`(SELECT count(*)::int FROM ${sql.table(t)}) AS ${sql.ref(t)}`),
  )}`.execute(tx);
  return r.rows[0];
}
