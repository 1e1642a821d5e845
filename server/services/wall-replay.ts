/**
 * The wall's replay (交接班回放): the last hours' events — tickets received and closed, hazards
 * reported, whistles blown, patrols started — for a shift hand-over played at speed (60×: a day
 * in 24 minutes). Where and what only, never who.
 */
import { REPLAY_KINDS, type Replay } from '../contract/wall.ts';
import type { Db } from '../db/client.ts';
import { replayEvents } from '../db/queries/wall-replay.ts';
import { invalid } from './domain-error.ts';
import type { WallViewer } from './wall-viewer.ts';

export const REPLAY_MAX_HOURS = 24;
/**
 * At most this many events in one replay (the newest are kept). A city-scale day is a few
 * thousand; the cap only bounds the answer (about 10 MB of JSON) if an import floods a day.
 */
export const REPLAY_MAX_EVENTS = 300_000;

const MINUTE_MS = 60_000;

/**
 * The window a replay covers: `hours` back from the end of the current minute, so that every wall
 * asking within a minute gets the same answer (and one query serves them all).
 *
 * @example
 * replayWindow(24, new Date('2026-11-30T08:00:30Z'));
 * // { from: 2026-11-29T08:01:00Z, to: 2026-11-30T08:01:00Z }
 */
export function replayWindow(hours: number, now = new Date()) {
  if (!Number.isInteger(hours) || hours < 1 || hours > REPLAY_MAX_HOURS)
    throw invalid(
      'field_invalid',
      `parameter 'hours' must be a whole number from 1 to ${REPLAY_MAX_HOURS}`,
      'hours',
    );
  const to = new Date(Math.ceil((now.getTime() + 1) / MINUTE_MS) * MINUTE_MS);
  return { from: new Date(to.getTime() - hours * 3_600_000), to };
}

/** The replay of [from, to), the same for every viewer (`viewer` proves one was checked). */
export async function wallReplay(
  db: Db,
  _viewer: WallViewer,
  window: { from: Date; to: Date },
): Promise<Replay> {
  const cols = await replayEvents(db, window.from, window.to, REPLAY_MAX_EVENTS);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    kinds: [...REPLAY_KINDS],
    ...cols,
  };
}
