import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';
import type { Actor } from './services/actors.ts';
import { SESSION_COOKIE, type Sessions } from './services/sessions.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in account, or null for the public. */
    actor: Actor | null;
    sessionToken: string | undefined;
  }
}

export const MAX_BODY_BYTES = 64 * 1024;

/** Resolves the session cookie into `c.var.actor` for every API request. */
export function sessionMiddleware(sessions: Sessions) {
  return createMiddleware(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set('sessionToken', token);
    c.set('actor', await sessions.resolve(token));
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
