import { z } from '@hono/zod-openapi';
import { AreaIds, LonLat, Timestamp } from './common.ts';

/**
 * A live event on `GET /api/events` (server-sent events, named by `kind`), as the signed-in
 * account receives it; not an OpenAPI response, but the same contract.
 */
export const LiveEvent = z.object({
  kind: z.enum(['ticket', 'whistle', 'hazard', 'patrol']),
  op: z.enum(['created', 'updated']),
  id: z.number(),
  code: z.string().nullable(),
  status: z.string(),
  category: z.string().nullable(),
  position: LonLat.nullable(),
  areaIds: AreaIds,
  at: Timestamp,
  actor: z.string(),
});
export type LiveEvent = z.infer<typeof LiveEvent>;
