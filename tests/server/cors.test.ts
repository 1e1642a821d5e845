/**
 * Web maps on other origins read the standard interfaces from the browser (CORS), never as this
 * app's signed-in user; the app's own API stays same-origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let key = '';
beforeAll(async () => {
  t = await openTestApp();
  const city = await signIn(t.app, 'city');
  key = (await issueApiKey(t.app, city, { username: 'planner', scopes: ['read'] })).key;
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const ORIGIN = 'https://gis.example.gov.cn';

describe('CORS', () => {
  it.each([
    '/ogc',
    '/ogc/collections/compounds/items?limit=1',
    '/tiles/compounds.json',
    '/tiles/compounds/12/3198/1563.mvt',
    '/open311/v2/services.json',
  ])('GET %s from another origin may be read, without credentials', async (url) => {
    const res = await t.app.request(url, { headers: { origin: ORIGIN } });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toMatch(/ETag/i);
  });

  it('answers a preflight for a key header and a range, before any key check', async () => {
    for (const url of ['/ogc/collections/tickets/items', '/tiles/basemap/x.pmtiles']) {
      const res = await t.app.request(url, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'x-api-key, range',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toMatch(/X-API-Key/i);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Range/i);
    }
  });

  it('a page elsewhere reads what its key may read', async () => {
    const res = await t.app.request('/ogc/collections/tickets/items?limit=2', {
      headers: { origin: ORIGIN, 'x-api-key': key },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await res.json()).features).toHaveLength(2);
  });

  it('an Open311 client elsewhere may file (preflight for a JSON POST)', async () => {
    const res = await t.app.request('/open311/v2/requests.json', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-api-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('the app’s own API gives other origins nothing', async () => {
    const res = await t.app.request('/api/areas?level=district', { headers: { origin: ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await t.app.request('/api/tickets', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});
