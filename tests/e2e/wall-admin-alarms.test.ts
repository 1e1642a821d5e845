/**
 * 大屏管理 → 告警 in Chromium: a critical hazard raises an alarm; the city opens the tab from its
 * account menu, finds the alarm waiting (kind, place, district), acknowledges it, and sees it
 * move to the acknowledged list with its own name and scope. The dialog passes axe (WCAG 2 A/AA).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, openPage, screenshot, settle, type Watched, axeWithin } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
let admin: Watched | undefined;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  if (admin && !admin.page.isClosed()) await admin.page.context().close();
  await browser?.close();
});

describe('the wall’s alarms in the workspace (告警)', () => {
  it('the city sees a raised alarm, acknowledges it and sees who acknowledged', async () => {
    admin = await openPage(browser, `${baseUrl}/`, 'zh-CN', { signInAs: 'city' });
    const { page, errors } = admin;
    await settle(page);

    // A critical hazard where one was reported before: its alarm is raised with it.
    const api = page.context().request;
    const existing = (await (await api.get(`${baseUrl}/api/hazards?limit=1`)).json()) as {
      features: { geometry: { coordinates: [number, number] } }[];
    };
    const position = existing.features[0]!.geometry.coordinates;
    const created = await api.post(`${baseUrl}/api/hazards`, {
      data: { type: 'fire', severity: 'critical', description: 'e2e 消防通道堵塞', position },
    });
    expect(created.status()).toBe(201);
    const alarms = (await (await api.get(`${baseUrl}/api/wall/alarms`)).json()) as {
      items: { id: number; kind: string; place: string; acknowledgedAt: string | null }[];
    };
    const alarm = alarms.items.find((a) => a.kind === 'hazard_major' && !a.acknowledgedAt)!;
    expect(alarm).toBeDefined();

    await page.getByTestId('account-info').click();
    await page.getByTestId('wall-admin-open').click();
    await page.getByTestId('wall-admin').waitFor();
    await page.getByTestId('wall-admin-tab-alarms').click();
    await page.getByTestId('wall-alarms').waitFor();
    const row = page.locator(`[data-testid="wall-alarm"][data-id="${alarm.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('open');
    const text = await row.innerText();
    expect(text).toContain('重大隐患');
    expect(text).toContain('消防');
    expect(text).toContain(alarm.place);
    expect(text).toMatch(/[区县]/);
    // Waiting alarms come first.
    expect(
      await page.getByTestId('wall-alarms-open').locator(`[data-id="${alarm.id}"]`).count(),
    ).toBe(1);
    expect(await axeWithin(page, '[data-testid="wall-admin"]')).toEqual([]);
    await screenshot(page, artifacts, 'wall-admin-alarms-open');

    await row.getByTestId('wall-alarm-ack').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('acknowledged');
    const me = (await (await api.get(`${baseUrl}/api/session`)).json()) as {
      account: { displayName: string; scope: { name: string } };
    };
    const by = await row.getByTestId('wall-alarm-acked-by').innerText();
    expect(by).toContain(`${me.account.displayName}（${me.account.scope.name}）`);
    expect(
      await page.getByTestId('wall-alarms-acknowledged').locator(`[data-id="${alarm.id}"]`).count(),
    ).toBe(1);
    // The server holds it: the wall shows the same acknowledger.
    const after = (await (await api.get(`${baseUrl}/api/wall/alarms`)).json()) as {
      items: { id: number; acknowledgedBy: string | null }[];
    };
    expect(after.items.find((a) => a.id === alarm.id)?.acknowledgedBy).toBe(
      `${me.account.displayName}（${me.account.scope.name}）`,
    );
    await settle(page);
    await screenshot(page, artifacts, 'wall-admin-alarms');
    expect(errors).toEqual([]);
  });
});
