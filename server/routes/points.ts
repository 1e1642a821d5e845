import type { Context } from 'hono';
import type { PointsResult } from '../services/points.ts';

export function sendPoints(c: Context, r: PointsResult) {
  c.header('content-type', r.contentType);
  c.header('x-count', String(r.count));
  c.header('x-truncated', String(r.truncated));
  return c.body(r.body as string, 200);
}
