/**
 * What the HTTP layer adds to every answer: security headers, compression, and the facts about
 * the connection the rest of the app needs (is it HTTPS, who is the client) — read from a TLS
 * proxy's `X-Forwarded-*` headers only when `TRUST_PROXY` says one stands in front.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX, compress } from 'hono/compress';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The request reached us over HTTPS (directly, or through a trusted proxy). */
    https: boolean;
    /** The client's address, for sign-in limits and the audit log; 'unknown' in tests. */
    clientAddress: string;
  }
}

export interface TransportOptions {
  trustProxy: boolean;
  /** Origins the page may fetch from besides its own (a configured basemap's server). */
  extraConnectOrigins?: readonly string[];
}

/** The page's Content-Security-Policy: everything from this server, nothing inline but styles. */
export function contentSecurityPolicy(extra: readonly string[] = []): string {
  const others = extra.length ? ` ${extra.join(' ')}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // MapLibre and Svelte set element styles; no inline script is ever allowed.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${others}`,
    `connect-src 'self'${others}`,
    // MapLibre runs its workers from blob: URLs.
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The wall display may frame the dashboard from this server; nobody else may.
    "frame-ancestors 'self'",
  ].join('; ');
}

export function transport(options: TransportOptions) {
  const csp = contentSecurityPolicy(options.extraConnectOrigins);
  return createMiddleware(async (c, next) => {
    const forwardedProto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const https =
      new URL(c.req.url).protocol === 'https:' ||
      (options.trustProxy && forwardedProto === 'https');
    c.set('https', https);
    c.set('clientAddress', clientAddress(c, options.trustProxy));
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'same-origin');
    h.set('X-Frame-Options', 'SAMEORIGIN');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Permissions-Policy', 'geolocation=(self), camera=(self), microphone=()');
    if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', csp);
    if (https) h.set('Strict-Transport-Security', 'max-age=31536000');
  });
}

function clientAddress(c: Parameters<typeof getConnInfo>[0], trustProxy: boolean): string {
  if (trustProxy) {
    // The proxy appends the address it saw; the last entry is the one it vouches for.
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  // app.request() in tests has no socket: ask only when there is one (a thrown TypeError per
  // request, with its stack trace, costs more than the request).
  const env = c.env as
    { incoming?: { socket?: unknown }; server?: { incoming?: unknown } } | undefined;
  if (!env?.incoming?.socket && !env?.server?.incoming) return 'unknown';
  return getConnInfo(c).remote.address ?? 'unknown';
}

/** gzip for API answers and pages over 1 KB, point binaries included; never event streams. */
export const compression = compress({
  threshold: 1024,
  contentTypeFilter: (type) =>
    COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || type.startsWith('application/x-mqp1'),
});

/**
 * Every API request gets an answer within `ms`, whatever the database does: a server that is
 * down, restarting or unreachable must cost a client seconds, not minutes. The work itself may
 * still finish; a write retried with its Idempotency-Key then gets the first answer, never a copy.
 * Live-event streams are long by design and exempt.
 */
export function requestDeadline(ms: number, exempt: (path: string) => boolean) {
  return createMiddleware(async (c, next) => {
    if (exempt(c.req.path)) return next();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ApiError(
              503,
              'unavailable',
              `No answer from the database within ${ms / 1000} s; try again shortly (a write sent with an Idempotency-Key is safe to retry).`,
              { reason: 'timeout' },
            ),
          ),
        ms,
      );
    });
    try {
      await Promise.race([next(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  });
}
