import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorKind } from './services/domain-error.ts';

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
  | 'disk_full'
  | 'internal';

/** What a client may act on besides the message: the field at fault, a specific reason. */
export interface ErrorDetails {
  /** The input field or parameter at fault, as a dotted path (`responder.id`). */
  field?: string;
  /** A specific reason the web translates (`no_property_company`), beside the generic code. */
  reason?: string;
}

/** A failure meant for the client: its message must tell a person what to change. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);

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

/** Whether the error, or one it was caused by, passes the test. */
function causedBy(err: unknown, test: (e: ErrorFields) => boolean): boolean {
  for (let e = err, depth = 0; e != null && depth < 8; depth++) {
    if (test(e as ErrorFields)) return true;
    const cause = (e as { cause?: unknown }).cause;
    if (cause === e) break;
    e = cause;
  }
  return false;
}

interface ErrorFields {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
}

const isDatabaseUnavailable = (err: unknown) =>
  causedBy(
    err,
    ({ code }) =>
      typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08')),
  );

export function errorBody(code: ErrorCode, message: string, details: ErrorDetails = {}) {
  return { error: { code, message, ...details } };
}

/** Emscripten's ENOSPC, as PGlite's file system reports it (its numbers are not Linux's). */
const EMSCRIPTEN_ENOSPC = 51;

/** No space left: PostgreSQL's disk_full, Node's ENOSPC, or PGlite's file system saying so. */
const isDiskFull = (err: unknown) =>
  causedBy(
    err,
    ({ code, errno, name }) =>
      code === '53100' ||
      code === 'ENOSPC' ||
      (name === 'ErrnoError' && errno === EMSCRIPTEN_ENOSPC),
  );

// Values PostgreSQL refused as data (out of range, not valid text). The edge validates every field
// the API takes, so these mean a check is missing there; still the client's input, not our fault.
const BAD_VALUE_CODES = new Set(['22003', '22021', '22P05', '22P02', '22007', '22008']);

/** How each kind of domain refusal answers over HTTP. */
const DOMAIN_STATUS: Record<DomainErrorKind, [ContentfulStatusCode, ErrorCode]> = {
  invalid: [400, 'bad_request'],
  unauthenticated: [401, 'unauthorized'],
  forbidden: [403, 'forbidden'],
  not_found: [404, 'not_found'],
  conflict: [409, 'conflict'],
  rate_limited: [429, 'too_many_requests'],
  unavailable: [503, 'unavailable'],
};

/** A service's refusal as the API error it answers with: status, code, reason and field. */
function apiErrorOf(err: DomainError): ApiError {
  const [status, code] = DOMAIN_STATUS[err.kind];
  const details: ErrorDetails = { reason: err.reason };
  if (err.field !== undefined) details.field = err.field;
  return new ApiError(status, code, err.message, details);
}

/** The one place where a failure becomes a response: never a stack trace to the client. */
export function handleError(err: unknown, c: Context) {
  if (err instanceof DomainError) {
    const api = apiErrorOf(err);
    if (err.retryAfterSeconds !== undefined) c.header('retry-after', String(err.retryAfterSeconds));
    return c.json(errorBody(api.code, api.message, api.details), api.status);
  }
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
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
  if (isDiskFull(err)) {
    console.error(`disk full: ${(err as Error).message}`);
    return c.json(
      errorBody(
        'disk_full',
        'The server has run out of disk space, so nothing can be saved right now; an operator must free space. Nothing you sent was saved.',
      ),
      503,
    );
  }
  const code = (err as ErrorFields | null)?.code;
  if (typeof code === 'string' && BAD_VALUE_CODES.has(code)) {
    console.error(`value refused by the database (check missing at the edge): ${String(err)}`);
    return c.json(
      errorBody('bad_request', 'A value in the request is out of range or not valid text.'),
      400,
    );
  }
  console.error(err);
  return c.json(errorBody('internal', 'Internal error; it has been logged.'), 500);
}
