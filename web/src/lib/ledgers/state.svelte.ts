import { Resource } from '../state/resource.svelte.ts';
import {
  CsvRejected,
  ledgersApi,
  type CompanyDisclosureRecord,
  type CompoundLedgerMonth,
  type CompoundLedgerMonths,
  type CsvRowError,
  type DisclosureSummary,
  type FlaggedLedgers,
} from './api.ts';
import { ledgersMapData } from './map-data.ts';
import { defaultMonth } from './words.ts';

/**
 * The 财务公开 tab's state: for an area (or the city) the disclosure summary of its children and
 * the flagged ledgers of the month; for a compound its months, the chosen month's ledger with
 * revisions, and the company's writes (import, publish, discard). After a write everything shown
 * is loaded again, the map's disclosure layer too.
 */
export class LedgersState {
  readonly summary = new Resource<DisclosureSummary>();
  readonly flagged = new Resource<FlaggedLedgers>();
  readonly months = new Resource<CompoundLedgerMonths>();
  readonly month = new Resource<CompoundLedgerMonth>();
  readonly record = new Resource<CompanyDisclosureRecord>();
  area = $state<number | null>(null);
  level = $state<string | null>(null);
  /** YYYY-MM-01 of the month shown (null: the latest due, as the server says). */
  period = $state<string | null>(null);
  revision = $state(0);
  busy = $state(false);
  error = $state.raw<unknown>(null);
  /** the rows of the last refused import */
  rows = $state.raw<CsvRowError[]>([]);
  /** what the last write did, for the status line */
  done = $state<string | null>(null);

  load(area: number | null, level: string | null) {
    this.area = area;
    this.level = level;
    const rev = this.revision;
    const p = this.period;
    ledgersMapData.setMonth(p);
    if (area !== null && level === 'compound') {
      this.months.load(`${area}:${rev}`, (s) => ledgersApi.compound(area, s));
      const m = p ?? defaultMonth();
      this.month.load(`${area}:${m}:${rev}`, (s) => ledgersApi.month(area, m, s));
    } else {
      this.months.clear();
      this.month.clear();
    }
    this.summary.load(`${area}:${p}:${rev}`, (s) => ledgersApi.summary(area, p, s));
    this.flagged.load(`${area}:${p}:${rev}`, (s) => ledgersApi.flagged(area, p, s));
  }

  loadRecord(company: number | null) {
    if (company === null) this.record.clear();
    else this.record.load(`${company}:${this.revision}`, (s) => ledgersApi.record(company, s));
  }

  choose(period: string) {
    this.period = period;
    this.rows = [];
    this.load(this.area, this.level);
  }

  async write<T>(run: () => Promise<T>, done: string): Promise<T | null> {
    this.busy = true;
    this.error = null;
    this.rows = [];
    this.done = null;
    try {
      const out = await run();
      this.revision++;
      this.done = done;
      this.load(this.area, this.level);
      void ledgersMapData.reload();
      return out;
    } catch (err) {
      this.error = err;
      if (err instanceof CsvRejected) this.rows = err.rows;
      return null;
    } finally {
      this.busy = false;
    }
  }

  clear() {
    this.summary.clear();
    this.flagged.clear();
    this.months.clear();
    this.month.clear();
    this.record.clear();
  }
}

export const ledgers = new LedgersState();
