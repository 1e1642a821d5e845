/**
 * The walls' playlists of scenes (wall_playlists): plain rows, the scenes a JSON array kept as the
 * service validated it. `version` grows by one on every save; an update names the version it
 * started from and changes nothing when another save came first.
 */
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';

/** A scene as stored: the contract's shape (server/contract/wall.ts, `Scene`). */
export interface SceneRow {
  id: string;
  kind: string;
  areaId: number | null;
  dwellSeconds: number;
  title: string | null;
}

export interface PlaylistRow {
  id: number;
  name: string;
  version: number;
  updatedAt: string;
  /** The account's display name, or null when it is gone or never known. */
  updatedBy: string | null;
  scenes: SceneRow[];
}

const PLAYLIST_JSON = sql`json_build_object('id', p.id, 'name', p.name, 'version', p.version,
  'updatedAt', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updatedBy', a.display_name, 'scenes', p.scenes)`;

/**
 * Everything a wall's playlist read needs, in one round trip: the saved playlists (id order) and
 * the districts (id order) the built-in default tours.
 */
export async function playlistsAndDistricts(db: Db) {
  const r = await sql<{
    playlists: PlaylistRow[];
    districts: { id: number; name: string }[];
  }>`SELECT
      (SELECT coalesce(json_agg(${PLAYLIST_JSON} ORDER BY p.id), '[]')
        FROM wall_playlists p LEFT JOIN accounts a ON a.id = p.updated_by) AS playlists,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name) ORDER BY id), '[]')
        FROM areas WHERE level = 'district') AS districts`.execute(db.kysely);
  return r.rows[0]!;
}

/** One playlist, read in the caller's transaction. */
export async function findPlaylist(tx: Executor, id: number): Promise<PlaylistRow | undefined> {
  const r = await sql<{ p: PlaylistRow }>`SELECT ${PLAYLIST_JSON} AS p
    FROM wall_playlists p LEFT JOIN accounts a ON a.id = p.updated_by
    WHERE p.id = ${id}`.execute(tx);
  return r.rows[0]?.p;
}

/** The id of the playlist with this name, if any (names are unique). */
export async function playlistIdByName(tx: Executor, name: string) {
  const r = await tx
    .selectFrom('wall_playlists')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirst();
  return r?.id;
}

/** Which of these ids are districts. */
export async function existingDistricts(tx: Executor, ids: readonly number[]) {
  if (ids.length === 0) return new Set<number>();
  const r = await tx
    .selectFrom('areas')
    .select('id')
    .where('level', '=', 'district')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(r.map((a) => a.id));
}

// As text cast to jsonb: postgres.js would send a bound string as a JSON string, not an array.
const sceneJson = (scenes: SceneRow[]) => sql<string>`${JSON.stringify(scenes)}::text::jsonb`;

/** Inserts a playlist; undefined when the name is taken. */
export async function insertPlaylist(
  tx: Executor,
  p: { name: string; scenes: SceneRow[]; accountId: number },
) {
  const r = await tx
    .insertInto('wall_playlists')
    .values({ name: p.name, scenes: sceneJson(p.scenes), updated_by: p.accountId })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

/**
 * Saves a playlist over the version it was read at: the new version, or undefined when the
 * stored version is another (or the playlist is gone).
 */
export async function updatePlaylist(
  tx: Executor,
  p: { id: number; version: number; name: string; scenes: SceneRow[]; accountId: number },
) {
  const r = await tx
    .updateTable('wall_playlists')
    .set({
      name: p.name,
      scenes: sceneJson(p.scenes),
      version: sql<number>`version + 1`,
      updated_by: p.accountId,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', p.id)
    .where('version', '=', p.version)
    .returning('version')
    .executeTakeFirst();
  return r?.version;
}

/** Deletes a playlist; the displays that toured it fall back to the default (ON DELETE SET NULL). */
export async function deletePlaylist(tx: Executor, id: number) {
  const r = await tx.deleteFrom('wall_playlists').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The displays whose credential names this playlist (they tour the default once it is gone). */
export async function displaysUsing(tx: Executor, id: number) {
  const r = await tx
    .selectFrom('display_credentials')
    .select(['id', 'name'])
    .where('playlist_id', '=', id)
    .orderBy('id')
    .execute();
  return r;
}

export type { Executor };
