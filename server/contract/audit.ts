import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

/** One write as the audit log kept it; `before` and `after` are the changed fields. */
export const AuditRow = z
  .object({
    id: z.number(),
    at: Timestamp,
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditRow');
/** A page of the log, newest first; `nextBefore` asks for the page after it. */
export const AuditPage = z
  .object({ items: z.array(AuditRow), nextBefore: z.number().nullable() })
  .openapi('AuditPage');

export type AuditRow = z.infer<typeof AuditRow>;
export type AuditPage = z.infer<typeof AuditPage>;
