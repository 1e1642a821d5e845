/** The ledgers API (/api/ledgers, docs/ledgers.md) as the web calls it. */
import type {
  CompanyDisclosureRecord,
  CompoundLedgerMonth,
  CompoundLedgerMonths,
  DisclosureMap,
  DisclosureSummary,
  FlaggedLedgers,
  Ledger,
  LedgerFlag,
} from '../../../../server/contract/ledgers.ts';
import { apiUrl, ApiError, request } from '../api.ts';

export type {
  CompanyDisclosureRecord,
  CompoundLedgerMonth,
  CompoundLedgerMonths,
  DisclosureMap,
  DisclosureSummary,
  FlaggedLedgers,
  Ledger,
  LedgerFlag,
};

/** One bad row of a refused CSV, as the server lists it. */
export type { CsvRowError } from '../../../../geo/ledgers.ts';
import type { CsvRowError } from '../../../../geo/ledgers.ts';

/** A refused import: the API error with every bad row. */
export class CsvRejected extends ApiError {
  constructor(
    message: string,
    readonly rows: CsvRowError[],
  ) {
    super(400, 'bad_request', message, 'csv', 'ledger_rows_invalid');
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

async function write<T>(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const res = await request(url, undefined, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** `YYYY-MM` of a `YYYY-MM-01`. */
const ym = (period: string | null) => (period ? period.slice(0, 7) : undefined);

export const ledgersApi = {
  summary: (area: number | null, month: string | null, signal?: AbortSignal) =>
    getJson<DisclosureSummary>(apiUrl('/ledgers/summary', { area, month: ym(month) }), signal),
  map: (area: number | null, month: string | null, zoom: number, signal?: AbortSignal) =>
    getJson<DisclosureMap>(
      apiUrl('/ledgers/map', {
        area,
        month: ym(month),
        zoom: Math.max(0, Math.min(22, Math.round(zoom))),
      }),
      signal,
    ),
  flagged: (area: number | null, month: string | null, signal?: AbortSignal) =>
    getJson<FlaggedLedgers>(
      apiUrl('/ledgers/flagged', { area, month: ym(month), limit: 50 }),
      signal,
    ),
  compound: (id: number, signal?: AbortSignal) =>
    getJson<CompoundLedgerMonths>(apiUrl(`/ledgers/compounds/${id}`), signal),
  month: (id: number, month: string, signal?: AbortSignal) =>
    getJson<CompoundLedgerMonth>(apiUrl(`/ledgers/compounds/${id}/months/${ym(month)}`), signal),
  record: (company: number, signal?: AbortSignal) =>
    getJson<CompanyDisclosureRecord>(apiUrl(`/ledgers/companies/${company}/record`), signal),
  /** Imports a CSV; a refused file throws CsvRejected with its rows. */
  async importCsv(id: number, month: string, csv: string, reason?: string): Promise<Ledger> {
    const res = await fetch(apiUrl(`/ledgers/compounds/${id}/months/${ym(month)}/import`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(reason ? { csv, reason } : { csv }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      error?: {
        code?: string;
        message?: string;
        field?: string;
        reason?: string;
        rows?: CsvRowError[];
      };
    };
    if (res.ok) return body as unknown as Ledger;
    const e = body.error ?? {};
    if (e.rows) throw new CsvRejected(e.message ?? 'bad CSV', e.rows);
    throw new ApiError(
      res.status,
      (e.code ?? 'internal') as never,
      e.message ?? `${res.status}`,
      e.field,
      e.reason,
    );
  },
  publish: (id: number) => write<Ledger>('POST', apiUrl(`/ledgers/${id}/publish`)),
  discard: (id: number) => write<{ id: number }>('DELETE', apiUrl(`/ledgers/${id}`)),
  exportUrl: (id: number) => apiUrl(`/ledgers/${id}/export`),
  summaryExportUrl: (area: number | null, month: string | null) =>
    apiUrl('/ledgers/summary/export', { area, month: ym(month) }),
};
