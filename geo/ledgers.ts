/**
 * 信托制物业 (trust-model property management, the 红古区 model): the pure rules of a compound's
 * monthly ledger, shared by the server, the seed and the web. No database, no DOM.
 *
 * - the line categories (物业费, 公共收益 and spending) and what each counts toward;
 * - the due date of a month's ledger and the disclosure status of a compound-month;
 * - the anomaly rules (overspending, missing months, a category far outside the compound's own
 *   history or its peers, late publication), with their thresholds;
 * - the CSV format of a month's ledger: parsing (RFC 4180, UTF-8 with or without BOM) and
 *   per-row validation.
 *
 * Amounts are integer fen (分) everywhere; yuan with two decimals appear only in CSV and the UI.
 */

/** What a category counts toward: billed fees (not money in), fee income, common revenue, spending. */
export type LedgerSection = 'billed' | 'fee' | 'common' | 'spending';

export interface LedgerCategoryDef {
  key: string;
  section: LedgerSection;
  zh: string;
  en: string;
}

export const LEDGER_CATEGORIES = [
  { key: 'fee_billed', section: 'billed', zh: '物业费应收', en: 'Property fees billed' },
  { key: 'fee_collected', section: 'fee', zh: '物业费实收', en: 'Property fees collected' },
  { key: 'advertising', section: 'common', zh: '广告收益', en: 'Advertising' },
  { key: 'parking', section: 'common', zh: '停车收益', en: 'Parking' },
  { key: 'venue_rental', section: 'common', zh: '场地租赁', en: 'Venue rental' },
  { key: 'other_income', section: 'common', zh: '其他公共收益', en: 'Other common revenue' },
  { key: 'repairs', section: 'spending', zh: '维修养护', en: 'Repairs and upkeep' },
  { key: 'cleaning', section: 'spending', zh: '保洁', en: 'Cleaning' },
  { key: 'greening', section: 'spending', zh: '绿化', en: 'Greening' },
  { key: 'security', section: 'spending', zh: '安保', en: 'Security' },
  { key: 'utilities', section: 'spending', zh: '公共能耗', en: 'Common utilities' },
  { key: 'management_fee', section: 'spending', zh: '物业酬金', en: "Manager's remuneration" },
  { key: 'owner_dividend', section: 'spending', zh: '分红/返还业主', en: 'Returned to owners' },
  { key: 'other_spending', section: 'spending', zh: '其他支出', en: 'Other spending' },
] as const satisfies readonly LedgerCategoryDef[];

export type LedgerCategory = (typeof LEDGER_CATEGORIES)[number]['key'];
export const LEDGER_CATEGORY_KEYS = LEDGER_CATEGORIES.map((c) => c.key) as LedgerCategory[];
export const LEDGER_CATEGORY: Record<LedgerCategory, LedgerCategoryDef> = Object.fromEntries(
  LEDGER_CATEGORIES.map((c) => [c.key, c]),
) as Record<LedgerCategory, LedgerCategoryDef>;

export const isLedgerCategory = (s: string): s is LedgerCategory =>
  Object.prototype.hasOwnProperty.call(LEDGER_CATEGORY, s);

/** A ledger's line: category, counterpart, amount (fen), day, note. */
export interface LedgerLine {
  category: LedgerCategory;
  counterpart: string;
  amount: number;
  occurredOn: string;
  note: string | null;
}

// ---------------------------------------------------------------------------------------------
// Due dates and disclosure

/** A month's ledger is due by the end of this day of the following month (Beijing time). */
export const DUE_DAY = 15;
const BEIJING_MS = 8 * 3_600_000;

/** `YYYY-MM-01` of a `YYYY-MM` or `YYYY-MM-01` text, or null. */
export function ledgerMonth(text: string): string | null {
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(text);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${m[1]}-${m[2]}-01`;
}

/** The first day of the month `k` months after `period` (YYYY-MM-01). */
export function addMonths(period: string, k: number): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1 + k, 1)).toISOString().slice(0, 10);
}

/** The last day (YYYY-MM-DD) of a month. */
export function lastDayOf(period: string): string {
  return new Date(Date.parse(`${addMonths(period, 1)}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/** The due date (a Beijing day) of a month's ledger: the 15th of the following month. */
export function dueOn(period: string): string {
  return `${addMonths(period, 1).slice(0, 8)}${String(DUE_DAY).padStart(2, '0')}`;
}

/** The instant a month's ledger becomes late: the end of its due day in Beijing. */
export function dueAt(period: string): Date {
  return new Date(Date.parse(`${dueOn(period)}T00:00:00Z`) + 86_400_000 - BEIJING_MS);
}

/** The Beijing month (YYYY-MM-01) holding an instant. */
export function beijingMonth(t: Date): string {
  return `${new Date(t.getTime() + BEIJING_MS).toISOString().slice(0, 7)}-01`;
}

/** The latest month whose ledgers are due by `now` (what summaries show by default). */
export function latestDueMonth(now: Date): string {
  const cur = beijingMonth(now);
  const prev = addMonths(cur, -1);
  return dueAt(prev) <= now ? prev : addMonths(cur, -2);
}

/**
 * How a compound-month stands: published by its due date (`on_time`), after it (`late`), not
 * published though due (`missing`), or not yet due and not published (`pending`). Only the FIRST
 * publication counts: a later correction does not make a late month on time, nor an on-time one
 * late.
 */
export type DisclosureStatus = 'on_time' | 'late' | 'missing' | 'pending';
export const DISCLOSURE_STATUSES: readonly DisclosureStatus[] = [
  'on_time',
  'late',
  'missing',
  'pending',
];

export function disclosureStatus(
  period: string,
  firstPublishedAt: Date | null,
  now: Date,
): DisclosureStatus {
  const due = dueAt(period);
  if (firstPublishedAt && firstPublishedAt <= now)
    return firstPublishedAt <= due ? 'on_time' : 'late';
  return now > due ? 'missing' : 'pending';
}

/** Whole days a publication came after its due instant (0 if on time). */
export function daysLate(period: string, publishedAt: Date): number {
  const ms = publishedAt.getTime() - dueAt(period).getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / 86_400_000);
}

// ---------------------------------------------------------------------------------------------
// Totals

export interface LedgerTotals {
  /** 物业费应收 and 实收, fen; the collection rate (null when nothing was billed). */
  billed: number;
  collected: number;
  collectionRate: number | null;
  /** 公共收益 of the month. */
  common: number;
  /** Money in: fees collected plus common revenue. */
  income: number;
  spending: number;
  /** The balance carried in, plus income, minus spending. */
  closing: number;
  byCategory: Partial<Record<LedgerCategory, number>>;
}

export function ledgerTotals(
  lines: readonly Pick<LedgerLine, 'category' | 'amount'>[],
  carried = 0,
): LedgerTotals {
  const byCategory: Partial<Record<LedgerCategory, number>> = {};
  let billed = 0;
  let collected = 0;
  let common = 0;
  let spending = 0;
  for (const l of lines) {
    byCategory[l.category] = (byCategory[l.category] ?? 0) + l.amount;
    const s = LEDGER_CATEGORY[l.category].section;
    if (s === 'billed') billed += l.amount;
    else if (s === 'fee') collected += l.amount;
    else if (s === 'common') common += l.amount;
    else spending += l.amount;
  }
  const income = collected + common;
  return {
    billed,
    collected,
    collectionRate: billed > 0 ? Math.round((collected / billed) * 10_000) / 10_000 : null,
    common,
    income,
    spending,
    closing: carried + income - spending,
    byCategory,
  };
}

// ---------------------------------------------------------------------------------------------
// Anomaly rules

export const FLAG_RULES = [
  'overspend',
  'missing_months',
  'outlier_own',
  'outlier_peer',
  'late',
] as const;
export type FlagRule = (typeof FLAG_RULES)[number];

/**
 * The thresholds of the anomaly rules (docs/ledgers.md holds its table to these).
 * - overspend: the month's spending exceeds the balance carried in plus the month's income.
 * - missing_months: months in the `missingLookback` before this one that are due and unpublished.
 * - outlier_own: a spending category's month total is more than `z` robust deviations above the
 *   median of the compound's own published months (at least `minHistory` of them) AND more than
 *   `ratio` times that median. The robust deviation is 1.4826 × MAD, floored at `madFloor` × the
 *   median, so a compound spending the same every month is not flagged for a few yuan more.
 * - outlier_peer: the same test per household against the same category in the same month of the
 *   compounds of its district (its own included; at least `minPeers` of them).
 * - late: first published after the due date (the 15th of the following month).
 */
export const ANOMALY_THRESHOLDS = {
  z: 5,
  ratio: 2,
  madFloor: 0.05,
  minHistory: 6,
  minPeers: 8,
  missingLookback: 3,
} as const;

export interface LedgerFlag {
  rule: FlagRule;
  /** The category judged (outliers). */
  category?: LedgerCategory;
  /** The judged value: fen (overspend: the shortfall; outliers: the month's total, for peers per household). */
  value?: number;
  /** The reference: the median judged against, or the money available (overspend). */
  reference?: number;
  /** missing_months: the months missing; late: the days late. */
  months?: string[];
  days?: number;
  /** In English; the UI words it from the rule and numbers. */
  reason: string;
}

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median and MAD (median absolute deviation). */
export function robustCentre(values: readonly number[]): { median: number; mad: number } {
  const med = median(values);
  return { median: med, mad: median(values.map((v) => Math.abs(v - med))) };
}

// A sample shared by many judgements (a district's month) is summarised once.
const centres = new WeakMap<readonly number[], { median: number; mad: number }>();

/**
 * Whether `x` lies far above `values` by the outlier rule; null when the sample is too small.
 * The sample's median and MAD are remembered per array: do not mutate an array once judged.
 */
export function farAbove(
  x: number,
  values: readonly number[],
  minSample: number,
): { median: number; z: number } | null {
  if (values.length < minSample) return null;
  let c = centres.get(values);
  if (!c) centres.set(values, (c = robustCentre(values)));
  const { median: med, mad } = c;
  const t = ANOMALY_THRESHOLDS;
  const scale = Math.max(1.4826 * mad, t.madFloor * Math.abs(med), 1);
  const z = (x - med) / scale;
  return z > t.z && x > t.ratio * med ? { median: med, z } : null;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

export interface FlagInput {
  period: string;
  lines: readonly Pick<LedgerLine, 'category' | 'amount'>[];
  /** The closing balance of the previous published month (0 if none). */
  carried: number;
  households: number;
  /** Per spending category, the month totals of the compound's earlier published months. */
  history: Partial<Record<LedgerCategory, number[]>>;
  /** Per spending category, the month totals per household of the district's compounds. */
  peers: Partial<Record<LedgerCategory, number[]>>;
  /** Earlier months (YYYY-MM-01) due and unpublished, within the lookback. */
  missingMonths: readonly string[];
  /** The first publication of the month (null: not published yet). */
  firstPublishedAt: Date | null;
}

/** Every anomaly of one compound-month's ledger, by the rules above, in FLAG_RULES order. */
export function ledgerFlags(input: FlagInput): LedgerFlag[] {
  const t = ledgerTotals(input.lines, input.carried);
  const flags: LedgerFlag[] = [];
  const available = input.carried + t.income;
  if (t.spending > available)
    flags.push({
      rule: 'overspend',
      value: t.spending - available,
      reference: available,
      reason: `spending ${yuan(t.spending)} exceeds the balance carried in plus income (${yuan(available)})`,
    });
  if (input.missingMonths.length)
    flags.push({
      rule: 'missing_months',
      months: [...input.missingMonths].sort(),
      reason: `earlier months not published: ${[...input.missingMonths]
        .sort()
        .map((m) => m.slice(0, 7))
        .join(', ')}`,
    });
  const spendCats = LEDGER_CATEGORIES.filter((c) => c.section === 'spending').map((c) => c.key);
  for (const cat of spendCats) {
    const x = t.byCategory[cat];
    if (!x) continue;
    const own = farAbove(x, input.history[cat] ?? [], ANOMALY_THRESHOLDS.minHistory);
    if (own)
      flags.push({
        rule: 'outlier_own',
        category: cat,
        value: x,
        reference: Math.round(own.median),
        reason: `${cat} ${yuan(x)} is far above this compound's usual ${yuan(own.median)} a month`,
      });
  }
  if (input.households > 0)
    for (const cat of spendCats) {
      const x = t.byCategory[cat];
      if (!x) continue;
      const per = x / input.households;
      const peer = farAbove(per, input.peers[cat] ?? [], ANOMALY_THRESHOLDS.minPeers);
      if (peer)
        flags.push({
          rule: 'outlier_peer',
          category: cat,
          value: Math.round(per),
          reference: Math.round(peer.median),
          reason: `${cat} ${yuan(per)} per household is far above the district's usual ${yuan(peer.median)}`,
        });
    }
  if (input.firstPublishedAt) {
    const days = daysLate(input.period, input.firstPublishedAt);
    if (days > 0)
      flags.push({
        rule: 'late',
        days,
        reason: `published ${days} day(s) after the due date ${dueOn(input.period)}`,
      });
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Limits of an imported file. */
// Under the API's 64 KB body (server/request-guards.ts), with room for the JSON around it.
export const CSV_LIMITS = { maxBytes: 48 * 1024, maxRows: 500 } as const;
/** The largest amount of one line: 1 亿元. */
export const MAX_AMOUNT_FEN = 10_000_000_000;

/** The columns of a ledger CSV: the header accepts the Chinese or the English name. */
export const CSV_COLUMNS = [
  { key: 'category', zh: '类别', en: 'category', required: true },
  { key: 'counterpart', zh: '对方单位', en: 'counterpart', required: true },
  { key: 'amount', zh: '金额（元）', en: 'amount', required: true },
  { key: 'date', zh: '日期', en: 'date', required: true },
  { key: 'note', zh: '备注', en: 'note', required: false },
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number]['key'];

/** Header spellings accepted for each column (compared trimmed, case-insensitive, full-width parentheses or not). */
const HEADER_ALIASES: Record<CsvColumn, string[]> = {
  category: ['类别', '科目', 'category'],
  counterpart: ['对方单位', '对方', '收付对象', 'counterpart'],
  amount: ['金额（元）', '金额(元)', '金额', 'amount', 'amount (yuan)', 'amount(yuan)'],
  date: ['日期', 'date'],
  note: ['备注', 'note'],
};

/**
 * Rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks; CRLF
 * or LF). A leading BOM is dropped. Returns each record with the 1-based line it starts on, or
 * an error for an unterminated quote.
 */
export function parseCsv(
  text: string,
): { rows: { line: number; cells: string[] }[] } | { error: string; line: number } {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  let fieldStart = true;
  while (i < s.length) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
      continue;
    }
    if (ch === ',') {
      cells.push(cell);
      cell = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = '';
      fieldStart = true;
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    cell += ch;
    fieldStart = false;
    i++;
  }
  if (quoted) return { error: 'unterminated quoted field', line: start };
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ line: start, cells });
  }
  // Blank lines (a lone empty cell) carry nothing.
  return { rows: rows.filter((r) => !(r.cells.length === 1 && r.cells[0]!.trim() === '')) };
}

/** What is wrong with a row or the file, for the UI to word (`reason` says it in English). */
export const CSV_ERROR_CODES = [
  'file_too_large',
  'not_utf8',
  'unterminated_quote',
  'empty_file',
  'unknown_column',
  'duplicate_column',
  'missing_column',
  'no_lines',
  'too_many_rows',
  'too_many_cells',
  'bad_category',
  'counterpart_missing',
  'counterpart_too_long',
  'amount_missing',
  'amount_format',
  'amount_too_large',
  'date_missing',
  'date_format',
  'date_outside_month',
  'note_too_long',
] as const;
export type CsvErrorCode = (typeof CSV_ERROR_CODES)[number];

export interface CsvRowError {
  /** The file's line number (the header is line 1). */
  row: number;
  /** The column at fault (its key), or null for the whole row or file. */
  column: CsvColumn | null;
  code: CsvErrorCode;
  /** The offending text, when there is one. */
  value?: string;
  reason: string;
}

const normHeader = (h: string) => h.trim().toLowerCase().replace(/（/g, '(').replace(/）/g, ')');

/** A category given as its key or its Chinese or English name. */
export function categoryOf(text: string): LedgerCategory | null {
  const t = text.trim();
  for (const c of LEDGER_CATEGORIES)
    if (t === c.key || t === c.zh || t.toLowerCase() === c.en.toLowerCase()) return c.key;
  return null;
}

/** Yuan text with at most two decimals (thousands commas allowed inside quotes) → fen. */
export function parseYuan(text: string): number | null {
  const t = text
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** A date YYYY-MM-DD (or YYYY/MM/DD, YYYY/M/D) that exists, normalised, or null. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** Amount as yuan text with two decimals, for CSV and display. */
export const formatYuan = (fen: number) => {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};

/**
 * A month's ledger from CSV text: the header must name the required columns (in any order,
 * Chinese or English; unknown columns are refused so a typo is not silently dropped); every row
 * is checked (category from the list, counterpart 1–80 characters, amount ≥ 0 with at most two
 * decimals and at most 1 亿元, a date inside the month, note ≤ 200 characters). Either every
 * row is good and the lines come back, or every bad row is listed.
 */
export function validateLedgerCsv(
  text: string,
  period: string,
): { lines: LedgerLine[]; errors: [] } | { lines: null; errors: CsvRowError[] } {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > CSV_LIMITS.maxBytes)
    return {
      lines: null,
      errors: [
        {
          row: 0,
          column: null,
          code: 'file_too_large',
          reason: `file larger than ${CSV_LIMITS.maxBytes} bytes`,
        },
      ],
    };
  if (text.includes('\uFFFD'))
    return {
      lines: null,
      errors: [{ row: 0, column: null, code: 'not_utf8', reason: 'file is not valid UTF-8' }],
    };
  const parsed = parseCsv(text);
  if ('error' in parsed)
    return {
      lines: null,
      errors: [
        { row: parsed.line, column: null, code: 'unterminated_quote', reason: parsed.error },
      ],
    };
  const [head, ...data] = parsed.rows;
  if (!head)
    return {
      lines: null,
      errors: [{ row: 1, column: null, code: 'empty_file', reason: 'file is empty' }],
    };
  const index: Partial<Record<CsvColumn, number>> = {};
  const errors: CsvRowError[] = [];
  head.cells.forEach((h, i) => {
    const n = normHeader(h);
    const col = (Object.keys(HEADER_ALIASES) as CsvColumn[]).find((k) =>
      HEADER_ALIASES[k].some((a) => normHeader(a) === n),
    );
    if (!col)
      errors.push({
        row: head.line,
        column: null,
        code: 'unknown_column',
        value: h.trim(),
        reason: `unknown column '${h.trim()}'`,
      });
    else if (index[col] !== undefined)
      errors.push({
        row: head.line,
        column: col,
        code: 'duplicate_column',
        value: h.trim(),
        reason: `column '${h.trim()}' appears twice`,
      });
    else index[col] = i;
  });
  for (const c of CSV_COLUMNS)
    if (c.required && index[c.key] === undefined)
      errors.push({
        row: head.line,
        column: c.key,
        code: 'missing_column',
        value: c.zh,
        reason: `missing column '${c.zh}' (${c.en})`,
      });
  if (errors.length) return { lines: null, errors };
  if (!data.length)
    return {
      lines: null,
      errors: [{ row: 2, column: null, code: 'no_lines', reason: 'no ledger lines' }],
    };
  if (data.length > CSV_LIMITS.maxRows)
    return {
      lines: null,
      errors: [
        {
          row: data[CSV_LIMITS.maxRows]!.line,
          column: null,
          code: 'too_many_rows',
          value: String(CSV_LIMITS.maxRows),
          reason: `more than ${CSV_LIMITS.maxRows} rows`,
        },
      ],
    };
  const first = period;
  const last = lastDayOf(period);
  const lines: LedgerLine[] = [];
  for (const r of data) {
    const get = (k: CsvColumn) => {
      const i = index[k];
      return i === undefined ? '' : (r.cells[i] ?? '');
    };
    const bad = (column: CsvColumn | null, code: CsvErrorCode, reason: string, value?: string) =>
      errors.push({ row: r.line, column, code, ...(value === undefined ? {} : { value }), reason });
    if (r.cells.length > head.cells.length) {
      bad(null, 'too_many_cells', `${r.cells.length} cells, the header has ${head.cells.length}`);
      continue;
    }
    const category = categoryOf(get('category'));
    if (!category)
      bad(
        'category',
        'bad_category',
        `'${get('category').trim()}' is not a ledger category`,
        get('category').trim(),
      );
    const counterpart = get('counterpart').trim();
    if (counterpart.length < 1) bad('counterpart', 'counterpart_missing', 'counterpart missing');
    else if ([...counterpart].length > 80)
      bad('counterpart', 'counterpart_too_long', 'counterpart longer than 80 characters');
    const amountText = get('amount').trim();
    const amount = parseYuan(amountText);
    if (amount === null) {
      if (amountText === '') bad('amount', 'amount_missing', 'amount missing');
      else
        bad(
          'amount',
          'amount_format',
          `'${amountText}' is not an amount in yuan with at most two decimals (≥ 0)`,
          amountText,
        );
    } else if (amount > MAX_AMOUNT_FEN)
      bad('amount', 'amount_too_large', 'amount above 100,000,000 yuan');
    const dateText = get('date').trim();
    const day = parseDay(dateText);
    if (!day) {
      if (dateText === '') bad('date', 'date_missing', 'date missing');
      else bad('date', 'date_format', `'${dateText}' is not a date`, dateText);
    } else if (day < first || day > last)
      bad('date', 'date_outside_month', `${day} is not in ${period.slice(0, 7)}`, day);
    const note = get('note').trim();
    if ([...note].length > 200) bad('note', 'note_too_long', 'note longer than 200 characters');
    if (
      category &&
      amount !== null &&
      amount <= MAX_AMOUNT_FEN &&
      day &&
      day >= first &&
      day <= last &&
      counterpart &&
      [...counterpart].length <= 80 &&
      [...note].length <= 200
    )
      lines.push({ category, counterpart, amount, occurredOn: day, note: note || null });
  }
  return errors.length ? { lines: null, errors } : { lines, errors: [] };
}
