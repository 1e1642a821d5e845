import type { Context, TypedResponse } from 'hono';
import type { PointsResult } from '../services/points.ts';

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
