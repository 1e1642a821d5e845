import { createRoute, z } from '@hono/zod-openapi';
import { CSV_COLUMNS } from '../../geo/ledgers.ts';
import {
  CompanyDisclosureRecord,
  CompoundLedgerMonth,
  CompoundLedgerMonths,
  CsvRowErrors,
  DisclosureMap,
  DisclosureSummary,
  FlaggedLedgers,
  Ledger,
  LedgerCategories,
  LedgerDiscarded,
} from '../contract/ledgers.ts';
import type { Db } from '../db/client.ts';
import { errorBody } from '../errors.ts';
import { placeRule } from '../policy.ts';
import * as ledgers from '../services/ledgers.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import { idParam, limitParam, offsetParam, textField } from '../validation.ts';
import {
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  sendCsv,
  toCsv,
  type BilingualColumn,
} from './exports.ts';
import { areaName, col, sendListFile } from './list-files.ts';
import {
  errorResponses,
  idParams,
  json,
  jsonBody,
  queryDoc,
  router,
  unchecked,
} from './openapi.ts';

const areaQuery = idParam.optional().openapi(queryDoc('area'));
const monthQuery = z
  .string()
  .optional()
  .openapi(queryDoc('month', { description: 'YYYY-MM (default: the latest month due)' }));
const MonthParams = z.object({
  id: idParam.openapi({ param: { in: 'path', name: 'id' }, type: 'string' }),
  month: z
    .string()
    .openapi({ param: { in: 'path', name: 'month' }, type: 'string', example: '2026-10' }),
});
const ImportBody = z
  .object({
    csv: z
      .string({ message: 'must be the CSV text of the ledger' })
      .min(1, 'must be the CSV text of the ledger'),
    reason: textField(2, 200).optional(),
  })
  .strict();
const csvFile = { 'text/csv': { schema: z.string() } };

/** The flagged list as a file: a ledger a row, its flags' reasons in one cell. */
const FLAGGED_COLUMNS: BilingualColumn<object>[] = [
  col('台账编号', 'Ledger ID', 'id'),
  col('小区', 'Compound', 'compoundName'),
  col('物业企业', 'Company', 'companyName'),
  col('月份', 'Month', 'period'),
  col('状态', 'Status', 'status'),
  col('版本', 'Revision', 'revision'),
  col('异常数', 'Flags', 'flags', 'count'),
  {
    zh: '异常说明',
    en: 'Reasons',
    value: (r) => (r as { flags: { reason: string }[] }).flags.map((f) => f.reason).join('; '),
  },
];

/**
 * 信托制物业 (/api/ledgers): the disclosure summary and choropleth, the flagged list, a compound's
 * months and ledgers with their revisions, a company's disclosure record; the company's CSV
 * import, publication and discarding of drafts; CSV exports.
 */
export function ledgersRoutes(db: Db, cache: ReadCache) {
  // Ledgers change only through this router (and the seed): a write moves the key on.
  const reads = new Generations(cache, 'ledgers');
  const changed = <T>(value: T) => reads.changed(value);
  const cached = <T>(key: string, load: () => Promise<T>) => reads.get(key, load);
  const ruleKey = (a: Parameters<typeof placeRule>[0] | null) =>
    a ? JSON.stringify(placeRule(a, 'ledgers.read')) : 'public';

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/categories',
        summary: 'The ledger line categories (物业费, 公共收益, spending) and the due day',
        responses: { 200: { description: 'The categories', content: json(LedgerCategories) } },
      }),
      (c) => c.json(ledgers.categories() as LedgerCategories, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/summary',
        summary:
          "Disclosure of an area's children (the districts by default) for a month: on time, late, missing, pending, flagged",
        request: { query: z.object({ area: areaQuery, month: monthQuery }) },
        responses: {
          200: { description: 'Totals and one row per child', content: json(DisclosureSummary) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const actor = c.get('actor');
        return c.json(
          (await cached(`summary:${ruleKey(actor)}:${q.area ?? ''}:${q.month ?? ''}`, () =>
            ledgers.summary(db, actor, q),
          )) as DisclosureSummary,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/summary/export',
        summary: "An area's disclosure summary for a month as CSV (UTF-8 with BOM)",
        request: { query: z.object({ area: areaQuery, month: monthQuery }) },
        responses: { 200: { description: 'CSV', content: csvFile }, ...errorResponses },
      }),
      async (c) => {
        const s = await ledgers.summary(db, c.get('actor'), c.req.valid('query'));
        const body = toCsv(s.children, [
          { header: '区域 area', value: (r) => r.name },
          { header: '月份 month', value: () => s.period.slice(0, 7) },
          { header: '在管小区 compounds', value: (r) => r.compounds },
          { header: '按期公开 on time', value: (r) => r.onTime },
          { header: '逾期公开 late', value: (r) => r.late },
          { header: '未公开 missing', value: (r) => r.missing },
          { header: '未到期 pending', value: (r) => r.pending },
          { header: '有异常 flagged', value: (r) => r.flagged },
          { header: '按期公开率 on-time share', value: (r) => r.onTimeShare },
        ]);
        return sendCsv(
          c,
          body,
          fileName(`ledgers-summary-${s.area?.id ?? 'city'}-${s.period.slice(0, 7)}`, 'csv'),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map',
        summary:
          'The disclosure choropleth: the children with their shares (GeoJSON) and the managed compounds with their status (columns)',
        request: {
          query: z.object({
            area: areaQuery,
            month: monthQuery,
            zoom: z.coerce
              .number({ message: 'must be a number from 0 to 22' })
              .min(0, 'must be a number from 0 to 22')
              .max(22, 'must be a number from 0 to 22')
              .default(12)
              .openapi(queryDoc('zoom')),
          }),
        },
        responses: {
          200: { description: 'Areas and compounds', content: json(unchecked(DisclosureMap)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const actor = c.get('actor');
        const z0 = Math.round(q.zoom);
        return c.json(
          await cached(`map:${ruleKey(actor)}:${q.area ?? ''}:${q.month ?? ''}:${z0}`, () =>
            ledgers.map(db, actor, { ...q, zoom: z0 }),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/flagged',
        summary:
          'The flagged ledgers of a month under an area (published ones for anyone, drafts with ledgers.read), most flags first',
        request: {
          query: z.object({
            area: areaQuery,
            month: monthQuery,
            company: idParam.optional().openapi(queryDoc('company')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every flagged ledger of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: { description: 'One page', content: { ...json(FlaggedLedgers), ...fileContent } },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...q } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile<Awaited<ReturnType<typeof ledgers.flagged>>>(c, db, {
            format,
            lang,
            what: (first) => `${areaName('ledgers-flagged', q.area)}-${first.period.slice(0, 7)}`,
            read: (offset, limit) => ledgers.flagged(db, actor, { ...q, offset, limit }),
            columns: FLAGGED_COLUMNS,
            place: (r) => r.compoundId,
            id: (r) => r.id,
          });
        return c.json(
          (await cached(`flagged:${ruleKey(actor)}:${JSON.stringify(q)}`, () =>
            ledgers.flagged(db, actor, q),
          )) as FlaggedLedgers,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/companies/{id}/record',
        summary:
          "A property company's disclosure record: the 12 months due, on time, late, missing, flagged",
        request: { params: idParams },
        responses: {
          200: { description: 'The record', content: json(CompanyDisclosureRecord) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const id = c.req.valid('param').id;
        return c.json(
          (await cached(`record:${id}`, () =>
            ledgers.companyRecord(db, c.get('actor'), id),
          )) as CompanyDisclosureRecord,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compounds/{id}',
        summary:
          "A compound's last 13 months: disclosure status, the published figures, its draft (with ledgers.read)",
        request: { params: idParams },
        responses: {
          200: { description: 'The months, newest first', content: json(CompoundLedgerMonths) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          (await ledgers.compoundMonths(
            db,
            c.get('actor'),
            c.req.valid('param').id,
          )) as CompoundLedgerMonths,
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compounds/{id}/months/{month}',
        summary:
          'One compound-month: status, the published revision and the draft with lines and flags, every revision',
        request: { params: MonthParams },
        responses: {
          200: { description: 'The month', content: json(CompoundLedgerMonth) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(
          (await ledgers.compoundMonth(db, c.get('actor'), p.id, p.month)) as CompoundLedgerMonth,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/compounds/{id}/months/{month}/import',
        summary: `Import a month's ledger from CSV (columns ${CSV_COLUMNS.map((x) => x.zh).join(', ')}) into the draft, replacing it; a published month gets a new revision, which needs a reason (ledgers.publish, the managing company)`,
        request: { params: MonthParams, body: jsonBody(ImportBody) },
        responses: {
          200: { description: 'The draft', content: json(Ledger) },
          400: {
            description: 'Bad input; a bad CSV lists every bad row (nothing is written)',
            content: json(CsvRowErrors),
          },
          ...Object.fromEntries(Object.entries(errorResponses).filter(([k]) => k !== '400')),
        },
      }),
      async (c) => {
        const p = c.req.valid('param');
        try {
          return c.json(
            changed(
              (await ledgers.importCsv(
                db,
                c.get('actor'),
                p.id,
                p.month,
                c.req.valid('json'),
              )) as Ledger,
            ),
            200,
          );
        } catch (e) {
          if (e instanceof ledgers.LedgerCsvError) {
            const body = errorBody('bad_request', e.message, { field: 'csv', reason: e.reason });
            return c.json({ error: { ...body.error, rows: e.rows } } as never, 400);
          }
          throw e;
        }
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/publish',
        summary:
          'Publish a draft once its month is over; a corrected revision supersedes the published one (ledgers.publish)',
        request: { params: idParams },
        responses: {
          200: { description: 'The published ledger', content: json(Ledger) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed((await ledgers.publish(db, c.get('actor'), c.req.valid('param').id)) as Ledger),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}',
        summary: 'Discard a draft (ledgers.publish)',
        request: { params: idParams },
        responses: {
          200: { description: 'Discarded', content: json(LedgerDiscarded) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            (await ledgers.discard(db, c.get('actor'), c.req.valid('param').id)) as {
              id: number;
              discarded: true;
            },
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/export',
        summary: 'A ledger revision as CSV in the import format (UTF-8 with BOM)',
        request: { params: idParams },
        responses: { 200: { description: 'CSV', content: csvFile }, ...errorResponses },
      }),
      async (c) => {
        const l = await ledgers.ledger(db, c.get('actor'), c.req.valid('param').id);
        const body = toCsv(ledgers.ledgerCsvRows(l), [
          { header: CSV_COLUMNS[0].zh, value: (r) => r.category },
          { header: CSV_COLUMNS[1].zh, value: (r) => r.counterpart },
          { header: CSV_COLUMNS[2].zh, value: (r) => r.amount },
          { header: CSV_COLUMNS[3].zh, value: (r) => r.date },
          { header: CSV_COLUMNS[4].zh, value: (r) => r.note },
        ]);
        return sendCsv(
          c,
          body,
          fileName(`ledger-${l.compoundId}-${l.period.slice(0, 7)}-r${l.revision}`, 'csv'),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'One ledger revision with its lines, totals and flags (drafts with ledgers.read)',
        request: { params: idParams },
        responses: {
          200: { description: 'The ledger', content: json(Ledger) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json((await ledgers.ledger(db, c.get('actor'), c.req.valid('param').id)) as Ledger, 200),
    );
}
