import { z } from '@hono/zod-openapi';

export const Health = z
  .object({
    status: z.literal('ok'),
    database: z.enum(['pglite', 'postgres']),
    postgis: z.string(),
    counts: z.record(z.string(), z.number()),
  })
  .openapi('Health');
export type Health = z.infer<typeof Health>;
