/**
 * The few API calls the mobile intake page makes (docs/API.md, "Accounts, sessions and scope"
 * onwards). Relative URLs only: every request stays on the page's origin.
 *
 * Failures come in two kinds the page treats differently: an `ApiError` is the server's answer
 * (a 4xx is final and shown to the user, a 5xx may be retried), a `NetworkError` means no answer
 * arrived (offline, dropped, timed out) and the request may or may not have been carried out.
 */
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { ErrorBody, NewTicket } from '../lib/api.ts';
import type {
  Account,
  AreaCollection,
  AreaDetail,
  BBox,
  DuplicateSuggestion as Duplicate,
  LonLat,
  TicketDetail,
  TicketRow,
} from '../lib/types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly reason?: string,
  ) {
    super(message);
  }
  /** 5xx and 429 are the server's trouble, not the request's: the same request may succeed later. */
  get retryable() {
    return this.status >= 500 || this.status === 429;
  }
}

export class NetworkError extends Error {
  constructor(readonly timedOut: boolean) {
    super(timedOut ? 'timed out' : 'network error');
  }
}

// The shapes the workspace already defines; the mobile page reads the same API.
export type { Account, Duplicate, NewTicket };
export type { Responder, TicketRow } from '../lib/types.ts';

/** POST /api/tickets and GET /api/tickets/{id} answer with the whole ticket. */
export type TicketCreated = TicketDetail;

export type AreaSummary = AreaDetail;

interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Slow networks are expected; a request that hangs longer than this is given up as lost. */
  timeoutMs?: number;
  /** Sees the response's headers (e.g. Idempotent-Replayed) before the body is read. */
  onResponse?: (res: Response) => void;
}

export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const { signal, timeoutMs = 20_000 } = options;
  // AbortSignal.any/timeout are missing on the older phones this page must run on.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forward = () => controller.abort();
  signal?.addEventListener('abort', forward);
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: options.method ?? 'GET',
      headers: {
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: controller.signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new NetworkError(timedOut);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
  options.onResponse?.(res);
  if (res.status === 204) return undefined as T;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // a proxy's HTML error page, or a body cut off by the network
    if (res.ok) throw new NetworkError(false);
  }
  if (!res.ok) {
    const error = (body as ErrorBody | null)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'internal',
      error?.message ?? `${res.status} ${res.statusText}`,
      error?.field,
      error?.reason,
    );
  }
  return body as T;
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export const api = {
  session: () => call<{ account: Account | null }>('/session'),
  signIn: (username: string, password: string) =>
    call<{ account: Account }>('/session', { method: 'POST', body: { username, password } }),
  signOut: () => call<void>('/session', { method: 'DELETE' }),

  area: (id: number) => call<AreaSummary>(`/areas/${id}`),
  /** Areas of one level in a box, simplified for a phone-sized map at that zoom. */
  areas: (query: { level: AreaLevel; bbox?: BBox; zoom: number }) => {
    const q = new URLSearchParams({ level: query.level, zoom: String(query.zoom) });
    if (query.bbox) q.set('bbox', query.bbox.map((n) => n.toFixed(5)).join(','));
    return call<AreaCollection>(`/areas?${q.toString().replace(/%2C/g, ',')}`);
  },

  duplicates: (position: LonLat, category: string, signal?: AbortSignal) =>
    call<{ items: Duplicate[] }>(
      `/tickets/duplicates?lon=${position[0]}&lat=${position[1]}&category=${category}`,
      { signal },
    ),

  /**
   * The retry-safe create: the same `idempotencyKey` with the same body is answered with the
   * first ticket (`replayed`), never a second one.
   */
  createTicket: async (ticket: NewTicket, idempotencyKey: string) => {
    let replayed = false;
    const body = await call<TicketCreated>('/tickets', {
      method: 'POST',
      body: ticket,
      headers: { 'Idempotency-Key': idempotencyKey },
      timeoutMs: 30_000,
      onResponse: (res) => (replayed = res.headers.get('Idempotent-Replayed') === 'true'),
    });
    return { ticket: body, replayed };
  },

  ticket: (id: number) => call<TicketCreated>(`/tickets/${id}`),
  myTickets: () =>
    call<{ items: TicketRow[]; total: number }>('/tickets/list?limit=20&sort=receivedAt'),
};
