import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDb } from '../server/db/client.ts';
import { migrateDown, migrateUp } from '../server/db/migrate.ts';
import { seedDatabase } from '../scripts/seed/index.ts';

/** The seeded city every API test reads: seeded once per run, on the database under test. */
export const TEST_SEED = {
  scale: 'test',
  seed: 7,
  until: new Date().toISOString().slice(0, 10),
} as const;

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | undefined;
    pgliteDump: string | undefined;
    testSeed: typeof TEST_SEED;
  }
}

export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const t0 = Date.now();
  const db = await openDb({ databaseUrl, dataDir: 'memory://' });
  let dump: string | undefined;
  try {
    if (databaseUrl) {
      // A clean slate on the server: roll back everything, then build it again.
      await migrateUp(db);
      await migrateDown(db, 100);
    }
    await migrateUp(db);
    await seedDatabase(db, {
      scale: TEST_SEED.scale,
      seed: TEST_SEED.seed,
      until: TEST_SEED.until,
    });
    if (!databaseUrl) {
      const dir = resolve('.cache/test-db');
      mkdirSync(dir, { recursive: true });
      removeOrphanDumps(dir);
      dump = join(dir, `seeded-${process.pid}.tar`);
      writeFileSync(dump, new Uint8Array(await (await db.dumpDataDir!()).arrayBuffer()));
    }
    project.provide('databaseUrl', databaseUrl);
    project.provide('pgliteDump', dump);
    project.provide('testSeed', TEST_SEED);
    console.log(
      `test database: ${databaseUrl ? 'PostgreSQL' : 'PGlite'} seeded (${TEST_SEED.scale}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await db.close();
  }
  // Each run's dump (~300 MB) goes with the run.
  return () => {
    if (dump) rmSync(dump, { force: true });
  };
}

/** Dumps left by runs that were killed before their teardown: their process is gone. */
function removeOrphanDumps(dir: string) {
  for (const name of readdirSync(dir)) {
    const pid = Number(/^seeded-(\d+)\.tar$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
