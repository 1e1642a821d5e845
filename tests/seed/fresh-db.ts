/**
 * Fresh, migrated databases for the seed tests: PGlite in memory, or scratch databases beside
 * DATABASE_URL when the suite runs on PostgreSQL (dropped again by `closeFreshDbs`).
 */
import { sql } from 'kysely';
import { openDb, type Db } from '../../server/db/client.ts';
import { migrateUp } from '../../server/db/migrate.ts';

const opened: Db[] = [];
const scratch: string[] = [];

export async function freshDb(name: string): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDb({ dataDir: 'memory://' });
    opened.push(db);
    await migrateUp(db);
    return db;
  }
  const admin = await openDb({ databaseUrl: url, dataDir: 'memory://' });
  const target = `${new URL(url).pathname.slice(1)}_seed_${name}`;
  scratch.push(target);
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(target)}`.execute(admin.kysely);
    await sql`CREATE DATABASE ${sql.id(target)}`.execute(admin.kysely);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.pathname = `/${target}`;
  const db = await openDb({ databaseUrl: u.toString(), dataDir: 'memory://' });
  opened.push(db);
  await migrateUp(db);
  return db;
}

export async function closeFreshDbs(): Promise<void> {
  for (const d of opened.splice(0)) await d.close();
  if (scratch.length === 0) return;
  const admin = await openDb({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
  for (const name of scratch.splice(0))
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(admin.kysely);
  await admin.close();
}
