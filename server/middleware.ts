import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';
import { setSessionCookie } from './routes/session.ts';
import type { Actor } from './services/actors.ts';
import { SESSION_COOKIE, type ResolvedSession, type Sessions } from './services/sessions.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in account, or null for the public. */
    actor: Actor | null;
    sessionToken: string | undefined;
    /** The live session behind `actor` (its token hash and expiry), or null. */
    session: ResolvedSession | null;
  }
}

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Resolves the session cookie into `c.var.actor` for every API request. When the session's
 * expiry slides forward, the cookie goes out again with a fresh lifetime: otherwise the browser
 * would drop it 12 h after sign-in while the server still kept the session.
 */
export function sessionMiddleware(sessions: Sessions) {
  return createMiddleware(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = await sessions.resolve(token);
    c.set('sessionToken', token);
    c.set('session', session);
    c.set('actor', session?.actor ?? null);
    // First, so that a sign-out's or a new sign-in's cookie, sent later, is the one that holds.
    if (session?.extended && token) setSessionCookie(c, token);
    await next();
  });
}

/**
 * Writes take JSON of a bounded size. Requiring `application/json` also shuts out cross-site form
 * posts, which browsers may send with cookies but never with that content type.
 */
export const writeGuard = createMiddleware(async (c, next) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const length = Number(c.req.header('content-length') ?? NaN);
    if (length > MAX_BODY_BYTES) throw tooLarge();
    const body = await c.req.raw.clone().arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES) throw tooLarge();
    const type = c.req.header('content-type') ?? '';
    // An empty body (POST /patrols/:id/end) carries no form to forge.
    if (body.byteLength > 0 && !/^application\/json\b/i.test(type)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Send the body as JSON with 'Content-Type: application/json' (got '${type || 'none'}').`,
      );
    }
  }
  await next();
});

const tooLarge = () =>
  new ApiError(
    413,
    'payload_too_large',
    `The request body exceeds ${MAX_BODY_BYTES / 1024} KB; shorten the text fields.`,
  );
