import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { Display, DisplayIssued, DisplayList, WallViewerInfo } from '../contract/wall.ts';
import { DISPLAY_COOKIE, EXPIRES_MAX_DAYS, NAME_MAX, type Displays } from '../services/displays.ts';
import { requireWallViewer } from '../services/wall-viewer.ts';
import { textField } from '../validation.ts';
import { errorResponses, idParams, json, jsonBody, router } from './openapi.ts';
import { clientAddress, cookieOptions } from './session.ts';

const ID_MESSAGE = 'must be an id (a positive whole number)';
const IssueBody = z
  .object({
    name: textField(1, NAME_MAX),
    playlistId: z
      .number({ message: `${ID_MESSAGE} or null` })
      .int(ID_MESSAGE)
      .positive(ID_MESSAGE)
      .max(2_147_483_647, ID_MESSAGE)
      .nullable()
      .optional(),
    expiresInDays: z
      .number({ message: `must be a whole number of days from 1 to ${EXPIRES_MAX_DAYS}` })
      .int(`must be a whole number of days from 1 to ${EXPIRES_MAX_DAYS}`)
      .min(1, `must be a whole number of days from 1 to ${EXPIRES_MAX_DAYS}`)
      .max(EXPIRES_MAX_DAYS, `must be a whole number of days from 1 to ${EXPIRES_MAX_DAYS}`)
      .nullable()
      .optional(),
  })
  .strict();

/** Display credentials for the walls (/api/displays): issued, listed and revoked by the city. */
export function displaysRoutes(displays: Displays) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Issue a display key for an unattended wall (the key is shown once)',
        request: { body: jsonBody(IssueBody) },
        responses: {
          201: {
            description: 'The key and the wall link to open with it',
            content: json(DisplayIssued),
          },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await displays.issue(c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'The display keys, newest first (never the keys themselves)',
        responses: {
          200: { description: 'Display keys', content: json(DisplayList) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await displays.list(c.get('actor')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/revoke',
        summary: 'Revoke a display key: the walls using it lose access within seconds',
        request: { params: idParams },
        responses: {
          200: { description: 'The display key after', content: json(Display) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await displays.revoke(c.get('actor'), c.req.valid('param').id), 200),
    );
}

/** The display cookie: HttpOnly, for the API only, never sent from another site. */
function displayCookieOptions(c: Context, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/api',
    maxAge,
    secure: cookieOptions(c).secure,
  } as const;
}

/**
 * The wall's own session (/api/wall/display-session, /api/wall/viewer): a display trades its key
 * for a cookie, and a wall asks who it is signed in as.
 */
export function displaySessionRoutes(displays: Displays) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/display-session',
        summary: 'A wall adopts its display key: sets the HttpOnly display cookie',
        request: {
          body: jsonBody(
            z.object({
              key: z
                .string({ message: 'must be the key from the wall link' })
                .min(1, 'must be the key from the wall link')
                .max(200, 'must be the key from the wall link'),
            }),
          ),
        },
        responses: { 204: { description: 'Adopted' }, ...errorResponses },
      }),
      async (c) => {
        const { key } = c.req.valid('json');
        const { maxAgeSeconds } = await displays.openSession(key, clientAddress(c));
        setCookie(c, DISPLAY_COOKIE, key.trim(), displayCookieOptions(c, maxAgeSeconds));
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/display-session',
        summary: "Forget this browser's display key",
        responses: { 204: { description: 'Forgotten' }, ...errorResponses },
      }),
      (c) => {
        deleteCookie(c, DISPLAY_COOKIE, { path: '/api', secure: cookieOptions(c).secure });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/viewer',
        summary: 'Who is looking at the wall: a display or an account that reads it',
        responses: {
          200: { description: 'The viewer', content: json(WallViewerInfo) },
          ...errorResponses,
        },
      }),
      (c) => c.json(displays.viewerInfo(requireWallViewer(c.get('actor'), c.get('display'))), 200),
    );
}
