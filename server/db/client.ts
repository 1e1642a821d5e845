import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { CompiledQuery, Kysely, PostgresDialect, type DatabaseConnection } from 'kysely';
import {
  PostgresJSDialect,
  PostgresJSDriver,
  type PostgresJSDialectConfig,
} from 'kysely-postgres-js';
import postgres from 'postgres';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import type { Database } from './schema.ts';
import { StartupError } from './startup-error.ts';

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

/** How long a query may wait for a free connection of the pool before it fails with a 503. */
const ACQUIRE_TIMEOUT_MS = 4_000;

/**
 * Kysely reserves a connection for every query. postgres.js queues `reserve()` without limit while
 * the pool is busy reconnecting, so during an outage requests would wait for minutes. Bound it: a
 * reservation that comes too late is handed back at once and the query fails as unavailable.
 */
function withAcquireTimeout(sql: postgres.Sql, ms: number): postgres.Sql {
  const reserve = () =>
    new Promise<postgres.ReservedSql>((resolveReserve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        reject(
          Object.assign(new Error(`no database connection within ${ms / 1000} s`), {
            code: 'CONNECT_TIMEOUT',
          }),
        );
      }, ms);
      sql.reserve().then(
        (reserved) => {
          clearTimeout(timer);
          if (late) reserved.release();
          else resolveReserve(reserved);
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (!late) reject(err as Error);
        },
      );
    });
  return new Proxy(sql, {
    get: (target, prop, receiver) =>
      prop === 'reserve' ? reserve : Reflect.get(target, prop, receiver),
  });
}

/**
 * Kysely 0.28 marks a connection whose ROLLBACK failed for discard through a private method that
 * kysely-postgres-js's connections lack, so a transaction cut by an outage ended in a TypeError (a
 * 500) instead of the database's error (a 503). postgres.js drops dead connections by itself: the
 * rollback's own error is what the caller must see.
 */
class OutageSafeDriver extends PostgresJSDriver {
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

class OutageSafeDialect extends PostgresJSDialect {
  constructor(private readonly options: PostgresJSDialectConfig) {
    super(options);
  }
  override createDriver() {
    return new OutageSafeDriver(this.options);
  }
}

function openPostgres(url: string): Db {
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    // Fail fast while the server is down so requests get a 503 instead of hanging; postgres.js
    // reconnects by itself on the next query once the server is back.
    connect_timeout: 4,
    idle_timeout: 30,
    // JIT compiling these aggregate queries costs ~0.7 s each and saves nothing at this size.
    // Server-side bounds: no statement runs away, no transaction holds locks while its client is
    // gone (a request is answered within 6 s anyway; see REQUEST_DEADLINE_MS in app.ts).
    connection: {
      jit: 'off',
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 30_000,
    },
    transform: { undefined: null },
  });
  const kysely = new Kysely<Database>({
    dialect: new OutageSafeDialect({ postgres: withAcquireTimeout(sql, ACQUIRE_TIMEOUT_MS) }),
  });
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

/** Emscripten's errno numbers (PGlite's file system), for messages an operator can act on. */
const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'permission denied',
  44: 'no such file or folder',
  51: 'no space left on the device',
  54: 'not a folder',
  63: 'operation not permitted',
  69: 'read-only file system',
};

function describeFsError(err: unknown): string {
  const e = err as { code?: string; errno?: number; name?: string; message?: string };
  if (e?.name === 'ErrnoError' && typeof e.errno === 'number') {
    return EMSCRIPTEN_ERRNO[e.errno] ?? `file system error ${e.errno}`;
  }
  const first = String(e?.message ?? err).split('\n')[0]!;
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir never returns for some paths on special
 * file systems (a folder under /proc spins forever), so it must not be trusted with a user's path.
 */
function makeDir(dir: string) {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDir(parent);
  mkdirSync(dir);
}

/** The folder exists (or can be made), is a folder, and this process can write in it. */
function checkDataDir(dir: string) {
  try {
    makeDir(dir);
    if (!statSync(dir).isDirectory())
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    // Permissions can say yes on a read-only mount (and always do for root): try a write.
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'read-only file system'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'it is not a folder'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : describeFsError(err);
    throw new StartupError(
      `cannot use the data folder ${dir}: ${why}; set DATA_DIR to a folder this user can write`,
    );
  }
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Db> {
  let lock: DataDirLock | null = null;
  if (!dataDir.startsWith('memory://')) {
    checkDataDir(dataDir);
    lock = lockDataDir(dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir, { extensions: { postgis }, loadDataDir });
  } catch (err) {
    lock?.release();
    throw new StartupError(
      `cannot open the embedded database in ${dataDir}: ${describeFsError(err)}`,
    );
  }
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
      try {
        await kysely.destroy();
        await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
}
