/**
 * Deliberation and transparency on top of the governance seed (issue 11): the service points and
 * 执法进小区 visits (service-points.ts), the trust-property ledgers (ledgers.ts, which also bring
 * the companies' disclosure record into their credit), the proposals, joint meetings and three
 * lists (deliberation.ts) and the mediation committees and cases (mediation.ts).
 *
 * `seedCivic` is idempotent like seedGovernance: it does nothing when service points exist, so the
 * server can call it on every start to bring a demo city seeded before this schema up to date.
 *
 * @example
 * await seedCivic(db, { seed: 20261126, onProgress: (m) => console.log(m) });
 */
import { sql } from 'kysely';
import type { Db } from '../../server/db/client.ts';
import { seedWindow, type SeedWindow } from './calendar.ts';
import { DELIBERATION_TABLES, insertDeliberation } from './deliberation.ts';
import { insertLedgers, LEDGER_TABLES } from './ledgers.ts';
import { insertMediation, MEDIATION_TABLES } from './mediation.ts';
import { insertServicePoints, SERVICE_POINT_TABLES } from './service-points.ts';
import type { Tx } from './write.ts';

/** The tables this writes, in the order they are written (each module lists its own). */
export const CIVIC_TABLES = [
  ...SERVICE_POINT_TABLES,
  ...LEDGER_TABLES,
  ...DELIBERATION_TABLES,
  ...MEDIATION_TABLES,
] as const;

export interface CivicOptions {
  seed: number;
  /** The dataset's year. */
  window: SeedWindow;
  /** The moment open items are dated against. Default: the current time. */
  now?: Date;
  onProgress?: (message: string) => void;
}

/** The writes of seedCivic inside a caller's transaction; returns the tables' row counts. */
export async function writeCivic(tx: Tx, options: CivicOptions): Promise<Record<string, number>> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const o = { seed: options.seed, window: options.window, now: options.now ?? new Date() };
  await insertServicePoints(tx, o);
  say(`service points and 执法进小区 visits (${elapsed()})`);
  await insertLedgers(tx, o);
  say(`trust-property ledgers and the companies' disclosure record (${elapsed()})`);
  await insertDeliberation(tx, o);
  say(`proposals, joint meetings and the three lists (${elapsed()})`);
  await insertMediation(tx, o);
  say(`mediation committees, rooms and cases (${elapsed()})`);
  return countAll(tx);
}

export async function seedCivic(
  db: Db,
  options: Omit<CivicOptions, 'window'> & { until?: string },
): Promise<{ skipped: boolean; seconds: number; counts: Record<string, number> }> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  if (await hasCivic(db.kysely)) {
    say('the database already holds service points: no deliberation or ledger data seeded');
    return { skipped: true, seconds: 0, counts: {} };
  }
  const window = seedWindow(options.until ?? new Date().toISOString().slice(0, 10));
  const counts = await db.kysely.transaction().execute(async (tx) => {
    if (db.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(20261128)`.execute(tx);
    if (await hasCivic(tx)) return null;
    await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    return writeCivic(tx, { ...options, window });
  });
  if (!counts) return { skipped: true, seconds: 0, counts: {} };
  return { skipped: false, seconds: (performance.now() - t0) / 1000, counts };
}

async function hasCivic(ex: Tx): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM service_points LIMIT 1) s`.execute(ex);
  return r.rows[0].n > 0;
}

async function countAll(tx: Tx): Promise<Record<string, number>> {
  if (CIVIC_TABLES.length === 0) return {};
  const r = await sql<Record<string, number>>`SELECT ${sql.join(
    CIVIC_TABLES.map((t) => sql`(SELECT count(*)::int FROM ${sql.table(t)}) AS ${sql.ref(t)}`),
  )}`.execute(tx);
  return r.rows[0];
}
