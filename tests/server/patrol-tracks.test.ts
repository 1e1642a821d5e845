/**
 * Patrol positions must lie in Lanzhou and tracks must move like a patrol: `[0, 0]` once made a
 * 41,254 km patrol. Each refusal is a 400 with a reason and the point at fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTrack, haversineM } from '../../server/services/patrols.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
let cookie: string;
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  cookie = await signIn(t.app, 'gridworker');
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const post = (url: string, body: unknown) => call(t.app, 'POST', url, { cookie, body });

describe('patrol tracks', () => {
  it('refuses points outside Lanzhou, implausible speeds and times outside the patrol', async () => {
    const [lon, lat] = fx.gridCompound.label;
    const nowhere = await post('/api/patrols', { position: [0, 0] });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error).toMatchObject({
      code: 'bad_request',
      reason: 'outside_city',
      field: 'position',
    });

    const started = await post('/api/patrols', { position: [lon, lat] });
    expect(started.status).toBe(201);
    const id = started.body.id as number;
    try {
      const now = Math.floor(Date.now() / 1000);
      const zero = await post(`/api/patrols/${id}/track`, {
        points: [
          [lon + 0.0001, lat, now + 1],
          [0, 0, now + 2],
        ],
      });
      expect(zero.status).toBe(400);
      expect(zero.body.error).toMatchObject({ reason: 'outside_city', field: 'points[1]' });

      // 1.1 km in 2 s: 2,000 km/h.
      const fast = await post(`/api/patrols/${id}/track`, {
        points: [
          [lon + 0.0001, lat, now + 1],
          [lon + 0.0001, lat + 0.01, now + 3],
        ],
      });
      expect(fast.status).toBe(400);
      expect(fast.body.error).toMatchObject({ reason: 'track_speed', field: 'points[1]' });

      const early = await post(`/api/patrols/${id}/track`, {
        points: [[lon + 0.0001, lat, now - 3600]],
      });
      expect(early.status).toBe(400);
      expect(early.body.error).toMatchObject({ reason: 'track_time', field: 'points[0]' });

      const future = await post(`/api/patrols/${id}/track`, {
        points: [[lon + 0.0001, lat, now + 3600]],
      });
      expect(future.body.error).toMatchObject({ reason: 'track_time', field: 'points[0]' });

      // Nothing refused was kept: a walk at a few metres a second still goes on.
      const walk = await post(`/api/patrols/${id}/track`, {
        points: [1, 2, 3].map((i) => [lon + i * 0.00005, lat, now + i * 5]),
      });
      expect(walk.status).toBe(200);
      expect(walk.body.points).toBe(4);
      expect(walk.body.distanceM).toBeLessThan(20);

      const farCheckin = await post(`/api/patrols/${id}/checkins`, {
        compoundId: fx.gridCompound.id,
        position: [0, 0],
      });
      expect(farCheckin.status).toBe(400);
      expect(farCheckin.body.error).toMatchObject({ reason: 'outside_city', field: 'position' });
    } finally {
      expect((await post(`/api/patrols/${id}/end`, {})).status).toBe(200);
    }
  });

  it('measures speed from the last stored point, allowing for GPS jitter', () => {
    const box: [number, number, number, number] = [103, 35.5, 104.5, 37];
    const start = { lastM: 1000, last: [103.8, 36.06] as const, startedAt: new Date(1000_000) };
    // 40 m in 1 s is jitter, not speed.
    expect(() => checkTrack(box, start, [[103.8004, 36.06, 1001]], 2000_000)).not.toThrow();
    // 3 km in 60 s is 180 km/h.
    expect(() => checkTrack(box, start, [[103.8333, 36.06, 1060]], 2000_000)).toThrow(/km\/h/);
    expect(haversineM([103.8, 36.06], [103.8, 36.07])).toBeCloseTo(1112, -1);
  });
});
