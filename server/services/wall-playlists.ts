/**
 * The playlists the walls tour (轮播场景): scenes as plain data — which view, for how long, under
 * which heading — edited by the city and kept on the server, so that every wall of the command
 * center tours the same way and a reloaded wall returns to the scene it was on.
 *
 * Until the city saves one, the walls tour a built-in default: the city, each district, then the
 * themes. Saving the default under its name (默认轮播) replaces it for every wall without a
 * playlist of its own.
 */
import { SCENE_KINDS, type Playlist, type Scene, type SceneKind } from '../contract/wall.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/wall-playlists.ts';
import type { Actor } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { conflict, invalid, notFound } from './domain-error.ts';
import type { WallViewer } from './wall-viewer.ts';

/** The name of the playlist walls tour when nothing else is chosen. */
export const DEFAULT_PLAYLIST_NAME = '默认轮播';
export const MAX_SCENES = 50;
export const SCENE_ID_PATTERN = /^[a-z0-9-]{1,40}$/;
export const DWELL_SECONDS = { min: 5, max: 600 } as const;
export const SCENE_TITLE_MAX = 40;
export const PLAYLIST_NAME_MAX = 60;

/** The built-in default's dwell times: the city longest, each district shorter, themes between. */
const DEFAULT_DWELL: Record<SceneKind, number> = {
  city: 30,
  district: 15,
  hotspots: 20,
  whistles: 20,
  hazards: 20,
  coverage: 20,
  heat: 20,
};

/** Everything a playlist read needs: loaded once, shared by every wall (see the route's cache). */
export interface PlaylistCatalogue {
  saved: Playlist[];
  builtin: Playlist;
}

/**
 * The built-in default: the city, each district (id order), then hot spots, whistles, hazards,
 * patrol coverage and the year's heat.
 *
 * @example
 * builtinPlaylist([{ id: 1 }]).scenes.map((s) => s.id);
 * // ['city', 'district-1', 'hotspots', 'whistles', 'hazards', 'coverage', 'heat']
 */
export function builtinPlaylist(districts: readonly { id: number }[]): Playlist {
  const scene = (id: string, kind: SceneKind, areaId: number | null = null): Scene => ({
    id,
    kind,
    areaId,
    dwellSeconds: DEFAULT_DWELL[kind],
    title: null,
  });
  return {
    id: null,
    name: DEFAULT_PLAYLIST_NAME,
    version: 0,
    updatedAt: null,
    updatedBy: null,
    scenes: [
      scene('city', 'city'),
      ...districts.map((d) => scene(`district-${d.id}`, 'district', d.id)),
      ...(['hotspots', 'whistles', 'hazards', 'coverage', 'heat'] as const).map((k) => scene(k, k)),
    ],
  };
}

const asPlaylist = (p: q.PlaylistRow): Playlist => ({ ...p, scenes: p.scenes as Scene[] });

export async function loadPlaylists(db: Db): Promise<PlaylistCatalogue> {
  const { playlists, districts } = await q.playlistsAndDistricts(db);
  return { saved: playlists.map(asPlaylist), builtin: builtinPlaylist(districts) };
}

/**
 * The playlist a wall tours when it names none: the saved one called 默认轮播, else the first
 * saved (lowest id), else the built-in default.
 */
function fallback(cat: PlaylistCatalogue): Playlist {
  return cat.saved.find((p) => p.name === DEFAULT_PLAYLIST_NAME) ?? cat.saved[0] ?? cat.builtin;
}

/**
 * The playlist this viewer tours: a display's own (its credential's), else the one an account
 * asks for by id, else the default (see `fallback`).
 */
export function tourPlaylist(
  cat: PlaylistCatalogue,
  viewer: WallViewer,
  requestedId?: number,
): Playlist {
  if (viewer.kind === 'display') {
    // A display tours what its key names and nothing else; a deleted playlist leaves it null.
    const own = cat.saved.find((p) => p.id === viewer.display.playlistId);
    return own ?? fallback(cat);
  }
  if (requestedId !== undefined) {
    const p = cat.saved.find((x) => x.id === requestedId);
    if (!p) throw notFound('playlist_not_found', `There is no playlist ${requestedId}.`, 'id');
    return p;
  }
  return fallback(cat);
}

/**
 * The playlists a viewer may see: all saved ones (id order) and the built-in default while none
 * is saved under its name; a display sees only the one it tours.
 */
export function listPlaylists(cat: PlaylistCatalogue, viewer: WallViewer): { items: Playlist[] } {
  if (viewer.kind === 'display') return { items: [tourPlaylist(cat, viewer)] };
  const hasDefault = cat.saved.some((p) => p.name === DEFAULT_PLAYLIST_NAME);
  return { items: hasDefault ? cat.saved : [...cat.saved, cat.builtin] };
}

export interface PlaylistInput {
  name: string;
  scenes: {
    id: string;
    kind: SceneKind;
    areaId?: number | null;
    dwellSeconds: number;
    title?: string | null;
  }[];
}

const bad = (field: string, message: string) =>
  invalid('field_invalid', `parameter '${field}' ${message}`, field);

/**
 * Every rule of a playlist, with the field at fault: the route checks types and ranges at its
 * edge already; this holds them for any other caller and adds what needs the list or the
 * database (unique scene ids, districts that exist).
 */
async function checkedInput(tx: q.Executor, input: PlaylistInput) {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 1 || name.length > PLAYLIST_NAME_MAX)
    throw bad('name', `must be text of 1 to ${PLAYLIST_NAME_MAX} characters`);
  if (!Array.isArray(input.scenes) || input.scenes.length < 1 || input.scenes.length > MAX_SCENES)
    throw bad('scenes', `must hold 1 to ${MAX_SCENES} scenes`);
  const seen = new Set<string>();
  const scenes: Scene[] = input.scenes.map((s, i) => {
    const at = `scenes.${i}`;
    if (typeof s.id !== 'string' || !SCENE_ID_PATTERN.test(s.id))
      throw bad(`${at}.id`, 'must be 1 to 40 lower-case letters, digits or dashes');
    if (seen.has(s.id)) throw bad(`${at}.id`, `repeats the id '${s.id}' of an earlier scene`);
    seen.add(s.id);
    if (!(SCENE_KINDS as readonly string[]).includes(s.kind))
      throw bad(`${at}.kind`, `must be one of ${SCENE_KINDS.join(', ')}`);
    const areaId = s.areaId ?? null;
    if (s.kind === 'district' && areaId === null)
      throw bad(`${at}.areaId`, 'must name the district of a district scene');
    if (s.kind !== 'district' && areaId !== null)
      throw bad(`${at}.areaId`, `must be null for a ${s.kind} scene (it shows the whole city)`);
    const { min, max } = DWELL_SECONDS;
    if (!Number.isInteger(s.dwellSeconds) || s.dwellSeconds < min || s.dwellSeconds > max)
      throw bad(`${at}.dwellSeconds`, `must be a whole number of seconds from ${min} to ${max}`);
    const title = typeof s.title === 'string' ? s.title.trim() : s.title == null ? null : '';
    if (title !== null && (title.length < 1 || title.length > SCENE_TITLE_MAX))
      throw bad(`${at}.title`, `must be null or text of 1 to ${SCENE_TITLE_MAX} characters`);
    return { id: s.id, kind: s.kind, areaId, dwellSeconds: s.dwellSeconds, title };
  });
  const wanted = scenes.flatMap((s) => (s.areaId === null ? [] : [s.areaId]));
  const districts = await q.existingDistricts(tx, wanted);
  scenes.forEach((s, i) => {
    if (s.areaId !== null && !districts.has(s.areaId))
      throw bad(`scenes.${i}.areaId`, `must be the id of a district; ${s.areaId} is none`);
  });
  return { name, scenes };
}

const nameTaken = (name: string) =>
  conflict('name_taken', `A playlist named '${name}' exists already: choose another name.`, 'name');

const manager = (actor: Actor | null) =>
  requireCapability(actor, 'wall.manage', "edit the wall's playlists");

/** Saves a new playlist (the built-in default is saved this way too, under its name). */
export async function createPlaylist(
  db: Db,
  actor: Actor | null,
  input: PlaylistInput,
): Promise<Playlist> {
  const a = manager(actor);
  return db.kysely.transaction().execute(async (tx) => {
    const p = await checkedInput(tx, input);
    const id = await q.insertPlaylist(tx, { ...p, accountId: a.accountId });
    if (id === undefined) throw nameTaken(p.name);
    const created = asPlaylist((await q.findPlaylist(tx, id))!);
    await insertAudit(tx, a, {
      action: 'wall_playlist.create',
      entity: 'wall_playlist',
      entityId: id,
      after: created,
    });
    return created;
  });
}

/**
 * Saves a playlist over the version the editor read. Two editors who read the same version:
 * the first save wins, the second gets a 409 and must reload (nothing is merged unseen).
 */
export async function updatePlaylist(
  db: Db,
  actor: Actor | null,
  id: number,
  input: Partial<PlaylistInput> & { scenes: PlaylistInput['scenes']; version: number },
): Promise<Playlist> {
  const a = manager(actor);
  return db.kysely.transaction().execute(async (tx) => {
    const before = await q.findPlaylist(tx, id);
    if (!before) throw notFound('playlist_not_found', `There is no playlist ${id}.`);
    const stale = () =>
      conflict(
        'version_conflict',
        `The playlist was changed by someone else meanwhile (you edited version ${input.version}, ` +
          `version ${before.version} is saved): reload it and make your change again.`,
        'version',
      );
    if (before.version !== input.version) throw stale();
    const p = await checkedInput(tx, { name: input.name ?? before.name, scenes: input.scenes });
    if (p.name !== before.name) {
      const other = await q.playlistIdByName(tx, p.name);
      if (other !== undefined && other !== id) throw nameTaken(p.name);
    }
    const version = await q.updatePlaylist(tx, {
      id,
      version: input.version,
      ...p,
      accountId: a.accountId,
    });
    if (version === undefined) throw stale();
    const after = asPlaylist((await q.findPlaylist(tx, id))!);
    await insertAudit(tx, a, {
      action: 'wall_playlist.update',
      entity: 'wall_playlist',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Deletes a playlist. Displays whose key names it are not refused: their key falls back to the
 * default (the foreign key is ON DELETE SET NULL) and the audit row names them.
 */
export async function deletePlaylist(db: Db, actor: Actor | null, id: number): Promise<void> {
  const a = manager(actor);
  await db.kysely.transaction().execute(async (tx) => {
    const before = await q.findPlaylist(tx, id);
    if (!before) throw notFound('playlist_not_found', `There is no playlist ${id}.`);
    const displays = await q.displaysUsing(tx, id);
    await q.deletePlaylist(tx, id);
    await insertAudit(tx, a, {
      action: 'wall_playlist.delete',
      entity: 'wall_playlist',
      entityId: id,
      before: { ...before, displaysNowOnDefault: displays },
    });
  });
}
