/** The party API (/api/party, docs/party.md) as the web calls it. */
import type {
  GapTask,
  GapTaskList,
  PartyCoverage,
  PartyCoverageMap,
  PartyTree,
  StewardChange,
} from '../../../../server/contract/party.ts';
import { apiUrl, request } from '../api.ts';

export type { GapTask, GapTaskList, PartyCoverage, PartyCoverageMap, PartyTree, StewardChange };
export type GapKind = GapTask['kind'];
export type GapStatus = 'active' | 'open' | 'assigned' | 'closed' | 'all';

export interface GapQuery {
  area: number | null;
  kind: GapKind | null;
  status: GapStatus;
  overdue: boolean;
  limit: number;
  offset: number;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

async function write<T>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  const res = await request(url, undefined, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export const partyApi = {
  coverage: (area: number | null, signal?: AbortSignal) =>
    getJson<PartyCoverage>(apiUrl('/party/coverage', { area }), signal),
  coverageMap: (area: number | null, zoom: number, signal?: AbortSignal) =>
    getJson<PartyCoverageMap>(
      apiUrl('/party/coverage/map', { area, zoom: Math.max(0, Math.min(22, Math.round(zoom))) }),
      signal,
    ),
  tree: (area: number, signal?: AbortSignal) =>
    getJson<PartyTree>(apiUrl('/party/tree', { area }), signal),
  gaps: (q: GapQuery, signal?: AbortSignal) =>
    getJson<GapTaskList>(
      apiUrl('/party/gaps', {
        area: q.area,
        kind: q.kind,
        status: q.status,
        overdue: q.overdue ? 'true' : undefined,
        limit: q.limit,
        offset: q.offset,
      }),
      signal,
    ),
  assign: (id: number, body: { assignee: string; dueOn: string; note?: string }) =>
    write<GapTask>('POST', apiUrl(`/party/gaps/${id}/assign`), body),
  waive: (id: number, reason: string) =>
    write<GapTask>('POST', apiUrl(`/party/gaps/${id}/waive`), { reason }),
  setSteward: (buildingId: number, memberId: number) =>
    write<StewardChange>('PUT', apiUrl(`/party/buildings/${buildingId}/steward`), { memberId }),
  removeSteward: (buildingId: number) =>
    write<StewardChange>('DELETE', apiUrl(`/party/buildings/${buildingId}/steward`)),
};
