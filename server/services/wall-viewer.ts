/**
 * Who is looking at the wall: a signed-in account holding `wall.read`, or a display (an
 * unattended wall's browser) signed in with a key the city issued. A display is not an Actor: it
 * holds no role and no scope, so every other endpoint treats it as the public, and the wall's
 * endpoints answer it with aggregates only.
 */
import type { Actor } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { unauthenticated } from './domain-error.ts';

/** A display credential in use (server/services/displays.ts resolves its cookie). */
export interface DisplayPrincipal {
  id: number;
  name: string;
  /** The playlist it tours; null for the city's default. */
  playlistId: number | null;
  /** The hash of its key, which the wall's stream re-checks while it runs. */
  tokenHash: string;
}

export type WallViewer =
  { kind: 'account'; actor: Actor } | { kind: 'display'; display: DisplayPrincipal };

/**
 * The viewer of a wall endpoint: a display, else an account with `wall.read` (401 for the public,
 * 403 for a role without it).
 */
export function requireWallViewer(
  actor: Actor | null,
  display: DisplayPrincipal | null,
): WallViewer {
  if (actor?.can.has('wall.read')) return { kind: 'account', actor };
  if (display) return { kind: 'display', display };
  if (actor) requireCapability(actor, 'wall.read', 'read the command-center wall');
  throw unauthenticated(
    'unauthenticated',
    'Sign in with an account that reads the wall, or open the wall with a display key.',
  );
}
