import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestApp, signIn } from './test-db.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['gridworker', 'community', 'community2', 'property', 'planner'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const post = (who: string, url: string, body: unknown) =>
  call(t.app, 'POST', url, { cookie: as[who], body });

describe('网格巡查', () => {
  it('records a timed track with check-ins, shown on the day’s map and in the grid’s coverage', async () => {
    const [lon, lat] = fx.gridCompound.label;
    const outside = await post('gridworker', '/api/patrols', { position: fx.otherCommunity.label });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/not inside your grid/);
    expect((await post('community', '/api/patrols', { position: [lon, lat] })).status).toBe(403);
    const started = await post('gridworker', '/api/patrols', { position: [lon, lat] });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect((await post('gridworker', '/api/patrols', { position: [lon, lat] })).status).toBe(409);
    const now = Math.floor(Date.now() / 1000);
    const points = [1, 2, 3, 4].map((i) => [lon + i * 0.0002, lat + i * 0.0001, now + i] as const);
    const tracked = await post('gridworker', `/api/patrols/${id}/track`, { points });
    expect(tracked.status).toBe(200);
    expect(tracked.body.points).toBe(5);
    expect(tracked.body.distanceM).toBeGreaterThan(70);
    const backwards = await post('gridworker', `/api/patrols/${id}/track`, {
      points: [[lon, lat, now]],
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/points\[0\].*not after/);
    const future = await post('gridworker', `/api/patrols/${id}/track`, {
      points: [[lon, lat, now + 3600]],
    });
    expect(future.status).toBe(400);
    const far = await post('gridworker', `/api/patrols/${id}/checkins`, {
      compoundId: fx.gridCompound.id,
      position: [lon + 0.05, lat],
    });
    expect(far.status).toBe(400);
    expect(far.body.error.message).toMatch(/within 100 m/);
    const checkin = await post('gridworker', `/api/patrols/${id}/checkins`, {
      compoundId: fx.gridCompound.id,
      position: [lon, lat],
      note: '门岗正常',
    });
    expect(checkin.status).toBe(201);
    const ended = await post('gridworker', `/api/patrols/${id}/end`, {});
    expect(ended.status).toBe(200);
    expect(
      (await post('gridworker', `/api/patrols/${id}/track`, { points: [[lon, lat, now + 10]] }))
        .status,
    ).toBe(409);

    const day = await call(t.app, 'GET', `/api/patrols?area=${fx.accounts.community.areaId}`, {
      cookie: as.community,
    });
    expect(day.status).toBe(200);
    const track = day.body.features.find(
      (f: any) => f.properties.kind === 'track' && f.properties.id === id,
    );
    expect(track.geometry.type).toBe('LineString');
    expect(track.geometry.coordinates).toHaveLength(5);
    expect(track.properties.timestamps).toHaveLength(5);
    expect(track.properties.checkins).toBe(1);
    const stamps: number[] = track.properties.timestamps;
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(
      day.body.features.some(
        (f: any) => f.properties.kind === 'checkin' && f.properties.patrolId === id,
      ),
    ).toBe(true);

    const coverage = await call(t.app, 'GET', '/api/patrols/coverage', { cookie: as.community });
    const grid = coverage.body.items.find((g: any) => g.gridId === fx.accounts.gridworker.areaId);
    expect(Date.now() - Date.parse(grid.lastPatrolledAt)).toBeLessThan(600_000);
    expect(grid.patrolsToday).toBeGreaterThanOrEqual(1);
    expect(coverage.body.items.length).toBeGreaterThan(0);
  });

  it('shows patrols only inside the own area, and not to companies or planners', async () => {
    const other = await call(t.app, 'GET', '/api/patrols', { cookie: as.community2 });
    expect(other.status).toBe(200);
    expect(
      other.body.features.every(
        (f: any) =>
          f.properties.kind !== 'track' || f.properties.gridId !== fx.accounts.gridworker.areaId,
      ),
    ).toBe(true);
    const cover = await call(t.app, 'GET', '/api/patrols/coverage', { cookie: as.community2 });
    expect(cover.body.items.some((g: any) => g.gridId === fx.accounts.gridworker.areaId)).toBe(
      false,
    );
    expect((await call(t.app, 'GET', '/api/patrols', { cookie: as.property })).status).toBe(403);
    expect((await call(t.app, 'GET', '/api/patrols/coverage', { cookie: as.planner })).status).toBe(
      403,
    );
    expect(
      (await call(t.app, 'GET', '/api/patrols?date=2026-13-01', { cookie: as.community })).status,
    ).toBe(400);
  });
});
