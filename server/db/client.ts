import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { Kysely, PostgresDialect } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database } from './schema.ts';

export type DbKind = 'pglite' | 'postgres';

/** The database the app runs on: the embedded PGlite + PostGIS, or a PostgreSQL + PostGIS server. */
export interface Db {
  readonly kind: DbKind;
  readonly kysely: Kysely<Database>;
  /** Runs a parameterless multi-statement script (migrations, bulk SQL). */
  exec(script: string): Promise<void>;
  /** Runs a parameterless multi-statement script in one transaction. */
  execInTransaction(script: string): Promise<void>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel` (sent with pg_notify in a write's transaction,
   * so it arrives only once the write is committed). PostgreSQL: a dedicated LISTEN connection
   * that postgres.js re-establishes after an outage; PGlite: its in-process notifications.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball, to be opened again with `loadDataDir`. */
  dumpDataDir?(): Promise<Blob>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; `memory://` for a throwaway database. */
  dataDir: string;
  /** PGlite only: start from a tarball made by `dumpDataDir` (tests share one seeded city). */
  loadDataDir?: Blob;
}

export async function openDb(options: OpenOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPglite(options.dataDir, options.loadDataDir);
}

function openPostgres(url: string): Db {
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    // Fail fast while the server is down so requests get a 503 instead of hanging; postgres.js
    // reconnects by itself on the next query once the server is back.
    connect_timeout: 5,
    idle_timeout: 30,
    // JIT compiling these aggregate queries costs ~0.7 s each and saves nothing at this size.
    connection: { jit: 'off' },
    transform: { undefined: null },
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
  return {
    kind: 'postgres',
    kysely,
    exec: async (script) => {
      await sql.unsafe(script);
    },
    execInTransaction: async (script) => {
      await sql.begin((tx) => tx.unsafe(script));
    },
    listen: async (channel, onPayload) => {
      const { unlisten } = await sql.listen(channel, onPayload);
      return unlisten;
    },
    close: async () => {
      // Not kysely.destroy(): its end() waits forever for a query stranded on a connection
      // that died during an outage. Give queries five seconds, then drop the sockets.
      await sql.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Db> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, { extensions: { postgis }, loadDataDir });
  // PGlite is a single connection. Kysely's PostgresDialect gets a pool of one whose connect()
  // waits its turn, so a transaction never interleaves with another request's queries.
  let tail: Promise<void> = Promise.resolve();
  const client = {
    query: async (text: string, params: unknown[]) => {
      const result = await pg.query(text, params as any[]);
      return {
        command: text.trimStart().slice(0, 6).toUpperCase(),
        rowCount: result.affectedRows ?? result.rows.length,
        rows: result.rows,
      };
    },
  };
  const pool = {
    connect: async () => {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((r) => (release = r));
      await previous;
      return { ...client, release: () => release() };
    },
    end: async () => {},
  };
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as any }) });
  return {
    kind: 'pglite',
    kysely,
    exec: async (script) => {
      const conn = await pool.connect();
      try {
        await pg.exec(script);
      } finally {
        conn.release();
      }
    },
    execInTransaction: async (script) => {
      const conn = await pool.connect();
      try {
        await pg.transaction((tx) => tx.exec(script));
      } finally {
        conn.release();
      }
    },
    listen: async (channel, onPayload) => {
      const conn = await pool.connect();
      try {
        const unlisten = await pg.listen(channel, onPayload);
        return async () => {
          const c = await pool.connect();
          try {
            await unlisten();
          } finally {
            c.release();
          }
        };
      } finally {
        conn.release();
      }
    },
    dumpDataDir: async () => {
      const conn = await pool.connect();
      try {
        return await pg.dumpDataDir('none');
      } finally {
        conn.release();
      }
    },
    close: async () => {
      await kysely.destroy();
      await pg.close();
    },
  };
}
