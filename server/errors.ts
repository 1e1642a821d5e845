import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';

/** A failure meant for the client: its message must tell a person what to change. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const unauthorized = (message = 'Sign in first (POST /api/session).') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);

// postgres.js and Node socket errors that mean "the database is not reachable right now".
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08')))
    return true;
  const cause = (err as { cause?: unknown })?.cause;
  return cause !== undefined && cause !== err && isDatabaseUnavailable(cause);
}

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** The one place where a failure becomes a response: never a stack trace to the client. */
export function handleError(err: unknown, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode =
      status === 404
        ? 'not_found'
        : status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : status < 500
              ? 'bad_request'
              : 'internal';
    return c.json(errorBody(code, err.message || 'Request failed'), status);
  }
  if (isDatabaseUnavailable(err)) {
    console.error(`database unavailable: ${(err as Error).message}`);
    return c.json(
      errorBody(
        'unavailable',
        'The database is unavailable; the service retries by itself, try again shortly.',
      ),
      503,
    );
  }
  console.error(err);
  return c.json(errorBody('internal', 'Internal error; it has been logged.'), 500);
}
