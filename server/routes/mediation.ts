import { createRoute, z } from '@hono/zod-openapi';
import {
  CASE_CATEGORIES,
  CASE_KINDS,
  CASE_OUTCOMES,
  CASE_STATUSES,
  CASE_STEPS,
} from '../../geo/mediation.ts';
import {
  MediationCase,
  MediationCaseList,
  MediationMap,
  MediationOverview,
} from '../contract/mediation.ts';
import type { Db } from '../db/client.ts';
import * as mediation from '../services/mediation.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import {
  booleanParam,
  dayParam,
  idField,
  idParam,
  limitParam,
  offsetParam,
  textField,
} from '../validation.ts';
import {
  errorResponses,
  idParams,
  json,
  jsonBody,
  queryDoc,
  router,
  unchecked,
} from './openapi.ts';
import { exportFormat, exportLang, fileContent } from './exports.ts';
import { areaName, col, sendListFile } from './list-files.ts';

const areaQuery = idParam.optional().openapi(queryDoc('area'));
const oneOf = (xs: readonly string[]) => `must be one of ${xs.join(', ')}`;
const LIST_STATUSES = ['open', 'ended', ...CASE_STATUSES] as const;
/** The case list as a file: its columns, never the parties (the list has none). */
const CASE_COLUMNS = [
  col('案件编号', 'Code', 'code'),
  col('类型', 'Kind', 'kind'),
  col('事项', 'Category', 'category'),
  col('状态', 'Status', 'status'),
  col('结果', 'Outcome', 'outcome'),
  col('调解委员会', 'Committee', 'committeeName'),
  col('社区', 'Community', 'communityName'),
  col('小区', 'Compound', 'compoundName'),
  col('楼栋', 'Building', 'buildingName'),
  col('调解员', 'Mediator', 'mediatorName'),
  col('受理日期', 'Received on', 'receivedOn'),
  col('结案日期', 'Closed on', 'closedOn'),
];
/** A phone as people write it: digits and dashes. */
const phoneField = z
  .string({ message: 'must be a phone number of digits and dashes' })
  .trim()
  .regex(/^[0-9-]{5,20}$/, 'must be a phone number of 5 to 20 digits and dashes');

const CaseBody = z
  .object({
    kind: z.enum(CASE_KINDS, { message: oneOf(CASE_KINDS) }),
    category: z.enum(CASE_CATEGORIES, { message: oneOf(CASE_CATEGORIES) }),
    compoundId: idField,
    buildingId: idField.optional(),
    summary: textField(2, 500),
    receivedOn: dayParam.optional(),
    mediatorId: idField.optional(),
    parties: z
      .array(
        z
          .object({
            side: z.enum(['applicant', 'respondent'], {
              message: 'must be applicant or respondent',
            }),
            name: textField(1, 40),
            phone: phoneField.optional(),
          })
          .strict(),
        { message: 'must be a list of parties' },
      )
      .min(1, 'must name at least the applicant')
      .max(10, 'must name at most 10 parties'),
  })
  .strict();

const StepBody = z
  .object({
    step: z.enum(CASE_STEPS, { message: oneOf(CASE_STEPS) }),
    onDate: dayParam.optional(),
    note: textField(0, 500).optional(),
    outcome: z.enum(CASE_OUTCOMES, { message: oneOf(CASE_OUTCOMES) }).optional(),
    agreement: textField(2, 500).optional(),
  })
  .strict();

/**
 * 物业纠纷人民调解 (/api/mediation): figures, cases and their steps, the k-anonymous case map.
 * Nothing here is public; the parties' identities only reach the case's mediator and the director.
 */
export function mediationRoutes(db: Db, cache: ReadCache) {
  // Cases change only through this router (and the seed): a write moves the generation on.
  const reads = new Generations(cache, 'mediation');
  const changed = <T>(value: T) => reads.changed(value);

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/overview',
        summary:
          "The committees reaching the reader's scope (rooms, mediators, the year's cases) and cases per month, against the seed's calibration",
        request: { query: z.object({ area: areaQuery }) },
        responses: {
          200: {
            description: 'Figures (small ones withheld from officials)',
            content: json(unchecked(MediationOverview)),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area } = c.req.valid('query');
        const actor = c.get('actor');
        const r = await mediation.readerOf(db, actor);
        return c.json(
          await reads.get(`overview:${mediation.scopeKey(r)}:${r.me?.id ?? ''}:${area ?? ''}`, () =>
            mediation.overview(db, actor, area),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map',
        summary:
          "Case counts of an area's children over the last year, k-anonymous (k = 5): a place under k is merged into its parent",
        request: { query: z.object({ area: areaQuery }) },
        responses: {
          200: {
            description: 'Shown places with their counts, and the area’s count and rest',
            content: json(MediationMap),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area } = c.req.valid('query');
        const actor = c.get('actor');
        const r = await mediation.readerOf(db, actor);
        return c.json(
          (await reads.get(`map:${mediation.scopeKey(r)}:${area ?? ''}`, () =>
            mediation.caseMap(db, actor, area),
          )) as MediationMap,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/cases',
        summary: 'Cases in reach, newest first (parties never in a list)',
        request: {
          query: z.object({
            area: areaQuery,
            kind: z
              .enum(CASE_KINDS, { message: oneOf(CASE_KINDS) })
              .optional()
              .openapi(queryDoc('kind')),
            status: z
              .enum(LIST_STATUSES, { message: oneOf(LIST_STATUSES) })
              .optional()
              .openapi(queryDoc('status')),
            mine: booleanParam.optional().openapi(queryDoc('mine')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every case of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of cases',
            content: { ...json(MediationCaseList), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          // The list's rows exactly: no parties (a list never names them), the building for the
          // case's committee only.
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('mediation-cases', f.area),
            read: (offset, limit) => mediation.listCases(db, actor, { ...f, offset, limit }),
            columns: CASE_COLUMNS,
            place: (r) => r.compoundId,
            id: (r) => r.id,
          });
        const r = await mediation.readerOf(db, actor);
        return c.json(
          (await reads.get(
            `cases:${mediation.scopeKey(r)}:${r.me?.id ?? ''}:${JSON.stringify(f)}`,
            () => mediation.listCases(db, actor, f),
          )) as MediationCaseList,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/cases/{id}',
        summary: "A case with its steps; its parties for its mediator and the committee's director",
        request: { params: idParams },
        responses: {
          200: { description: 'The case', content: json(MediationCase) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          (await mediation.caseDetail(
            db,
            c.get('actor'),
            c.req.valid('param').id,
          )) as MediationCase,
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/cases',
        summary: '受理: register a case of the mediator’s committee (mediation.cases)',
        request: { body: jsonBody(CaseBody) },
        responses: {
          201: { description: 'The case, accepted', content: json(MediationCase) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            (await mediation.createCase(db, c.get('actor'), c.req.valid('json'))) as MediationCase,
          ),
          201,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/cases/{id}/steps',
        summary:
          '调查 / 调解 / 结案 (with outcome; 调解成功 with the agreement) / 转交 / 终止: the case’s mediator or the director',
        request: { params: idParams, body: jsonBody(StepBody) },
        responses: {
          200: { description: 'The case after the step', content: json(MediationCase) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            (await mediation.moveCase(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json'),
            )) as MediationCase,
          ),
          200,
        ),
    );
}
