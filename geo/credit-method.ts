/**
 * 物业信用评价: the one definition of how a property company's monthly credit score is made — its
 * factors, their weights and scales, the shrinkage of small samples, the grades and the rules of
 * the 红黑榜. The server's computation (server/db/queries/credit.ts) counts the records in SQL and
 * scores them with {@link scoreFactors}; the API, the panel and docs/credit.md read the same
 * constants (a test holds the document to them).
 *
 * A factor's raw value is a share (on time, reopened, late…), a mean (satisfaction) or a density
 * (records per 1,000 households, judged against the city's). Small samples are pulled toward the
 * city's value of the month (a Bayesian average: `prior` pseudo-records at the city's value), so a
 * company with two tickets is neither top nor bottom by luck. The shrunk value is mapped linearly
 * onto points: `zero` earns nothing, `full` earns the whole weight, values between earn in
 * proportion. The score is the sum of the points (0–100).
 *
 * @example
 * const f = scoreFactors(
 *   { on_time: { count: 18, n: 20 }, satisfaction: { count: 86, n: 20 } },
 *   { on_time: 0.85, satisfaction: 4.1 },
 * );
 * f.on_time.points; // points of a shrunk on-time rate of (18 + 10·0.85) / (20 + 10)
 */

export const CREDIT_FACTOR_KEYS = [
  'on_time',
  'satisfaction',
  'reopen',
  'report_late',
  'report_missed',
  'hazards',
  'rectification',
  'complaints',
  'disclosure',
] as const;
export type CreditFactorKey = (typeof CREDIT_FACTOR_KEYS)[number];

/** What a factor's sample is made of: the records its evidence lists. */
export type CreditEvidenceKind = 'tickets' | 'report_ins' | 'hazards' | 'ledgers';

export interface CreditFactorDef {
  key: CreditFactorKey;
  /** Points of a perfect value; the weights add up to 100. */
  weight: number;
  /** share: count / n; mean: sum / n; density: count per 1,000 households, against the city's. */
  kind: 'share' | 'mean' | 'density';
  /** Pseudo-records at the city's value added to every sample (households for densities). */
  prior: number;
  /** The (shrunk) value, or for densities its ratio to the city's, that earns no points… */
  zero: number;
  /** …and the one that earns the whole weight (below `zero` when lower is better). */
  full: number;
  evidence: CreditEvidenceKind;
  zh: string;
  en: string;
  /** How the sample is counted, for docs and tooltips. */
  sampleZh: string;
  sampleEn: string;
}

export const CREDIT_FACTORS: readonly CreditFactorDef[] = [
  {
    key: 'on_time',
    weight: 20,
    kind: 'share',
    prior: 10,
    zero: 0.6,
    full: 0.98,
    evidence: 'tickets',
    zh: '派单按时办结率',
    en: 'On-time rate of dispatched tickets',
    sampleZh: '当月受理并派给该企业、已到期或已办结的诉求',
    sampleEn:
      "tickets received in the month and dispatched to the company, due or resolved by the month's end",
  },
  {
    key: 'satisfaction',
    weight: 20,
    kind: 'mean',
    prior: 10,
    zero: 3,
    full: 4.8,
    evidence: 'tickets',
    zh: '群众满意度',
    en: 'Resident satisfaction',
    sampleZh: '当月派给该企业、已回访评分的诉求（1–5 分）',
    sampleEn: 'tickets of the month dispatched to the company with a satisfaction score (1–5)',
  },
  {
    key: 'reopen',
    weight: 10,
    kind: 'share',
    prior: 10,
    zero: 0.2,
    full: 0,
    evidence: 'tickets',
    zh: '重启率',
    en: 'Reopened share',
    sampleZh: '当月派给该企业的诉求中被重启过的比例',
    sampleEn: 'share of the tickets of the month dispatched to the company that were reopened',
  },
  {
    key: 'report_late',
    weight: 10,
    kind: 'share',
    prior: 5,
    zero: 0.5,
    full: 0,
    evidence: 'report_ins',
    zh: '吹哨报到迟到率',
    en: 'Late report-ins to whistles',
    sampleZh: '报到期限在当月的社区吹哨中，超过期限才报到的比例',
    sampleEn: 'share of report-ins due in the month that came after the deadline',
  },
  {
    key: 'report_missed',
    weight: 5,
    kind: 'share',
    prior: 5,
    zero: 0.3,
    full: 0,
    evidence: 'report_ins',
    zh: '吹哨未报到率',
    en: 'Missed report-ins',
    sampleZh: '报到期限在当月的社区吹哨中，至今未报到的比例',
    sampleEn: 'share of report-ins due in the month that never came',
  },
  {
    key: 'hazards',
    weight: 5,
    kind: 'density',
    prior: 2000,
    zero: 2.5,
    full: 0.5,
    evidence: 'hazards',
    zh: '在管小区隐患密度',
    en: 'Hazards in its compounds',
    sampleZh: '当月在管小区上报的隐患，每千户，与全市之比',
    sampleEn:
      "hazards reported in the month in its compounds per 1,000 households, against the city's",
  },
  {
    key: 'rectification',
    weight: 10,
    kind: 'share',
    prior: 5,
    zero: 0.5,
    full: 1,
    evidence: 'hazards',
    zh: '隐患按期整改率',
    en: 'Hazards rectified on time',
    sampleZh: '整改期限在当月的在管小区隐患中，按期整改的比例',
    sampleEn:
      'share of the hazards in its compounds due in the month that were rectified by the deadline',
  },
  {
    key: 'complaints',
    weight: 10,
    kind: 'density',
    prior: 2000,
    zero: 2.5,
    full: 0.5,
    evidence: 'tickets',
    zh: '物业服务投诉密度',
    en: 'Complaints about property service',
    sampleZh: '当月在管小区的物业服务类诉求，每千户，与全市之比',
    sampleEn:
      "property-service tickets of the month in its compounds per 1,000 households, against the city's",
  },
  {
    // 信托制物业: a month's ledger is due on the 15th of the next month (geo/ledgers.ts), so the
    // credit of month M judges the ledgers of month M − 1, once their due day is over.
    key: 'disclosure',
    weight: 10,
    kind: 'share',
    prior: 5,
    zero: 0.5,
    full: 1,
    evidence: 'ledgers',
    zh: '财务按时公开率',
    en: 'Ledgers published on time',
    sampleZh: '在管小区上月收支账目（当月15日到期）中，按期首次公开的比例',
    sampleEn:
      "share of its compounds' ledgers of the previous month (due on the 15th of the month) first published by the due date",
  },
];

export const CREDIT_FACTOR: Record<CreditFactorKey, CreditFactorDef> = Object.fromEntries(
  CREDIT_FACTORS.map((f) => [f.key, f]),
) as Record<CreditFactorKey, CreditFactorDef>;

export const CREDIT_GRADES = ['AAA', 'AA', 'A', 'B', 'C'] as const;
export type CreditGrade = (typeof CREDIT_GRADES)[number];

/** The lowest score of each grade; below the last one is C. */
export const GRADE_CUTOFFS: readonly { grade: CreditGrade; min: number }[] = [
  { grade: 'AAA', min: 90 },
  { grade: 'AA', min: 80 },
  { grade: 'A', min: 70 },
  { grade: 'B', min: 60 },
  { grade: 'C', min: 0 },
];

/** Colours of the grades on the map and in the panel (AAA green … C dark red). */
export const GRADE_COLORS: Record<CreditGrade, [number, number, number]> = {
  AAA: [26, 152, 80],
  AA: [102, 189, 99],
  A: [217, 196, 80],
  B: [244, 109, 67],
  C: [165, 0, 38],
};

/**
 * The 红黑榜 of a month, city-wide and per district (a company is in every district where it
 * manages a compound). Only companies with enough of a record are listed (`minTickets` judged
 * dispatched tickets in the month); the red list takes the best at or above `redMin`, the black
 * list the worst below `blackBelow`, each at most `size` long (ties: the lower company id first).
 */
export const LIST_RULES = {
  minTickets: 3,
  redMin: 80,
  blackBelow: 65,
  citySize: 10,
  districtSize: 5,
} as const;

/** A supervision case (督办) must be closed within this many days by default. */
export const CASE_DEFAULT_DAYS = 30;

export function gradeOf(score: number): CreditGrade {
  for (const c of GRADE_CUTOFFS) if (score >= c.min) return c.grade;
  return 'C';
}

/** A factor's sample: `count` successes or records (or the sum of scores), out of `n`. */
export interface FactorSample {
  count: number;
  n: number;
}

export interface ScoredFactor {
  key: CreditFactorKey;
  /** The company's own value (null without a sample); densities per 1,000 households. */
  raw: number | null;
  /** The value after shrinkage toward the city's. */
  value: number;
  /** The city's value of the month (pooled over all companies). */
  city: number;
  count: number;
  /** Sample size: records, or households for densities. */
  n: number;
  points: number;
  weight: number;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Points of a shrunk value on a factor's scale (0 … weight). */
export function pointsOf(def: CreditFactorDef, value: number, city: number): number {
  const x = def.kind === 'density' ? (city > 0 ? value / city : 0) : value;
  return def.weight * clamp01((x - def.zero) / (def.full - def.zero));
}

/**
 * Every factor of one company-month from its samples and the city's values (shares and means as
 * fractions and 1–5 scores; densities per household). Missing samples count as empty.
 */
export function scoreFactors(
  samples: Partial<Record<CreditFactorKey, FactorSample>>,
  city: Partial<Record<CreditFactorKey, number>>,
): Record<CreditFactorKey, ScoredFactor> {
  const out = {} as Record<CreditFactorKey, ScoredFactor>;
  for (const def of CREDIT_FACTORS) {
    const s = samples[def.key] ?? { count: 0, n: 0 };
    const c = city[def.key] ?? 0;
    const value = (s.count + def.prior * c) / (s.n + def.prior);
    const per = def.kind === 'density' ? 1000 : 1;
    out[def.key] = {
      key: def.key,
      raw: s.n > 0 ? round((s.count / s.n) * per, 4) : null,
      value: round(value * per, 4),
      city: round(c * per, 4),
      count: s.count,
      n: s.n,
      points: round(pointsOf(def, value, c), 2),
      weight: def.weight,
    };
  }
  return out;
}

/** The score (0–100, one decimal) of scored factors: the sum of their points. */
export function scoreOf(factors: Record<CreditFactorKey, { points: number }>): number {
  let sum = 0;
  for (const def of CREDIT_FACTORS) sum += factors[def.key].points;
  return round(Math.max(0, Math.min(100, sum)), 1);
}

export interface ListCandidate {
  companyId: number;
  score: number;
  /** Judged dispatched tickets of the month (the on-time factor's sample). */
  tickets: number;
}

/**
 * One 红黑榜 (city-wide or one district's) from the month's scores of the companies in it.
 *
 * @example
 * listsOf([{ companyId: 1, score: 91, tickets: 12 }, { companyId: 2, score: 41, tickets: 9 }], 10);
 * // { red: [{ companyId: 1, rank: 1, score: 91 }], black: [{ companyId: 2, rank: 1, score: 41 }] }
 */
export function listsOf(candidates: readonly ListCandidate[], size: number) {
  const eligible = candidates.filter((c) => c.tickets >= LIST_RULES.minTickets);
  const red = eligible
    .filter((c) => c.score >= LIST_RULES.redMin)
    .sort((a, b) => b.score - a.score || a.companyId - b.companyId)
    .slice(0, size)
    .map((c, i) => ({ companyId: c.companyId, rank: i + 1, score: c.score }));
  const black = eligible
    .filter((c) => c.score < LIST_RULES.blackBelow)
    .sort((a, b) => a.score - b.score || a.companyId - b.companyId)
    .slice(0, size)
    .map((c, i) => ({ companyId: c.companyId, rank: i + 1, score: c.score }));
  return { red, black };
}

/** `YYYY-MM-01` of a `YYYY-MM` or `YYYY-MM-DD` text, or null if it is no month. */
export function monthOf(text: string): string | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  if (m[3] !== undefined && m[3] !== '01') return null;
  return `${m[1]}-${m[2]}-01`;
}
