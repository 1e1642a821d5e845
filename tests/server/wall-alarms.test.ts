import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Alarm, AlarmList, WallTick } from '../../server/contract/wall.ts';
import { openDb, type Db } from '../../server/db/client.ts';
import { handleError } from '../../server/errors.ts';
import { wallAlarmRoutes } from '../../server/routes/wall-alarms.ts';
import type { WallNotice } from '../../server/services/events.ts';
import { Sessions } from '../../server/services/sessions.ts';
import { AlarmSweeper, WallFeed, type DisplayCheck } from '../../server/services/wall-alarms.ts';
import type { DisplayPrincipal } from '../../server/services/wall-viewer.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, getJson, openDisplay, openTestApp, signIn } from './test-db.ts';
import { openSse } from './sse.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
/** A compound whose latest 红黄蓝 rating is red, and one whose latest is not. */
let red: { id: number; name: string; label: [number, number]; districtId: number };
let notRed: { id: number; label: [number, number] };
const notices: WallNotice[] = [];

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'district', 'district2', 'community', 'planner'])
    as[u] = await signIn(t.app, u);
  await t.app.hub.start();
  t.app.hub.onWall((n) => notices.push(n));
  const compounds = await sql<{
    id: number;
    name: string;
    label: [number, number];
    districtId: number;
    color: string;
  }>`SELECT a.id, a.name, json_build_array(ST_X(a.label_point), ST_Y(a.label_point)) AS label,
      a.path[1] AS "districtId",
      (SELECT color FROM compound_ratings cr WHERE cr.compound_id = a.id
        ORDER BY period DESC LIMIT 1) AS color
    FROM areas a WHERE a.level = 'compound' ORDER BY a.id`.execute(t.db.kysely);
  red = compounds.rows.find((c) => c.color === 'red')!;
  notRed = compounds.rows.find((c) => c.color && c.color !== 'red')!;
  expect(red).toBeDefined();
  expect(notRed).toBeDefined();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createHazard(severity: string, position: [number, number] = red.label) {
  const res = await call(t.app, 'POST', '/api/hazards', {
    cookie: as.city,
    body: { type: 'gas', severity, description: '燃气管道泄漏，气味明显', position },
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; code: string };
}

async function alarmsOf(kind: string, refId: number) {
  const r = await sql<{ id: number }>`SELECT id::int AS id FROM wall_alarms
    WHERE kind = ${kind} AND ref_id = ${refId}`.execute(t.db.kysely);
  return r.rows.map((x) => x.id);
}

/**
 * A deadline that no real-time sweep (every 15 s, up to the clock) has reached yet: a minute
 * ahead of the clock and of every watermark. The test sweeps to just past it.
 */
async function freshDeadline(): Promise<Date> {
  const r = await sql<{ until: string | null }>`SELECT max(swept_until) AS until
    FROM wall_sweeps`.execute(t.db.kysely);
  const watermark = r.rows[0]!.until ? new Date(r.rows[0]!.until).getTime() : 0;
  return new Date(Math.max(Date.now(), watermark) + 60_000);
}

/** An open ticket in a compound, due at `due` (set with SQL: no API sets a deadline). */
async function ticketDueAt(compound: { label: [number, number] }, due: Date, title: string) {
  const res = await call(t.app, 'POST', '/api/tickets', {
    cookie: as.city,
    body: { category: 'facilities', title, position: compound.label },
  });
  expect(res.status).toBe(201);
  await sql`UPDATE tickets SET due_at = ${due} WHERE id = ${res.body.id}`.execute(t.db.kysely);
  return res.body as { id: number; code: string };
}

/** A whistle awaiting a report-in, its report-in deadline at `due`. */
async function whistleDueAt(due: Date, reported: boolean) {
  const r = await sql<{ id: number }>`
    SELECT w.id FROM whistles w
    WHERE EXISTS (SELECT 1 FROM whistle_report_ins r WHERE r.whistle_id = w.id)
      AND NOT EXISTS (SELECT 1 FROM wall_alarms a WHERE a.kind = 'whistle_late' AND a.ref_id = w.id)
      AND w.id NOT IN (SELECT id FROM whistles WHERE report_due_at > now())
    ORDER BY w.id LIMIT 1`.execute(t.db.kysely);
  const id = r.rows[0]!.id;
  await sql`UPDATE whistles SET blown_at = ${new Date(due.getTime() - 3600_000)},
      report_due_at = ${due}, resolve_due_at = ${new Date(due.getTime() + 86400_000)},
      resolved_at = NULL, resolution = NULL
    WHERE id = ${id}`.execute(t.db.kysely);
  await sql`UPDATE whistle_report_ins SET reported_at = ${reported ? new Date(due.getTime() - 60_000) : null},
      reported_by = NULL, reported_by_name = ${reported ? '物业' : null}
    WHERE whistle_id = ${id}`.execute(t.db.kysely);
  return id;
}

describe('raising alarms', () => {
  it('raises a critical hazard at once, in its intake; a high one raises none', async () => {
    const critical = await createHazard('critical');
    const ids = await alarmsOf('hazard_major', critical.id);
    expect(ids).toHaveLength(1);
    const high = await createHazard('high');
    expect(await alarmsOf('hazard_major', high.id)).toEqual([]);
    const { status, body } = await getJson(t.app, '/api/wall/alarms', as.city);
    expect(status).toBe(200);
    AlarmList.parse(body);
    const alarm = body.items.find((a: Alarm) => a.id === ids[0]);
    expect(alarm).toMatchObject({
      kind: 'hazard_major',
      place: red.name,
      category: 'gas',
      severity: 'critical',
      district: { id: red.districtId },
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    expect(alarm.district.name).not.toBe('');
    expect(alarm.position[0]).toBeCloseTo(red.label[0], 4);
    expect(alarm.position[1]).toBeCloseTo(red.label[1], 4);
    // Newest first.
    const times = body.items.map((a: Alarm) => Date.parse(a.raisedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Announced on the wall channel once committed.
    await sleep(300);
    expect(notices.filter((n) => n.type === 'alarm' && n.alarm.id === ids[0])).toHaveLength(1);
  });

  it('sweeps a late whistle and an overdue ticket in a red compound once each', async () => {
    const due = await freshDeadline();
    const late = await whistleDueAt(due, false);
    const reportedIn = await whistleDueAt(due, true);
    const inRed = await ticketDueAt(red, due, '楼道灯坏了很久');
    const elsewhere = await ticketDueAt(notRed, due, '单元门禁失灵');
    const now = new Date(due.getTime() + 1000);
    const sweeper = new AlarmSweeper(t.db);
    const raised = await sweeper.sweep(now);
    expect(await alarmsOf('whistle_late', late)).toHaveLength(1);
    expect(await alarmsOf('whistle_late', reportedIn)).toEqual([]);
    expect(await alarmsOf('ticket_overdue_red', inRed.id)).toHaveLength(1);
    expect(await alarmsOf('ticket_overdue_red', elsewhere.id)).toEqual([]);
    const [whistleAlarm] = await alarmsOf('whistle_late', late);
    const [ticketAlarm] = await alarmsOf('ticket_overdue_red', inRed.id);
    expect(raised.map((a) => a.id)).toEqual(expect.arrayContaining([whistleAlarm, ticketAlarm]));
    const ticket = raised.find((a) => a.id === ticketAlarm)!;
    expect(ticket).toMatchObject({ place: red.name, category: 'facilities', severity: null });
    expect(ticket.raisedAt).toBeDefined();
    // Swept again (this process or another): nothing new.
    expect(await sweeper.sweep(now)).toEqual([]);
    expect(await sweeper.sweep(new Date(now.getTime() + 500))).toEqual([]);
    expect(await alarmsOf('whistle_late', late)).toHaveLength(1);
    expect(await alarmsOf('ticket_overdue_red', inRed.id)).toHaveLength(1);
    await sleep(300);
    expect(notices.filter((n) => n.alarm.id === ticketAlarm)).toHaveLength(1);
    expect(notices.filter((n) => n.alarm.id === whistleAlarm)).toHaveLength(1);
  });

  it('raises each alarm once when two processes sweep at the same moment', async () => {
    const due = await freshDeadline();
    const ticket = await ticketDueAt(red, due, '屋顶漏水');
    const whistle = await whistleDueAt(due, false);
    // On PostgreSQL the second sweeper has its own connections, as another process would.
    const url = inject('databaseUrl');
    const other: Db = url ? await openDb({ databaseUrl: url, dataDir: 'memory://' }) : t.db;
    try {
      const now = new Date(due.getTime() + 1000);
      const [a, b] = await Promise.all([
        new AlarmSweeper(t.db).sweep(now),
        new AlarmSweeper(other).sweep(now),
      ]);
      const [ticketAlarm] = await alarmsOf('ticket_overdue_red', ticket.id);
      const [whistleAlarm] = await alarmsOf('whistle_late', whistle);
      expect(ticketAlarm).toBeDefined();
      expect(whistleAlarm).toBeDefined();
      const all = [...a, ...b].map((x) => x.id);
      expect(all.filter((id) => id === ticketAlarm)).toHaveLength(1);
      expect(all.filter((id) => id === whistleAlarm)).toHaveLength(1);
      // No alarm was announced twice.
      expect(new Set(all).size).toBe(all.length);
      await sleep(300);
      expect(notices.filter((n) => n.alarm.id === ticketAlarm)).toHaveLength(1);
    } finally {
      if (other !== t.db) await other.close();
    }
  });

  it('starts a sweep no further back than ten minutes', async () => {
    // A whistle whose deadline passed an hour before the first sweep of a new kind of watermark.
    await sql`DELETE FROM wall_sweeps WHERE name = 'whistle_late'`.execute(t.db.kysely);
    const now = new Date((await freshDeadline()).getTime() + 3600_000);
    const old = await whistleDueAt(new Date(now.getTime() - 3600_000), false);
    const recent = await whistleDueAt(new Date(now.getTime() - 5 * 60_000), false);
    await new AlarmSweeper(t.db).sweep(now);
    expect(await alarmsOf('whistle_late', old)).toEqual([]);
    expect(await alarmsOf('whistle_late', recent)).toHaveLength(1);
  });
});

describe('GET /api/wall/alarms', () => {
  it('is for wall viewers only', async () => {
    expect((await getJson(t.app, '/api/wall/alarms', as.district)).status).toBe(200);
    expect((await getJson(t.app, '/api/wall/alarms', as.community)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/alarms', as.planner)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/alarms')).status).toBe(401);
  });

  it('names the parameter of a bad window', async () => {
    for (const hours of ['0', '49', 'abc', '1.5']) {
      const { status, body } = await getJson(t.app, `/api/wall/alarms?hours=${hours}`, as.city);
      expect(status, hours).toBe(400);
      expect(body.error.field).toBe('hours');
    }
    const { status, body } = await getJson(t.app, '/api/wall/alarms?hours=48', as.city);
    expect(status).toBe(200);
    AlarmList.parse(body);
  });

  it('reads back only the window asked for', async () => {
    const h = await createHazard('critical');
    const [id] = await alarmsOf('hazard_major', h.id);
    await sql`UPDATE wall_alarms SET raised_at = now() - interval '3 hours' WHERE id = ${id}`.execute(
      t.db.kysely,
    );
    const one = (await getJson(t.app, '/api/wall/alarms?hours=2', as.city)).body;
    expect(one.items.some((a: Alarm) => a.id === id)).toBe(false);
    const four = (await getJson(t.app, '/api/wall/alarms?hours=4', as.city)).body;
    expect(four.items.some((a: Alarm) => a.id === id)).toBe(true);
  });
});

describe('POST /api/wall/alarms/{id}/ack', () => {
  const ack = (id: number, cookie?: string) =>
    call(t.app, 'POST', `/api/wall/alarms/${id}/ack`, { cookie });

  it('lets the city and the alarm’s own district acknowledge, once', async () => {
    const h = await createHazard('critical');
    const [id] = await alarmsOf('hazard_major', h.id);
    const district = fx.accounts.district.areaId === red.districtId ? 'district' : 'district2';
    const otherDistrict = district === 'district' ? 'district2' : 'district';
    expect(fx.accounts[otherDistrict].areaId).not.toBe(red.districtId);
    expect((await ack(id!)).status).toBe(401);
    expect((await ack(id!, as.community)).status).toBe(403);
    expect((await ack(id!, as.planner)).status).toBe(403);
    const foreign = await ack(id!, as[otherDistrict]);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.reason).toBe('outside_scope');
    const first = await ack(id!, as[district]);
    expect(first.status).toBe(200);
    Alarm.parse(first.body);
    const me = await sql<{ name: string; area: string }>`SELECT a.display_name AS name,
        ar.name AS area FROM accounts a JOIN areas ar ON ar.id = a.area_id
      WHERE a.username = ${district}`.execute(t.db.kysely);
    expect(first.body.acknowledgedBy).toBe(`${me.rows[0]!.name}（${me.rows[0]!.area}）`);
    expect(first.body.acknowledgedAt).not.toBeNull();
    // A second acknowledgement keeps the first acknowledger.
    const again = await ack(id!, as.city);
    expect(again.status).toBe(200);
    expect(again.body.acknowledgedBy).toBe(first.body.acknowledgedBy);
    expect(again.body.acknowledgedAt).toBe(first.body.acknowledgedAt);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'wall_alarm.ack' AND entity_id = ${String(id)}`.execute(t.db.kysely);
    expect(audit.rows[0]!.n).toBe(1);
    await sleep(300);
    expect(notices.filter((n) => n.type === 'ack' && n.alarm.id === id)).toHaveLength(1);
    // The city acknowledges any district's alarm.
    const h2 = await createHazard('critical');
    const [id2] = await alarmsOf('hazard_major', h2.id);
    const byCity = await ack(id2!, as.city);
    expect(byCity.status).toBe(200);
    expect(byCity.body.acknowledgedBy).toMatch(/（.+）$/);
  });

  it('answers 404 for an unknown alarm and 400 for a bad id', async () => {
    expect((await ack(999_999_999, as.city)).status).toBe(404);
    const bad = await call(t.app, 'POST', '/api/wall/alarms/abc/ack', { cookie: as.city });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
  });
});

/** Reads a wall stream's events (and its raw text) until closed. */
function subscribe(app: { request: typeof t.app.request }, cookie?: string) {
  return openSse(app, '/api/wall/stream', cookie);
}

describe('GET /api/wall/stream', () => {
  it('is for wall viewers only', async () => {
    expect((await t.app.request('/api/wall/stream')).status).toBe(401);
    const r = await t.app.request('/api/wall/stream', { headers: { cookie: as.community! } });
    expect(r.status).toBe(403);
  });

  it('says hello, shows alarms and acknowledgements, and ticks without personal data', async () => {
    const s = await subscribe(t.app, as.city);
    try {
      const hello = await s.waitFor((e) => e.event === 'hello');
      expect(Date.parse(hello?.data.asOf)).not.toBeNaN();
      const h = await createHazard('critical');
      const [id] = await alarmsOf('hazard_major', h.id);
      const alarm = await s.waitFor((e) => e.event === 'alarm' && e.data.id === id);
      expect(alarm).toBeDefined();
      Alarm.parse(alarm!.data);
      expect(alarm!.data.place).toBe(red.name);
      const acked = await call(t.app, 'POST', `/api/wall/alarms/${id}/ack`, { cookie: as.city });
      expect(acked.status).toBe(200);
      const ackEvent = await s.waitFor((e) => e.event === 'ack' && e.data.id === id);
      expect(ackEvent?.data.acknowledgedBy).toBe(acked.body.acknowledgedBy);

      // A ticket with a resident's name in it: the wall hears that one was received, nothing more.
      const title = '张秀英家楼上漏水多日无人处理';
      const ticket = await call(t.app, 'POST', '/api/tickets', {
        cookie: as.city,
        body: {
          category: 'facilities',
          title,
          residentName: '张秀英',
          residentPhone: '13912345678',
          position: red.label,
        },
      });
      expect(ticket.status).toBe(201);
      const tick = await s.waitFor(
        (e) => e.event === 'tick' && e.data.kind === 'ticket' && e.data.category === 'facilities',
      );
      expect(tick).toBeDefined();
      WallTick.parse(tick!.data);
      expect(Object.keys(tick!.data).sort()).toEqual(
        ['at', 'category', 'district', 'kind', 'op', 'position', 'status'].sort(),
      );
      expect(Object.keys(tick!.data.district).sort()).toEqual(['id', 'name']);
      expect(tick!.data.district).toMatchObject({ id: red.districtId });
      expect(tick!.data.district.name).not.toBe('');
      expect(tick!.data.op).toBe('created');
      for (const x of tick!.data.position) expect(Math.round(x * 1000) / 1000).toBe(x);
      const hazardTick = s.events.find((e) => e.event === 'tick' && e.data.kind === 'hazard');
      expect(hazardTick).toBeDefined();
      const me = await sql<{ name: string }>`SELECT display_name AS name FROM accounts
        WHERE username = 'city'`.execute(t.db.kysely);
      // Ticks and alarms name no person; only an acknowledgement names its supervisor.
      const quiet = s.events.filter((e) => e.event !== 'ack').map((e) => JSON.stringify(e.data));
      expect(quiet.join('\n')).not.toContain(me.rows[0]!.name);
      for (const secret of [
        title,
        '张秀英',
        '13912345678',
        ticket.body.code,
        h.code,
        '燃气管道泄漏',
      ])
        expect(s.raw).not.toContain(secret);
    } finally {
      await s.close();
    }
  });

  it('ends an account’s stream when its session is signed out', async () => {
    const cookie = await signIn(t.app, 'city');
    const s = await subscribe(t.app, cookie);
    try {
      await s.waitFor((e) => e.event === 'hello');
      const out = await t.app.request('/api/session', { method: 'DELETE', headers: { cookie } });
      expect(out.status).toBe(204);
      const end = await s.waitFor((e) => e.event === 'revoked');
      expect(end?.data).toEqual({ reason: 'signed_out' });
      for (let i = 0; i < 40 && !s.ended; i++) await sleep(50);
      expect(s.ended).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('ends a real display key’s stream within seconds of its revocation', async () => {
    const display = await openDisplay(t.app, as.city!, '告警测试大屏');
    const cookie = display.cookie;
    const s = await subscribe(t.app, cookie);
    try {
      await s.waitFor((e) => e.event === 'hello');
      // Its key is checked every 2 s and holds: the stream stays open.
      await sleep(2500);
      expect(s.ended).toBe(false);
      expect(s.events.some((e) => e.event === 'revoked')).toBe(false);
      // A display cannot acknowledge: it is no account.
      const h = await createHazard('critical');
      const [id] = await alarmsOf('hazard_major', h.id);
      expect(await s.waitFor((e) => e.event === 'alarm' && e.data.id === id)).toBeDefined();
      expect((await call(t.app, 'POST', `/api/wall/alarms/${id}/ack`, { cookie })).status).toBe(
        401,
      );
      const revoked = await call(t.app, 'POST', `/api/displays/${display.id}/revoke`, {
        cookie: as.city,
      });
      expect(revoked.status).toBe(200);
      const end = await s.waitFor((e) => e.event === 'revoked', 5000);
      expect(end?.data).toEqual({ reason: 'revoked' });
      for (let i = 0; i < 40 && !s.ended; i++) await sleep(50);
      expect(s.ended).toBe(true);
    } finally {
      await s.close();
    }
  });

  describe('for a display', () => {
    const display: DisplayPrincipal = {
      id: 1,
      name: '市指挥中心 主屏',
      playlistId: null,
      tokenHash: 'a'.repeat(64),
    };
    let valid = true;
    let checks = 0;
    const check: DisplayCheck = {
      stillValid: async () => {
        checks++;
        return valid;
      },
    };
    let feed: WallFeed;
    let wall: Hono;
    beforeAll(() => {
      feed = new WallFeed(t.db, t.app.hub, check);
      // The display middleware's part, played here: a display signed in, no account.
      wall = new Hono();
      wall.use('*', async (c, next) => {
        c.set('actor', null);
        c.set('session', null);
        c.set('sessionToken', undefined);
        c.set('display', display);
        await next();
      });
      wall.route('/api/wall', wallAlarmRoutes(t.db, feed, new Sessions(t.db)));
      wall.onError(handleError);
    });
    afterAll(() => feed.close());

    it('reads the alarms but cannot acknowledge one', async () => {
      const list = await getJson(wall, '/api/wall/alarms');
      expect(list.status).toBe(200);
      AlarmList.parse(list.body);
      const id = list.body.items[0]?.id ?? 1;
      const res = await call(wall, 'POST', `/api/wall/alarms/${id}/ack`);
      expect(res.status).toBe(401);
    });

    it('ends with `revoked` within seconds of its key being revoked; streams share the check', async () => {
      valid = true;
      const streams = await Promise.all([subscribe(wall), subscribe(wall), subscribe(wall)]);
      try {
        for (const s of streams) expect(await s.waitFor((e) => e.event === 'hello')).toBeDefined();
        checks = 0;
        await sleep(4100);
        // Three walls of one display, checked every 2 s: about two checks, not six.
        expect(checks).toBeGreaterThanOrEqual(1);
        expect(checks).toBeLessThanOrEqual(3);
        expect(streams.every((s) => !s.ended)).toBe(true);
        valid = false;
        const at = Date.now();
        for (const s of streams) {
          const end = await s.waitFor((e) => e.event === 'revoked', 3500);
          expect(end?.data).toEqual({ reason: 'revoked' });
        }
        expect(Date.now() - at).toBeLessThan(3500);
        for (let i = 0; i < 40 && streams.some((s) => !s.ended); i++) await sleep(50);
        expect(streams.every((s) => s.ended)).toBe(true);
      } finally {
        await Promise.all(streams.map((s) => s.close()));
      }
    });
  });
});
