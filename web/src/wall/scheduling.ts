/**
 * The wall's clockwork, pure: which scene the tour shows, which alarm is on screen and what the
 * replay has reached. The Svelte classes (tour, alarms, replay) hold state and timers and call
 * these, so the rules are tested without a browser.
 *
 * @example
 * const tour = startTour(scenes, 'hazards', 0); // at the saved scene, or the first
 * advance(tour, scenes, 31_000);                // the next scene once the dwell is over
 */
import type { Alarm, Replay, Scene } from '../../../server/contract/wall.ts';

// ---------------------------------------------------------------------------------------------
// The tour

export interface TourPosition {
  index: number;
  /** When the current scene came on (epoch ms). */
  since: number;
}

/** The tour's first scene: the one with `savedId` (a reload returns there), else the first. */
export function startTour(
  scenes: readonly Scene[],
  savedId: string | null,
  now: number,
): TourPosition {
  const i = savedId ? scenes.findIndex((s) => s.id === savedId) : -1;
  return { index: Math.max(0, i), since: now };
}

/**
 * Moves on once the current scene has been up for its dwell; several dwells at once (a laptop
 * that slept) move one scene only, starting its dwell now.
 */
export function advance(pos: TourPosition, scenes: readonly Scene[], now: number): TourPosition {
  if (scenes.length === 0) return pos;
  const scene = scenes[pos.index % scenes.length]!;
  if (now - pos.since < scene.dwellSeconds * 1000) return pos;
  return { index: (pos.index + 1) % scenes.length, since: now };
}

/**
 * The same place in a new playlist: the scene with the same id (its dwell kept), else the first.
 */
export function follow(
  pos: TourPosition,
  old: readonly Scene[],
  next: readonly Scene[],
  now: number,
): TourPosition {
  const id = old[pos.index]?.id;
  const i = id ? next.findIndex((s) => s.id === id) : -1;
  return i >= 0 ? { index: i, since: pos.since } : { index: 0, since: now };
}

/** Seconds left in the current scene (for the progress bar). */
export function remaining(pos: TourPosition, scenes: readonly Scene[], now: number): number {
  const scene = scenes[pos.index];
  if (!scene) return 0;
  return Math.max(0, Math.ceil(scene.dwellSeconds - (now - pos.since) / 1000));
}

// ---------------------------------------------------------------------------------------------
// Alarms

/** How long one alarm holds the wall before the next (or the tour) comes back. */
export const ALARM_DWELL_MS = 20_000;
/** Alarms raised longer ago than this are listed, not flown to, when the wall (re)connects. */
export const ALARM_FRESH_MS = 10 * 60_000;
/**
 * At most this many wait their turn (a burst of fifty would hold the wall for a quarter of an
 * hour): the newest are kept, the rest are in the alarm list.
 */
export const MAX_WAITING = 5;
/** Ids remembered against flying twice: far more than a day's alarms, and bounded for weeks. */
const SEEN_LIMIT = 2000;

export interface AlarmQueueState {
  /** The alarm on screen, and since when. */
  current: { alarm: Alarm; since: number } | null;
  /** Waiting, oldest first. */
  waiting: Alarm[];
  /** Ids ever queued, so a reconnect's list does not fly to them again. */
  seen: ReadonlySet<number>;
}

export const emptyQueue = (): AlarmQueueState => ({ current: null, waiting: [], seen: new Set() });

/**
 * Queues alarms that are new to this wall, unacknowledged and raised within
 * {@link ALARM_FRESH_MS}; the rest are only listed.
 */
export function enqueue(
  q: AlarmQueueState,
  alarms: readonly Alarm[],
  now: number,
): AlarmQueueState {
  const seen = new Set(q.seen);
  const add: Alarm[] = [];
  for (const a of [...alarms].sort((x, y) => Date.parse(x.raisedAt) - Date.parse(y.raisedAt))) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    if (a.acknowledgedAt === null && now - Date.parse(a.raisedAt) <= ALARM_FRESH_MS) add.push(a);
  }
  if (add.length === 0 && seen.size === q.seen.size) return q;
  // A Set iterates in insertion order: the oldest ids go first.
  for (const id of seen) {
    if (seen.size <= SEEN_LIMIT) break;
    seen.delete(id);
  }
  const waiting = [...q.waiting, ...add];
  return step({ ...q, waiting: waiting.slice(-MAX_WAITING), seen }, now);
}

/**
 * An acknowledgement: the alarm on screen stays for the rest of its dwell showing who
 * acknowledged; a waiting one leaves the queue.
 */
export function acknowledge(q: AlarmQueueState, alarm: Alarm): AlarmQueueState {
  const waiting = q.waiting.filter((a) => a.id !== alarm.id);
  const current =
    q.current && q.current.alarm.id === alarm.id ? { ...q.current, alarm } : q.current;
  return { ...q, waiting, current };
}

/** The next alarm once the one on screen has had its dwell. */
export function step(q: AlarmQueueState, now: number): AlarmQueueState {
  if (q.current && now - q.current.since < ALARM_DWELL_MS) return q;
  const [next, ...rest] = q.waiting;
  if (!next) return q.current ? { ...q, current: null } : q;
  return { ...q, current: { alarm: next, since: now }, waiting: rest };
}

// ---------------------------------------------------------------------------------------------
// The replay

/** Replay speed: 24 hours in 24 minutes. */
export const REPLAY_SPEED = 60;
/** Events stay on the map this long (replay time) after they happen, fading. */
export const REPLAY_TRAIL_S = 3600;

export interface ReplayFrame {
  /** Replay time, epoch ms. */
  at: number;
  /** Events that have happened by `at`, per kind (index into `replay.kinds`). */
  counts: number[];
  /** Events in the trail: [first, end) indices into the replay's columns. */
  first: number;
  end: number;
  done: boolean;
}

/** The first index whose time is > `t` (t ascending). */
function upperBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where the replay stands `elapsedMs` of wall time after it started, at {@link REPLAY_SPEED}. */
export function replayFrame(
  replay: Replay,
  elapsedMs: number,
  speed = REPLAY_SPEED,
  trailSeconds = REPLAY_TRAIL_S,
): ReplayFrame {
  const from = Date.parse(replay.from);
  const span = (Date.parse(replay.to) - from) / 1000;
  const s = Math.min(span, (elapsedMs / 1000) * speed);
  const end = upperBound(replay.t, s);
  const first = upperBound(replay.t, s - trailSeconds);
  const counts = replay.kinds.map(() => 0);
  for (let i = 0; i < end; i++) counts[replay.k[i]!]! += 1;
  return { at: from + s * 1000, counts, first, end, done: s >= span };
}

/** Events this recent (replay time) are drawn bright; the rest of the trail fades. */
export const REPLAY_FRESH_S = 600;

/** The trail's events as the map takes them: columns, the freshest last. */
export function replayWindow(replay: Replay, frame: ReplayFrame, freshSeconds = REPLAY_FRESH_S) {
  const { first, end } = frame;
  const now = (frame.at - Date.parse(replay.from)) / 1000;
  let fresh = 0;
  while (fresh < end - first && replay.t[end - 1 - fresh]! > now - freshSeconds) fresh++;
  return {
    points: {
      lon: Float32Array.from(replay.lon.slice(first, end)),
      lat: Float32Array.from(replay.lat.slice(first, end)),
      kind: Uint8Array.from(replay.k.slice(first, end)),
    },
    fresh,
  };
}
