/** The deliberation API (/api/deliberation, docs/deliberation.md) as the web calls it. */
import type {
  EvidenceList,
  JointMeeting,
  Need,
  ProjectDetail,
  Proposal,
  ProposalDetail,
  ProposalList,
  ProposalMap,
  Resource,
} from '../../../../server/contract/deliberation.ts';
import { apiUrl, request } from '../api.ts';

export type {
  EvidenceList,
  JointMeeting,
  Need,
  ProjectDetail,
  Proposal,
  ProposalDetail,
  ProposalList,
  ProposalMap,
  Resource,
};

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface ProposalQuery {
  area: number | null;
  stage: string | null;
  topic: string | null;
  overdue: boolean;
  offset: number;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await request(apiUrl(path, {}), undefined, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export const deliberationApi = {
  proposals: (q: ProposalQuery, signal?: AbortSignal) =>
    getJson<ProposalList>(
      apiUrl('/deliberation/proposals', {
        area: q.area,
        stage: q.stage,
        topic: q.topic,
        overdue: q.overdue ? 'true' : null,
        limit: 20,
        offset: q.offset,
      }),
      signal,
    ),
  proposal: (id: number, signal?: AbortSignal) =>
    getJson<ProposalDetail>(apiUrl(`/deliberation/proposals/${id}`, {}), signal),
  map: (area: number | null, zoom: number, signal?: AbortSignal) =>
    getJson<ProposalMap>(
      apiUrl('/deliberation/map', { area, zoom: Math.max(0, Math.min(22, Math.round(zoom))) }),
      signal,
    ),
  evidence: (area: number | null, signal?: AbortSignal) =>
    getJson<EvidenceList>(apiUrl('/deliberation/evidence', { area, limit: 20 }), signal),
  needs: (area: number | null, signal?: AbortSignal) =>
    getJson<Page<Need>>(apiUrl('/deliberation/needs', { area, limit: 50 }), signal),
  resources: (area: number | null, signal?: AbortSignal) =>
    getJson<Page<Resource>>(apiUrl('/deliberation/resources', { area, limit: 50 }), signal),
  projects: (area: number | null, signal?: AbortSignal) =>
    getJson<Page<ProjectDetail>>(apiUrl('/deliberation/projects', { area, limit: 50 }), signal),
  project: (id: number, signal?: AbortSignal) =>
    getJson<ProjectDetail>(apiUrl(`/deliberation/projects/${id}`, {}), signal),
  submit: (body: unknown) => post<Proposal>('/deliberation/proposals', body),
  fromEvidence: (body: unknown) => post<Proposal>('/deliberation/proposals/from-evidence', body),
  step: (id: number, step: string, body: unknown) =>
    post<Proposal>(`/deliberation/proposals/${id}/${step}`, body),
  meeting: (body: unknown) => post<JointMeeting>('/deliberation/meetings', body),
  addNeed: (body: unknown) => post<Need>('/deliberation/needs', body),
  addProject: (body: unknown) => post<ProjectDetail>('/deliberation/projects', body),
  match: (id: number, body: unknown) =>
    post<ProjectDetail>(`/deliberation/projects/${id}/resources`, body),
  projectStatus: (id: number, body: unknown) =>
    post<ProjectDetail>(`/deliberation/projects/${id}/status`, body),
  milestoneDone: (id: number, milestone: number) =>
    post<ProjectDetail>(`/deliberation/projects/${id}/milestones/${milestone}/done`, {}),
};
