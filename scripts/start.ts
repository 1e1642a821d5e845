/**
 * `npm start` (after the build) and `npm run serve`: gets the database ready, then starts the
 * server (server/main.ts), which itself never seeds.
 *
 * - Embedded PGlite (no DATABASE_URL): the first start seeds the demo city with its demo accounts
 *   (all with the README's password), printing progress; later starts only migrate.
 * - PostgreSQL (DATABASE_URL): nothing is ever seeded. An empty database, or one without an
 *   administrator, gets instructions on the console; a database holding enabled demo accounts
 *   gets a warning, since their password is public.
 *
 * PGlite allows one process per data folder: the database is closed before the server opens it.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../server/config.ts';
import { openDb, type Db } from '../server/db/client.ts';
import { migrateUp } from '../server/db/migrate.ts';
import { accountCounts, listDemoUsernames } from '../server/db/queries/accounts.ts';
import {
  type SeedScale,
  seedCivic,
  seedDatabase,
  seedGovernance,
  seedOperations,
} from './seed/index.ts';

export type StartMode = 'embedded' | 'postgres';

export interface PrepareOptions {
  mode: StartMode;
  scale: SeedScale;
  seed: number;
  /** Seed up to this day (tests); default today. */
  until?: string;
  say?: (message: string) => void;
}

export type PrepareOutcome =
  | 'seeded' // embedded: the demo city and its demo accounts, just now
  | 'operations' // embedded: a city seeded before accounts existed got its operations data
  | 'governance' // embedded: a city seeded before the governance schema got its organisation, credit
  | 'civic' // embedded: a city seeded before issue 11 got its service points, ledgers, deliberation
  | 'ready' // nothing to do
  | 'empty'; // PostgreSQL without areas: nothing seeded, instructions printed

export const FIRST_ADMIN_HINT =
  'create the first administrator with:\n' +
  '  npm run accounts -- create --username admin --role city --name 管理员\n' +
  '(it asks for the password; or pipe it with --password-stdin)';

/** Seeds the embedded demo on first start; on PostgreSQL only says what is missing. */
export async function prepareDatabase(db: Db, o: PrepareOptions): Promise<PrepareOutcome> {
  const say = o.say ?? ((m: string) => console.log(m));
  const state = await sql<{ areas: number; patrols: number; orgs: number }>`
    SELECT (SELECT count(*)::int FROM (SELECT 1 FROM areas LIMIT 1) a) AS areas,
      (SELECT count(*)::int FROM (SELECT 1 FROM patrols LIMIT 1) p) AS patrols,
      (SELECT count(*)::int FROM (SELECT 1 FROM party_orgs LIMIT 1) o) AS orgs`.execute(db.kysely);
  const { areas, patrols, orgs } = state.rows[0]!;
  let counts = await accountCounts(db.kysely);
  let outcome: PrepareOutcome = 'ready';

  if (o.mode === 'embedded' && areas === 0) {
    const t0 = Date.now();
    say(`empty database: seeding the ${o.scale} demo city (seed ${o.seed}); this happens once…`);
    await seedDatabase(db, {
      scale: o.scale,
      seed: o.seed,
      until: o.until,
      demoAccounts: true,
      onProgress: (m) => say(`  seed: ${m}`),
    });
    say(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    outcome = 'seeded';
  } else if (o.mode === 'embedded' && counts.accounts === 0 && patrols === 0) {
    // A demo city seeded before the operations schema: add its demo accounts, patrols, whistles.
    const t0 = Date.now();
    say('the demo city has no accounts yet: adding the demo accounts and operations data…');
    await seedOperations(db, { seed: o.seed, onProgress: (m) => say(`  seed: ${m}`) });
    say(`operations data seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    outcome = 'operations';
  }
  if (o.mode === 'embedded' && areas > 0 && orgs === 0) {
    // A demo city seeded before the governance schema: its party organisation, colours by the
    // current method, follow-ups, credit and the 红黑榜.
    const t0 = Date.now();
    say('the demo city has no party organisation yet: adding the governance data…');
    await seedGovernance(db, { seed: o.seed, onProgress: (m) => say(`  seed: ${m}`) });
    say(`governance data seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (outcome === 'ready') outcome = 'governance';
  }
  if (o.mode === 'embedded' && areas > 0 && outcome !== 'seeded') {
    // A demo city seeded before the deliberation schema: service points, ledgers, proposals,
    // mediation (seedCivic does nothing when they exist).
    const t0 = Date.now();
    const civic = await seedCivic(db, { seed: o.seed });
    if (!civic.skipped) {
      say(
        `added the service points, ledgers, deliberation and mediation data in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (outcome === 'ready') outcome = 'civic';
    }
  }
  if (o.mode === 'postgres' && areas === 0) {
    say(
      'the database is empty: nothing is seeded on PostgreSQL. Load the areas and data, e.g. the ' +
        'generated city: npm run seed -- --scale city (add --demo-accounts only for a demo).',
    );
    outcome = 'empty';
  }

  if (outcome === 'seeded' || outcome === 'operations') counts = await accountCounts(db.kysely);
  if (counts.cityAdmins === 0) say(`no city administrator yet: ${FIRST_ADMIN_HINT}`);
  if (o.mode === 'postgres' && counts.demo > 0) {
    const names = await listDemoUsernames(db);
    say(
      `WARNING: ${names.length} demo account(s) with the README's public password are enabled ` +
        `on this PostgreSQL database (${names.join(', ')}). Disable them: ` +
        'npm run accounts -- disable-demo',
    );
  }
  return outcome;
}

async function main() {
  const config = loadConfig();
  const mode: StartMode = config.DATABASE_URL ? 'postgres' : 'embedded';
  const where = config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`;
  console.log(`民情地图: preparing the database (${where})…`);
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const applied = await migrateUp(db);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
    await prepareDatabase(db, { mode, scale: config.SEED_SCALE, seed: config.SEED });
  } finally {
    await db.close();
  }
  await import('../server/main.ts');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
