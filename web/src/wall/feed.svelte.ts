/**
 * The wall's data: `GET /api/wall/summary` every 30 s, retried with backoff (2 s up to 30 s) when
 * a refresh fails, never by reloading the page. The last good answer stays on the wall while
 * the retries run; the page flags it as stale (model.ts).
 */
import type { WallSummary } from '../../../server/contract/wall.ts';
import { clockOffset, REFRESH_MS, retryDelay } from './model.ts';

export type FeedStatus = 'loading' | 'ok' | 'unauthorized';

export class WallFeed {
  data = $state.raw<WallSummary | null>(null);
  status = $state<FeedStatus>('loading');
  failures = $state(0);
  clockOffset = $state(0);
  /** The browser's clock, ticking each second, for the clock and the data's age. */
  now = $state(Date.now());

  #timer: ReturnType<typeof setTimeout> | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #abort: AbortController | null = null;
  #stopped = false;

  start() {
    this.#stopped = false;
    this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
    void this.refresh();
  }

  stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ticker) clearInterval(this.#ticker);
    this.#abort?.abort();
  }

  async refresh() {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    // A request that hangs must not hold the wall: it counts as a failure after 20 s.
    const timeout = setTimeout(() => abort.abort(), 20_000);
    let next = REFRESH_MS;
    try {
      const res = await fetch('/api/wall/summary', {
        signal: abort.signal,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (res.status === 401 || res.status === 403) {
        // Signing in elsewhere in this browser lets the next attempt through.
        this.status = 'unauthorized';
        this.failures = 0;
      } else if (!res.ok) {
        throw new Error(`HTTP ${res.status}`);
      } else {
        const body = (await res.json()) as WallSummary;
        this.clockOffset = clockOffset(res.headers.get('Date'), Date.now());
        this.data = body;
        this.status = 'ok';
        this.failures = 0;
      }
    } catch {
      this.failures += 1;
      next = retryDelay(this.failures);
    } finally {
      clearTimeout(timeout);
      this.now = Date.now();
    }
    if (this.#timer) clearTimeout(this.#timer);
    if (!this.#stopped) this.#timer = setTimeout(() => void this.refresh(), next);
  }
}
