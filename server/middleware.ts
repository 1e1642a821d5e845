import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { clientAddress, setSessionCookie } from './routes/session.ts';
import type { Actor } from './services/actors.ts';
import { DISPLAY_COOKIE, type Displays } from './services/displays.ts';
import type { DisplayPrincipal } from './services/wall-viewer.ts';
import { SESSION_COOKIE, type ResolvedSession, type Sessions } from './services/sessions.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in account, or null for the public. */
    actor: Actor | null;
    sessionToken: string | undefined;
    /** The live session behind `actor` (its token hash and expiry), or null. */
    session: ResolvedSession | null;
    /** The wall display signed in with a display key (cookie `mq_display`), or null. */
    display: DisplayPrincipal | null;
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
