/**
 * A wall opened with its display link (`/wall#key=…`, issued in 大屏管理 → 大屏授权) trades the key
 * for the HttpOnly display cookie, and the key leaves the address bar at once: an unattended
 * screen must not show it, and a fragment never reached a server log in the first place.
 *
 * @example
 * const outcome = await adoptDisplayKey(location, history);
 * // 'none': no key in the link; 'adopted': the cookie is set; 'rejected': revoked, expired or garbled
 */

export type Adoption = 'none' | 'adopted' | 'rejected';

/** The key in a location's fragment (`#key=…`, beside other fragment parameters), or null. */
export function displayKeyOf(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key')?.trim();
  return key ? key : null;
}

/** The fragment without its key: '' when nothing else was in it. */
function withoutKey(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('key');
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export interface AdoptOptions {
  /** Stops retrying (the outcome is then 'rejected'). */
  signal?: AbortSignal;
  /** Waits between attempts while the server cannot be reached; the last repeats. */
  retryDelaysMs?: readonly number[];
}

/**
 * Posts the link's key to `/api/wall/display-session`. The fragment is removed first (with
 * `history.replaceState`, so no history entry keeps it either). While the server cannot be
 * reached, or answers 5xx or 429, it tries again (2 s backing off to 30 s): an unattended wall
 * switched on before its server must still adopt its key. A 4xx answer is final: 'rejected'.
 */
export async function adoptDisplayKey(
  location: Location,
  history: History,
  fetchFn: typeof fetch = fetch,
  { signal, retryDelaysMs = [2_000, 4_000, 8_000, 15_000, 30_000] }: AdoptOptions = {},
): Promise<Adoption> {
  const key = displayKeyOf(location.hash);
  if (!key) return 'none';
  history.replaceState(
    history.state,
    '',
    `${location.pathname}${location.search}${withoutKey(location.hash)}`,
  );
  for (let attempt = 0; !signal?.aborted; attempt++) {
    try {
      const res = await fetchFn('/api/wall/display-session', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ key }),
        signal,
      });
      if (res.ok) return 'adopted';
      if (res.status < 500 && res.status !== 429) return 'rejected';
    } catch {
      // Offline or refused: the server may not be up yet.
    }
    const delays = retryDelaysMs.length ? retryDelaysMs : [30_000];
    await wait(delays[Math.min(attempt, delays.length - 1)]!, signal);
  }
  return 'rejected';
}
