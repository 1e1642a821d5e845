import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { backfillCells } from './backfill.ts';
import type { Db } from './client.ts';

/**
 * The static list of migrations, in order. Files are plain SQL with `-- migrate:up` and
 * `-- migrate:down` sections; listing them here (not scanning a folder) means the same set runs
 * on PGlite and PostgreSQL, in bundles and in tests alike.
 */
export const MIGRATIONS = [
  '20261126_0001_core',
  '20261126_0002_area_level_geom_indexes',
  '20261126_0003_operations',
  '20261130_0004_accounts',
  '20261130_0005_sign_in_limits',
  '20261130_0006_rollups',
  '20261130_0007_wall',
  '20261130_0008_governance',
  '20261130_0009_deliberation',
  '20261130_0010_ledgers',
  '20261130_0011_mediation',
  '20261201_0012_api_keys',
  '20261201_0013_open311',
] as const;

interface Migration {
  name: string;
  up: string;
  down: string;
}

function load(name: string): Migration {
  const text = readFileSync(new URL(`./migrations/${name}.sql`, import.meta.url), 'utf8');
  const up = text.indexOf('-- migrate:up');
  const down = text.indexOf('-- migrate:down');
  if (up < 0 || down < up)
    throw new Error(`Migration ${name} lacks '-- migrate:up' / '-- migrate:down'`);
  return { name, up: text.slice(up, down), down: text.slice(down) };
}

async function ensureTable(db: Db): Promise<Set<string>> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const rows = await db.kysely.selectFrom('schema_migrations').select('name').execute();
  return new Set(rows.map((r) => r.name));
}

/** Applies pending migrations; returns the names applied. */
export async function migrateUp(db: Db): Promise<string[]> {
  // Two servers starting at once against one PostgreSQL must not both migrate.
  if (db.kind === 'postgres') await sql`SELECT pg_advisory_lock(20261126)`.execute(db.kysely);
  try {
    const applied = await ensureTable(db);
    const done: string[] = [];
    for (const name of MIGRATIONS) {
      if (applied.has(name)) continue;
      const m = load(name);
      await db.execInTransaction(
        `${m.up}\nINSERT INTO schema_migrations (name) VALUES ('${name}');`,
      );
      done.push(name);
    }
    // Rows written before the H3 cells existed get theirs (a no-op once done).
    await db.kysely.transaction().execute((tx) => backfillCells(tx));
    return done;
  } finally {
    if (db.kind === 'postgres') await sql`SELECT pg_advisory_unlock(20261126)`.execute(db.kysely);
  }
}

/** Reverts the most recent `steps` migrations. */
export async function migrateDown(db: Db, steps = 1): Promise<string[]> {
  const applied = await ensureTable(db);
  const done: string[] = [];
  for (const name of [...MIGRATIONS].reverse()) {
    if (done.length >= steps) break;
    if (!applied.has(name)) continue;
    const m = load(name);
    await db.execInTransaction(`${m.down}\nDELETE FROM schema_migrations WHERE name = '${name}';`);
    done.push(name);
  }
  return done;
}
