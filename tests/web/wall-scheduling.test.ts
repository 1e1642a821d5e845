import { describe, expect, it } from 'vitest';
import type { Alarm, Replay, Scene } from '../../server/contract/wall.ts';
import {
  acknowledge,
  advance,
  ALARM_DWELL_MS,
  ALARM_FRESH_MS,
  emptyQueue,
  enqueue,
  follow,
  remaining,
  replayFrame,
  replayWindow,
  startTour,
  step,
} from '../../web/src/wall/scheduling.ts';
import { streamRetryDelay } from '../../web/src/wall/stream.svelte.ts';

const scene = (id: string, dwellSeconds: number): Scene => ({
  id,
  kind: 'city',
  areaId: null,
  dwellSeconds,
  title: null,
});
const scenes = [scene('city', 30), scene('district-1', 15), scene('hazards', 20)];

const T0 = Date.parse('2026-11-30T06:00:00Z');
const alarm = (id: number, raisedAt = T0, acknowledgedAt: string | null = null): Alarm => ({
  id,
  kind: 'hazard_major',
  district: { id: 1, name: '城关区' },
  place: `小区${id}`,
  category: 'gas',
  severity: 'critical',
  position: [103.8, 36.05],
  raisedAt: new Date(raisedAt).toISOString(),
  acknowledgedAt,
  acknowledgedBy: acknowledgedAt ? '王主任（全市）' : null,
});

describe('the tour', () => {
  it('starts at the saved scene, or the first when it is gone', () => {
    expect(startTour(scenes, 'hazards', T0)).toEqual({ index: 2, since: T0 });
    expect(startTour(scenes, 'gone', T0).index).toBe(0);
    expect(startTour(scenes, null, T0).index).toBe(0);
  });

  it('moves on after each dwell and wraps around', () => {
    let pos = startTour(scenes, null, T0);
    expect(advance(pos, scenes, T0 + 29_999)).toBe(pos);
    pos = advance(pos, scenes, T0 + 30_000);
    expect(pos).toEqual({ index: 1, since: T0 + 30_000 });
    pos = advance(pos, scenes, T0 + 45_000);
    expect(pos.index).toBe(2);
    pos = advance(pos, scenes, T0 + 65_000);
    expect(pos.index).toBe(0);
    // A wall that slept for an hour moves one scene, not sixty.
    expect(advance(pos, scenes, T0 + 3_600_000).index).toBe(1);
  });

  it('counts down the seconds left', () => {
    expect(remaining({ index: 1, since: T0 }, scenes, T0 + 4_500)).toBe(11);
    expect(remaining({ index: 1, since: T0 }, scenes, T0 + 99_000)).toBe(0);
  });

  it('keeps its place when the playlist is edited, and restarts when the scene is gone', () => {
    const pos = { index: 1, since: T0 };
    const edited = [scene('hazards', 20), scene('district-1', 60)];
    expect(follow(pos, scenes, edited, T0 + 5)).toEqual({ index: 1, since: T0 });
    expect(follow(pos, scenes, [scene('city', 30)], T0 + 5)).toEqual({ index: 0, since: T0 + 5 });
  });
});

describe('the alarm queue', () => {
  it('shows one alarm at a time, oldest first, each for its dwell, then gives the wall back', () => {
    let q = enqueue(emptyQueue(), [alarm(2, T0 + 1000), alarm(1, T0)], T0 + 2000);
    expect(q.current?.alarm.id).toBe(1);
    expect(q.waiting.map((a) => a.id)).toEqual([2]);
    expect(step(q, T0 + 2000 + ALARM_DWELL_MS - 1)).toBe(q);
    q = step(q, T0 + 2000 + ALARM_DWELL_MS);
    expect(q.current?.alarm.id).toBe(2);
    q = step(q, T0 + 2000 + 2 * ALARM_DWELL_MS);
    expect(q.current).toBeNull();
  });

  it('does not fly to an alarm twice, nor to acknowledged or old ones', () => {
    let q = enqueue(emptyQueue(), [alarm(1)], T0);
    q = step(q, T0 + ALARM_DWELL_MS);
    expect(q.current).toBeNull();
    // The reconnect's list brings the same alarm again, an acknowledged one and an old one.
    q = enqueue(
      q,
      [alarm(1), alarm(3, T0, new Date(T0).toISOString()), alarm(4, T0 - ALARM_FRESH_MS - 1)],
      T0 + ALARM_DWELL_MS,
    );
    expect(q.current).toBeNull();
    expect(q.waiting).toEqual([]);
    expect([...q.seen].sort()).toEqual([1, 3, 4]);
  });

  it('shows who acknowledged the alarm on screen, and drops an acknowledged waiting one', () => {
    let q = enqueue(emptyQueue(), [alarm(1), alarm(2)], T0);
    const acked = alarm(1, T0, new Date(T0 + 5000).toISOString());
    q = acknowledge(q, acked);
    expect(q.current?.alarm.acknowledgedBy).toBe('王主任（全市）');
    expect(q.current?.since).toBe(T0);
    q = acknowledge(q, alarm(2, T0, new Date(T0 + 6000).toISOString()));
    expect(q.waiting).toEqual([]);
  });
});

describe('the replay', () => {
  const replay: Replay = {
    from: '2026-11-29T06:00:00Z',
    to: '2026-11-30T06:00:00Z',
    kinds: ['ticket.received', 'ticket.closed', 'hazard.reported'],
    t: [10, 600, 3600, 7200, 86_000],
    k: [0, 0, 1, 2, 0],
    lon: [103.8, 103.81, 103.82, 103.83, 103.84],
    lat: [36, 36.01, 36.02, 36.03, 36.04],
  };

  it('plays 24 hours in 24 minutes and counts what has happened by each moment', () => {
    // One minute of wall time is one hour of the day.
    const f = replayFrame(replay, 60_000);
    expect(f.at).toBe(Date.parse(replay.from) + 3600_000);
    expect(f.counts).toEqual([2, 1, 0]);
    expect([f.first, f.end]).toEqual([0, 3]);
    expect(f.done).toBe(false);
  });

  it('keeps the last hour on the map and stops at the end', () => {
    const f = replayFrame(replay, 121_000);
    // 2 h 1 min in: only the event at 2 h is less than an hour old.
    expect([f.first, f.end]).toEqual([3, 4]);
    const end = replayFrame(replay, 25 * 60_000);
    expect(end.done).toBe(true);
    expect(end.at).toBe(Date.parse(replay.to));
    expect(end.counts).toEqual([3, 1, 1]);
  });
});

describe('the stream', () => {
  it('reconnects after 1, 2, 4, 8 s, then every 10 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(streamRetryDelay)).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });
});

describe('the alarm queue over weeks', () => {
  it('keeps at most a few waiting and remembers a bounded number of ids', () => {
    let q = emptyQueue();
    for (let i = 1; i <= 3000; i++) q = enqueue(q, [alarm(i, T0)], T0);
    expect(q.current?.alarm.id).toBe(1);
    expect(q.waiting.map((a) => a.id)).toEqual([2996, 2997, 2998, 2999, 3000]);
    expect(q.seen.size).toBe(2000);
    expect(q.seen.has(3000)).toBe(true);
  });
});

describe('the replay on the map', () => {
  it('hands the trail over as columns with the last ten minutes bright', () => {
    const replay: Replay = {
      from: '2026-11-29T06:00:00Z',
      to: '2026-11-30T06:00:00Z',
      kinds: ['ticket.received', 'hazard.reported'],
      t: [100, 3000, 3500, 3590],
      k: [0, 1, 0, 1],
      lon: [103.1, 103.2, 103.3, 103.4],
      lat: [36.1, 36.2, 36.3, 36.4],
    };
    const frame = replayFrame(replay, 60_000); // an hour in
    const w = replayWindow(replay, frame);
    expect([...w.points.kind]).toEqual([0, 1, 0, 1]);
    expect(w.points.lon[3]).toBeCloseTo(103.4, 4);
    expect(w.fresh).toBe(2);
  });
});
