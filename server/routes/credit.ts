import { createRoute, z } from '@hono/zod-openapi';
import { CREDIT_FACTOR_KEYS } from '../../geo/credit-method.ts';
import {
  CreditCompany,
  CreditEvidence,
  CreditLists,
  CreditMap,
  CreditPeriods,
  CreditPublish,
  CreditRanking,
  CreditRecompute,
  SupervisionCase,
  SupervisionCaseList,
} from '../contract/credit.ts';
import type { Db } from '../db/client.ts';
import {
  creditCompany,
  creditEvidence,
  creditLists,
  creditMap,
  creditPeriods,
  creditRanking,
  publishCreditLists,
  recomputeCredit,
} from '../services/credit.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import {
  CASE_ACTIONS,
  CASE_TEXT_MAX,
  listSupervisionCases,
  openSupervisionCase,
  transitionSupervisionCase,
} from '../services/supervision.ts';
import { creditRule } from '../policy.ts';
import { pagedBatches } from '../services/exports.ts';
import {
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  streamCsv,
  streamGeoJson,
  type BilingualColumn,
} from './exports.ts';

type RankingRow = Awaited<ReturnType<typeof creditRanking>>['items'][number];

/** The 红黑榜 ranking as a file: one company a row, as the ranking table shows it. */
const RANKING_COLUMNS: BilingualColumn<RankingRow>[] = [
  { zh: '排名', en: 'Rank', value: (r) => r.rank },
  { zh: '企业编号', en: 'Company ID', value: (r) => r.companyId },
  { zh: '物业企业', en: 'Company', value: (r) => r.name },
  { zh: '信用分', en: 'Score', value: (r) => r.score },
  { zh: '等级', en: 'Grade', value: (r) => r.grade },
  { zh: '在管小区', en: 'Compounds', value: (r) => r.compounds },
  {
    zh: '红黑榜',
    en: 'List',
    value: (r, l) =>
      r.list === null
        ? ''
        : r.list === 'red'
          ? l === 'zh'
            ? '红榜'
            : 'red'
          : l === 'zh'
            ? '黑榜'
            : 'black',
  },
  { zh: '较上月', en: 'Change', value: (r) => r.change },
];
import { dayParam, idField, idParam, limitParam, offsetParam } from '../validation.ts';
import {
  errorResponses,
  idParams,
  json,
  jsonBody,
  queryDoc,
  router,
  unchecked,
} from './openapi.ts';

const periodParam = z
  .string()
  .regex(/^\d{4}-\d{2}(-01)?$/, 'must be a month like 2026-10')
  .openapi(queryDoc('period'));
const periodField = z
  .string({ message: 'must be a month like 2026-10' })
  .regex(/^\d{4}-\d{2}(-01)?$/, 'must be a month like 2026-10');
const districtParam = idParam.optional().openapi(queryDoc('district'));
const text = (field: string) =>
  z
    .string({ message: `must be text of at most ${CASE_TEXT_MAX} characters` })
    .max(CASE_TEXT_MAX, `must be at most ${CASE_TEXT_MAX} characters`)
    .optional()
    .describe(field);

const PeriodBody = z.object({ period: periodField }).strict();
const OpenCaseBody = z
  .object({
    companyId: idField,
    period: periodField,
    districtId: idField.nullable().optional(),
    departmentId: idField,
    dueOn: dayParam.optional(),
    reason: text('reason'),
  })
  .strict();
const CaseStepBody = z
  .object({
    action: z.enum(CASE_ACTIONS, { message: `must be one of ${CASE_ACTIONS.join(', ')}` }),
    outcome: text('outcome'),
    accountability: text('accountability'),
  })
  .strict();

/**
 * /api/credit: 物业信用评价, the 红黑榜 and 督办 cases. Reads need credit.read (a company reads its
 * own company only); the city recomputes and publishes (credit.manage); city and districts steer
 * cases (supervision.manage). Every write is audited.
 */
export function creditRoutes(db: Db, cache: ReadCache) {
  // Scores, lists and cases change only through this router (and the seed): a write moves the
  // key on so the next read in this process is fresh; other processes see it within the cache's
  // lifetime. The evidence reads live records and is not cached.
  const credit = new Generations(cache, 'credit');
  const changed = <T>(value: T) => credit.changed(value);
  const cached = <T>(key: string, load: () => Promise<T>) => credit.get(key, load);

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/periods',
        summary: 'The months scored and published, the latest, and the districts',
        responses: {
          200: { description: 'Months', content: json(CreditPeriods) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await creditPeriods(db, c.get('actor')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/lists',
        summary: 'The 红黑榜 of a month (default the latest published), city-wide or of ?district=',
        request: {
          query: z.object({ period: periodParam.optional(), district: districtParam }),
        },
        responses: {
          200: { description: 'Red and black list', content: json(CreditLists) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const actor = c.get('actor');
        const qy = c.req.valid('query');
        const rule = actor ? JSON.stringify(creditRule(actor)) : 'public';
        const body = await cached(`lists:${rule}:${qy.period ?? ''}:${qy.district ?? ''}`, () =>
          creditLists(db, actor, qy),
        );
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ranking',
        summary: 'Every company of a month ranked by score (a company sees its own row), paged',
        request: {
          query: z.object({
            period: periodParam.optional(),
            district: districtParam,
            sort: z
              .enum(['score', 'name', 'compounds'], { message: 'must be score, name or compounds' })
              .default('score')
              .openapi(queryDoc('sort')),
            order: z
              .enum(['asc', 'desc'], { message: 'must be asc or desc' })
              .default('desc')
              .openapi(queryDoc('order')),
            limit: limitParam(500, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every company of the ranking as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'Ranking; with format=csv|geojson every row as a file',
            content: { ...json(CreditRanking), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const actor = c.get('actor');
        const { format, lang, ...qy } = c.req.valid('query');
        if (format !== 'json') {
          // The first page answers the checks (and the period) before the file starts.
          const first = await creditRanking(db, actor, { ...qy, offset: 0, limit: 500 });
          const batches = pagedBatches((offset, limit) =>
            offset === 0
              ? Promise.resolve(first)
              : creditRanking(db, actor, { ...qy, offset, limit }),
          );
          const name = fileName(`credit-ranking-${first.period.slice(0, 7)}`, format);
          if (format === 'csv')
            return streamCsv(c, name, columnsIn(lang, RANKING_COLUMNS), batches);
          return streamGeoJson(
            c,
            name,
            batches,
            () => null,
            (r) => ({ ...r, period: first.period }),
            {
              id: (r) => r.companyId,
            },
          );
        }
        const rule = actor ? JSON.stringify(creditRule(actor)) : 'public';
        const body = await cached(`ranking:${rule}:${JSON.stringify(qy)}`, () =>
          creditRanking(db, actor, qy),
        );
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/companies/{id}',
        summary:
          "A company's page: credit of a month with its factors, trend, lists, compounds, cases",
        request: { params: idParams, query: z.object({ period: periodParam.optional() }) },
        responses: {
          200: { description: 'Company', content: json(unchecked(CreditCompany)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          await creditCompany(db, c.get('actor'), c.req.valid('param').id, c.req.valid('query')),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/companies/{id}/evidence',
        summary:
          "The records behind one factor of a company's month: counts, and those the reader may open",
        request: {
          params: idParams,
          query: z.object({
            period: periodParam.optional(),
            factor: z
              .enum(CREDIT_FACTOR_KEYS, {
                message: `must be one of ${CREDIT_FACTOR_KEYS.join(', ')}`,
              })
              .openapi(queryDoc('factor')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
          }),
        },
        responses: {
          200: { description: 'Evidence', content: json(unchecked(CreditEvidence)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          await creditEvidence(db, c.get('actor'), c.req.valid('param').id, c.req.valid('query')),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map',
        summary:
          "Managed compounds' positions with their company's score of a month, as packed columns",
        request: { query: z.object({ period: periodParam.optional() }) },
        responses: { 200: { description: 'Columns', content: json(CreditMap) }, ...errorResponses },
      }),
      async (c) => {
        const actor = c.get('actor');
        const qy = c.req.valid('query');
        const rule = actor ? JSON.stringify(creditRule(actor)) : 'public';
        const body = await cached(`map:${rule}:${qy.period ?? ''}`, () => creditMap(db, actor, qy));
        return c.json(body as z.infer<typeof CreditMap>, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/cases',
        summary: 'Supervision cases (督办), overdue first',
        request: {
          query: z.object({
            company: idParam.optional().openapi(queryDoc('company')),
            district: districtParam,
            status: z
              .enum(['active', 'closed', 'overdue'], {
                message: 'must be active, closed or overdue',
              })
              .optional()
              .openapi(queryDoc('status')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
          }),
        },
        responses: {
          200: { description: 'Cases', content: json(unchecked(SupervisionCaseList)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(await listSupervisionCases(db, c.get('actor'), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/recompute',
        summary:
          "Recompute every company's credit of a month (a published month's lists are republished)",
        request: { body: jsonBody(PeriodBody) },
        responses: {
          200: { description: 'Recomputed', content: json(CreditRecompute) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await recomputeCredit(db, c.get('actor'), c.req.valid('json'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/lists/publish',
        summary: 'Publish the 红黑榜 of a month that is over, from its scores',
        request: { body: jsonBody(PeriodBody) },
        responses: {
          200: { description: 'Published', content: json(CreditPublish) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await publishCreditLists(db, c.get('actor'), c.req.valid('json'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/cases',
        summary: 'Open a supervision case for a black-listed company (409 if it has an active one)',
        request: { body: jsonBody(OpenCaseBody) },
        responses: {
          201: { description: 'The case', content: json(unchecked(SupervisionCase)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await openSupervisionCase(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/cases/{id}/transitions',
        summary: 'Move a case to rectifying, or close it with its outcome and 问责 (both required)',
        request: { params: idParams, body: jsonBody(CaseStepBody) },
        responses: {
          200: { description: 'The case', content: json(unchecked(SupervisionCase)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            await transitionSupervisionCase(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json'),
            ),
          ),
          200,
        ),
    );
}
