/**
 * Day-to-day operations on top of a seeded city: offices of the responding bodies, the demo
 * accounts, the rectification timeline of every hazard, a week of grid patrols up to now, and
 * 吹哨报到 on stuck tickets. Seeded history is not audited: the audit log stays empty.
 *
 * Idempotent: it does nothing when accounts exist, so the server can call it on every start to
 * bring a database seeded before the operations schema up to date. Deterministic for a seed and
 * `now`; all of it is written in one transaction.
 *
 * @example
 * await seedOperations(db, { seed: 20261126, onProgress: (m) => console.log(m) });
 */
import { sql } from 'kysely';
import { HAZARD_DEPARTMENT } from '../../geo/operations.ts';
import type { Db } from '../../server/db/client.ts';
import { hashPassword } from '../../server/services/passwords.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  gridworkerName,
  insertAccounts,
  pickScopes,
} from './accounts.ts';
import { insertPatrols } from './patrols.ts';
import { insertWhistles } from './whistles.ts';
import type { Tx } from './write.ts';

export { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoAccount } from './accounts.ts';

export interface OperationsOptions {
  seed: number;
  /** The moment the data runs up to (patrols of today until then). Default: the current time. */
  now?: Date;
  /**
   * Insert the demo accounts (default true). Without them the patrols, whistles and report-ins
   * are written with no account behind them, as if by people who have none yet.
   */
  demoAccounts?: boolean;
  onProgress?: (message: string) => void;
}

export interface OperationsResult {
  skipped: boolean;
  seconds: number;
  counts: Record<string, number>;
}

/** The tables this adds rows to, in the order they are written. */
export const OPERATIONS_TABLES = [
  'accounts',
  'hazard_events',
  'patrols',
  'patrol_checkins',
  'whistles',
  'whistle_report_ins',
] as const;

/** Hashes the demo password once: every demo account shares the hash. */
export function demoPasswordHash(): Promise<string> {
  return hashPassword(DEMO_PASSWORD);
}

export async function seedOperations(
  db: Db,
  options: OperationsOptions,
): Promise<OperationsResult> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  if (await hasAccounts(db.kysely)) {
    say('the database already holds accounts: no operations data seeded');
    return { skipped: true, seconds: 0, counts: {} };
  }
  const passwordHash = await demoPasswordHash();
  const counts = await db.kysely.transaction().execute(async (tx) => {
    if (db.kind === 'postgres') {
      // The same lock as seedDatabase: two servers starting at once must not both seed.
      await sql`SELECT pg_advisory_xact_lock(20261127)`.execute(tx);
    }
    if (await hasAccounts(tx)) return null; // another process did it while we waited
    await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
    return writeOperations(tx, { ...options, passwordHash });
  });
  if (!counts) {
    say('another process seeded the operations data meanwhile');
    return { skipped: true, seconds: 0, counts: {} };
  }
  return { skipped: false, seconds: (performance.now() - t0) / 1000, counts };
}

/**
 * The writes of seedOperations inside a caller's transaction (seedDatabase runs them in its own).
 * Checks what it wrote and returns the row counts of OPERATIONS_TABLES.
 */
export async function writeOperations(
  tx: Tx,
  options: OperationsOptions & { passwordHash: string },
): Promise<Record<string, number>> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const now = options.now ?? new Date();
  const nowS = Math.floor(now.getTime() / 1000);
  const before = await countAll(tx);

  await insertOffices(tx, options.seed);
  const scopes = await pickScopes(tx);
  const withAccounts = options.demoAccounts ?? true;
  const accounts = withAccounts
    ? await insertAccounts(tx, scopes, options.passwordHash, options.seed)
    : Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.username, 0]));
  say(
    `offices and ${withAccounts ? DEMO_ACCOUNTS.length : 'no'} demo accounts (community: ${scopes.names.community}, property: ${scopes.names.company}) (${elapsed()})`,
  );
  const hazardEvents = await insertHazardEvents(tx, options.seed, now);
  say(`${hazardEvents} hazard events (${elapsed()})`);
  const patrols = await insertPatrols(tx, {
    seed: options.seed,
    nowS,
    account: { id: accounts.gridworker, gridId: scopes.grid },
  });
  say(
    `${patrols.patrols} patrols (${patrols.points} track points) with ${patrols.checkins} check-ins (${elapsed()})`,
  );
  const whistles = await insertWhistles(tx, { seed: options.seed, now, scopes, accounts });
  say(
    `${whistles.whistles} whistles (${Object.entries(whistles.states)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}) (${elapsed()})`,
  );

  // A statement cut short inside PGlite's WebAssembly can end without an error: count.
  const after = await countAll(tx);
  const expected: Record<string, number> = {
    accounts: withAccounts ? DEMO_ACCOUNTS.length : 0,
    hazard_events: hazardEvents,
    patrols: patrols.patrols,
    patrol_checkins: patrols.checkins,
    whistles: whistles.whistles,
    whistle_report_ins: whistles.reportIns,
  };
  for (const t of OPERATIONS_TABLES) {
    if (after[t] - before[t] !== expected[t]) {
      throw new Error(
        `Seeding wrote ${after[t] - before[t]} rows to ${t}, expected ${expected[t]}`,
      );
    }
  }
  const offices = (
    await sql<{ n: number }>`SELECT (SELECT count(*) FROM property_companies WHERE office IS NULL)
      + (SELECT count(*) FROM departments WHERE office IS NULL) AS n`.execute(tx)
  ).rows[0];
  if (Number(offices.n) > 0) throw new Error(`${offices.n} responders were left without an office`);
  return after;
}

async function hasAccounts(ex: Tx): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM accounts LIMIT 1) s`.execute(ex);
  return r.rows[0].n > 0;
}

async function countAll(tx: Tx): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`SELECT ${sql.join(
    OPERATIONS_TABLES.map((t) => sql`(SELECT count(*)::int FROM ${sql.table(t)}) AS ${sql.ref(t)}`),
  )}`.execute(tx);
  return r.rows[0];
}

/**
 * Offices in the government quarter of 城关区 (around 南关/东方红广场), a few hundred metres
 * apart, so that 街道吹哨 arcs from one compound to several departments fan out visibly.
 */
const DEPARTMENT_OFFICES: Record<string, [number, number]> = {
  housing: [103.8268, 36.0598],
  urban_management: [103.8301, 36.0632],
  justice: [103.8342, 36.0587],
  police: [103.8289, 36.0571],
  traffic_police: [103.8362, 36.0612],
  fire: [103.825, 36.0625],
  civil_affairs: [103.832, 36.0648],
  market_regulation: [103.8355, 36.0638],
  ecology: [103.8238, 36.0583],
  health: [103.831, 36.056],
  emergency: [103.837, 36.058],
  water: [103.8272, 36.0646],
  heating: [103.8384, 36.0626],
  gas: [103.8226, 36.061],
  power: [103.8335, 36.0658],
};

async function insertOffices(tx: Tx, seed: number): Promise<void> {
  const codes = Object.keys(DEPARTMENT_OFFICES);
  await sql`
    UPDATE departments d SET office = ST_SetSRID(ST_MakePoint(
      coalesce(u.x, 103.82 + (abs(hashint4(d.id + ${seed})) % 1000) / 1000.0 * 0.02),
      coalesce(u.y, 36.055 + (abs(hashint4(d.id - ${seed})) % 1000) / 1000.0 * 0.012)), 4326)
    FROM departments d2
    LEFT JOIN unnest(${codes}::text[], ${codes.map((c) => DEPARTMENT_OFFICES[c][0])}::float8[],
      ${codes.map((c) => DEPARTMENT_OFFICES[c][1])}::float8[]) AS u(code, x, y) ON u.code = d2.code
    WHERE d2.id = d.id AND d.office IS NULL`.execute(tx);
  // A company's office: near the middle of the compounds it manages, a street or two off it.
  // A company managing none (yet) has its office somewhere in the centre of 城关区.
  await sql`
    UPDATE property_companies p SET office = ST_SetSRID(ST_MakePoint(
      coalesce(m.x, 103.80 + j.u * 0.06) + (j.v - 0.5) * 0.003,
      coalesce(m.y, 36.048 + j.w * 0.02) + (j.u - 0.5) * 0.002), 4326)
    FROM property_companies p2
    LEFT JOIN (
      SELECT k.property_company_id AS id, ST_X(ST_Centroid(ST_Collect(a.label_point))) AS x,
        ST_Y(ST_Centroid(ST_Collect(a.label_point))) AS y
      FROM compounds k JOIN areas a ON a.id = k.area_id
      WHERE k.property_company_id IS NOT NULL GROUP BY 1) m ON m.id = p2.id
    CROSS JOIN LATERAL (SELECT
      (hashint8extended(p2.id, ${seed}) & 65535) / 65535.0 AS u,
      (hashint8extended(p2.id, ${seed + 1}) & 65535) / 65535.0 AS v,
      (hashint8extended(p2.id, ${seed + 2}) & 65535) / 65535.0 AS w) j
    WHERE p2.id = p.id AND p.office IS NULL`.execute(tx);
}

/**
 * One event per step each hazard has been through: reported by the grid's gridworker, taken on
 * and rectified by the compound's property company (gas and wiring by their utility, and
 * everything where there is no company by the department of the type), verified by the community
 * (critical and high ones by the subdistrict's safety office). Intermediate times come from a
 * hash of the hazard id.
 */
async function insertHazardEvents(tx: Tx, seed: number, now: Date): Promise<number> {
  const grids = (await sql<{ id: number }>`SELECT id FROM areas WHERE level = 'grid'`.execute(tx))
    .rows;
  const types = Object.keys(HAZARD_DEPARTMENT);
  const r = await sql<{ n: number }>`
    WITH gw AS (
      SELECT * FROM unnest(${grids.map((g) => g.id)}::int4[],
        ${grids.map((g) => gridworkerName(seed, g.id))}::text[]) AS u(grid, name)
    ), td AS (
      SELECT * FROM unnest(${types}::text[],
        ${types.map((t) => HAZARD_DEPARTMENT[t as keyof typeof HAZARD_DEPARTMENT])}::text[]) AS u(type, code)
    ), h AS (
      SELECT h.*, gw.name AS gridworker, cm.name AS community, sd.name AS subdistrict,
        CASE WHEN h.type IN ('gas', 'electrical') THEN d.name ELSE coalesce(pc.name, d.name) END AS rectifier,
        ((hashint8extended(h.id, ${seed}) & 1023) / 1023.0) AS f
      FROM hazards h
      JOIN areas g ON g.id = h.grid_id
      JOIN areas cm ON cm.id = g.path[3]
      JOIN areas sd ON sd.id = g.path[2]
      JOIN gw ON gw.grid = h.grid_id
      JOIN td ON td.type = h.type
      JOIN departments d ON d.code = td.code
      LEFT JOIN compounds k ON k.area_id = h.compound_id
      LEFT JOIN property_companies pc ON pc.id = k.property_company_id
    ), ins AS (
      INSERT INTO hazard_events (hazard_id, at, status, actor, note)
      SELECT h.id, s.at, s.status, s.actor, s.note FROM h
      CROSS JOIN LATERAL (VALUES
        (1, 'reported', h.reported_at, '网格员 ' || h.gridworker, '巡查发现：' || h.description),
        (2, 'rectifying',
          CASE WHEN h.rectified_at IS NOT NULL
            THEN h.reported_at + (h.rectified_at - h.reported_at) * (0.05 + 0.15 * h.f)
            ELSE h.reported_at + (greatest(${now}::timestamptz, h.reported_at) - h.reported_at) * (0.05 + 0.4 * h.f) END,
          h.rectifier, '已接收整改任务，安排人员现场处置'),
        (3, 'rectified', h.rectified_at, h.rectifier, '整改完成，已上传整改前后照片'),
        (4, 'verified', h.verified_at,
          CASE WHEN h.severity IN ('critical', 'high') THEN h.subdistrict || '安全生产办公室' ELSE h.community END,
          '现场复核，验收通过')
      ) AS s(step, status, at, actor, note)
      WHERE s.step <= array_position(ARRAY['reported', 'rectifying', 'rectified', 'verified'], h.status)
      ORDER BY h.id, s.step
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM ins`.execute(tx);
  const expected = (
    await sql<{ n: number }>`SELECT coalesce(sum(array_position(
      ARRAY['reported', 'rectifying', 'rectified', 'verified'], status)), 0)::int AS n FROM hazards`.execute(
      tx,
    )
  ).rows[0].n;
  if (r.rows[0].n !== expected) {
    throw new Error(`Wrote ${r.rows[0].n} hazard events, expected ${expected}`);
  }
  return expected;
}
