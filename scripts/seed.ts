/**
 * npm run seed -- --scale demo|city|stress|test --seed N [--until YYYY-MM-DD] [--reset]
 *                 [--demo-accounts | --no-demo-accounts]
 *
 * Seeds the database the app would use (DATABASE_URL, else the PGlite folder DATA_DIR, default
 * ./data), migrating it first. Refuses a database that already has areas unless --reset is given;
 * one seeded before the operations schema gets only the operations data added (with the demo
 * accounts only).
 *
 * The demo accounts (city, district, community… all with the README's public password) are
 * added by default on the embedded database and left out on PostgreSQL, where --demo-accounts
 * must ask for them: a real deployment creates its accounts with `npm run accounts`.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { openDb } from '../server/db/client.ts';
import { migrateUp } from '../server/db/migrate.ts';
import {
  SEED_SCALES,
  type SeedScale,
  seedDatabase,
  seedCivic,
  seedGovernance,
  seedOperations,
} from './seed/index.ts';

const HELP = `npm run seed -- [options]

  --scale demo|city|stress|test   dataset size (default demo)
  --seed N                        random seed (default 20261126)
  --until YYYY-MM-DD              the data covers the twelve months before (default today)
  --reset                         replace the data of a database that already has some
  --demo-accounts                 add the demo accounts, all with the README's public password
                                  (default on the embedded database, off on DATABASE_URL)
  --no-demo-accounts              leave them out (then: npm run accounts -- create …)
`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      scale: { type: 'string', default: 'demo' },
      seed: { type: 'string', default: '20261126' },
      until: { type: 'string' },
      reset: { type: 'boolean', default: false },
      'demo-accounts': { type: 'boolean' },
      'no-demo-accounts': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const scale = values.scale as SeedScale;
if (!SEED_SCALES.includes(scale)) {
  console.error(`--scale must be one of ${SEED_SCALES.join(', ')}`);
  process.exit(2);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error('--seed must be an integer');
  process.exit(2);
}
if (values.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.until)) {
  console.error('--until must be YYYY-MM-DD');
  process.exit(2);
}
if (values['demo-accounts'] && values['no-demo-accounts']) {
  console.error('give --demo-accounts or --no-demo-accounts, not both');
  process.exit(2);
}

const config = loadConfig();
const demoAccounts = values['demo-accounts']
  ? true
  : values['no-demo-accounts']
    ? false
    : !config.DATABASE_URL;
const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const applied = await migrateUp(db);
  if (applied.length > 0) console.log(`migrated: ${applied.join(', ')}`);
  const where = config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`;
  console.log(
    `seeding ${scale} (seed ${seed}${values.until ? `, until ${values.until}` : ''}) into ${where}, ` +
      (demoAccounts ? 'with the demo accounts (password in the README)' : 'without demo accounts'),
  );
  const result = await seedDatabase(db, {
    scale,
    seed,
    until: values.until,
    reset: values.reset,
    demoAccounts,
    onProgress: (m) => console.log(`  ${m}`),
  });
  if (result.skipped) {
    // A city seeded before the operations schema still gets its demo accounts, patrols and
    // whistles; without demo accounts there is no telling whether they were added already.
    const ops = demoAccounts
      ? await seedOperations(db, { seed, onProgress: (m) => console.log(`  ${m}`) })
      : { skipped: true, seconds: 0 };
    // A city seeded before the governance schema gets its organisation, colours and credit.
    const gov = await seedGovernance(db, {
      seed,
      until: values.until,
      onProgress: (m) => console.log(`  ${m}`),
    });
    // …and one seeded before issue 11 its service points, ledgers, deliberation and mediation.
    const civic = await seedCivic(db, {
      seed,
      until: values.until,
      onProgress: (m) => console.log(`  ${m}`),
    });
    if (ops.skipped && gov.skipped && civic.skipped) {
      console.error('The database already has data; run with --reset to replace it.');
      process.exitCode = 1;
    } else {
      if (!ops.skipped) console.log(`added the operations data in ${ops.seconds.toFixed(1)} s`);
      if (!gov.skipped) console.log(`added the governance data in ${gov.seconds.toFixed(1)} s`);
      if (!civic.skipped)
        console.log(`added the deliberation and ledger data in ${civic.seconds.toFixed(1)} s`);
    }
  } else if (!demoAccounts) {
    console.log(
      'no accounts yet: npm run accounts -- create --username admin --role city --name 管理员',
    );
  }
} finally {
  await db.close();
}
