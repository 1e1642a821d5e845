/** The credit API (/api/credit, docs/credit.md) as the web calls it. */
import type {
  CreditCompanyT,
  CreditEvidenceT,
  CreditListsT,
  CreditMapT,
  CreditPeriodsT,
  CreditRankingT,
  SupervisionCaseT,
} from '../../../../server/contract/credit.ts';
import type { CreditFactorKey } from '../../../../geo/credit-method.ts';
import { apiUrl, request } from '../api.ts';

export type {
  CreditCompanyT,
  CreditEvidenceT,
  CreditListsT,
  CreditMapT,
  CreditPeriodsT,
  CreditRankingT,
  SupervisionCaseT,
};

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await request(url, undefined, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export const creditApi = {
  periods: (signal?: AbortSignal) => getJson<CreditPeriodsT>(apiUrl('/credit/periods'), signal),
  lists: (period: string | null, district: number | null, signal?: AbortSignal) =>
    getJson<CreditListsT>(apiUrl('/credit/lists', { period, district }), signal),
  ranking: (
    q: {
      period: string | null;
      district: number | null;
      sort: 'score' | 'name' | 'compounds';
      order: 'asc' | 'desc';
      offset: number;
      limit: number;
    },
    signal?: AbortSignal,
  ) => getJson<CreditRankingT>(apiUrl('/credit/ranking', q), signal),
  company: (id: number, period: string | null, signal?: AbortSignal) =>
    getJson<CreditCompanyT>(apiUrl(`/credit/companies/${id}`, { period }), signal),
  evidence: (id: number, period: string | null, factor: CreditFactorKey, signal?: AbortSignal) =>
    getJson<CreditEvidenceT>(
      apiUrl(`/credit/companies/${id}/evidence`, { period, factor, limit: 50 }),
      signal,
    ),
  map: (period: string | null, signal?: AbortSignal) =>
    getJson<CreditMapT>(apiUrl('/credit/map', { period }), signal),
  openCase: (body: {
    companyId: number;
    period: string;
    districtId?: number | null;
    departmentId: number;
    dueOn?: string;
  }) => post<SupervisionCaseT>(apiUrl('/credit/cases'), body),
  stepCase: (
    id: number,
    body: { action: 'rectify' | 'close'; outcome?: string; accountability?: string },
  ) => post<SupervisionCaseT>(apiUrl(`/credit/cases/${id}/transitions`), body),
};
