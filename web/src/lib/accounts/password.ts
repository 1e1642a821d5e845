/**
 * Passwords in the account forms: the same rule the server applies (geo/accounts.ts), as a
 * catalogue key to show beside the field, and a generator for initial passwords a manager hands
 * over.
 *
 * @example
 * passwordHint('wang.li', 'short');       // 'accounts.tooShort'
 * generatePassword().length;              // 14
 */
import { passwordProblem } from '../../../../geo/accounts.ts';
import type { MessageKey } from '../i18n.ts';

const PROBLEM_KEYS = {
  too_short: 'accounts.tooShort',
  too_long: 'accounts.tooLong',
  same_as_username: 'accounts.sameAsUsername',
  demo_password: 'accounts.demoPassword',
} as const satisfies Record<string, MessageKey>;

/** Why the password may not be set, as a message key; null when it may (or is still empty). */
export function passwordHint(username: string, password: string): MessageKey | null {
  if (password === '') return null;
  const problem = passwordProblem(username, password);
  return problem ? PROBLEM_KEYS[problem] : null;
}

// No 0/O, 1/l/I: the password is read out or copied by hand.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of `length` characters in groups of four for reading out (`abcd-efgh-jk`). */
export function generatePassword(length = 12): string {
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += 4) groups.push(chars.slice(i, i + 4).join(''));
  return groups.join('-');
}
