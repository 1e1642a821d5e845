/** How a ledger's flags and amounts are put into words in the panel and the map's tooltip. */
import { formatYuan, latestDueMonth } from '../../../../geo/ledgers.ts';
import type { CsvRowError, LedgerFlag } from './api.ts';

type T = (key: string, params?: Record<string, string | number>) => string;

export const yuan = (fen: number) => formatYuan(Math.round(fen));

export function flagText(f: LedgerFlag, t: T): string {
  const category = f.category ? t(`ledgers.cat.${f.category}`) : '';
  return t(`ledgers.flag.${f.rule}`, {
    value: f.value === undefined ? '' : yuan(f.value),
    reference: f.reference === undefined ? '' : yuan(f.reference),
    category,
    months: (f.months ?? []).map((m) => m.slice(0, 7)).join('、'),
    days: f.days ?? 0,
  });
}

/** The month shown when none is chosen: the latest whose ledgers are due (as the server does). */
export const defaultMonth = () => latestDueMonth(new Date());

/** A refused CSV row's problem in the reader's language. */
export function csvErrorText(e: CsvRowError, t: T): string {
  return t(`ledgers.csv.${e.code}`, { value: e.value ?? '' });
}
