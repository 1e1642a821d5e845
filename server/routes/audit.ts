import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { exportAudit, listAudit } from '../services/audit.ts';
import { dateParam, idParam, limitParam } from '../validation.ts';
import { AuditPage } from '../contract/audit.ts';
import { errorResponses, queryDoc, router, unchecked } from './openapi.ts';
import {
  beijingTime,
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  streamCsv,
  streamGeoJson,
  type BilingualColumn,
} from './exports.ts';

interface AuditRow {
  id: number;
  at: Date | string;
  actor: string;
  role: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

const iso = (at: Date | string) => (at instanceof Date ? at.toISOString() : at);

/** The audit log as a file: the record of who did what, the before and after as JSON text. */
const AUDIT_COLUMNS: BilingualColumn<AuditRow>[] = [
  { zh: '编号', en: 'ID', value: (r) => r.id },
  { zh: '时间', en: 'Time', value: (r) => beijingTime(iso(r.at)) },
  { zh: '账号', en: 'Account', value: (r) => r.actor },
  { zh: '角色', en: 'Role', value: (r) => r.role },
  { zh: '操作', en: 'Action', value: (r) => r.action },
  { zh: '对象', en: 'Entity', value: (r) => r.entity },
  { zh: '对象编号', en: 'Entity ID', value: (r) => r.entityId },
  { zh: '变更前', en: 'Before', value: (r) => r.before },
  { zh: '变更后', en: 'After', value: (r) => r.after },
];

export function auditRoutes(db: Db) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The append-only audit log, newest first (city command center only)',
      request: {
        query: z.object({
          area: idParam.optional().openapi(queryDoc('area')),
          actor: z.string().max(40).optional().openapi(queryDoc('actor')),
          entity: z.string().max(40).optional().openapi(queryDoc('entity')),
          action: z.string().max(60).optional().openapi(queryDoc('action')),
          from: dateParam.optional().openapi(queryDoc('from')),
          to: dateParam.optional().openapi(queryDoc('to')),
          before: idParam.optional().openapi(queryDoc('before')),
          limit: limitParam(1000, 100).openapi(queryDoc('limit')),
          // csv|geojson: every row of the filter as a file (limit does not apply).
          format: exportFormat,
          lang: exportLang,
        }),
      },
      responses: {
        200: {
          description: 'Audit rows',
          content: { 'application/json': { schema: unchecked(AuditPage) }, ...fileContent },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { format, lang, limit, ...f } = c.req.valid('query');
      if (format === 'json')
        return c.json(await listAudit(db, c.get('actor'), { ...f, limit }), 200);
      const batches = exportAudit(db, c.get('actor'), f) as AsyncGenerator<AuditRow[]>;
      const name = fileName('audit', format);
      if (format === 'csv') return streamCsv(c, name, columnsIn(lang, AUDIT_COLUMNS), batches);
      // The log has no place of its own: features without geometry (RFC 7946 allows null).
      return streamGeoJson(
        c,
        name,
        batches,
        () => null,
        (r) => ({ ...r, at: iso(r.at) }),
        { id: (r) => r.id },
      );
    },
  );
}
