import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Playlist, PlaylistList, SCENE_KINDS } from '../../server/contract/wall.ts';
import {
  DEFAULT_PLAYLIST_NAME,
  listPlaylists,
  loadPlaylists,
  tourPlaylist,
} from '../../server/services/wall-playlists.ts';
import type { WallViewer } from '../../server/services/wall-viewer.ts';
import { call, getJson, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
const as: Record<string, string> = {};
let districts: { id: number; name: string }[] = [];
let community = 0;
beforeAll(async () => {
  t = await openTestApp();
  for (const u of ['city', 'district', 'community', 'planner']) as[u] = await signIn(t.app, u);
  districts = (
    await sql<{
      id: number;
      name: string;
    }>`SELECT id, name FROM areas WHERE level = 'district' ORDER BY id`.execute(t.db.kysely)
  ).rows;
  community = (
    await sql<{ id: number }>`SELECT min(id) AS id FROM areas WHERE level = 'community'`.execute(
      t.db.kysely,
    )
  ).rows[0]!.id;
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const scene = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  kind: 'city',
  areaId: null,
  dwellSeconds: 20,
  title: null,
  ...over,
});
const twoScenes = () => [
  scene('city', { dwellSeconds: 30 }),
  scene('d1', { kind: 'district', areaId: districts[0]!.id, title: '城关区重点' }),
];
const post = (body: unknown, who = 'city') =>
  call(t.app, 'POST', '/api/wall/playlists', { cookie: as[who], body });
const put = (id: number, body: unknown, who = 'city') =>
  call(t.app, 'PUT', `/api/wall/playlists/${id}`, { cookie: as[who], body });
const del = (id: number, who = 'city') =>
  call(t.app, 'DELETE', `/api/wall/playlists/${id}`, { cookie: as[who] });
const list = async (who = 'city') => {
  const r = await getJson(t.app, '/api/wall/playlists', as[who]);
  expect(r.status).toBe(200);
  return PlaylistList.parse(r.body).items;
};
const audits = async (id: number) =>
  (
    await sql<{ action: string; actor: string }>`SELECT action, actor FROM audit_log
      WHERE entity = 'wall_playlist' AND entity_id = ${String(id)} ORDER BY id`.execute(t.db.kysely)
  ).rows;

describe('the built-in default', () => {
  it('tours the city, each district by id, then the themes, until one is saved', async () => {
    // On a shared PostgreSQL test database other files may have saved playlists of other names.
    const items = await list();
    const builtin = items.filter((x) => x.id === null);
    expect(builtin).toHaveLength(1);
    const p = builtin[0]!;
    expect(p).toMatchObject({ id: null, version: 0, name: '默认轮播', updatedAt: null });
    expect(districts).toHaveLength(5);
    expect(p.scenes).toEqual([
      { id: 'city', kind: 'city', areaId: null, dwellSeconds: 30, title: null },
      ...districts.map((d) => ({
        id: `district-${d.id}`,
        kind: 'district',
        areaId: d.id,
        dwellSeconds: 15,
        title: null,
      })),
      ...['hotspots', 'whistles', 'hazards', 'coverage', 'heat'].map((k) => ({
        id: k,
        kind: k,
        areaId: null,
        dwellSeconds: 20,
        title: null,
      })),
    ]);
    const tour = await getJson(t.app, '/api/wall/playlist', as.city);
    expect(tour.status).toBe(200);
    const saved = items.filter((x) => x.id !== null);
    // The built-in one tours while nothing is saved; else the lowest id.
    expect(Playlist.parse(tour.body)).toEqual(saved[0] ?? p);
  });
});

describe('who may read and write', () => {
  it('lets the wall viewers read and only the city write', async () => {
    const before = (await list()).length;
    for (const url of ['/api/wall/playlists', '/api/wall/playlist']) {
      expect((await getJson(t.app, url, as.city)).status).toBe(200);
      expect((await getJson(t.app, url, as.district)).status).toBe(200);
      expect((await getJson(t.app, url, as.community)).status).toBe(403);
      expect((await getJson(t.app, url, as.planner)).status).toBe(403);
      expect((await getJson(t.app, url)).status).toBe(401);
    }
    const body = { name: '越权', scenes: twoScenes() };
    for (const who of ['district', 'community', 'planner']) {
      const r = await post(body, who);
      expect(r.status, who).toBe(403);
      expect(r.body.error.reason).toBe('missing_capability');
    }
    expect((await call(t.app, 'POST', '/api/wall/playlists', { body })).status).toBe(401);
    expect((await list()).filter((x) => x.name === '越权')).toEqual([]);
    expect((await list()).length).toBeGreaterThanOrEqual(before);
  });
});

describe('saving, editing and deleting', () => {
  it('creates a playlist (version 1, audited) that the next read shows', async () => {
    const r = await post({ name: ' 夜班轮播 ', scenes: twoScenes() });
    expect(r.status).toBe(201);
    const p = Playlist.parse(r.body);
    expect(p).toMatchObject({ name: '夜班轮播', version: 1, scenes: twoScenes() });
    expect(p.id).toBeGreaterThan(0);
    expect(p.updatedBy).toBeTruthy();
    expect(Date.parse(p.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // Visible at once, though the list was cached just before.
    const after = await list();
    expect(after.find((x) => x.id === p.id)).toEqual(p);
    // A district reads it too; the default still tours while none is saved under its name.
    expect((await getJson(t.app, `/api/wall/playlist?id=${p.id}`, as.district)).body).toEqual(p);
    const lowest = Math.min(...after.filter((x) => x.id !== null).map((x) => x.id!));
    expect((await getJson(t.app, '/api/wall/playlist', as.city)).body.id).toBe(lowest);
    expect(await audits(p.id!)).toEqual([{ action: 'wall_playlist.create', actor: 'city' }]);
    // The name is taken now.
    const again = await post({ name: '夜班轮播', scenes: twoScenes() });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ reason: 'name_taken', field: 'name' });
  });

  it('saves the default under its name: it replaces the built-in one everywhere', async () => {
    const builtin = (await list()).find((p) => p.id === null)!;
    const r = await post({ name: DEFAULT_PLAYLIST_NAME, scenes: builtin.scenes });
    expect(r.status).toBe(201);
    const items = await list();
    expect(items.some((p) => p.id === null)).toBe(false);
    expect(items.filter((p) => p.name === DEFAULT_PLAYLIST_NAME)).toHaveLength(1);
    expect((await getJson(t.app, '/api/wall/playlist', as.city)).body).toEqual(r.body);
  });

  it('updates over the version read; the second of two editors gets a 409', async () => {
    const created = (await post({ name: '两人编辑', scenes: twoScenes() })).body;
    const id = created.id as number;
    // Both editors read version 1.
    const a = (await getJson(t.app, `/api/wall/playlist?id=${id}`, as.city)).body;
    const b = (await getJson(t.app, `/api/wall/playlist?id=${id}`, as.city)).body;
    const aScenes = [...a.scenes].reverse();
    const first = await put(id, { scenes: aScenes, version: a.version });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, version: 2, name: '两人编辑', scenes: aScenes });
    const bScenes = [{ ...b.scenes[0], dwellSeconds: 99 }];
    const second = await put(id, { name: '乙的名字', scenes: bScenes, version: b.version });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ reason: 'version_conflict', field: 'version' });
    expect(second.body.error.message).toMatch(/reload/);
    // Nothing of the second editor's was kept.
    const now = (await getJson(t.app, `/api/wall/playlist?id=${id}`, as.city)).body;
    expect(now).toMatchObject({ version: 2, name: '两人编辑', scenes: aScenes });
    // After reloading, the second editor saves over version 2, renaming it.
    const retry = await put(id, { name: '乙的名字', scenes: bScenes, version: 2 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ version: 3, name: '乙的名字', scenes: bScenes });
    // Renaming onto another playlist's name is refused.
    const clash = await put(id, { name: '夜班轮播', scenes: bScenes, version: 3 });
    expect(clash.status).toBe(409);
    expect(clash.body.error.reason).toBe('name_taken');
    expect(await audits(id)).toEqual([
      { action: 'wall_playlist.create', actor: 'city' },
      { action: 'wall_playlist.update', actor: 'city' },
      { action: 'wall_playlist.update', actor: 'city' },
    ]);
    expect((await put(2_000_000_000, { scenes: bScenes, version: 1 })).status).toBe(404);
    for (const who of ['district', 'planner'])
      expect((await put(id, { scenes: bScenes, version: 3 }, who)).status).toBe(403);
  });

  it('deletes a playlist; a display that toured it falls back to the default', async () => {
    const created = (await post({ name: '临时', scenes: twoScenes() })).body;
    const id = created.id as number;
    const cityId = (
      await sql<{
        id: number;
      }>`SELECT id FROM accounts WHERE username = 'city'`.execute(t.db.kysely)
    ).rows[0]!.id;
    const display = (
      await sql<{ id: number }>`INSERT INTO display_credentials (name, token_hash, playlist_id,
        created_by) VALUES ('测试屏', ${'hash-' + Date.now()}, ${id}, ${cityId}) RETURNING id`.execute(
        t.db.kysely,
      )
    ).rows[0]!.id;
    expect((await del(id, 'district')).status).toBe(403);
    expect((await call(t.app, 'DELETE', `/api/wall/playlists/${id}`)).status).toBe(401);
    const r = await del(id);
    expect(r.status).toBe(204);
    expect((await list()).some((p) => p.id === id)).toBe(false);
    expect((await getJson(t.app, `/api/wall/playlist?id=${id}`, as.city)).status).toBe(404);
    expect((await del(id)).status).toBe(404);
    const left = await sql<{
      playlist_id: number | null;
    }>`SELECT playlist_id FROM display_credentials WHERE id = ${display}`.execute(t.db.kysely);
    expect(left.rows[0]!.playlist_id).toBeNull();
    expect((await audits(id)).map((a) => a.action)).toEqual([
      'wall_playlist.create',
      'wall_playlist.delete',
    ]);
    const audit = await sql<{ before: { displaysNowOnDefault: { id: number }[] } }>`
      SELECT before FROM audit_log WHERE entity = 'wall_playlist' AND entity_id = ${String(id)}
        AND action = 'wall_playlist.delete'`.execute(t.db.kysely);
    expect(audit.rows[0]!.before.displaysNowOnDefault.map((d) => d.id)).toEqual([display]);
    await sql`DELETE FROM display_credentials WHERE id = ${display}`.execute(t.db.kysely);
  });
});

describe('what a display sees', () => {
  const display = (playlistId: number | null): WallViewer => ({
    kind: 'display',
    display: { id: 1, name: '主屏', playlistId, tokenHash: 'x' },
  });

  it('tours only its own playlist, or the default without one', async () => {
    const cat = await loadPlaylists(t.db);
    const own = cat.saved.find((p) => p.name === '夜班轮播')!;
    const fallback = cat.saved.find((p) => p.name === DEFAULT_PLAYLIST_NAME)!;
    expect(tourPlaylist(cat, display(own.id))).toEqual(own);
    // A display cannot ask for another playlist by id.
    expect(tourPlaylist(cat, display(own.id), fallback.id!)).toEqual(own);
    expect(listPlaylists(cat, display(own.id)).items).toEqual([own]);
    expect(tourPlaylist(cat, display(null))).toEqual(fallback);
    expect(listPlaylists(cat, display(null)).items).toEqual([fallback]);
    // Without a saved default: the lowest id; with nothing saved: the built-in one.
    const noDefault = { ...cat, saved: cat.saved.filter((p) => p !== fallback) };
    expect(tourPlaylist(noDefault, display(null))).toEqual(noDefault.saved[0]);
    const empty = { ...cat, saved: [] };
    expect(tourPlaylist(empty, display(12345))).toEqual(cat.builtin);
    expect(listPlaylists(empty, display(null)).items).toEqual([cat.builtin]);
  });
});

describe('validation names the field', () => {
  const long = (n: number) => '长'.repeat(n);
  const ok = () => ({ name: '校验', scenes: twoScenes() });
  const withScene = (over: Record<string, unknown>, i = 0) => {
    const b = ok();
    b.scenes[i] = { ...b.scenes[i]!, ...over } as (typeof b.scenes)[number];
    return b;
  };
  const cases: [string, () => unknown, string][] = [
    ['empty name', () => ({ ...ok(), name: '' }), 'name'],
    ['blank name', () => ({ ...ok(), name: '    ' }), 'name'],
    ['long name', () => ({ ...ok(), name: long(61) }), 'name'],
    ['numeric name', () => ({ ...ok(), name: 42 }), 'name'],
    ['no name', () => ({ scenes: twoScenes() }), 'name'],
    ['no scenes', () => ({ name: 'x', scenes: [] }), 'scenes'],
    [
      '51 scenes',
      () => ({ name: 'x', scenes: Array.from({ length: 51 }, (_, i) => scene(`s${i}`)) }),
      'scenes',
    ],
    ['scenes not a list', () => ({ name: 'x', scenes: 'city' }), 'scenes'],
    ['upper-case id', () => withScene({ id: 'City' }), 'scenes.0.id'],
    ['id with a space', () => withScene({ id: 'a b' }), 'scenes.0.id'],
    ['empty id', () => withScene({ id: '' }), 'scenes.0.id'],
    ['41-character id', () => withScene({ id: 'a'.repeat(41) }), 'scenes.0.id'],
    ['path in id', () => withScene({ id: '../etc' }), 'scenes.0.id'],
    ['SQL in id', () => withScene({ id: "x'; drop table wall_playlists;--" }), 'scenes.0.id'],
    ['repeated id', () => withScene({ id: 'city' }, 1), 'scenes.1.id'],
    ['unknown kind', () => withScene({ kind: 'map' }), 'scenes.0.kind'],
    ['null kind', () => withScene({ kind: null }), 'scenes.0.kind'],
    ['district without area', () => withScene({ areaId: null }, 1), 'scenes.1.areaId'],
    ['district that is a community', () => withScene({ areaId: community }, 1), 'scenes.1.areaId'],
    ['district that is none', () => withScene({ areaId: 2_000_000_000 }, 1), 'scenes.1.areaId'],
    ['city with a district', () => withScene({ areaId: districts[0]!.id }), 'scenes.0.areaId'],
    ['negative area', () => withScene({ areaId: -1 }, 1), 'scenes.1.areaId'],
    ['fractional area', () => withScene({ areaId: 1.5 }, 1), 'scenes.1.areaId'],
    ['area as text', () => withScene({ areaId: String(districts[0]!.id) }, 1), 'scenes.1.areaId'],
    ['area past integer', () => withScene({ areaId: 2 ** 31 }, 1), 'scenes.1.areaId'],
    ['dwell 4', () => withScene({ dwellSeconds: 4 }), 'scenes.0.dwellSeconds'],
    ['dwell 601', () => withScene({ dwellSeconds: 601 }), 'scenes.0.dwellSeconds'],
    ['dwell 5.5', () => withScene({ dwellSeconds: 5.5 }), 'scenes.0.dwellSeconds'],
    ['dwell as text', () => withScene({ dwellSeconds: '10' }), 'scenes.0.dwellSeconds'],
    ['dwell null', () => withScene({ dwellSeconds: null }), 'scenes.0.dwellSeconds'],
    ['empty title', () => withScene({ title: '' }), 'scenes.0.title'],
    ['blank title', () => withScene({ title: '   ' }), 'scenes.0.title'],
    ['41-character title', () => withScene({ title: long(41) }), 'scenes.0.title'],
    ['title as object', () => withScene({ title: { zh: 'x' } }), 'scenes.0.title'],
    ['unknown scene field', () => withScene({ color: 'red' }), 'scenes.0'],
    ['unknown field', () => ({ ...ok(), owner: 'me' }), 'request'],
  ];

  it.each(cases)('refuses %s with a 400', async (_, body, field) => {
    const r = await post(body());
    expect(r.status).toBe(400);
    if (field === 'request') expect(r.body.error.message).toMatch(/owner/);
    else expect(r.body.error.field).toBe(field);
    expect(r.body.error.message).toBeTruthy();
  });

  it('holds the same rules on update, and checks the version', async () => {
    const p = (await post({ name: '校验更新', scenes: twoScenes() })).body;
    const bodies: [unknown, string][] = [
      [{ ...withScene({ dwellSeconds: 601 }), version: 1 }, 'scenes.0.dwellSeconds'],
      [{ ...withScene({ areaId: community }, 1), version: 1 }, 'scenes.1.areaId'],
      [{ scenes: twoScenes() }, 'version'],
      [{ scenes: twoScenes(), version: 0 }, 'version'],
      [{ scenes: twoScenes(), version: '1' }, 'version'],
      [{ name: '', scenes: twoScenes(), version: 1 }, 'name'],
      [{ version: 1 }, 'scenes'],
    ];
    for (const [body, field] of bodies) {
      const r = await put(p.id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.field).toBe(field);
    }
    expect((await put(p.id, { scenes: twoScenes(), version: 1 })).body.version).toBe(2);
    const bad = await call(t.app, 'PUT', '/api/wall/playlists/abc', {
      cookie: as.city,
      body: { scenes: twoScenes(), version: 1 },
    });
    expect(bad.status).toBe(400);
    expect((await getJson(t.app, '/api/wall/playlist?id=0', as.city)).status).toBe(400);
    expect((await getJson(t.app, '/api/wall/playlist?id=x', as.city)).status).toBe(400);
  });

  it('keeps every kind and an HTML-looking title as plain data', async () => {
    const scenes = SCENE_KINDS.map((kind, i) =>
      scene(`k-${i}`, {
        kind,
        areaId: kind === 'district' ? districts[1]!.id : null,
        dwellSeconds: 5 + i * 99,
        title: i === 0 ? '<img src=x onerror=alert(1)>' : null,
      }),
    );
    const r = await post({ name: '全部类型', scenes });
    expect(r.status).toBe(201);
    expect(r.body.scenes).toEqual(scenes);
  });
});
