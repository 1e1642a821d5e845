/**
 * 红黄蓝 explained: a compound's month with every indicator's value, rule and points (from the
 * one method, geo/rating-method.ts), the records behind each indicator (scoped by the noun's own
 * read rule: an actor that reads no tickets gets counts only), its 12-month history, summaries of
 * an area's children, and the city's recompute of a month.
 */
import { beijingDate } from '../../geo/periods.ts';
import {
  CONTEXT_KEYS,
  FOLLOWUP_RED_MONTHS,
  RATING_INDICATORS,
  RED_BELOW,
  scoreOf,
  TRANSITIONS,
  YELLOW_BELOW,
  type IndicatorEvidence,
} from '../../geo/rating-method.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as fq from '../db/queries/followups.ts';
import * as q from '../db/queries/ratings.ts';
import { placeMatches, placeRule, readRule, type PlaceRule } from '../policy.ts';
import type { CompoundExplanation, Evidence, RatingSummary } from '../contract/ratings.ts';
import { requireCapability, type Actor } from './actors.ts';
import { invalid, notFound } from './domain-error.ts';
import { followupView } from './followups.ts';

const HISTORY_MONTHS = 12;

/** The compound if the actor reaches it with ratings.read, else 404 (it does not exist for you). */
export async function readableCompound(db: Db, actor: Actor, id: number, rule?: PlaceRule) {
  const place = await q.compoundPlace(db, id);
  const r = rule ?? placeRule(actor, 'ratings.read');
  if (!place || !placeMatches(r, place.path, place.companyId))
    throw notFound('compound_not_found', `No compound with id ${id} in your area`);
  return place;
}

function checkPeriod(period: string | undefined, rated: string[]): string {
  if (rated.length === 0) throw notFound('no_ratings', 'No month has been rated yet.');
  if (period === undefined) return rated[0]!;
  if (!rated.includes(period))
    throw invalid(
      'period_not_rated',
      `parameter 'period' must be a rated month (${rated.at(-1)} to ${rated[0]})`,
      'period',
    );
  return period;
}

export async function explainCompound(
  db: Db,
  actor: Actor | null,
  id: number,
  period: string | undefined,
): Promise<CompoundExplanation> {
  const a = requireCapability(actor, 'ratings.read', 'read the three-colour ratings');
  const place = await readableCompound(db, a, id);
  const history = await q.compoundRatings(db, id, HISTORY_MONTHS);
  const p = checkPeriod(
    period,
    history.map((h) => h.period),
  );
  const month = history.find((h) => h.period === p)!;
  const arithmetic = scoreOf(month.indicators);
  const indicators = RATING_INDICATORS.map((i, k) => ({
    key: i.key,
    value: month.indicators[i.key] ?? null,
    unit: i.unit,
    threshold: i.threshold,
    direction: i.direction,
    weight: i.weight,
    cap: i.cap,
    deduction: arithmetic.rows[k]!.deduction,
    evidence: i.evidence,
  }));
  const followups = await fq.followupsOfCompound(db, id);
  const redPeriods = await fq.redInLastMonths(db.kysely, id, FOLLOWUP_RED_MONTHS);
  const views = followups.map((f) => followupView(a, f));
  return {
    compound: { id, name: place.name, companyName: place.companyName },
    period: p,
    color: month.color,
    score: month.score,
    arithmetic: { base: arithmetic.base, deducted: arithmetic.deducted, score: arithmetic.score },
    cutoffs: { redBelow: RED_BELOW, yellowBelow: YELLOW_BELOW },
    indicators,
    context: Object.fromEntries(CONTEXT_KEYS.map((k) => [k, month.indicators[k] ?? null])),
    history: history.map((h) => ({ period: h.period, color: h.color, score: h.score })).reverse(),
    evidence: {
      tickets: readRule(a, 'tickets').kind !== 'none',
      hazards: readRule(a, 'hazards').kind !== 'none',
      whistles: readRule(a, 'whistles').kind !== 'none',
    },
    followups: views,
    redRecently: redPeriods !== null,
    canOpenFollowup:
      redPeriods !== null &&
      !followups.some((f) => f.status === 'open') &&
      placeMatches(placeRule(a, 'ratings.followup'), place.path, place.companyId),
  };
}

const EVIDENCE_NOUN = {
  tickets: 'tickets',
  overdue: 'tickets',
  satisfaction: 'tickets',
  hazards: 'hazards',
  late_report_ins: 'whistles',
} as const;

export async function indicatorEvidence(
  db: Db,
  actor: Actor | null,
  id: number,
  o: { period?: string; indicator: string },
): Promise<Evidence> {
  const a = requireCapability(actor, 'ratings.read', 'read the three-colour ratings');
  const ind = RATING_INDICATORS.find((i) => i.key === o.indicator);
  if (!ind || ind.evidence === null) {
    const keys = RATING_INDICATORS.filter((i) => i.evidence !== null).map((i) => i.key);
    throw invalid(
      'unknown_indicator',
      `parameter 'indicator' must be one of ${keys.join(', ')}`,
      'indicator',
    );
  }
  await readableCompound(db, a, id);
  const rated = (await q.compoundRatings(db, id, HISTORY_MONTHS)).map((h) => h.period);
  const period = checkPeriod(o.period, rated);
  const kind = ind.evidence as Exclude<IndicatorEvidence, null>;
  const rule = readRule(a, EVIDENCE_NOUN[kind]);
  const base = {
    compoundId: id,
    period,
    indicator: ind.key,
    kind,
    tickets: [],
    hazards: [],
    reportIns: [],
  };
  // An actor that reads none of the noun's records still learns how many there were.
  const readable = rule.kind !== 'none';
  switch (kind) {
    case 'tickets':
    case 'overdue':
    case 'satisfaction': {
      const r = await q.evidenceTickets(db, { compoundId: id, period, rule, which: kind });
      return { ...base, total: r.total, readable, tickets: r.items };
    }
    case 'hazards': {
      const r = await q.evidenceHazards(db, { compoundId: id, period, rule });
      return { ...base, total: r.total, readable, hazards: r.items };
    }
    case 'late_report_ins': {
      const r = await q.evidenceLateReportIns(db, { compoundId: id, period, rule });
      return { ...base, total: r.total, readable, reportIns: r.items };
    }
  }
}

const SUMMARY_MONTHS = 3;
const RED_LIST_LIMIT = 200;

export async function ratingsSummary(
  db: Db,
  actor: Actor | null,
  area: { id: number; level: string; name: string; path: number[] } | null,
  // The panel shows the worst 200; an export asks for every red compound of the area (bounded
  // by the compounds of the city).
  redListLimit = RED_LIST_LIMIT,
): Promise<RatingSummary> {
  const a = requireCapability(actor, 'ratings.read', 'read the three-colour ratings');
  const rule = placeRule(a, 'ratings.read');
  const today = beijingDate(new Date());
  if (area && rule.kind === 'subtree') {
    // An area outside the actor's subtree, and not above it, does not exist for it.
    const own = await q.areaRef(db, rule.areaId);
    if (!area.path.includes(rule.areaId) && !own?.path.includes(area.id))
      throw notFound('area_not_found', `No area with id ${area.id} in your area`, 'area');
  }
  if (area?.level === 'compound')
    throw invalid(
      'compound_area',
      "parameter 'area' must be above a compound (use /compounds/{id})",
      'area',
    );
  const { latest, children } = await q.summaryChildren(db, {
    areaId: area?.id ?? null,
    rule,
    months: SUMMARY_MONTHS,
    today,
  });
  const periods = await q.ratedPeriods(db.kysely);
  const since = periods[Math.min(SUMMARY_MONTHS, periods.length - 1)] ?? null;
  const totals = {
    compounds: 0,
    red: 0,
    yellow: 0,
    blue: 0,
    redWithPlan: 0,
    redWithoutPlan: 0,
    overduePlans: 0,
    transitions: Object.fromEntries(TRANSITIONS.map((t) => [t, 0])) as Record<string, number>,
  };
  for (const c of children) {
    for (const k of [
      'compounds',
      'red',
      'yellow',
      'blue',
      'redWithPlan',
      'redWithoutPlan',
      'overduePlans',
    ] as const)
      totals[k] += c[k];
    for (const [t, n] of Object.entries(c.transitions))
      totals.transitions[t] = (totals.transitions[t] ?? 0) + n;
  }
  const redList = latest
    ? await q.redList(db, {
        areaId: area?.id ?? null,
        rule,
        period: latest,
        today,
        limit: redListLimit,
      })
    : [];
  return {
    area: area
      ? { id: area.id, name: area.name, level: area.level }
      : { id: null, name: '兰州市', level: 'city' },
    latest,
    since,
    children,
    totals,
    redList,
  };
}

/** The area a summary is asked for, or 404 naming the parameter. */
export async function summaryArea(db: Db, id: number) {
  const ref = await q.areaRef(db, id);
  if (!ref) throw notFound('area_not_found', `No area with id ${id} (parameter 'area')`, 'area');
  return ref;
}

/** Recomputes one month's colours for every compound (the city), audited. */
export async function recomputeRatings(db: Db, actor: Actor | null, period: string) {
  const a = requireCapability(actor, 'ratings.manage', "recompute a month's colours");
  const now = new Date();
  const current = `${beijingDate(now).slice(0, 7)}-01`;
  if (!/^\d{4}-\d{2}-01$/.test(period) || period > current)
    throw invalid(
      'period_invalid',
      `parameter 'period' must be the first day of a month up to ${current}, like ${current}`,
      'period',
    );
  return db.kysely.transaction().execute(async (tx) => {
    const before = await q.colourCounts(tx, period);
    const [counts] = await q.computeRatings(tx, { periods: [period], asOf: now });
    const after = counts ?? { period, red: 0, yellow: 0, blue: 0 };
    await insertAudit(tx, a, {
      action: 'ratings.recompute',
      entity: 'compound_ratings',
      entityId: period,
      before,
      after,
    });
    return after;
  });
}

/** The latest month's red compounds with their follow-up state, for the map layer. */
export async function followupMap(db: Db, actor: Actor | null) {
  const a = requireCapability(actor, 'ratings.read', 'read the three-colour ratings');
  const [latest] = await q.ratedPeriods(db.kysely);
  const today = beijingDate(new Date());
  if (!latest) return { period: null, compounds: { ids: [], lon: [], lat: [], plan: [] } };
  return {
    period: latest,
    compounds: await q.redMap(db, { rule: placeRule(a, 'ratings.read'), period: latest, today }),
  };
}
