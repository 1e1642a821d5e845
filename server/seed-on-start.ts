import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { seedDatabase } from '../scripts/seed/index.ts';

/** First start only: an empty database gets the demo city, with progress on the console. */
export async function seedIfEmpty(db: Db, config: Config): Promise<void> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas`.execute(db.kysely);
  if (r.rows[0]!.n > 0) return;
  const t0 = Date.now();
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
