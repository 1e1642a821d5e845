/**
 * The ratings API (/api/ratings, docs/ratings.md) as the panel calls it. Types come from the
 * server's contract, type-only: no zod reaches the bundle.
 */
import { apiUrl, request, send } from '../api.ts';
import type {
  CompoundExplanation,
  Evidence,
  Followup,
  FollowupMap,
  RatingSummary,
} from '../../../../server/contract/ratings.ts';

export type { CompoundExplanation, Evidence, Followup, FollowupMap, RatingSummary };
export type RatingSummaryChild = RatingSummary['children'][number];
export type RedListRow = RatingSummary['redList'][number];
export type IndicatorRow = CompoundExplanation['indicators'][number];

async function json<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

export const ratingsApi = {
  map: (signal?: AbortSignal) => json<FollowupMap>(apiUrl('/ratings/map'), signal),
  summary: (area: number | null, signal?: AbortSignal) =>
    json<RatingSummary>(apiUrl('/ratings/summary', { area }), signal),
  compound: (id: number, period: string | null, signal?: AbortSignal) =>
    json<CompoundExplanation>(apiUrl(`/ratings/compounds/${id}`, { period }), signal),
  evidence: (id: number, indicator: string, period: string, signal?: AbortSignal) =>
    json<Evidence>(apiUrl(`/ratings/compounds/${id}/evidence`, { indicator, period }), signal),
  openFollowup: (body: NewFollowup) => send<Followup>('POST', apiUrl('/ratings/followups'), body),
  markStep: (id: number, stepId: number, done: boolean) =>
    send<Followup>('POST', apiUrl(`/ratings/followups/${id}/steps/${stepId}`), { done }),
  close: (id: number, status: 'done' | 'cancelled', outcome: string) =>
    send<Followup>('POST', apiUrl(`/ratings/followups/${id}/close`), { status, outcome }),
};

export interface NewFollowup {
  compoundId: number;
  cadre: { name: string; post?: string; phone?: string };
  plan: string;
  dueOn: string;
  steps: { title: string; dueOn: string }[];
}
