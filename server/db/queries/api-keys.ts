/**
 * API keys (api_keys): keys the city administrator issues for an account, for systems that are
 * not a browser. Only the key's hash is ever written or looked up here.
 */
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ApiKeyScope } from '../schema.ts';
import type { Executor } from './audit.ts';
import { ACCOUNT_COLUMNS, ACCOUNT_JOINS, type AccountRowOf } from './accounts.ts';

/** A key as its managers see it: never the key, never its hash. */
export interface ApiKeyRow {
  id: number;
  name: string;
  accountId: number;
  username: string;
  scopes: ApiKeyScope[];
  prefix: string;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
  /** By the database's clock, so every process agrees on when a key expired. */
  expired: boolean;
}

const KEY_COLUMNS = sql`k.id, k.name, k.account_id AS "accountId", o.username, k.scopes,
  k.token_prefix AS prefix, k.created_at AS "createdAt", c.display_name AS "createdBy",
  k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt", r.display_name AS "revokedBy",
  k.last_used_at AS "lastUsedAt", (k.expires_at IS NOT NULL AND k.expires_at <= now()) AS expired`;

const FROM_KEYS = sql`api_keys k
  JOIN accounts o ON o.id = k.account_id
  JOIN accounts c ON c.id = k.created_by
  LEFT JOIN accounts r ON r.id = k.revoked_by`;

/** Every key, newest first. */
export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  const r = await sql<ApiKeyRow>`SELECT ${KEY_COLUMNS} FROM ${FROM_KEYS}
    ORDER BY k.created_at DESC, k.id DESC`.execute(db.kysely);
  return r.rows;
}

export async function findApiKey(tx: Executor, id: number): Promise<ApiKeyRow | undefined> {
  const r = await sql<ApiKeyRow>`SELECT ${KEY_COLUMNS} FROM ${FROM_KEYS}
    WHERE k.id = ${id}`.execute(tx);
  return r.rows[0];
}

export interface NewApiKey {
  name: string;
  accountId: number;
  scopes: ApiKeyScope[];
  tokenHash: string;
  prefix: string;
  createdBy: number;
  /** Days from now (the database's clock); null for a key that does not expire. */
  expiresInDays: number | null;
}

export async function insertApiKey(tx: Executor, k: NewApiKey): Promise<number> {
  const expires =
    k.expiresInDays === null ? sql`NULL` : sql`now() + make_interval(days => ${k.expiresInDays})`;
  const r = await sql<{ id: number }>`INSERT INTO api_keys
      (name, account_id, scopes, token_hash, token_prefix, created_by, expires_at)
    VALUES (${k.name}, ${k.accountId}, ${k.scopes}::text[], ${k.tokenHash}, ${k.prefix},
      ${k.createdBy}, ${expires})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}

/** Revokes a key unless it already is; whether this call revoked it. */
export async function revokeApiKey(tx: Executor, id: number, by: number): Promise<boolean> {
  const r = await sql<{ id: number }>`UPDATE api_keys SET revoked_at = now(), revoked_by = ${by}
    WHERE id = ${id} AND revoked_at IS NULL RETURNING id`.execute(tx);
  return r.rows.length > 0;
}

/** A usable key's own fields and its account (not disabled), else undefined. */
export async function findUsableApiKey(db: Db, tokenHash: string) {
  const r = await sql<
    AccountRowOf & {
      keyId: number;
      keyName: string;
      scopes: ApiKeyScope[];
      expiresAtMs: number | null;
    }
  >`SELECT ${ACCOUNT_COLUMNS}, k.id AS "keyId", k.name AS "keyName", k.scopes,
      (extract(epoch FROM k.expires_at) * 1000)::float8 AS "expiresAtMs"
    FROM api_keys k JOIN accounts a ON a.id = k.account_id ${ACCOUNT_JOINS}
    WHERE k.token_hash = ${tokenHash} AND k.revoked_at IS NULL AND NOT a.disabled
      AND (k.expires_at IS NULL OR k.expires_at > now())`.execute(db.kysely);
  return r.rows[0];
}

/** Records a use at most once per `minSeconds` (by any process). */
export async function touchApiKey(db: Db, id: number, minSeconds: number) {
  await sql`UPDATE api_keys SET last_used_at = now()
    WHERE id = ${id} AND (last_used_at IS NULL
      OR last_used_at < now() - make_interval(secs => ${minSeconds}))`.execute(db.kysely);
}
