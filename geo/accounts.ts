/**
 * Who may manage which accounts, and what a username and a password must look like: the rules
 * the server enforces and the web's account panel offers, in one place.
 *
 * @example
 * MANAGED_ROLES.subdistrict; // ['community', 'gridworker', 'sentinel']
 * passwordProblem('wang', 'wang');  // 'too_short'
 */
import { ROLE_KEYS, type Role } from './operations.ts';

/**
 * The roles whose accounts an account of a role may create and manage. The city manages every
 * account; a district, subdistrict or community manages the area accounts below it, inside its
 * own subtree (a community recruits its gridworkers and part-time sentinels). Accounts bound to
 * a company or a department, planners and city accounts are the city's.
 */
export const MANAGED_ROLES: Record<Role, readonly Role[]> = {
  city: ROLE_KEYS,
  district: ['subdistrict', 'community', 'gridworker', 'sentinel'],
  subdistrict: ['community', 'gridworker', 'sentinel'],
  community: ['gridworker', 'sentinel'],
  gridworker: [],
  sentinel: [],
  property_company: [],
  department: [],
  planner: [],
  mediator: [],
};

/** The database's own check on usernames: lower-case letters, digits, `.`, `_` and `-`. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/** The demo password is printed in the README: a real account must not use it. */
export const PUBLIC_DEMO_PASSWORD = 'Minqing@2026';

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_username' | 'demo_password';

/** Why a password may not be set for this username, or null when it may. */
export function passwordProblem(username: string, password: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'same_as_username';
  if (password === PUBLIC_DEMO_PASSWORD) return 'demo_password';
  return null;
}

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  too_short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  same_as_username: 'must not be the username',
  demo_password: 'must not be the public demo password',
};
