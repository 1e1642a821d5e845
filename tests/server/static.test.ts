/**
 * The built web app as the server hands it out: nothing outside its folder, pre-compressed copies
 * when the browser takes them, security headers on every answer, API answers compressed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { acceptedEncodings, fileUnder } from '../../server/static.ts';
import { openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let app: ReturnType<typeof createApp>;
let proxied: ReturnType<typeof createApp>;
let root: string;
const script = `console.log(${JSON.stringify('民情'.repeat(1000))});`;

beforeAll(async () => {
  t = await openTestApp();
  root = mkdtempSync(join(tmpdir(), 'minqing-static-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>民情地图</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), script);
  writeFileSync(join(dist, 'assets', 'app.js.gz'), gzipSync(script));
  writeFileSync(join(dist, 'assets', 'app.js.br'), brotliCompressSync(script));
  // A sibling whose name starts with the served folder's: must stay private.
  mkdirSync(join(root, 'dist-private'));
  writeFileSync(join(root, 'dist-private', 'x'), 'TOP-SECRET-CONTENT');
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET-CONTENT');
  app = createApp({ db: t.db, config: loadConfig({}), staticDir: dist });
  proxied = createApp({ db: t.db, config: loadConfig({ TRUST_PROXY: 'true' }), staticDir: dist });
});
afterAll(async () => {
  await app.close();
  await proxied.close();
  await t.app.close();
  await t.db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static files', () => {
  it.each([
    '/..%2fdist-private/x',
    '/..%2Fdist-private%2Fx',
    '/%2e%2e/dist-private/x',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/....//secret.txt',
  ])('never serves outside the folder: %s', async (path) => {
    const res = await app.request(path);
    const text = await res.text();
    expect(text).not.toContain('TOP-SECRET');
    // A URL parser may fold `%2e%2e` away: then the path is an unknown client route (the shell).
    if (res.status === 200) expect(text).toContain('<title>民情地图</title>');
    else expect([400, 404]).toContain(res.status);
  });

  it.each(['/%E0%A4%A', '/%', '/assets/%zz.js', '/a%00b'])(
    'answers a malformed address %s with 400',
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    },
  );

  it('serves the app shell for client routes and 404 for missing files', async () => {
    const shell = await app.request('/districts/620102');
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('民情地图');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    // The wall has a page of its own; its short address keeps the query (e.g. ?lang=en).
    const wall = await app.request('/wall?lang=en');
    expect(wall.status).toBe(302);
    expect(wall.headers.get('location')).toBe('/wall.html?lang=en');
  });

  it('sends the pre-compressed copy the browser prefers', async () => {
    const br = await app.request('/assets/app.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('cache-control')).toContain('immutable');
    const gz = await app.request('/assets/app.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const body = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString();
    expect(body).toBe(script);
    const raw = await app.request('/assets/app.js');
    expect(raw.headers.get('content-encoding')).toBeNull();
    expect(await raw.text()).toBe(script);
  });

  it('reads Accept-Encoding with q-values', () => {
    expect(acceptedEncodings('gzip;q=1, br;q=0')).toEqual(['gzip']);
    expect(acceptedEncodings('*')).toEqual(['br', 'gzip']);
    expect(acceptedEncodings(undefined)).toEqual([]);
    expect(fileUnder('/srv/dist', '/a/../../dist-x/y')).toBeNull();
    expect(fileUnder('/srv/dist', '/a/b.js')).toBe('/srv/dist/a/b.js');
  });
});

describe('headers and transport', () => {
  it('sets security headers on pages and API answers', async () => {
    for (const path of ['/', '/api/health']) {
      const res = await app.request(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'self'");
    }
  });

  it('makes the session cookie Secure only over HTTPS (directly or via a trusted proxy)', async () => {
    const body = JSON.stringify({ username: 'city', password: 'Minqing@2026' });
    const post = (a: typeof app, url: string, headers: Record<string, string> = {}) =>
      a.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const plain = await post(app, 'http://x/api/session', { 'x-forwarded-proto': 'https' });
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const behindProxy = await post(proxied, 'http://x/api/session', {
      'x-forwarded-proto': 'https',
    });
    expect(behindProxy.status).toBe(200);
    expect(behindProxy.headers.get('set-cookie')).toMatch(/Secure/i);
    expect(behindProxy.headers.get('strict-transport-security')).toContain('max-age');
  });

  it('compresses API answers over 1 KB', async () => {
    const cookie = await signIn(app, 'city');
    const res = await app.request('/api/areas?level=district', {
      headers: { 'accept-encoding': 'gzip', cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString();
    expect(JSON.parse(text).type).toBe('FeatureCollection');
  });
});
