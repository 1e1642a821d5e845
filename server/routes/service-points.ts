import { createRoute, z } from '@hono/zod-openapi';
import {
  ENFORCEMENT_TOPICS,
  SERVICE_POINT_KINDS,
  type ServicePointKind,
} from '../../geo/mediation.ts';
import {
  EnforcementMap,
  EnforcementVisit,
  EnforcementVisitList,
  ServicePoint,
  ServicePointCollection,
} from '../contract/service-points.ts';
import type { Db } from '../db/client.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import * as points from '../services/service-points.ts';
import {
  booleanParam,
  dayParam,
  idField,
  idParam,
  limitParam,
  offsetParam,
  positionField,
  textField,
} from '../validation.ts';
import {
  errorResponses,
  idParams,
  json,
  jsonBody,
  queryDoc,
  router,
  unchecked,
} from './openapi.ts';
import { oneBatch } from '../../geo/csv.ts';
import {
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  streamCsv,
  streamGeoJson,
} from './exports.ts';
import { areaName, col, sendListFile } from './list-files.ts';

const oneOf = (xs: readonly string[]) => `must be one of ${xs.join(', ')}`;
const areaQuery = idParam.optional().openapi(queryDoc('area'));
/** The lists as files: the columns the panels show. */
const VISIT_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('走访日期', 'Visited on', 'visitedOn'),
  col('社区', 'Community', 'communityName'),
  col('小区', 'Compound', 'compoundName'),
  col('执法部门', 'Department', 'departmentName'),
  col('执法队', 'Team', 'team'),
  col('事项', 'Topic', 'topic'),
  col('发现', 'Findings', 'findings'),
  col('转办工单', 'Ticket', 'ticketCode'),
  col('转办隐患', 'Hazard ID', 'hazardId'),
];
const POINT_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('类型', 'Kind', 'kind'),
  col('名称', 'Name', 'name'),
  col('地址', 'Address', 'address'),
  col('电话', 'Phone', 'phone'),
  col('开放时间', 'Hours', 'hours'),
  col('现在开放', 'Open now', 'openNow', 'yesNo'),
  col('所属区域', 'Area', 'areaName'),
  col('服务小区数', 'Compounds served', 'compounds'),
  col('备注', 'Note', 'note'),
  col('停用时间', 'Closed at', 'closedAt', 'time'),
];

/** `kind=party_service,elder_care`: one or more kinds. */
const kindsParam = z.string().transform((s, ctx) => {
  const keys = s
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = keys.find((k) => !(SERVICE_POINT_KINDS as readonly string[]).includes(k));
  if (bad !== undefined || keys.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${bad ? `has unknown kind '${bad}'; ` : ''}${oneOf(SERVICE_POINT_KINDS)}`,
    });
    return z.NEVER;
  }
  return keys as ServicePointKind[];
});

const Span = z
  .object({
    days: z.array(z.number({ message: 'must be days 1 (Monday) to 7 (Sunday)' })),
    open: z.string({ message: 'must be a time HH:MM' }),
    close: z.string({ message: 'must be a time HH:MM' }),
  })
  .strict();
const phoneField = z
  .string()
  .trim()
  .regex(/^[0-9-]{5,20}$/, "must be the point's phone: 5 to 20 digits and dashes");

const PointBody = z
  .object({
    kind: z.enum(SERVICE_POINT_KINDS, { message: oneOf(SERVICE_POINT_KINDS) }),
    name: textField(1, 80),
    areaId: idField,
    position: positionField.optional(),
    address: textField(0, 120).optional(),
    phone: phoneField.nullable().optional(),
    hours: z.array(Span, { message: 'must be a list of {days, open, close}' }).max(14),
    note: textField(0, 200).nullable().optional(),
    compoundIds: z.array(idField, { message: 'must be a list of compound ids' }).max(500),
  })
  .strict();
const PointPatch = PointBody.omit({ kind: true, areaId: true }).partial().strict();
const CloseBody = z.object({ reason: textField(2, 200) }).strict();

const VisitBody = z
  .object({
    compoundId: idField,
    visitedOn: dayParam,
    team: textField(1, 60),
    topic: z.enum(ENFORCEMENT_TOPICS, { message: oneOf(ENFORCEMENT_TOPICS) }),
    findings: textField(1, 500),
    ticketId: idField.optional(),
    hazardId: idField.optional(),
  })
  .strict();

/**
 * Service points (/api/service-points: public; services.manage keeps them) and 执法进小区
 * (/api/service-points/enforcement: enforcement.read, enforcement.record).
 */
export function servicePointsRoutes(db: Db, cache: ReadCache) {
  const reads = new Generations(cache, 'service-points');
  const changed = <T>(value: T) => reads.changed(value);

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/enforcement',
        summary: '执法进小区 visits in reach, newest first (a department: its own, city-wide)',
        request: {
          query: z.object({
            area: areaQuery,
            topic: z
              .enum(ENFORCEMENT_TOPICS, { message: oneOf(ENFORCEMENT_TOPICS) })
              .optional()
              .openapi(queryDoc('topic')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every visit of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of visits',
            content: { ...json(EnforcementVisitList), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('enforcement-visits', f.area),
            read: (offset, limit) => points.listVisits(db, actor, { ...f, offset, limit }),
            columns: VISIT_COLUMNS,
            place: (r) => r.compoundId,
            id: (r) => r.id,
          });
        const key = JSON.stringify(points.visitScope(actor));
        return c.json(
          (await reads.get(`visits:${key}:${JSON.stringify(f)}`, () =>
            points.listVisits(db, actor, f),
          )) as EnforcementVisitList,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/enforcement/map',
        summary:
          'Compounds visited over the last year, with the number of visits, topics and follow-ups',
        request: { query: z.object({ area: areaQuery }) },
        responses: {
          200: { description: 'One point per compound', content: json(EnforcementMap) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area } = c.req.valid('query');
        const actor = c.get('actor');
        const key = JSON.stringify(points.visitScope(actor));
        return c.json(
          (await reads.get(`visit-map:${key}:${area ?? ''}`, () =>
            points.visitMap(db, actor, area),
          )) as EnforcementMap,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/enforcement',
        summary: 'Record a 执法进小区 visit (enforcement.record)',
        request: { body: jsonBody(VisitBody) },
        responses: {
          201: { description: 'The visit', content: json(EnforcementVisit) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await points.recordVisit(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Service points as GeoJSON (public): kind, hours, open now, the compounds served',
        request: {
          query: z.object({
            kind: kindsParam.optional().openapi(queryDoc('kind')),
            area: areaQuery,
            open: booleanParam.optional().openapi(queryDoc('open')),
            closed: booleanParam.optional().openapi(queryDoc('closed')),
            // csv|geojson: the same points as a file (json: the map's GeoJSON answer).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'The points',
            content: { ...json(unchecked(ServicePointCollection)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { kind, format, lang, ...rest } = c.req.valid('query');
        const f = { ...rest, kinds: kind };
        const actor = c.get('actor');
        points.checkPointQuery(actor, f);
        if (format !== 'json') {
          // A list bounded by the city (hundreds of points): the list's own collection, whole.
          const { features } = points.pointCollection(
            await points.pointRows(db, actor, f),
            actor,
            f,
          );
          const name = fileName(areaName('service-points', f.area), format);
          if (format === 'csv')
            return streamCsv(
              c,
              name,
              columnsIn(lang, POINT_COLUMNS).map((k) => ({
                header: k.header,
                value: (x: (typeof features)[number]) => k.value(x.properties),
              })),
              oneBatch(features),
            );
          return streamGeoJson(
            c,
            name,
            oneBatch(features),
            (x) => x.geometry,
            (x) => x.properties,
            { id: (x) => x.properties.id },
          );
        }
        // The rows are the same for everyone; open now and canManage are this reader's, now.
        const rows = await reads.get(`points:${JSON.stringify({ ...f, open: undefined })}`, () =>
          points.pointRows(db, actor, f),
        );
        return c.json(points.pointCollection(rows, actor, f), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'One service point with the compounds it serves',
        request: { params: idParams },
        responses: {
          200: { description: 'The point', content: json(unchecked(ServicePoint)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(await points.pointDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Open a service point in your area (services.manage)',
        request: { body: jsonBody(PointBody) },
        responses: {
          201: { description: 'The point', content: json(unchecked(ServicePoint)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await points.createPoint(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        summary: "Edit a point's name, address, phone, hours, note, position or compounds served",
        request: { params: idParams, body: jsonBody(PointPatch) },
        responses: {
          200: { description: 'The point', content: json(unchecked(ServicePoint)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            await points.updatePoint(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json'),
            ),
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/close',
        summary: 'Close a point, with the reason (it stays for its managers and the audit log)',
        request: { params: idParams, body: jsonBody(CloseBody) },
        responses: {
          200: { description: 'The point, closed', content: json(unchecked(ServicePoint)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            await points.closePoint(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json').reason,
            ),
          ),
          200,
        ),
    );
}
