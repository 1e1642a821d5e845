import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { publicAccount } from '../services/actors.ts';
import {
  addressKey,
  SESSION_COOKIE,
  SESSION_HOURS,
  TooManyRequests,
  type Sessions,
} from '../services/sessions.ts';
import { textField } from '../validation.ts';
import { SessionState, SignedIn } from '../contract/session.ts';
import { errorResponses, json, router } from './openapi.ts';

/** The session cookie's attributes, in one place (sign-in and the sliding re-issue share them). */
export function cookieOptions(c: Context) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_HOURS * 3600,
    // HTTPS directly, or through a proxy trusted by TRUST_PROXY (server/transport.ts).
    secure: c.get('https') ?? new URL(c.req.url).protocol === 'https:',
  } as const;
}

/** Sends the session cookie with a fresh lifetime. */
export function setSessionCookie(c: Context, token: string) {
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
}

/** The address a sign-in comes from, as server/transport.ts found it (socket or trusted proxy). */
export function clientAddress(c: Context): string {
  const address = c.get('clientAddress');
  return addressKey(address === undefined || address === 'unknown' ? undefined : address);
}

export function sessionRoutes(sessions: Sessions) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Sign in: sets the HttpOnly session cookie',
        request: {
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z.object({
                  username: textField(1, 40),
                  password: z.string().min(1).max(200),
                }),
              },
            },
          },
        },
        responses: {
          200: { description: 'Signed in', content: json(SignedIn) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { username, password } = c.req.valid('json');
        const address = clientAddress(c);
        const { token, actor } = await sessions
          .signIn(username, password, address)
          .catch((err: unknown) => {
            if (err instanceof TooManyRequests)
              c.header('Retry-After', String(err.retryAfterSeconds));
            throw err;
          });
        setSessionCookie(c, token);
        return c.json({ account: publicAccount(actor) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'The signed-in account, or null',
        responses: {
          200: { description: 'Account or null', content: json(SessionState) },
          ...errorResponses,
        },
      }),
      (c) => {
        const actor = c.get('actor');
        return c.json({ account: actor ? publicAccount(actor) : null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/',
        summary: 'Sign out',
        responses: { 204: { description: 'Signed out' }, ...errorResponses },
      }),
      async (c) => {
        await sessions.signOut(c.get('sessionToken'), c.get('actor'));
        deleteCookie(c, SESSION_COOKIE, { path: '/', secure: cookieOptions(c).secure });
        return c.body(null, 204);
      },
    );
}
