import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { clientAddress, setSessionCookie } from './routes/session.ts';
import type { Actor } from './services/actors.ts';
import { DISPLAY_COOKIE, type Displays } from './services/displays.ts';
import type { DisplayPrincipal } from './services/wall-viewer.ts';
import { SESSION_COOKIE, type ResolvedSession, type Sessions } from './services/sessions.ts';
import type { ApiKeys } from './services/api-keys.ts';
import type { ApiKeyScope } from './db/schema.ts';
import { forbidden, unauthenticated } from './services/domain-error.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in account, or null for the public. */
    actor: Actor | null;
    sessionToken: string | undefined;
    /** The live session behind `actor` (its token hash and expiry), or null. */
    session: ResolvedSession | null;
    /** The wall display signed in with a display key (cookie `mq_display`), or null. */
    display: DisplayPrincipal | null;
    /** The API key the request was made with (then `actor` is its account), or null. */
    apiKey: { id: number; name: string; scopes: readonly ApiKeyScope[] } | null;
  }
}

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
    // Resolved from its own cookie by displayMiddleware, which runs next; none without it.
    c.set('display', null);
    c.set('apiKey', null);
    // First, so that a sign-out's or a new sign-in's cookie, sent later, is the one that holds.
    if (session?.extended && token) setSessionCookie(c, token);
    await next();
  });
}

/**
 * Resolves the wall's display cookie (`mq_display`, path /api) into `c.var.display`. A display
 * is not an Actor: only the wall's endpoints (requireWallViewer) look at it, so with this cookie
 * alone every other endpoint answers as it answers the public.
 */
export function displayMiddleware(displays: Displays) {
  return createMiddleware(async (c, next) => {
    const token = getCookie(c, DISPLAY_COOKIE);
    c.set('display', token ? await displays.resolve(token, clientAddress(c)) : null);
    await next();
  });
}

/**
 * Resolves an API key — header `X-API-Key: <key>` or query `?api_key=<key>`, the forms GDAL, QGIS
 * and Open311 clients can send — into `c.var.actor` (the account the key was issued for) and
 * `c.var.apiKey`. A key wins over a session cookie. A key that is unknown, revoked, expired, or
 * lacks every scope this mount accepts is refused (401/403, in the mount's error shape) rather than
 * read as the public:
 * a client with a dead key must learn it, not silently get less.
 */
export function apiKeyMiddleware(keys: ApiKeys, accepts: readonly ApiKeyScope[]) {
  return createMiddleware(async (c, next) => {
    c.set('apiKey', null);
    const token = c.req.header('x-api-key') ?? new URL(c.req.url).searchParams.get('api_key');
    if (token === null || token === undefined || token === '') return next();
    const principal = await keys.resolve(token);
    // Thrown, not answered here: each mount writes errors in its own standard's shape.
    if (!principal)
      throw unauthenticated(
        'invalid_api_key',
        'The API key is unknown, revoked or expired; ask the city administrator for a new one.',
      );
    if (!principal.scopes.some((s) => accepts.includes(s)))
      throw forbidden(
        'api_key_scope',
        `This API key may not be used here: it needs the scope ${accepts.map((s) => `'${s}'`).join(' or ')}.`,
      );
    c.set('apiKey', { id: principal.id, name: principal.name, scopes: principal.scopes });
    c.set('actor', principal.actor);
    c.set('session', null);
    await next();
  });
}

/**
 * API keys on the app's own API (/api): reads only. A GET or HEAD with a key acts as the key's
 * account (scope `read`), so a tool can take the same lists and exports a person sees; a write
 * with a key is refused, because writes are a person's, signed in (Open311 is the interface for
 * another system's writes).
 */
export function apiKeyReads(keys: ApiKeys) {
  const reads = apiKeyMiddleware(keys, ['read']);
  return createMiddleware(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return reads(c, next);
    c.set('apiKey', null);
    if (c.req.header('x-api-key') || new URL(c.req.url).searchParams.get('api_key'))
      throw forbidden(
        'api_key_write',
        'An API key reads only: sign in to change anything (other systems file appeals through Open311).',
      );
    await next();
  });
}
