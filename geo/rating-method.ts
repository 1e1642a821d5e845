/**
 * 红黄蓝三色动态评估: the method, as data. Every compound is scored each month: 100 points, less a
 * deduction per indicator, clamped to 0–100 and rounded to one decimal; the score's band is its
 * colour. This one definition is read by the SQL that computes the colours (as bound parameters,
 * server/db/queries/ratings.ts), by the explanation the API gives, by the panel and by
 * docs/ratings.md (a test checks the document against it).
 *
 * An indicator deducts `weight` points per unit its value lies beyond `threshold` (above it, or
 * below it for `direction: 'below'`), counting at most `cap` units. A negative weight is a bonus.
 * A value of null (no satisfaction score in the month) deducts nothing.
 *
 * @example
 * indicatorDeduction(RATING_INDICATORS.find((i) => i.key === 'overdueShare')!, 0.5); // 17.5
 * scoreOf({ loadVsCity: 1.5, overdueShare: 0.2, ... }).score; // 100 - 5 - 7 - ...
 */

export type RatingColorKey = 'red' | 'yellow' | 'blue';

/** A score below this is red (needs intervention). */
export const RED_BELOW = 70;
/** A score below this (and not red) is yellow (watch); otherwise blue (good). */
export const YELLOW_BELOW = 86;
export const BASE_SCORE = 100;

/** What a value measures, for its formatting and its label. */
export type IndicatorUnit = 'ratio' | 'share' | 'score' | 'count' | 'points' | 'flag';

/** Which records an indicator's value counts: what it drills to (null: an attribute). */
export type IndicatorEvidence =
  'tickets' | 'overdue' | 'satisfaction' | 'hazards' | 'late_report_ins' | null;

export interface RatingIndicator {
  /** Its key in `compound_ratings.indicators`. */
  key: string;
  zh: string;
  en: string;
  unit: IndicatorUnit;
  /** Decimals the value is stored with (the score is computed from the stored value). */
  decimals: number;
  threshold: number;
  direction: 'above' | 'below';
  /** Points per unit beyond the threshold; negative: a bonus. */
  weight: number;
  /** Units beyond the threshold counted at most. */
  cap: number;
  evidence: IndicatorEvidence;
  /** How the value is measured, for the explanation and the docs. */
  howZh: string;
  howEn: string;
}

/** The indicators that deduct (or add) points, in the order the explanation lists them. */
export const RATING_INDICATORS: readonly RatingIndicator[] = [
  {
    key: 'loadVsCity',
    zh: '诉求量（相对全市）',
    en: 'Ticket load vs the city',
    unit: 'ratio',
    decimals: 2,
    threshold: 1,
    direction: 'above',
    weight: 10,
    cap: 3,
    evidence: 'tickets',
    howZh: '当月每百户诉求数 ÷ 全市小区当月平均值',
    howEn: "the month's tickets per 100 households ÷ the city's average for the month",
  },
  {
    key: 'overdueShare',
    zh: '超期率',
    en: 'Overdue share',
    unit: 'share',
    decimals: 3,
    threshold: 0,
    direction: 'above',
    weight: 35,
    cap: 1,
    evidence: 'overdue',
    howZh: '当月受理的诉求中，到月末已超期未办或超期办结的比例',
    howEn:
      "share of the month's tickets past their deadline by the month's end (open, or resolved late)",
  },
  {
    key: 'satisfaction',
    zh: '群众满意度',
    en: 'Satisfaction',
    unit: 'score',
    decimals: 2,
    threshold: 4.2,
    direction: 'below',
    weight: 6,
    cap: 4,
    evidence: 'satisfaction',
    howZh: '当月诉求回访满意度（1–5 分）的平均值；无评分不扣分',
    howEn: "mean callback satisfaction (1–5) of the month's tickets; none scored: no deduction",
  },
  {
    key: 'hazardWeight',
    zh: '未整改隐患（按等级加权）',
    en: 'Open hazards, by severity',
    unit: 'points',
    decimals: 0,
    threshold: 0,
    direction: 'above',
    weight: 4,
    cap: 5,
    evidence: 'hazards',
    howZh: '月末未整改的隐患：重大 3、较大 2、其他 1，累加',
    howEn: "hazards open at the month's end: critical 3, high 2, others 1, summed",
  },
  {
    key: 'lateReportIns',
    zh: '吹哨报到迟到',
    en: 'Late report-ins',
    unit: 'count',
    decimals: 0,
    threshold: 0,
    direction: 'above',
    weight: 5,
    cap: 2,
    evidence: 'late_report_ins',
    howZh: '报到时限在当月的吹哨中，迟到或到月末仍未报到的报到数',
    howEn:
      "report-ins due in the month, for whistles in the compound, that came late or had not come by the month's end",
  },
  {
    key: 'noPropertyCompany',
    zh: '无物业',
    en: 'No property company',
    unit: 'flag',
    decimals: 0,
    threshold: 0,
    direction: 'above',
    weight: 8,
    cap: 1,
    evidence: null,
    howZh: '小区无物业服务企业为 1',
    howEn: '1 when no property company manages the compound',
  },
  {
    key: 'noOwnersCommittee',
    zh: '无业委会',
    en: "No owners' committee",
    unit: 'flag',
    decimals: 0,
    threshold: 0,
    direction: 'above',
    weight: 4,
    cap: 1,
    evidence: null,
    howZh: '小区未成立业主委员会为 1',
    howEn: "1 when the compound has no owners' committee",
  },
  {
    key: 'provincialDemonstration',
    zh: '省级示范小区（加分）',
    en: 'Provincial demonstration (bonus)',
    unit: 'flag',
    decimals: 0,
    threshold: 0,
    direction: 'above',
    weight: -4,
    cap: 1,
    evidence: null,
    howZh: '陇原红色物业省级示范小区为 1，加 4 分',
    howEn: '1 for a 陇原红色物业 provincial demonstration compound: 4 points added',
  },
];

/** Values kept beside the scored indicators, for the explanation (no points of their own). */
export const CONTEXT_KEYS = ['tickets', 'ticketsPer100Households', 'openHazards'] as const;

export const ratingIndicator = (key: string) => RATING_INDICATORS.find((i) => i.key === key);

/** Rounds like PostgreSQL's round(numeric, n) for the values we store (half away from zero). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * f + 1e-9)) / f;
}

/** Points one indicator takes off (negative: adds) at this value. */
export function indicatorDeduction(i: RatingIndicator, value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return 0;
  const beyond = i.direction === 'above' ? value - i.threshold : i.threshold - value;
  return i.weight * Math.min(Math.max(beyond, 0), i.cap);
}

export function colorOf(score: number): RatingColorKey {
  return score < RED_BELOW ? 'red' : score < YELLOW_BELOW ? 'yellow' : 'blue';
}

export interface ScoreArithmetic {
  base: number;
  rows: { key: string; value: number | null; deduction: number }[];
  /** Sum of the deductions (bonuses negative). */
  deducted: number;
  score: number;
  color: RatingColorKey;
}

/** A month's score and colour from its stored indicators: the arithmetic the SQL does. */
export function scoreOf(values: Record<string, number | null | undefined>): ScoreArithmetic {
  const rows = RATING_INDICATORS.map((i) => {
    const value = values[i.key] ?? null;
    return { key: i.key, value, deduction: roundTo(indicatorDeduction(i, value), 3) };
  });
  const deducted = rows.reduce((s, r) => s + r.deduction, 0);
  const score = roundTo(Math.max(0, Math.min(BASE_SCORE, BASE_SCORE - deducted)), 1);
  return { base: BASE_SCORE, rows, deducted: roundTo(deducted, 3), score, color: colorOf(score) };
}

/** The colour of a month going to the next, as the summaries count them. */
export type Transition = `${RatingColorKey}->${RatingColorKey}`;

export const TRANSITIONS: readonly Transition[] = [
  'red->yellow',
  'red->blue',
  'yellow->blue',
  'blue->yellow',
  'yellow->red',
  'blue->red',
];

/** Better or worse: a red compound moving up, or any compound slipping. */
export const transitionDirection = (t: Transition): 'up' | 'down' => {
  const rank: Record<RatingColorKey, number> = { red: 0, yellow: 1, blue: 2 };
  const [a, b] = t.split('->') as [RatingColorKey, RatingColorKey];
  return rank[b] > rank[a] ? 'up' : 'down';
};

// ---------------------------------------------------------------------------------------------
// 包抓落实: the follow-up rules

/** A plan may be opened for a compound red in one of the last this many evaluated months. */
export const FOLLOWUP_RED_MONTHS = 2;
/** A plan holds 1 to this many steps. */
export const FOLLOWUP_MAX_STEPS = 12;
/** A plan's deadline lies at most this many days ahead of its opening. */
export const FOLLOWUP_MAX_DAYS = 366;

/** The method as a Markdown table (docs/ratings.md holds it; a test keeps the two in step). */
export function methodTable(): string {
  const rows = RATING_INDICATORS.map(
    (i) =>
      `| \`${i.key}\` | ${i.zh} | ${i.howEn} | ${i.unit} | ${i.direction === 'above' ? '>' : '<'} ${i.threshold} | ${i.weight} | ${i.cap} | ${roundTo(Math.abs(i.weight * i.cap), 2)}${i.weight < 0 ? ' (bonus)' : ''} |`,
  );
  return [
    '| key | 指标 | measured as | unit | deducts when | weight (points per unit) | cap (units) | at most |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The colour cutoffs as a Markdown line (docs/ratings.md). */
export const cutoffsLine = () =>
  `red: score < ${RED_BELOW}; yellow: ${RED_BELOW} ≤ score < ${YELLOW_BELOW}; blue: score ≥ ${YELLOW_BELOW}.`;
