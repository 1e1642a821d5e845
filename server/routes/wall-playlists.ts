import { createRoute, z } from '@hono/zod-openapi';
import { Playlist, PlaylistList, Replay, SCENE_KINDS } from '../contract/wall.ts';
import type { Db } from '../db/client.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import {
  createPlaylist,
  deletePlaylist,
  DWELL_SECONDS,
  listPlaylists,
  loadPlaylists,
  MAX_SCENES,
  PLAYLIST_NAME_MAX,
  SCENE_ID_PATTERN,
  SCENE_TITLE_MAX,
  tourPlaylist,
  updatePlaylist,
} from '../services/wall-playlists.ts';
import { REPLAY_MAX_HOURS, replayWindow, wallReplay } from '../services/wall-replay.ts';
import { requireWallViewer } from '../services/wall-viewer.ts';
import { idField, idParam, textField } from '../validation.ts';
import { errorResponses, idParams, json, jsonBody, queryDoc, router } from './openapi.ts';

const { min: DWELL_MIN, max: DWELL_MAX } = DWELL_SECONDS;
const dwellMessage = `must be a whole number of seconds from ${DWELL_MIN} to ${DWELL_MAX}`;

const SceneBody = z
  .object({
    id: z
      .string({ message: 'must be text' })
      .regex(SCENE_ID_PATTERN, 'must be 1 to 40 lower-case letters, digits or dashes'),
    kind: z.enum(SCENE_KINDS, { message: `must be one of ${SCENE_KINDS.join(', ')}` }),
    areaId: idField.nullable().optional(),
    dwellSeconds: z
      .number({ message: dwellMessage })
      .int(dwellMessage)
      .min(DWELL_MIN, dwellMessage)
      .max(DWELL_MAX, dwellMessage),
    title: textField(1, SCENE_TITLE_MAX).nullable().optional(),
  })
  .strict();

const scenes = z
  .array(SceneBody, { message: 'must be a list of scenes' })
  .min(1, `must hold 1 to ${MAX_SCENES} scenes`)
  .max(MAX_SCENES, `must hold 1 to ${MAX_SCENES} scenes`);
const name = textField(1, PLAYLIST_NAME_MAX);
const version = z
  .number({ message: 'must be the version you edited (a whole number)' })
  .int('must be the version you edited (a whole number)')
  .min(1, 'must be the version you edited (a whole number)')
  .max(2_147_483_647, 'must be the version you edited (a whole number)');

const CreateBody = z.object({ name, scenes }).strict();
const UpdateBody = z.object({ name: name.optional(), scenes, version }).strict();

const hoursMessage = `must be a whole number from 1 to ${REPLAY_MAX_HOURS}`;

/** The walls' playlists of scenes and the 24-hour replay (/api/wall/playlists, /api/wall/replay). */
export function wallPlaylistRoutes(db: Db, cache: ReadCache) {
  // Playlists change only through this router: a write moves the key on, so the next read in this
  // process loads afresh. Live events never touch them (no nouns); another process on the same
  // PostgreSQL sees a change when its cached answer expires (the cache's 30 s).
  const playlists = new Generations(cache, 'wall:playlists');
  const catalogue = () => playlists.get('all', () => loadPlaylists(db));
  const changed = <T>(value: T) => playlists.changed(value);

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/playlists',
        summary: 'The playlists of scenes (a display sees only the one it tours)',
        responses: {
          200: {
            description: 'Saved playlists, and the built-in default',
            content: json(PlaylistList),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        return c.json(listPlaylists(await catalogue(), viewer), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/playlist',
        summary:
          "The playlist this wall tours: a display's own, else ?id= for an account, else the default",
        request: {
          query: z.object({ id: idParam.optional().openapi(queryDoc('id')) }),
        },
        responses: {
          200: { description: 'The playlist', content: json(Playlist) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        return c.json(tourPlaylist(await catalogue(), viewer, c.req.valid('query').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/playlists',
        summary: 'Save a new playlist (the built-in default is saved under its name 默认轮播)',
        request: { body: jsonBody(CreateBody) },
        responses: {
          201: { description: 'The playlist, version 1', content: json(Playlist) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await createPlaylist(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/playlists/{id}',
        summary:
          'Save a playlist over the version you edited (409 if someone saved another meanwhile)',
        request: { params: idParams, body: jsonBody(UpdateBody) },
        responses: {
          200: { description: 'The playlist, its version one more', content: json(Playlist) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            await updatePlaylist(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json')),
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/playlists/{id}',
        summary: 'Delete a playlist; displays that toured it fall back to the default',
        request: { params: idParams },
        responses: { 204: { description: 'Deleted' }, ...errorResponses },
      }),
      async (c) => {
        try {
          await deletePlaylist(db, c.get('actor'), c.req.valid('param').id);
        } finally {
          // Even a failed delete may have raced a successful one: read afresh either way.
          changed(null);
        }
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/replay',
        summary:
          'The last hours of events (tickets received and closed, hazards, whistles, patrols) as columns; at most 300 000, the newest',
        request: {
          query: z.object({
            hours: z.coerce
              .number({ message: hoursMessage })
              .int(hoursMessage)
              .min(1, hoursMessage)
              .max(REPLAY_MAX_HOURS, hoursMessage)
              .default(REPLAY_MAX_HOURS)
              .openapi(queryDoc('hours')),
          }),
        },
        responses: {
          200: { description: 'Events by time, column by column', content: json(Replay) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        const window = replayWindow(c.req.valid('query').hours);
        // One answer per window (it moves on each minute) for every wall; a write marks it stale
        // and it is refreshed in the background while the one before is served.
        const body = await cache.get(
          `wall:replay:${window.from.toISOString()}:${window.to.toISOString()}`,
          () => wallReplay(db, viewer, window),
          { nouns: ['tickets', 'hazards', 'whistles', 'patrols'], aggregate: true },
        );
        return c.json(body, 200);
      },
    );
}
