/**
 * Seeds a migrated, empty database with a plausible Lanzhou: the real districts, subdistricts and
 * communities, generated grids, compounds and buildings inside them, property companies and
 * departments, a year of tickets with their timelines, hazards, and monthly three-colour ratings;
 * then the operations on top (operations.ts): demo accounts, hazard timelines, a week of patrols
 * and 吹哨报到 on stuck tickets.
 *
 * Deterministic: the same (scale, seed, until) gives the same rows. It refuses (returns
 * `{ skipped: true }`) when areas already exist, unless `reset` is set, so the server can call it on
 * every start. Everything is written in one transaction, so a failed seed leaves nothing behind.
 *
 * @example
 * await seedDatabase(db, { scale: 'demo', seed: 20261126, onProgress: (m) => console.log(m) });
 */
import { sql } from 'kysely';
import { localFrame } from '../../geo/local-frame.ts';
import { createRng } from '../../geo/prng.ts';
import type { Db } from '../../server/db/client.ts';
import { beijingYmd, seedWindow } from './calendar.ts';
import { backfillCells } from '../../server/db/backfill.ts';
import { describeCompounds } from './compounds.ts';
import { markRepeats } from './repeats.ts';
import { generateGeography } from './geography.ts';
import { generateHazards } from './hazards.ts';
import { loadLanzhou } from './lanzhou.ts';
import { demoPasswordHash, OPERATIONS_TABLES, writeOperations } from './operations.ts';
import { CIVIC_TABLES, writeCivic } from './civic.ts';
import { GOVERNANCE_TABLES, writeGovernance } from './governance.ts';
import { generateCompanies } from './responders.ts';
import { SCALES, SEED_SCALES, type SeedScale } from './scales.ts';
import { dailySequence, insertTicketBatch } from './ticket-sql.ts';
import { generateTickets, orderByReceived, type TicketSource } from './tickets.ts';
import {
  insertAreas,
  insertBuildings,
  insertCompounds,
  insertHazards,
  insertResponders,
  syncSequences,
  type Tx,
  withIndexesDeferred,
} from './write.ts';

export { SCALES, SEED_SCALES, type SeedScale } from './scales.ts';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, seedOperations } from './operations.ts';
export { seedGovernance } from './governance.ts';
export { seedCivic } from './civic.ts';

export interface SeedOptions {
  scale: SeedScale;
  seed: number;
  /** YYYY-MM-DD; the data covers the twelve months before it. Default: today (UTC). */
  until?: string;
  /** Empty the seeded tables first instead of refusing a non-empty database. */
  reset?: boolean;
  /** Add the demo accounts, all with the README's password (default true: the embedded demo). */
  demoAccounts?: boolean;
  /**
   * The moment the operations data (today's patrols, whistles' clocks) runs up to. Default: the
   * current time, whatever `until` is.
   */
  now?: Date;
  onProgress?: (message: string) => void;
}

export interface SeedResult {
  skipped: boolean;
  seconds: number;
  counts: Record<string, number>;
}

/** The metric frame all generation happens in, centred on the city. */
const FRAME_ORIGIN: [number, number] = [103.8, 36.06];
const SEEDED_TABLES = [
  'audit_log',
  'idempotency_keys',
  'sessions',
  ...[...CIVIC_TABLES].reverse(),
  ...[...GOVERNANCE_TABLES].reverse(),
  ...[...OPERATIONS_TABLES].reverse(),
  'ticket_events',
  'tickets',
  'hazards',
  'buildings',
  'compounds',
  'property_companies',
  'departments',
  'areas',
];

export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  const scale = SCALES[options.scale];
  if (!scale) {
    throw new Error(`Unknown scale ${options.scale}; use one of ${SEED_SCALES.join(', ')}`);
  }
  const until = options.until ?? new Date().toISOString().slice(0, 10);
  const window = seedWindow(until);
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

  if (!options.reset && (await hasData(db))) {
    say('the database already holds areas: nothing seeded');
    return { skipped: true, seconds: 0, counts: {} };
  }

  // Everything that does not need the database is generated first, outside the transaction.
  // Each part draws from a stream named by what it depends on: the city (areas, compounds,
  // companies) is the same for `city` and `stress` and for any `until`; the year's events are not.
  const base = `minqing/${options.seed}`;
  const cityRng = createRng(`${base}/city/${scale.compounds}/${scale.compoundsPerGrid}`);
  const frame = localFrame(FRAME_ORIGIN);
  const geography = generateGeography(loadLanzhou(), scale, frame, cityRng.fork('geography'), say);
  const companies = generateCompanies(
    createRng(`${base}/companies/${scale.companies}`),
    scale.companies,
    loadLanzhou().districts.map((d) => d.code),
  );
  const { compounds, buildings } = describeCompounds(
    geography.compounds,
    companies,
    cityRng.fork('compounds'),
  );
  const byId = new Map(geography.areas.map((a) => [a.id, a]));
  const sources: TicketSource[] = geography.compounds.map((plan, i) => ({
    plan,
    compound: compounds[i],
    grid: byId.get(plan.area.parentId!)!,
  }));
  say(
    `geography: ${geography.areas.length} areas, ${compounds.length} compounds, ${buildings.length} buildings (${elapsed()})`,
  );
  const tickets = generateTickets({
    sources,
    companies,
    window,
    target: scale.tickets,
    frame,
    rng: createRng(`${base}/tickets/${scale.tickets}/${until}`),
  });
  const order = orderByReceived(tickets);
  const seq = dailySequence(tickets, order);
  const repeats = markRepeats(tickets);
  const hazards = generateHazards(
    sources,
    scale.hazardsPerCompound,
    window,
    frame,
    createRng(`${base}/hazards/${scale.hazardsPerCompound}/${until}`),
  );
  const hazardCodes = codesByDay(
    'H',
    hazards.map((h) => h.reportedS),
    4,
  );
  say(`generated ${tickets.n} tickets and ${hazards.length} hazards (${elapsed()})`);
  const passwordHash = await demoPasswordHash();

  const wrote = await db.kysely.transaction().execute(async (tx) => {
    if (db.kind === 'postgres') {
      // Two servers starting at once on an empty database must not both seed it.
      await sql`SELECT pg_advisory_xact_lock(20261127)`.execute(tx);
    }
    // Sorting a batch's events and building indexes over the whole year want more than the
    // default 4 MB, which would spill to temporary files (slow in PGlite's in-memory file system).
    await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
    await sql`SET LOCAL maintenance_work_mem = '512MB'`.execute(tx);
    // A bulk load, not a request: the server's 30 s bound on a statement does not apply (counting
    // the rollups of the stress dataset takes minutes).
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    if (options.reset) {
      // The audit log refuses TRUNCATE so that nobody can quietly erase history; a reset replaces
      // the whole dataset, history included, so the guard is lifted for this one statement. The
      // ALTER is transactional: if anything fails the trigger is back as it was.
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate`.execute(tx);
      await sql`TRUNCATE ${sql.join(SEEDED_TABLES.map((t) => sql.table(t)))} RESTART IDENTITY CASCADE`.execute(
        tx,
      );
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate`.execute(tx);
    } else if (
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas`.execute(tx)).rows[0].n > 0
    ) {
      return false; // another process seeded it while we were generating
    }
    // Rollups are counted once at the end, not ticket by ticket as the trigger would.
    await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollups`.execute(tx);
    await insertAreas(tx, geography.areas, frame);
    await insertResponders(tx, companies);
    await insertCompounds(tx, compounds);
    await insertBuildings(tx, buildings, frame);
    say(`wrote areas, companies, compounds and buildings (${elapsed()})`);
    const batch = db.kind === 'pglite' ? 25_000 : 50_000;
    await withIndexesDeferred(tx, ['tickets', 'ticket_events'], async () => {
      for (let from = 0; from < tickets.n; from += batch) {
        const to = Math.min(tickets.n, from + batch);
        await insertTicketBatch(tx, tickets, order, seq, from, to, {
          seed: options.seed,
          window,
          repeats,
        });
        say(`tickets ${to}/${tickets.n} with their timelines (${elapsed()})`);
      }
      say(`indexing tickets and events (${elapsed()})`);
    });
    await insertHazards(tx, hazards, hazardCodes);
    await syncSequences(tx);
    await expectCounts(tx, {
      areas: geography.areas.length,
      compounds: compounds.length,
      buildings: buildings.length,
      tickets: tickets.n,
      hazards: hazards.length,
    });
    say(`wrote hazards (${elapsed()})`);
    await writeOperations(tx, {
      seed: options.seed,
      now: options.now,
      passwordHash,
      demoAccounts: options.demoAccounts,
      onProgress: (m) => say(`operations: ${m}`),
    });
    say(`wrote the operations data (${elapsed()})`);
    const governance = await writeGovernance(tx, {
      seed: options.seed,
      window,
      now: options.now,
      onProgress: (m) => say(`governance: ${m}`),
    });
    if (governance.compound_ratings !== 12 * compounds.length) {
      throw new Error(
        `Seeding wrote ${governance.compound_ratings} ratings, expected ${12 * compounds.length}`,
      );
    }
    say(`wrote the governance data (${elapsed()})`);
    await writeCivic(tx, {
      seed: options.seed,
      window,
      now: options.now,
      onProgress: (m) => say(`deliberation and transparency: ${m}`),
    });
    say(`wrote the deliberation, ledger and mediation data (${elapsed()})`);
    await backfillCells(tx);
    await sql`SELECT rebuild_ticket_rollups()`.execute(tx);
    await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollups`.execute(tx);
    say(`counted the rollups (${elapsed()})`);
    return true;
  });
  if (!wrote) {
    say('another process seeded the database meanwhile: nothing seeded');
    return { skipped: true, seconds: 0, counts: {} };
  }
  // Fresh statistics, or the first map queries plan against empty tables.
  await sql`ANALYZE`.execute(db.kysely);
  const counts = await countRows(db);
  say(
    `done in ${elapsed()}: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  return { skipped: false, seconds: (performance.now() - t0) / 1000, counts };
}

/** Guards against a statement that stopped short without an error (seen in PGlite). */
async function expectCounts(tx: Tx, expected: Record<string, number>): Promise<void> {
  for (const [table, n] of Object.entries(expected)) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
      tx,
    );
    if (r.rows[0].n !== n)
      throw new Error(`Seeding wrote ${r.rows[0].n} rows to ${table}, expected ${n}`);
  }
}

async function hasData(db: Db): Promise<boolean> {
  const r = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM areas LIMIT 1) s`.execute(db.kysely);
  return r.rows[0].n > 0;
}

async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of [...SEEDED_TABLES].reverse()) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(
      db.kysely,
    );
    counts[t] = r.rows[0].n;
  }
  return counts;
}

/** Codes like H20261101001: prefix, Beijing date, and the number within that day. */
function codesByDay(prefix: string, timesS: number[], digits: number): string[] {
  let day = '';
  let n = 0;
  return timesS.map((s) => {
    const ymd = beijingYmd(s);
    n = ymd === day ? n + 1 : 1;
    day = ymd;
    return `${prefix}${ymd}${String(n).padStart(digits, '0')}`;
  });
}
