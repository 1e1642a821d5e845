/**
 * 信托制物业 ledgers: reads and the property company's writes.
 *
 * Reads: published ledgers, their flags and every compound-month's disclosure status are public
 * (owners check them without an account). Drafts, and the flags of drafts, are read where
 * placeRule(actor, 'ledgers.read') reaches (a company: its own compounds).
 * Writes: the company managing the compound (placeRule(actor, 'ledgers.publish')) imports a
 * month's CSV into the draft (replacing it atomically), publishes it, or discards it. A month
 * already published is corrected by a new draft revision that must say why. Every write is
 * audited; the flags are recomputed on import and publication (geo/ledgers.ts).
 */
import {
  beijingMonth,
  disclosureStatus,
  dueOn,
  formatYuan,
  LEDGER_CATEGORIES,
  LEDGER_CATEGORY,
  ledgerMonth,
  ledgerTotals,
  validateLedgerCsv,
  addMonths,
  latestDueMonth,
  type CsvRowError,
  type LedgerCategory,
} from '../../geo/ledgers.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/ledgers.ts';
import { outlinesOf } from '../db/queries/party.ts';
import { simplifyTolerance } from '../db/postgis.ts';
import { placeMatches, placeRule, type Actor, type PlaceRule } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { conflict, DomainError, invalid, notFound } from './domain-error.ts';

/** A CSV refused: every bad row with its column and reason. */
export class LedgerCsvError extends DomainError {
  constructor(readonly rows: CsvRowError[]) {
    const shown = rows
      .slice(0, 5)
      .map((r) => `row ${r.row}${r.column ? ` (${r.column})` : ''}: ${r.reason}`)
      .join('; ');
    super(
      'invalid',
      'ledger_rows_invalid',
      `parameter 'csv' has ${rows.length} bad row(s), nothing was imported: ${shown}${rows.length > 5 ? '; …' : ''}`,
      'csv',
    );
  }
}

const readRuleOf = (actor: Actor | null): PlaceRule =>
  actor ? placeRule(actor, 'ledgers.read') : { kind: 'none' };

/** The month named by a parameter, or a 400 naming it. */
export function monthParam(text: string, field = 'month'): string {
  const m = ledgerMonth(text);
  if (!m) throw invalid('bad_month', `parameter '${field}' must be a month like 2026-10`, field);
  return m;
}

export { latestDueMonth };

const DEPTH: Record<q.PlaceRow['level'], number> = {
  district: 2,
  subdistrict: 3,
  community: 5,
  grid: 5,
  compound: 5,
};

async function areaOf(db: Db, id: number | undefined) {
  if (id === undefined) return null;
  const a = await q.findArea(db.kysely, id);
  if (!a) throw notFound('area_not_found', `There is no area ${id}.`, 'area');
  return a;
}

export const categories = () => ({
  categories: LEDGER_CATEGORIES.map((c) => ({ ...c })),
  dueDay: 15,
});

const shares = (r: {
  compounds: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
}) => {
  const due = r.onTime + r.late + r.missing;
  return {
    onTimeShare: due ? Math.round((r.onTime / due) * 1000) / 1000 : null,
    publishedShare: due ? Math.round(((r.onTime + r.late) / due) * 1000) / 1000 : null,
  };
};

/** An area's children (the districts by default) with the disclosure of their managed compounds. */
export async function summary(
  db: Db,
  actor: Actor | null,
  o: { area?: number; month?: string },
  now = new Date(),
) {
  const period = o.month ? monthParam(o.month) : latestDueMonth(now);
  const area = await areaOf(db, o.area);
  const depth = area ? DEPTH[area.level] : 1;
  const rows =
    area?.level === 'compound'
      ? []
      : await q.summary(db.kysely, {
          areaId: area?.id ?? null,
          depth,
          period,
          now,
          flagRule: readRuleOf(actor),
        });
  const totals = rows.reduce(
    (t, r) => ({
      compounds: t.compounds + r.compounds,
      onTime: t.onTime + r.onTime,
      late: t.late + r.late,
      missing: t.missing + r.missing,
      pending: t.pending + r.pending,
      flagged: t.flagged + r.flagged,
    }),
    { compounds: 0, onTime: 0, late: 0, missing: 0, pending: 0, flagged: 0 },
  );
  return {
    period,
    dueOn: dueOn(period),
    area: area ? { id: area.id, name: area.name, level: area.level } : null,
    totals: { ...totals, ...shares(totals) },
    children: rows.map((r) => ({ ...r, ...shares(r) })),
  };
}

/**
 * The disclosure choropleth: the area's children with their shares as GeoJSON, and the managed
 * compounds under the area with their status as packed columns (drawn at high zoom).
 */
export async function map(
  db: Db,
  actor: Actor | null,
  o: { area?: number; month?: string; zoom: number },
  now = new Date(),
) {
  const s = await summary(db, actor, o, now);
  const depth = s.area ? DEPTH[s.area.level as q.PlaceRow['level']] : 1;
  const outlines =
    s.area?.level === 'compound'
      ? []
      : await outlinesOf(db, s.area?.id ?? null, depth, simplifyTolerance(o.zoom));
  const byId = new Map(s.children.map((c) => [c.id, c]));
  const compounds = await q.compoundStatuses(db.kysely, {
    areaId: s.area?.id ?? null,
    period: s.period,
    now,
  });
  return {
    type: 'FeatureCollection' as const,
    period: s.period,
    dueOn: s.dueOn,
    area: s.area,
    features: outlines.flatMap((ol) => {
      const c = byId.get(ol.id);
      if (!c) return [];
      return [
        {
          type: 'Feature' as const,
          id: ol.id,
          geometry: ol.geometry,
          properties: { ...c, labelPoint: ol.labelPoint },
        },
      ];
    }),
    compounds,
  };
}

export async function flagged(
  db: Db,
  actor: Actor | null,
  o: { area?: number; month?: string; company?: number; limit: number; offset: number },
  now = new Date(),
) {
  const period = o.month ? monthParam(o.month) : latestDueMonth(now);
  const area = await areaOf(db, o.area);
  const page = await q.flagged(db.kysely, {
    areaId: area?.id ?? null,
    period,
    rule: readRuleOf(actor),
    company: o.company ?? null,
    limit: o.limit,
    offset: o.offset,
  });
  return { period, ...page, limit: o.limit, offset: o.offset };
}

async function compoundOf(db: Db, id: number) {
  const c = await q.findCompound(db.kysely, id);
  if (!c) throw notFound('compound_not_found', `There is no compound ${id}.`, 'id');
  return c;
}

const canDrafts = (actor: Actor | null, c: { path: number[]; companyId: number | null }) =>
  placeMatches(readRuleOf(actor), c.path, c.companyId);
const canPublish = (actor: Actor | null, c: { path: number[]; companyId: number | null }) =>
  !!actor &&
  c.companyId !== null &&
  placeMatches(placeRule(actor, 'ledgers.publish'), c.path, c.companyId);

const compoundRef = (c: q.CompoundRow) => ({
  id: c.id,
  name: c.name,
  households: c.households,
  companyId: c.companyId,
  companyName: c.companyName,
});

/** A compound's last 13 months: status, totals of the published revision, a draft if readable. */
export async function compoundMonths(db: Db, actor: Actor | null, id: number, now = new Date()) {
  const c = await compoundOf(db, id);
  const drafts = canDrafts(actor, c);
  const to = beijingMonth(now);
  const rows = await q.monthsOf(db.kysely, id, addMonths(to, -12), to);
  return {
    compound: compoundRef(c),
    canPublish: canPublish(actor, c),
    months: rows.map((r) => {
      const first = r.firstPublishedAt ? new Date(r.firstPublishedAt) : null;
      const p = r.published;
      return {
        period: r.period,
        dueOn: dueOn(r.period),
        status: c.companyId === null && !first ? null : disclosureStatus(r.period, first, now),
        firstPublishedAt: r.firstPublishedAt,
        published: p
          ? {
              ...p,
              income: p.collected + p.common,
              closing: p.carried + p.collected + p.common - p.spending,
              collectionRate:
                p.billed > 0 ? Math.round((p.collected / p.billed) * 10000) / 10000 : null,
            }
          : null,
        draft: drafts ? r.draft : null,
      };
    }),
  };
}

function present(l: q.LedgerHead & { lines: q.LineRow[] }) {
  const t = ledgerTotals(l.lines, l.carried);
  return {
    ...l,
    dueOn: dueOn(l.period),
    totals: {
      billed: t.billed,
      collected: t.collected,
      collectionRate: t.collectionRate,
      common: t.common,
      income: t.income,
      spending: t.spending,
      carried: l.carried,
      closing: t.closing,
      byCategory: LEDGER_CATEGORIES.map((c) => ({
        category: c.key,
        section: c.section,
        amount: t.byCategory[c.key] ?? 0,
      })),
    },
  };
}

/** One compound-month: its status, the published revision and draft with lines, every revision. */
export async function compoundMonth(
  db: Db,
  actor: Actor | null,
  id: number,
  month: string,
  now = new Date(),
) {
  const c = await compoundOf(db, id);
  const period = monthParam(month);
  const drafts = canDrafts(actor, c);
  const revs = (await q.revisionsOf(db.kysely, id, period)).filter(
    (r) => drafts || r.status !== 'draft',
  );
  const pub = revs.find((r) => r.status === 'published');
  const draft = revs.find((r) => r.status === 'draft');
  const first = revs
    .filter((r) => r.publishedAt)
    .map((r) => new Date(r.publishedAt!))
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const full = async (r: q.LedgerHead | undefined) =>
    r ? present((await q.ledgerById(db.kysely, r.id))!) : null;
  return {
    compound: compoundRef(c),
    period,
    dueOn: dueOn(period),
    status: c.companyId === null && !first ? null : disclosureStatus(period, first ?? null, now),
    canPublish: canPublish(actor, c),
    published: await full(pub),
    draft: await full(draft),
    revisions: revs.map(({ path: _p, ...r }) => r),
  };
}

/** One revision by id: published and superseded ones for anyone, drafts where readable. */
export async function ledger(db: Db, actor: Actor | null, id: number) {
  const l = await q.ledgerById(db.kysely, id);
  if (!l || (l.status === 'draft' && !placeMatches(readRuleOf(actor), l.path, l.companyId)))
    throw notFound('ledger_not_found', `There is no ledger ${id} in your reach.`, 'id');
  const { path: _p, ...rest } = present(l);
  return rest;
}

/** The compound a write targets: 404 outside the actor's reach, 403 without ledgers.publish. */
function requirePublisher(actor: Actor | null, c: q.CompoundRow, id: number): Actor {
  // Public 401; a role that never publishes 403; a company, another company's compound 404.
  const a = requireCapability(actor, 'ledgers.publish', 'publish ledgers');
  if (c.companyId === null || !placeMatches(placeRule(a, 'ledgers.publish'), c.path, c.companyId))
    throw notFound(
      'compound_not_found',
      `There is no compound ${id} managed by your company.`,
      'id',
    );
  return a;
}

/**
 * Imports a month's ledger from CSV into the compound's draft (replacing any draft). A month
 * already published gets a new revision, which needs a reason. Nothing is written if any row is bad.
 */
export async function importCsv(
  db: Db,
  actor: Actor | null,
  id: number,
  month: string,
  body: { csv: string; reason?: string },
  now = new Date(),
) {
  const c = await compoundOf(db, id);
  const a = requirePublisher(actor, c, id);
  const period = monthParam(month);
  if (period > beijingMonth(now))
    throw invalid('month_in_future', `parameter 'month' must not be after this month`, 'month');
  const v = validateLedgerCsv(body.csv, period);
  if (v.lines === null) throw new LedgerCsvError(v.errors);
  const lines = v.lines;
  const reason = body.reason?.trim() || null;
  const ledgerId = await db.kysely.transaction().execute(async (tx) => {
    const cur = await q.currentOf(tx, id, period);
    const revision = cur.draft ? cur.draft.revision : cur.maxRevision + 1;
    const why = reason ?? cur.draft?.reason ?? null;
    if (revision > 1 && !why)
      throw invalid(
        'reason_required',
        `parameter 'reason' must say why a published month is corrected (2 to 200 characters)`,
        'reason',
      );
    const carried = await q.previousClosing(tx, id, period);
    const t = ledgerTotals(lines, carried);
    const newId = await q.writeDraft(tx, {
      compoundId: id,
      companyId: c.companyId!,
      path: c.path,
      period,
      revision,
      reason: revision > 1 ? why : null,
      carried,
      totals: { billed: t.billed, collected: t.collected, common: t.common, spending: t.spending },
      lines,
    });
    await q.recomputeFlags(tx, { ids: [newId], now });
    await insertAudit(tx, a, {
      action: 'ledger.import',
      entity: 'ledger',
      entityId: newId,
      areaPath: c.path,
      before: cur.draft ? { draftId: cur.draft.id, revision: cur.draft.revision } : null,
      after: {
        compoundId: id,
        period,
        revision,
        reason: revision > 1 ? why : null,
        lines: lines.length,
        income: t.income,
        spending: t.spending,
      },
    });
    return newId;
  });
  return ledger(db, a, ledgerId);
}

async function draftForWrite(db: Db, actor: Actor | null, id: number) {
  requireCapability(actor, 'ledgers.publish', 'publish ledgers');
  const l = await q.ledgerById(db.kysely, id);
  const c = l && (await q.findCompound(db.kysely, l.compoundId));
  if (!l || !c) throw notFound('ledger_not_found', `There is no ledger ${id} in your reach.`, 'id');
  const a = requirePublisher(actor, c, l.compoundId);
  if (l.status !== 'draft')
    throw conflict(
      'ledger_not_draft',
      `Ledger ${id} is ${l.status}; import a corrected revision to change a published month.`,
    );
  return { l, c, a };
}

/** Publishes a draft once its month is over; the flags are recomputed (late is now known). */
export async function publish(db: Db, actor: Actor | null, id: number, now = new Date()) {
  const { l, c, a } = await draftForWrite(db, actor, id);
  if (l.period >= beijingMonth(now))
    throw conflict(
      'month_not_over',
      `The ledger of ${l.period.slice(0, 7)} can be published once the month is over.`,
    );
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.publishDraft(tx, id, now)))
      throw conflict('ledger_not_draft', `Ledger ${id} was published or discarded meanwhile.`);
    // This month's flags and the later months' (their history and missing months changed).
    const later = await q.monthsOf(tx, c.id, l.period, beijingMonth(now));
    const ids = later
      .flatMap((m) => [m.published?.id, m.draft?.id])
      .filter((x): x is number => !!x);
    await q.recomputeFlags(tx, { ids: [...new Set([id, ...ids])], now });
    await insertAudit(tx, a, {
      action: 'ledger.publish',
      entity: 'ledger',
      entityId: id,
      areaPath: l.path,
      before: { status: 'draft', revision: l.revision },
      after: {
        status: 'published',
        compoundId: l.compoundId,
        period: l.period,
        revision: l.revision,
        reason: l.reason,
        publishedAt: now.toISOString(),
      },
    });
  });
  return ledger(db, a, id);
}

/** Discards a draft (a published month keeps its published revision). */
export async function discard(db: Db, actor: Actor | null, id: number) {
  const { l, a } = await draftForWrite(db, actor, id);
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.deleteDraft(tx, id)))
      throw conflict('ledger_not_draft', `Ledger ${id} was published or discarded meanwhile.`);
    await insertAudit(tx, a, {
      action: 'ledger.discard',
      entity: 'ledger',
      entityId: id,
      areaPath: l.path,
      before: { status: 'draft', period: l.period, revision: l.revision },
      after: null,
    });
  });
  return { id, discarded: true };
}

/** A company's disclosure record over the 12 months due by now, with its flagged ledgers. */
export async function companyRecord(db: Db, _actor: Actor | null, id: number, now = new Date()) {
  const name = await q.companyName(db.kysely, id);
  if (!name) throw notFound('company_not_found', `There is no property company ${id}.`, 'id');
  const last = latestDueMonth(now);
  const periods = Array.from({ length: 12 }, (_, i) => addMonths(last, i - 11));
  const months = await q.companyRecord(db.kysely, id, periods, now);
  const sum = months.reduce(
    (t, m) => ({
      due: t.due + m.onTime + m.late + m.missing,
      onTime: t.onTime + m.onTime,
      late: t.late + m.late,
      missing: t.missing + m.missing,
      flagged: t.flagged + m.flagged,
    }),
    { due: 0, onTime: 0, late: 0, missing: 0, flagged: 0 },
  );
  return {
    company: { id, name },
    from: periods[0]!,
    to: last,
    totals: {
      ...sum,
      onTimeShare: sum.due ? Math.round((sum.onTime / sum.due) * 1000) / 1000 : null,
    },
    months,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV export

/** A ledger revision as CSV rows in the import format (a round trip imports it back). */
export function ledgerCsvRows(l: { lines: q.LineRow[] }) {
  return l.lines.map((x) => ({
    category: LEDGER_CATEGORY[x.category as LedgerCategory]?.zh ?? x.category,
    counterpart: x.counterpart,
    amount: formatYuan(x.amount),
    date: x.occurredOn,
    note: x.note ?? '',
  }));
}
