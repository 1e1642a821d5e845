/**
 * Display credentials (display_credentials): the keys the city issues to unattended walls. Only
 * the key's hash is ever written or looked up here.
 */
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { jsonb } from '../postgis.ts';
import type { Executor } from './audit.ts';

export type { Executor } from './audit.ts';

/** A credential as its managers see it (names of the accounts that issued and revoked it). */
export interface DisplayRow {
  id: number;
  name: string;
  playlistId: number | null;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastSeenAt: Date | null;
  /** Computed by the database's clock, so every process agrees on when a key expired. */
  expired: boolean;
}

const DISPLAY_COLUMNS = sql`d.id, d.name, d.playlist_id AS "playlistId", d.created_at AS "createdAt",
  c.display_name AS "createdBy", d.expires_at AS "expiresAt", d.revoked_at AS "revokedAt",
  r.display_name AS "revokedBy", d.last_seen_at AS "lastSeenAt",
  (d.expires_at IS NOT NULL AND d.expires_at <= now()) AS expired`;

const FROM_DISPLAYS = sql`display_credentials d
  JOIN accounts c ON c.id = d.created_by
  LEFT JOIN accounts r ON r.id = d.revoked_by`;

/** Every credential, newest first. */
export async function listDisplays(db: Db): Promise<DisplayRow[]> {
  const r = await sql<DisplayRow>`SELECT ${DISPLAY_COLUMNS} FROM ${FROM_DISPLAYS}
    ORDER BY d.created_at DESC, d.id DESC`.execute(db.kysely);
  return r.rows;
}

export async function findDisplay(tx: Executor, id: number): Promise<DisplayRow | undefined> {
  const r = await sql<DisplayRow>`SELECT ${DISPLAY_COLUMNS} FROM ${FROM_DISPLAYS}
    WHERE d.id = ${id}`.execute(tx);
  return r.rows[0];
}

export async function playlistExists(tx: Executor, id: number): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM wall_playlists
    WHERE id = ${id}`.execute(tx);
  return r.rows[0]!.n > 0;
}

export interface NewDisplay {
  name: string;
  tokenHash: string;
  playlistId: number | null;
  createdBy: number;
  /** Days from now (the database's clock); null for a key that does not expire. */
  expiresInDays: number | null;
}

export async function insertDisplay(tx: Executor, d: NewDisplay): Promise<number> {
  const expires =
    d.expiresInDays === null ? sql`NULL` : sql`now() + make_interval(days => ${d.expiresInDays})`;
  const r = await sql<{ id: number }>`INSERT INTO display_credentials
      (name, token_hash, playlist_id, created_by, expires_at)
    VALUES (${d.name}, ${d.tokenHash}, ${d.playlistId}, ${d.createdBy}, ${expires})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}

/** Revokes a credential unless it already is; whether this call revoked it. */
export async function revokeDisplay(tx: Executor, id: number, by: number): Promise<boolean> {
  const r = await sql<{ id: number }>`UPDATE display_credentials
    SET revoked_at = now(), revoked_by = ${by}
    WHERE id = ${id} AND revoked_at IS NULL RETURNING id`.execute(tx);
  return r.rows.length > 0;
}

/** What a key in use resolves to; its validity as of the database's clock. */
export interface DisplayKeyRow {
  id: number;
  name: string;
  playlistId: number | null;
  /** Epoch milliseconds, or null for no expiry. */
  expiresAt: number | null;
}

/** The credential of a key's hash while it is usable (not revoked, not expired), else undefined. */
export async function findUsableDisplay(
  db: Db,
  tokenHash: string,
): Promise<DisplayKeyRow | undefined> {
  const r = await sql<DisplayKeyRow>`SELECT id, name, playlist_id AS "playlistId",
      (extract(epoch FROM expires_at) * 1000)::float8 AS "expiresAt"
    FROM display_credentials
    WHERE token_hash = ${tokenHash} AND revoked_at IS NULL
      AND (expires_at IS NULL OR expires_at > now())`.execute(db.kysely);
  return r.rows[0];
}

/**
 * Records a use, unless one was recorded within `minSeconds` from the same address (by any
 * process): a wall polling every few seconds writes once a minute, not on every request.
 */
export async function touchDisplay(db: Db, id: number, address: string, minSeconds: number) {
  await sql`UPDATE display_credentials SET last_seen_at = now(), last_seen_address = ${address}
    WHERE id = ${id} AND (last_seen_at IS NULL
      OR last_seen_at < now() - make_interval(secs => ${minSeconds})
      OR last_seen_address IS DISTINCT FROM ${address})`.execute(db.kysely);
}

/** Whether this credential has opened a session from this address before. */
export async function sessionSeenFrom(tx: Executor, id: number, address: string): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
    WHERE entity = 'display' AND entity_id = ${String(id)} AND action = 'display.session'
      AND after ->> 'address' = ${address}`.execute(tx);
  return r.rows[0]!.n > 0;
}

/**
 * An audit row written by a display itself (not an account): `display:<id>` with the role
 * `display`, so the log tells a wall's use apart from the public's.
 */
export async function insertDisplayAudit(
  tx: Executor,
  display: { id: number; name: string },
  e: { action: string; after?: unknown },
) {
  await tx
    .insertInto('audit_log')
    .values({
      account_id: null,
      actor: `display:${display.id}`,
      role: 'display',
      action: e.action,
      entity: 'display',
      entity_id: String(display.id),
      area_path: [],
      before: jsonb(undefined),
      after: jsonb(e.after),
    })
    .execute();
}
