import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { publicAccount } from '../services/actors.ts';
import { SESSION_COOKIE, SESSION_HOURS, type Sessions } from '../services/sessions.ts';
import { textField } from '../validation.ts';
import { anyJson, errorResponses, router } from './openapi.ts';

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
        responses: { 200: { description: 'Signed in', content: anyJson }, ...errorResponses },
      }),
      async (c) => {
        const { username, password } = c.req.valid('json');
        const { token, actor } = await sessions.signIn(username, password);
        setCookie(c, SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/',
          maxAge: SESSION_HOURS * 3600,
          secure: new URL(c.req.url).protocol === 'https:',
        });
        return c.json({ account: publicAccount(actor) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'The signed-in account, or null',
        responses: { 200: { description: 'Account or null', content: anyJson }, ...errorResponses },
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
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.body(null, 204);
      },
    );
}
