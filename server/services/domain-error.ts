/**
 * What a service says when it refuses: a kind (the HTTP layer, server/errors.ts, turns it into a
 * status and a generic code), a specific `reason` the web translates (web/src/lib/i18n-errors.ts:
 * `error.code.<reason>`), the input `field` at fault if any, and a message telling a person what
 * to change. Services throw these and know nothing of HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly reason: string,
    message: string,
    readonly field?: string,
    /** rate_limited: when to come back. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The input is wrong: `reason` says how, `field` where (a dotted path such as `responder.id`). */
export const invalid = (reason: string, message: string, field?: string) =>
  new DomainError('invalid', reason, message, field);
export const unauthenticated = (
  reason = 'unauthenticated',
  message = 'Sign in first (POST /api/session).',
) => new DomainError('unauthenticated', reason, message);
export const forbidden = (reason: string, message: string, field?: string) =>
  new DomainError('forbidden', reason, message, field);
export const notFound = (reason: string, message: string, field?: string) =>
  new DomainError('not_found', reason, message, field);
export const conflict = (reason: string, message: string, field?: string) =>
  new DomainError('conflict', reason, message, field);
export const rateLimited = (reason: string, message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', reason, message, undefined, retryAfterSeconds);
