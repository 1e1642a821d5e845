import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import * as s from '../services/patrols.ts';
import { dayParam, idField, idParam, positionField } from '../validation.ts';
import {
  Coverage,
  PatrolCheckin,
  PatrolCollection,
  type PatrolCollection as PatrolCollectionT,
  PatrolEnded,
  PatrolStarted,
  PatrolTrack,
} from '../contract/patrols.ts';
import {
  created,
  createRouteOf,
  errorResponses,
  idParams,
  json,
  jsonBody,
  queryDoc,
  router,
  stepRouteOf,
  unchecked,
} from './openapi.ts';
import { sendGeoJson } from './points.ts';
import { oneBatch } from '../../geo/csv.ts';
import {
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  periodOf,
  streamCsv,
} from './exports.ts';
import { PATROL_COLUMNS } from './exports-operations.ts';

const TrackPoint = z.tuple(
  [z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().int().positive()],
  { message: 'each point must be [lon, lat, unixSeconds]' },
);

export function patrolsRoutes(db: Db) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'A day’s patrol tracks (LineString with per-vertex timestamps) and check-ins',
        request: {
          query: z.object({
            date: dayParam.optional().openapi(queryDoc('date')),
            area: idParam.optional().openapi(queryDoc('area')),
            // csv: one row per track; geojson: the day's collection as a file. The list is
            // already every patrol of the day (bounded by the gridworkers), read in one query.
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'Tracks; with format=csv|geojson as a file',
            content: {
              'application/geo+json': { schema: PatrolCollection },
              'text/csv': fileContent['text/csv'],
            },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { date, area, format, lang } = c.req.valid('query');
        const ref = area === undefined ? undefined : await resolveAreaRef(db, area, 'area');
        const body = await s.patrolsOfDay(db, c.get('actor'), { date, area: ref });
        if (format === 'json') return sendGeoJson(c, body);
        const period = periodOf(s.beijingDay(date));
        if (format === 'geojson') {
          c.header(
            'content-disposition',
            `attachment; filename="${fileName('patrols', 'geojson', period)}"`,
          );
          c.header('cache-control', 'no-store');
          return sendGeoJson(c, body);
        }
        const tracks = (JSON.parse(body) as PatrolCollectionT).features.flatMap((f) =>
          f.properties.kind === 'track' ? [f.properties] : [],
        );
        return streamCsv(
          c,
          fileName('patrols', 'csv', period),
          columnsIn(lang, PATROL_COLUMNS),
          oneBatch(tracks),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/coverage',
        summary: 'Every grid in the area with when it was last patrolled',
        request: { query: z.object({ area: idParam.optional().openapi(queryDoc('area')) }) },
        responses: {
          200: { description: 'Coverage', content: json(unchecked(Coverage)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area } = c.req.valid('query');
        const ref = area === undefined ? undefined : await resolveAreaRef(db, area, 'area');
        return c.json(await s.coverage(db, c.get('actor'), ref), 200);
      },
    )
    .openapi(
      createRouteOf(
        'Start a patrol (gridworkers, inside their grid)',
        z.object({ position: positionField }),
        'Started',
        PatrolStarted,
      ),
      async (c) =>
        created(
          c,
          await s.startPatrol(
            db,
            c.get('actor'),
            c.req.valid('json').position,
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      stepRouteOf(
        '/{id}/track',
        'Append track points [lon, lat, unixSeconds] in time order',
        z.object({
          points: z
            .array(TrackPoint)
            .min(1, 'must hold at least one point')
            .max(2000, 'must hold at most 2000 points; send the track in batches'),
        }),
        'Track length',
        PatrolTrack,
      ),
      async (c) =>
        c.json(
          await s.appendTrack(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json').points,
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/checkins',
        summary: 'Check in at a compound of the patrol’s grid',
        request: {
          params: idParams,
          body: jsonBody(
            z.object({
              compoundId: idField,
              position: positionField,
              note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
            }),
          ),
        },
        responses: {
          201: { description: 'Checked in', content: json(PatrolCheckin) },
          ...errorResponses,
        },
      }),
      async (c) =>
        created(
          c,
          await s.checkIn(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json'),
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/end',
        summary: 'End a patrol',
        request: { params: idParams },
        responses: { 200: { description: 'Ended', content: json(PatrolEnded) }, ...errorResponses },
      }),
      async (c) => c.json(await s.finishPatrol(db, c.get('actor'), c.req.valid('param').id), 200),
    );
}
