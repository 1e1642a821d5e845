/**
 * A reason the server cannot start that an operator can fix (a folder in use, unwritable, a bad
 * setting). `server/main.ts` prints its message as one line and exits non-zero: no stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}
