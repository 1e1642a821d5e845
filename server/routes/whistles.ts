import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import * as s from '../services/whistles.ts';
import { idField, idParam, limitParam, textField } from '../validation.ts';
import {
  WhistleDetail,
  WhistleList,
  type WhistleRow as WhistleRowT,
} from '../contract/whistles.ts';
import { exportPace, keysetBatches } from '../services/exports.ts';
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
import { WHISTLE_COLUMNS } from './exports-operations.ts';
import {
  created,
  createRouteOf,
  detailRouteOf,
  errorResponses,
  json,
  queryDoc,
  router,
  stepRouteOf,
  unchecked,
} from './openapi.ts';

const hours = (name: string, max: number) =>
  z
    .number({ message: `must be a number of hours from 1 to ${max}` })
    .min(1, `must be a number of hours from 1 to ${max}`)
    .max(max, `must be a number of hours from 1 to ${max}`)
    .optional()
    .describe(name);

const CreateBody = z.object({
  ticketId: idField.optional(),
  compoundId: idField.optional(),
  reason: textField(1, 500),
  departmentIds: z
    .array(idField, { message: 'must be a list of department ids' })
    .min(1, 'must name at least one department')
    .max(5, 'must name at most 5 departments')
    .optional(),
  reportHours: hours('reportHours', 72),
  resolveHours: hours('resolveHours', 720),
});

export function whistlesRoutes(db: Db) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary:
          '吹哨报到 whistles in the caller’s scope, open ones first, with responders’ offices',
        request: {
          query: z.object({
            area: idParam.optional().openapi(queryDoc('area')),
            state: z
              .enum(['open', 'late', 'resolved', 'all'], {
                message: 'must be open, late, resolved or all',
              })
              .default('open')
              .openapi(queryDoc('state')),
            limit: limitParam(2000, 200).openapi(queryDoc('limit')),
            // csv|geojson: every whistle of the filter as a file (limit does not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'Whistles; with format=csv|geojson every whistle as a file',
            content: { ...json(unchecked(WhistleList)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area, format, lang, ...rest } = c.req.valid('query');
        const actor = c.get('actor');
        const ref = area === undefined ? undefined : await resolveAreaRef(db, area, 'area');
        if (format === 'json')
          return c.json(await s.listWhistles(db, actor, { ...rest, area: ref }), 200);
        // Whistles grow with time: keyset batches in the list's order (open first, newest first).
        type Row = WhistleRowT;
        const read = async (after: Row | null, size: number) =>
          (
            await s.listWhistles(db, actor, {
              ...rest,
              area: ref,
              limit: size,
              ...(after
                ? {
                    after: {
                      open: after.resolvedAt === null,
                      blownAt: after.blownAt,
                      id: after.id,
                    },
                  }
                : {}),
            })
          ).items as Row[];
        // The first batch is read before the file starts, so that errors answer as JSON.
        const pace = exportPace(db.kind);
        const first = await read(null, pace.size);
        const batches = keysetBatches<Row, Row>(
          (after, size) => (after === null ? Promise.resolve(first) : read(after, size)),
          (r) => r,
          pace,
        );
        const name = fileName(`whistles-${rest.state}`, format);
        if (format === 'csv') return streamCsv(c, name, columnsIn(lang, WHISTLE_COLUMNS), batches);
        return streamGeoJson(
          c,
          name,
          batches,
          (r) => point(r.position),
          ({ position: _p, ...r }) => r,
          { id: (r) => r.id },
        );
      },
    )
    .openapi(
      createRouteOf(
        'Blow a whistle (社区吹哨 → property company, 街道吹哨 → departments)',
        CreateBody,
        'The whistle',
        unchecked(WhistleDetail),
      ),
      async (c) =>
        created(
          c,
          await s.blowWhistle(
            db,
            c.get('actor'),
            c.req.valid('json'),
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      detailRouteOf(
        'One whistle with its report-ins and the caller’s actions',
        'Whistle',
        unchecked(WhistleDetail),
      ),
      async (c) => c.json(await s.whistleDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      stepRouteOf(
        '/{id}/report-in',
        'Report in (报到) as a body the whistle names',
        z.object({
          note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
        }),
        'The whistle after',
        unchecked(WhistleDetail),
      ),
      async (c) =>
        c.json(
          await s.reportIn(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json').note),
          200,
        ),
    )
    .openapi(
      stepRouteOf(
        '/{id}/resolve',
        'Resolve a whistle (the level that blew it)',
        z.object({ resolution: textField(1, 1000) }),
        'The whistle after',
        unchecked(WhistleDetail),
      ),
      async (c) =>
        c.json(
          await s.resolveWhistle(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json').resolution,
          ),
          200,
        ),
    );
}
