/** The mediation and service-points APIs (docs/mediation.md, docs/service-points.md) as the web calls them. */
import type {
  MediationCase,
  MediationCaseList,
  MediationMap,
  MediationOverview,
} from '../../../../server/contract/mediation.ts';
import type {
  EnforcementMap,
  EnforcementVisit,
  EnforcementVisitList,
  ServicePoint,
  ServicePointCollection,
} from '../../../../server/contract/service-points.ts';
import { apiUrl, request } from '../api.ts';

export type {
  EnforcementMap,
  EnforcementVisit,
  EnforcementVisitList,
  MediationCase,
  MediationCaseList,
  MediationMap,
  MediationOverview,
  ServicePoint,
  ServicePointCollection,
};
export type CaseStep = MediationCase['nextSteps'][number];
export type CaseOutcome = MediationCase['outcomes'][number];

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

async function write<T>(method: 'POST' | 'PATCH', url: string, body: unknown) {
  const res = await request(url, undefined, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export interface CaseQuery {
  area: number | null;
  kind: string | null;
  status: string | null;
  mine: boolean;
  offset: number;
  limit: number;
}

export const mediationApi = {
  overview: (area: number | null, signal?: AbortSignal) =>
    getJson<MediationOverview>(apiUrl('/mediation/overview', { area }), signal),
  map: (area: number | null, signal?: AbortSignal) =>
    getJson<MediationMap>(apiUrl('/mediation/map', { area }), signal),
  cases: (q: CaseQuery, signal?: AbortSignal) =>
    getJson<MediationCaseList>(
      apiUrl('/mediation/cases', {
        area: q.area,
        kind: q.kind,
        status: q.status,
        mine: q.mine ? 'true' : undefined,
        limit: q.limit,
        offset: q.offset,
      }),
      signal,
    ),
  case: (id: number, signal?: AbortSignal) =>
    getJson<MediationCase>(apiUrl(`/mediation/cases/${id}`), signal),
  createCase: (body: unknown) => write<MediationCase>('POST', apiUrl('/mediation/cases'), body),
  step: (
    id: number,
    body: { step: CaseStep; note?: string; outcome?: CaseOutcome; agreement?: string },
  ) => write<MediationCase>('POST', apiUrl(`/mediation/cases/${id}/steps`), body),
};

export const servicePointsApi = {
  list: (q: { kinds?: string[]; area?: number | null; closed?: boolean }, signal?: AbortSignal) =>
    getJson<ServicePointCollection>(
      apiUrl('/service-points', {
        kind: q.kinds?.join(','),
        area: q.area,
        closed: q.closed ? 'true' : undefined,
      }),
      signal,
    ),
  get: (id: number, signal?: AbortSignal) =>
    getJson<ServicePoint>(apiUrl(`/service-points/${id}`), signal),
  create: (body: unknown) => write<ServicePoint>('POST', apiUrl('/service-points'), body),
  update: (id: number, body: unknown) =>
    write<ServicePoint>('PATCH', apiUrl(`/service-points/${id}`), body),
  close: (id: number, reason: string) =>
    write<ServicePoint>('POST', apiUrl(`/service-points/${id}/close`), { reason }),
  visits: (
    q: { area: number | null; topic: string | null; offset: number },
    signal?: AbortSignal,
  ) =>
    getJson<EnforcementVisitList>(
      apiUrl('/service-points/enforcement', {
        area: q.area,
        topic: q.topic,
        limit: 20,
        offset: q.offset,
      }),
      signal,
    ),
  visitMap: (area: number | null, signal?: AbortSignal) =>
    getJson<EnforcementMap>(apiUrl('/service-points/enforcement/map', { area }), signal),
  recordVisit: (body: unknown) =>
    write<EnforcementVisit>('POST', apiUrl('/service-points/enforcement'), body),
};
