import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { seedDatabase, seedOperations } from '../scripts/seed/index.ts';

/**
 * First start only: an empty database gets the demo city, with progress on the console. A city
 * seeded before the operations schema (areas, but no accounts) gets its demo accounts, hazard
 * timelines, patrols and whistles on the next start.
 */
export async function seedIfEmpty(db: Db, config: Config): Promise<void> {
  const r = await sql<{ areas: number; accounts: number }>`
    SELECT (SELECT count(*)::int FROM (SELECT 1 FROM areas LIMIT 1) a) AS areas,
      (SELECT count(*)::int FROM (SELECT 1 FROM accounts LIMIT 1) a) AS accounts`.execute(
    db.kysely,
  );
  const { areas, accounts } = r.rows[0]!;
  if (areas > 0 && accounts > 0) return;
  const t0 = Date.now();
  if (areas > 0) {
    console.log('the database has no accounts yet: adding the demo accounts and operations data…');
    await seedOperations(db, {
      seed: config.SEED,
      onProgress: (message: string) => console.log(`  seed: ${message}`),
    });
    console.log(`operations data seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }
  console.log(
    `empty database: seeding the ${config.SEED_SCALE} city (seed ${config.SEED}); this happens once…`,
  );
  await seedDatabase(db, {
    scale: config.SEED_SCALE,
    seed: config.SEED,
    onProgress: (message: string) => console.log(`  seed: ${message}`),
  });
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
