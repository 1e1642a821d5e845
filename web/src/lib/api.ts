/**
 * The HTTP API client (docs/API.md). Every call takes an AbortSignal so a stale request can be
 * dropped when the user moves on.
 */
import { decodePoints } from '../../../geo/point-codec.ts';
import type { AuditPage } from './audit.ts';
import type {
  Account,
  AreaCollection,
  AreaDetail,
  BBox,
  CoverageItem,
  DuplicateSuggestion,
  HazardDetail,
  HazardRow,
  Meta,
  Page,
  PatrolCollection,
  PointResult,
  ResponderKind,
  TicketDetail,
  TicketRow,
  TransferTarget,
  WhistleDetail,
  WhistleRow,
} from './types.ts';

/** The API's error body; `describeError` (errors.ts) turns it into words for the UI. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** the input field at fault, as a dotted path */
    readonly field?: string,
    /** a specific reason beside a generic code */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error?: { code?: string; message?: string; field?: string; reason?: string };
}

type Query = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString().replace(/%2C/g, ',');
  return `/api${path}${s ? `?${s}` : ''}`;
}

export async function request(
  url: string,
  signal?: AbortSignal,
  init?: RequestInit,
): Promise<Response> {
  const res = await fetch(url, { ...init, signal });
  if (!res.ok) {
    let error: ErrorBody['error'] = {};
    try {
      error = ((await res.json()) as ErrorBody).error ?? {};
    } catch {
      // not JSON (a proxy's page): the status alone says what happened
    }
    throw new ApiError(
      res.status,
      error.code ?? 'internal',
      error.message ?? `${res.status} ${res.statusText}`,
      error.field,
      error.reason,
    );
  }
  return res;
}

async function json<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

interface WriteOptions {
  signal?: AbortSignal;
  /** for POSTs that create a record: a retry with the same key creates nothing twice */
  idempotencyKey?: string;
}

/** A call with a JSON body (or none): JSON out, or nothing for a 204. */
export async function send<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  options: WriteOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  const res = await request(url, options.signal, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (res.status === 204 ? null : await res.json()) as T;
}

export interface TicketListQuery {
  area?: number;
  category?: string;
  status?: string;
  channel?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  whistled?: boolean;
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface HazardListQuery {
  area?: number;
  type?: string;
  severity?: string;
  status?: string;
  overdue?: boolean;
  sort?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface NewTicket {
  category: string;
  channel?: string;
  priority?: 'normal' | 'urgent';
  title: string;
  description?: string;
  position: [number, number];
  residentName?: string;
  residentPhone?: string;
  photoRef?: string;
}

export interface TicketTransition {
  action: string;
  note?: string;
  responder?: { kind: ResponderKind; id: number | null };
  satisfaction?: number;
  duplicateOf?: number;
}

export interface NewHazard {
  type: string;
  severity: string;
  description: string;
  position: [number, number];
  photoRef?: string;
}

export interface NewWhistle {
  ticketId?: number;
  compoundId?: number;
  reason: string;
  departmentIds?: number[];
  reportHours?: number;
  resolveHours?: number;
}

export type { TransferTarget };

const flag = (b: boolean | undefined) => (b ? 'true' : undefined);

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

  area: (id: number | 'city', query: Record<string, string | undefined>, signal?: AbortSignal) =>
    json<AreaDetail>(apiUrl(`/areas/${id}`, query), signal),

  ticket: (id: number, signal?: AbortSignal) =>
    json<TicketDetail>(apiUrl(`/tickets/${id}`), signal),

  session: (signal?: AbortSignal) => json<{ account: Account | null }>(apiUrl('/session'), signal),
  signIn: (username: string, password: string) =>
    send<{ account: Account }>('POST', apiUrl('/session'), { username, password }),
  signOut: () => send<null>('DELETE', apiUrl('/session')),

  ticketList: (query: TicketListQuery, signal?: AbortSignal) =>
    json<Page<TicketRow>>(
      apiUrl('/tickets/list', {
        ...query,
        overdue: flag(query.overdue),
        whistled: flag(query.whistled),
      }),
      signal,
    ),
  hazardList: (query: HazardListQuery, signal?: AbortSignal) =>
    json<Page<HazardRow>>(
      apiUrl('/hazards/list', { ...query, overdue: flag(query.overdue) }),
      signal,
    ),
  hazard: (id: number, signal?: AbortSignal) =>
    json<HazardDetail>(apiUrl(`/hazards/${id}`), signal),
  duplicates: (
    query: { lon: number; lat: number; category: string; radius?: number; days?: number },
    signal?: AbortSignal,
  ) => json<{ items: DuplicateSuggestion[] }>(apiUrl('/tickets/duplicates', query), signal),
  createTicket: (body: NewTicket, idempotencyKey: string) =>
    send<TicketDetail>('POST', apiUrl('/tickets'), body, { idempotencyKey }),
  /** Bodies that can serve the ticket's place (for 派单 and 转派). */
  transferTargets: (id: number, signal?: AbortSignal) =>
    json<{ targets: TransferTarget[] }>(apiUrl(`/tickets/${id}/transfer-targets`), signal),
  transitionTicket: (id: number, body: TicketTransition) =>
    send<TicketDetail>('POST', apiUrl(`/tickets/${id}/transitions`), body),
  createHazard: (body: NewHazard, idempotencyKey: string) =>
    send<HazardDetail>('POST', apiUrl('/hazards'), body, { idempotencyKey }),
  transitionHazard: (id: number, body: { action: string; note?: string; photoRef?: string }) =>
    send<HazardDetail>('POST', apiUrl(`/hazards/${id}/transitions`), body),

  whistles: (
    query: { area?: number; state?: 'open' | 'late' | 'resolved' | 'all'; limit?: number },
    signal?: AbortSignal,
  ) => json<{ items: WhistleRow[]; total: number }>(apiUrl('/whistles', query), signal),
  whistle: (id: number, signal?: AbortSignal) =>
    json<WhistleDetail>(apiUrl(`/whistles/${id}`), signal),
  blowWhistle: (body: NewWhistle, idempotencyKey: string) =>
    send<WhistleDetail>('POST', apiUrl('/whistles'), body, { idempotencyKey }),
  reportIn: (id: number, note?: string) =>
    send<WhistleDetail>('POST', apiUrl(`/whistles/${id}/report-in`), { note }),
  resolveWhistle: (id: number, resolution: string) =>
    send<WhistleDetail>('POST', apiUrl(`/whistles/${id}/resolve`), { resolution }),

  patrols: (query: { area?: number; date?: string }, signal?: AbortSignal) =>
    json<PatrolCollection>(apiUrl('/patrols', query), signal),
  coverage: (query: { area?: number }, signal?: AbortSignal) =>
    json<{ items: CoverageItem[] }>(apiUrl('/patrols/coverage', query), signal),

  audit: (
    query: { area?: number; actor?: string; entity?: string; before?: number; limit?: number },
    signal?: AbortSignal,
  ) => json<AuditPage>(apiUrl('/audit', query), signal),

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
