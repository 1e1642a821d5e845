/**
 * 大屏管理 → 轮播场景 in Chromium, as the city: change a dwell time and the order of the scenes,
 * save, close and reopen the dialog and find them kept; a save over a version someone else saved
 * meanwhile shows the conflict and reloads; a bad dwell time is named next to the form.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, openPage, screenshot, settle, type Watched } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
let w: Watched;
let cookie = '';

interface Scene {
  id: string;
  kind: string;
  areaId: number | null;
  dwellSeconds: number;
  title: string | null;
}
interface Playlist {
  id: number | null;
  name: string;
  version: number;
  scenes: Scene[];
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { cookie, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** Back to the built-in default: what earlier tests saved goes. */
async function deleteSaved() {
  const saved = await api<{ items: Playlist[] }>('GET', '/wall/playlists').catch(() => null);
  for (const p of saved?.items ?? [])
    if (p.id !== null) await api('DELETE', `/wall/playlists/${p.id}`).catch(() => undefined);
}

beforeAll(async () => {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'city', password: 'Minqing@2026' }),
  });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  await deleteSaved();
  browser = await launch();
  w = await openPage(browser, `${baseUrl}/`, 'zh-CN', { signInAs: 'city' });
  await settle(w.page);
});
afterAll(async () => {
  // Leave the walls of later tests on the built-in default.
  await deleteSaved();
  await w?.page.context().close();
  await browser?.close();
});

async function openTab(page: Page) {
  await page.getByTestId('account-info').click();
  await page.getByTestId('wall-admin-open').click();
  await page.getByTestId('wall-admin-tab-playlists').click();
  await page.getByTestId('playlist-select').waitFor();
}

const sceneIds = (page: Page) =>
  page
    .getByTestId('scene-row')
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.sceneId));
const dwells = (page: Page) =>
  page
    .getByTestId('scene-dwell')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLInputElement).value)));

describe('轮播场景', () => {
  it('keeps a changed dwell time and order after saving and reopening', async () => {
    const page = w.page;
    await openTab(page);
    const builtin = await api<Playlist>('GET', '/wall/playlist');
    expect(builtin.id).toBeNull();
    const ids = builtin.scenes.map((s) => s.id);
    expect(await sceneIds(page)).toEqual(ids);
    expect(await page.getByTestId('playlist-name').inputValue()).toBe('默认轮播');

    // The city overview stays 45 s; the second district moves above the first.
    await page.getByTestId('scene-dwell').nth(0).fill('45');
    await page.getByRole('button', { name: '上移场景 3' }).click();
    const order = [ids[0], ids[2], ids[1], ...ids.slice(3)];
    expect(await sceneIds(page)).toEqual(order);
    await page.getByTestId('playlist-save').click();
    await expect
      .poll(() => page.getByTestId('playlist-message').textContent())
      .toContain('已保存“默认轮播”（第 1 版）');

    const saved = await api<Playlist>('GET', '/wall/playlist');
    expect(saved.id).not.toBeNull();
    expect(saved.version).toBe(1);
    expect(saved.scenes.map((s) => s.id)).toEqual(order);
    expect(saved.scenes[0]!.dwellSeconds).toBe(45);

    await page.getByTestId('wall-admin-close').click();
    await expect.poll(() => page.getByTestId('wall-admin').count()).toBe(0);
    await openTab(page);
    expect(await sceneIds(page)).toEqual(order);
    expect((await dwells(page))[0]).toBe(45);
    expect(await page.getByTestId('playlist-select').inputValue()).toBe(String(saved.id));
    expect(await page.getByTestId('playlist-version').textContent()).toContain('第 1 版');
  });

  it('names a bad dwell time next to the form', async () => {
    const page = w.page;
    await page.getByTestId('scene-dwell').nth(1).fill('3');
    await page.getByTestId('playlist-save').click();
    const error = page.getByTestId('playlist-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('场景 2 的“停留时间”');
    expect(await page.getByTestId('scene-dwell').nth(1).getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('scene-dwell').nth(1).fill('15');
  });

  it('shows a conflict when someone else saved meanwhile, and reloads', async () => {
    const page = w.page;
    // Another editor saves version 2 with a longer heat scene.
    const other = await api<Playlist>('GET', '/wall/playlist');
    const scenes = other.scenes.map((s) => (s.id === 'heat' ? { ...s, dwellSeconds: 120 } : s));
    await api('PUT', `/wall/playlists/${other.id}`, { scenes, version: other.version });

    await page.getByTestId('scene-dwell').nth(0).fill('50');
    await page.getByTestId('playlist-save').click();
    const conflict = page.getByTestId('playlist-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('已被他人修改，请刷新后再改');
    expect(await page.getByTestId('playlist-save').isDisabled()).toBe(true);
    await screenshot(page, artifacts, 'wall-admin-playlists-conflict');

    await page.getByTestId('playlist-reload').click();
    await expect.poll(() => conflict.count()).toBe(0);
    const d = await dwells(page);
    expect(d[0]).toBe(45);
    expect(d.at(-1)).toBe(120);
    expect(await page.getByTestId('playlist-version').textContent()).toContain('第 2 版');
    const stored = await api<Playlist>('GET', '/wall/playlist');
    expect(stored.version).toBe(2);
    expect(stored.scenes[0]!.dwellSeconds).toBe(45);

    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.getByTestId('wall-admin').evaluate((e) => e.scrollTo(0, 0));
    await screenshot(page, artifacts, 'wall-admin-playlists');
    expect(w.errors.filter((e) => !/409|Conflict|400|Bad Request/.test(e))).toEqual([]);
  });
});
