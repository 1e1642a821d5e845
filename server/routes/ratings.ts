import { createRoute, z } from '@hono/zod-openapi';
import { FOLLOWUP_MAX_STEPS } from '../../geo/rating-method.ts';
import {
  CompoundExplanation,
  Evidence,
  Followup,
  FollowupMap,
  RatingSummary,
  RecomputeResult,
} from '../contract/ratings.ts';
import type { Db } from '../db/client.ts';
import * as f from '../services/followups.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import * as s from '../services/ratings.ts';
import { dayParam, idField, idParam, textField } from '../validation.ts';
import { errorResponses, idParams, json, jsonBody, queryDoc, router } from './openapi.ts';
import { oneBatch } from '../../geo/csv.ts';
import { withCompoundPoints } from '../services/export-places.ts';
import {
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  point,
  streamCsv,
  streamGeoJson,
} from './exports.ts';
import { RED_LIST_COLUMNS, RED_LIST_EXPORT_MAX } from './exports-operations.ts';

const monthParam = z
  .string()
  .regex(/^\d{4}-\d{2}-01$/, 'must be the first day of a month, like 2026-10-01');

const dayField = z
  .string({ message: 'must be a date like 2026-12-31' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-31')
  .pipe(dayParam);

const OpenBody = z
  .object({
    compoundId: idField,
    cadre: z
      .object({
        name: textField(1, 40),
        post: textField(0, 60).optional(),
        phone: z
          .string({ message: 'must be a phone number of 7 to 20 digits' })
          .trim()
          .regex(/^\+?[0-9][0-9 -]{5,18}[0-9]$/, 'must be a phone number of 7 to 20 digits')
          .optional(),
        accountId: idField.optional(),
      })
      .strict(),
    plan: textField(1, 2000),
    dueOn: dayField,
    steps: z
      .array(z.object({ title: textField(1, 200), dueOn: dayField }).strict(), {
        message: 'must be a list of steps',
      })
      .min(1, `must hold 1 to ${FOLLOWUP_MAX_STEPS} steps`)
      .max(FOLLOWUP_MAX_STEPS, `must hold 1 to ${FOLLOWUP_MAX_STEPS} steps`),
  })
  .strict();

const StepBody = z
  .object({
    done: z.boolean({ message: 'must be true or false' }),
    note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  })
  .strict();

const CloseBody = z
  .object({
    status: z.enum(['done', 'cancelled'], { message: 'must be done or cancelled' }),
    outcome: textField(1, 1000),
  })
  .strict();

/** 红黄蓝 explained and 包抓落实 (/api/ratings). */
export function ratingsRoutes(db: Db, cache: ReadCache) {
  // Colours and plans change only through this router (and the seed): a write moves the key on,
  // so the next read in this process loads afresh. The summary is cached; another process sees a
  // change when its cached answer expires.
  const ratings = new Generations(cache, 'ratings');
  const changed = <T>(value: T) => ratings.changed(value);

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/summary',
        summary:
          "An area's children (the city: its districts) by colour for the latest month, red compounds with and without a plan, overdue plans, colour transitions, and the red list",
        request: {
          query: z.object({
            area: idParam.optional().openapi(queryDoc('area')),
            // csv|geojson: the red list (红色小区 with their 包抓 plans), every red compound.
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description:
              'Summary; with format=csv|geojson the red list with its follow-ups as a file',
            content: { ...json(RatingSummary), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area, format, lang } = c.req.valid('query');
        const actor = c.get('actor');
        const ref = area === undefined ? null : await s.summaryArea(db, area);
        if (format !== 'json') {
          // Red compounds are bounded by the compounds of the city: one read, one batch.
          const all = await s.ratingsSummary(db, actor, ref, RED_LIST_EXPORT_MAX);
          const name = fileName(`ratings-red-list-${all.latest?.slice(0, 7) ?? 'none'}`, format);
          if (format === 'csv')
            return streamCsv(c, name, columnsIn(lang, RED_LIST_COLUMNS), oneBatch(all.redList));
          return streamGeoJson(
            c,
            name,
            withCompoundPoints(db, oneBatch(all.redList)),
            (r) => (r.point ? point(r.point) : null),
            ({ point: _p, path: _a, ...r }) => ({ ...r, period: all.latest }),
            { id: (r) => r.compoundId },
          );
        }
        const key = `summary:${area ?? 'city'}:${JSON.stringify(actor?.scope ?? null)}:${actor?.role ?? 'public'}`;
        const body = await ratings.get(key, () => s.ratingsSummary(db, actor, ref), {
          nouns: [],
          ...(area === undefined ? {} : { area }),
        });
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map',
        summary:
          "The latest month's red compounds in the caller's scope with their follow-up state, packed as columns (WGS-84)",
        responses: {
          200: { description: 'Red compounds', content: json(FollowupMap) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const actor = c.get('actor');
        const key = `map:${JSON.stringify(actor?.scope ?? null)}:${actor?.role ?? 'public'}`;
        return c.json(await ratings.get(key, () => s.followupMap(db, actor)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compounds/{id}',
        summary:
          "A compound's colour for a month with every indicator (value, threshold, weight, deduction), the score arithmetic, its 12-month history and its follow-up plans",
        request: {
          params: idParams,
          query: z.object({ period: monthParam.optional().openapi(queryDoc('period')) }),
        },
        responses: {
          200: { description: 'The explanation', content: json(CompoundExplanation) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          await s.explainCompound(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('query').period,
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compounds/{id}/evidence',
        summary:
          "The records behind one indicator for a month (tickets, hazards open at its end, late report-ins), each scoped by its noun's read rule; counts only for callers that read none",
        request: {
          params: idParams,
          query: z.object({
            indicator: z.string().min(1, 'must name an indicator').openapi(queryDoc('indicator')),
            period: monthParam.optional().openapi(queryDoc('period')),
          }),
        },
        responses: {
          200: { description: 'The evidence', content: json(Evidence) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          await s.indicatorEvidence(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('query'),
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/recompute',
        summary: "Recompute a month's colours for every compound (ratings.manage; audited)",
        request: { body: jsonBody(z.object({ period: monthParam }).strict()) },
        responses: {
          200: { description: 'Counts by colour', content: json(RecomputeResult) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(await s.recomputeRatings(db, c.get('actor'), c.req.valid('json').period)),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/followups',
        summary:
          '包抓落实: open a follow-up plan for a red compound (cadre, plan, dated steps, deadline)',
        request: { body: jsonBody(OpenBody) },
        responses: {
          201: { description: 'The plan', content: json(Followup) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await f.openFollowup(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/followups/{id}',
        summary: 'One follow-up plan with its steps, progress and the colours since',
        request: { params: idParams },
        responses: { 200: { description: 'The plan', content: json(Followup) }, ...errorResponses },
      }),
      async (c) => c.json(await f.followupDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/followups/{id}/steps/{stepId}',
        summary: 'Mark a step of an open plan done (or not done)',
        request: {
          params: z.object({
            id: idParam.openapi({ param: { in: 'path', name: 'id' }, type: 'string' }),
            stepId: idParam.openapi({ param: { in: 'path', name: 'stepId' }, type: 'string' }),
          }),
          body: jsonBody(StepBody),
        },
        responses: {
          200: { description: 'The plan after', content: json(Followup) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { id, stepId } = c.req.valid('param');
        return c.json(
          changed(await f.markStep(db, c.get('actor'), id, stepId, c.req.valid('json'))),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/followups/{id}/close',
        summary: 'Close a plan: done with its outcome, or cancelled with the reason',
        request: { params: idParams, body: jsonBody(CloseBody) },
        responses: {
          200: { description: 'The plan after', content: json(Followup) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            await f.closePlan(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json')),
          ),
          200,
        ),
    );
}
