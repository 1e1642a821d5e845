import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import type { PointsResult } from '../services/points.ts';
import type { CacheNoun, ReadCache } from '../services/read-cache.ts';
import {
  bboxParam,
  checkedRange,
  dateParam,
  formatParam,
  idParam,
  limitParam,
} from '../validation.ts';
import { BinaryPoints } from '../contract/common.ts';
import { errorResponses } from './openapi.ts';

export const MAX_POINTS = 200_000;

/** Query parameters every point layer (tickets, hazards) takes besides its own filters. */
export const pointListParams = {
  bbox: bboxParam.optional(),
  area: idParam.optional().openapi({ param: { in: 'query', name: 'area' }, type: 'string' }),
  from: dateParam.optional().openapi({ param: { in: 'query', name: 'from' }, type: 'string' }),
  to: dateParam.optional().openapi({ param: { in: 'query', name: 'to' }, type: 'string' }),
  limit: limitParam(MAX_POINTS, 20_000).openapi({ param: { in: 'query', name: 'limit' } }),
  format: formatParam.openapi({ param: { in: 'query', name: 'format' } }),
};

/** The list route of a point layer: GeoJSON or MQP1, newest first, saying when it was cut. */
export function pointListRoute<Q extends z.ZodObject, C extends z.ZodType>(
  summary: string,
  noun: string,
  query: Q,
  collection: C,
) {
  return createRoute({
    method: 'get',
    path: '/',
    summary,
    request: { query },
    responses: {
      200: {
        description: `${noun}; the response says when the limit cut it`,
        content: {
          'application/geo+json': { schema: collection },
          'application/x-mqp1': { schema: BinaryPoints },
        },
      },
      ...errorResponses,
    },
  });
}

/** The common part of a point filter: bbox, the area's subtree, the time range and the limit. */
export async function pointFilter(
  db: Db,
  query: { bbox?: z.infer<typeof bboxParam>; area?: number; from?: Date; to?: Date; limit: number },
) {
  return {
    bbox: query.bbox,
    area: query.area === undefined ? undefined : await resolveAreaRef(db, query.area, 'area'),
    range: checkedRange(query.from, query.to),
    limit: query.limit,
  };
}

/** Answers from the read cache: the key is the whole filter, whose default range moves by the minute. */
export async function sendCachedPoints(
  c: Context,
  cache: ReadCache,
  key: { noun: string; format: string; filter: object },
  load: () => Promise<PointsResult>,
): Promise<Response> {
  const id = `${key.noun}:${key.format}:${JSON.stringify(key.filter)}`;
  const f = key.filter as { area?: { id: number }; bbox?: [number, number, number, number] };
  const tags = { nouns: [key.noun as CacheNoun], area: f.area?.id, bbox: f.bbox };
  return sendPoints(c, await cache.get(id, load, tags));
}

export function sendPoints(c: Context, r: PointsResult): Response {
  c.header('content-type', r.contentType);
  c.header('x-count', String(r.count));
  c.header('x-truncated', String(r.truncated));
  return c.body(r.body as string, 200);
}

/**
 * A body the database already serialised as GeoJSON: typed as the JSON it is, so the typed
 * client sees a FeatureCollection, without parsing and re-serialising it here.
 */
export function sendGeoJson<T>(c: Context, body: string): TypedResponse<T, 200, 'json'> {
  c.header('content-type', 'application/geo+json; charset=utf-8');
  return c.body(body, 200) as unknown as TypedResponse<T, 200, 'json'>;
}
