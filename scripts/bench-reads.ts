/**
 * What the domain benches share: signing in, percentiles, and timing a list of reads cold (the read
 * cache cleared before each: what the first reader of the minute waits for) against the same
 * answer warm (the baseline, from the cache, in the same process), with bytes and rows.
 *
 * @example
 * await timeReads(app, [['coverage, city', '/api/party/coverage', cityCookie]], 10);
 */
import type { createApp } from '../server/app.ts';

export type App = ReturnType<typeof createApp>;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
export function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
}
export const f1 = (n: number) => n.toFixed(1).padStart(8);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);

/** A demo account's session cookie. */
export async function signIn(app: App, username: string): Promise<string> {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Minqing@2026' }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Rows of the answer: the longest array in it (items, rows, features, a packed column…). */
export function rowsOf(body: unknown, depth = 0): number {
  if (Array.isArray(body)) return body.length;
  if (!body || typeof body !== 'object' || depth > 2) return 0;
  let n = 0;
  for (const v of Object.values(body)) n = Math.max(n, rowsOf(v, depth + 1));
  return n;
}

/** [label, url, cookie ('' for the public)] timed `n` times cold and warm; one line each. */
export async function timeReads(app: App, reads: readonly [string, string, string][], n: number) {
  const get = async (url: string, cookie: string, clear: boolean) => {
    if (clear) app.cache.clear();
    const t0 = performance.now();
    const res = await app.request(url, { headers: cookie ? { cookie } : {} });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${url} → ${res.status}: ${text.slice(0, 200)}`);
    return { ms, text };
  };
  for (const [label, url, cookie] of reads) {
    const cold: number[] = [];
    const warm: number[] = [];
    let text = '';
    for (let i = 0; i < n; i++) {
      const r = await get(url, cookie, true);
      cold.push(r.ms);
      text = r.text;
      warm.push((await get(url, cookie, false)).ms);
    }
    const c = stats(cold);
    const w = stats(warm);
    let rows: number;
    try {
      rows = rowsOf(JSON.parse(text));
    } catch {
      rows = text.split('\n').length - 1; // CSV: its lines
    }
    console.log(
      `  ${label.padEnd(44)} cold p50 ${f1(c.p50)} ms  p95 ${f1(c.p95)} ms   warm p50 ${f1(w.p50)} ms  ×${(c.p50 / Math.max(w.p50, 0.01)).toFixed(0).padStart(4)}  ${kib(text.length)}  ${String(rows).padStart(5)} rows`,
    );
  }
}
