/**
 * The HTTP API client (docs/API.md). Every call takes an AbortSignal so a stale request can be
 * dropped when the user moves on.
 */
import { decodePoints } from '../../../geo/point-codec.ts';
import type { AreaCollection, AreaDetail, BBox, Meta, PointResult, TicketDetail } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString().replace(/%2C/g, ',');
  return `/api${path}${s ? `?${s}` : ''}`;
}

async function request(url: string, signal?: AbortSignal): Promise<Response> {
  const res = await fetch(url, { signal });
  if (!res.ok) {
    let code = 'internal';
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, code, message);
  }
  return res;
}

async function json<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

export function bboxParam(b: BBox): string {
  return b.map((n) => n.toFixed(5)).join(',');
}

export const api = {
  meta: (signal?: AbortSignal) => json<Meta>(apiUrl('/meta'), signal),

  areas: (
    query: { level?: string; parent?: number; bbox?: BBox; zoom?: number },
    signal?: AbortSignal,
  ) =>
    json<AreaCollection>(
      apiUrl('/areas', {
        level: query.level,
        parent: query.parent,
        bbox: query.bbox && bboxParam(query.bbox),
        zoom:
          query.zoom === undefined ? undefined : Math.max(0, Math.min(22, Math.round(query.zoom))),
      }),
      signal,
    ),

  area: (id: number | 'city', query: { from?: string; to?: string }, signal?: AbortSignal) =>
    json<AreaDetail>(apiUrl(`/areas/${id}`, query), signal),

  ticket: (id: number, signal?: AbortSignal) =>
    json<TicketDetail>(apiUrl(`/tickets/${id}`), signal),

  /** Tickets or hazards as MQP1 binary points, ready for deck.gl. */
  points: async (
    kind: 'tickets' | 'hazards',
    bbox: BBox,
    query: Record<string, string | number>,
    signal?: AbortSignal,
  ): Promise<PointResult> => {
    const url = apiUrl(`/${kind}`, { ...query, bbox: bboxParam(bbox), format: 'binary' });
    const res = await request(url, signal);
    const cols = decodePoints(await res.arrayBuffer());
    const length = cols.ids.length;
    const count = Number(res.headers.get('X-Count') ?? length);
    return {
      data: {
        length,
        attributes: { getPosition: { value: cols.positions, size: 2 } },
        ids: cols.ids,
        codes: cols.codes,
      },
      count: Number.isFinite(count) ? count : length,
      truncated: /^(1|true)$/i.test(res.headers.get('X-Truncated') ?? ''),
    };
  },
};

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
