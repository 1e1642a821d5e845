/**
 * npm run seed -- --scale demo|city|stress|test --seed N [--until YYYY-MM-DD] [--reset]
 *
 * Seeds the database the app would use (DATABASE_URL, else the PGlite folder DATA_DIR, default
 * ./data), migrating it first. Refuses a database that already has areas unless --reset is given;
 * one seeded before the operations schema gets only the operations data (demo accounts, patrols,
 * whistles) added.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { openDb } from '../server/db/client.ts';
import { migrateUp } from '../server/db/migrate.ts';
import { SEED_SCALES, type SeedScale, seedDatabase, seedOperations } from './seed/index.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'demo' },
    seed: { type: 'string', default: '20261126' },
    until: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});
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

const config = loadConfig();
const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const applied = await migrateUp(db);
  if (applied.length > 0) console.log(`migrated: ${applied.join(', ')}`);
  const where = config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`;
  console.log(
    `seeding ${scale} (seed ${seed}${values.until ? `, until ${values.until}` : ''}) into ${where}`,
  );
  const result = await seedDatabase(db, {
    scale,
    seed,
    until: values.until,
    reset: values.reset,
    onProgress: (m) => console.log(`  ${m}`),
  });
  if (result.skipped) {
    // A city seeded before the operations schema still gets its demo accounts, patrols and whistles.
    const ops = await seedOperations(db, { seed, onProgress: (m) => console.log(`  ${m}`) });
    if (ops.skipped) {
      console.error('The database already has data; run with --reset to replace it.');
      process.exitCode = 1;
    } else {
      console.log(`added the operations data in ${ops.seconds.toFixed(1)} s`);
    }
  }
} finally {
  await db.close();
}
