import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HAZARD_ACTIONS } from '../../geo/operations.ts';
import { HAZARD_SEVERITIES, HAZARD_STATUSES, HAZARD_TYPES, keysOf } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import * as s from '../services/hazards.ts';
import type { ReadCache } from '../services/read-cache.ts';
import {
  booleanParam,
  checkedRange,
  dateParam,
  idParam,
  keyListParam,
  limitParam,
  offsetParam,
  positionField,
  textField,
} from '../validation.ts';
import { HazardCollection, HazardDetail, HazardPage } from '../contract/hazards.ts';
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
import { pointFilter, pointListParams, pointListRoute, sendCachedPoints } from './points.ts';
import {
  beijingTime,
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  periodOf,
  streamCsv,
  streamGeoJson,
  termIn,
  yesNo,
  type BilingualColumn,
  type ExportLang,
} from './exports.ts';
import type { HazardExportRow } from '../contract/exports.ts';

const types = keyListParam(HAZARD_TYPES).optional().openapi(queryDoc('type'));
const severities = keyListParam(HAZARD_SEVERITIES).optional().openapi(queryDoc('severity'));
const statuses = keyListParam(HAZARD_STATUSES, { open: ['reported', 'rectifying', 'rectified'] })
  .optional()
  .openapi({ ...queryDoc('status'), example: 'open' });

const ListQuery = z.object({
  ...pointListParams,
  type: types,
  severity: severities,
  status: statuses,
});

const RowsQuery = z.object({
  area: idParam.optional().openapi(queryDoc('area')),
  type: types,
  severity: severities,
  status: statuses,
  overdue: booleanParam.optional().openapi(queryDoc('overdue')),
  from: dateParam.optional().openapi(queryDoc('from')),
  to: dateParam.optional().openapi(queryDoc('to')),
  sort: z
    .enum(['reportedAt', 'dueAt', 'severity', 'status', 'type'], {
      message: 'must be one of reportedAt, dueAt, severity, status, type',
    })
    .default('reportedAt')
    .openapi(queryDoc('sort')),
  order: z
    .enum(['asc', 'desc'], { message: 'must be asc or desc' })
    .default('desc')
    .openapi(queryDoc('order')),
  limit: limitParam(500, 50).openapi(queryDoc('limit')),
  offset: offsetParam.openapi(queryDoc('offset')),
  // csv|geojson: every row of the filter as a file (limit and offset do not apply).
  format: exportFormat,
  lang: exportLang,
});

/** The layer as a file: the layer's filters, every record of them (no limit). */
const LayerExportQuery = z.object({
  bbox: pointListParams.bbox,
  area: pointListParams.area,
  from: pointListParams.from,
  to: pointListParams.to,
  type: types,
  severity: severities,
  status: statuses,
  format: z
    .enum(['csv', 'geojson'], { message: 'must be csv or geojson' })
    .openapi(queryDoc('format')),
  lang: exportLang,
});

const typeKeys = keysOf(HAZARD_TYPES) as [string, ...string[]];
const severityKeys = keysOf(HAZARD_SEVERITIES) as [string, ...string[]];
const CreateBody = z.object({
  type: z.enum(typeKeys, { message: `must be one of ${typeKeys.join(', ')}` }),
  severity: z.enum(severityKeys, { message: `must be one of ${severityKeys.join(', ')}` }),
  description: textField(1, 2000),
  position: positionField,
  photoRef: textField(1, 500).optional(),
  dueAt: z.string().pipe(dateParam).optional(),
});
const actionKeys = HAZARD_ACTIONS.map((a) => a.key) as [string, ...string[]];
const TransitionBody = z.object({
  action: z.enum(actionKeys, { message: `must be one of ${actionKeys.join(', ')}` }),
  note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  photoRef: textField(1, 500).optional(),
});

export function hazardsRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      pointListRoute(
        'Hazards (隐患) in the caller’s scope, newest first, as GeoJSON or MQP1 binary columns',
        'Hazards',
        ListQuery,
        HazardCollection,
      ),
      async (c) => {
        const layer = s.hazardLayer(c.get('actor'));
        const query = c.req.valid('query');
        const filter = {
          ...(await pointFilter(db, query)),
          types: query.type,
          severities: query.severity,
          statuses: query.status,
        };
        return sendCachedPoints(
          c,
          cache,
          { noun: 'hazards', format: query.format, filter: { ...filter, scope: layer.key } },
          () => s.listHazards(db, layer, filter, query.format),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/list',
        summary: 'One page of hazards for the workspace list',
        request: { query: RowsQuery },
        responses: {
          200: {
            description: 'Hazards; with format=csv|geojson every row of the filter as a file',
            content: { ...json(unchecked(HazardPage)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const { area, from, to, type, severity, status, format, lang, ...rest } = query;
        if (format !== 'json') {
          const { limit: _l, offset: _o, ...f } = rest;
          const range = checkedRange(from, to);
          const batches = s.exportHazardRows(db, c.get('actor'), {
            ...f,
            area: area === undefined ? undefined : await resolveAreaRef(db, area, 'area'),
            types: type,
            severities: severity,
            statuses: status,
            range,
          });
          return sendHazards(
            c,
            format,
            lang,
            batches,
            fileName('hazards', format, periodOf(range)),
          );
        }
        const body = await s.listHazardRows(db, c.get('actor'), {
          ...rest,
          area: area === undefined ? undefined : await resolveAreaRef(db, area, 'area'),
          types: type,
          severities: severity,
          statuses: status,
          range: checkedRange(from, to),
        });
        return c.json({ ...body, limit: query.limit, offset: query.offset }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/export',
        summary:
          'The hazard layer as a CSV or GeoJSON file: every record of its filters, with the fields the caller’s layer holds',
        request: { query: LayerExportQuery },
        responses: {
          200: { description: 'The layer as a file', content: fileContent },
          ...errorResponses,
        },
      }),
      async (c) => {
        const layer = s.hazardLayer(c.get('actor'));
        const query = c.req.valid('query');
        const base = await pointFilter(db, { ...query, limit: 0 });
        const batches = s.exportHazardLayer(db, layer, {
          bbox: base.bbox,
          area: base.area,
          range: base.range,
          types: query.type,
          severities: query.severity,
          statuses: query.status,
        });
        const what = layer.fields === 'positions' ? 'hazard-positions' : 'hazards';
        return sendHazards(
          c,
          query.format,
          query.lang,
          batches,
          fileName(what, query.format, periodOf(base.range)),
          layer.fields === 'positions',
        );
      },
    )
    .openapi(
      createRouteOf(
        'Report a hazard found by inspection (隐患排查); honours Idempotency-Key',
        CreateBody,
        'The new hazard',
        unchecked(HazardDetail),
      ),
      async (c) =>
        created(
          c,
          await s.createHazard(
            db,
            c.get('actor'),
            c.req.valid('json') as s.HazardInput,
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      detailRouteOf(
        'One hazard with its rectification timeline and the caller’s actions',
        'Hazard',
        unchecked(HazardDetail),
      ),
      async (c) => c.json(await s.hazardDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      stepRouteOf(
        '/{id}/transitions',
        'Rectification and verification steps',
        TransitionBody,
        'The hazard after',
        unchecked(HazardDetail),
      ),
      async (c) =>
        c.json(
          await s.transitionHazard(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json') as Parameters<typeof s.transitionHazard>[3],
          ),
          200,
        ),
    );
}

const HAZARD_COLUMNS: BilingualColumn<HazardExportRow>[] = [
  { zh: '编号', en: 'ID', value: (r) => r.id },
  { zh: '隐患号', en: 'Code', value: (r) => r.code },
  { zh: '类型', en: 'Type', value: (r, l) => termIn(HAZARD_TYPES, r.type, l) },
  { zh: '等级', en: 'Severity', value: (r, l) => termIn(HAZARD_SEVERITIES, r.severity, l) },
  { zh: '状态', en: 'Status', value: (r, l) => termIn(HAZARD_STATUSES, r.status, l) },
  { zh: '超期', en: 'Overdue', value: (r, l) => yesNo(r.overdue, l) },
  { zh: '描述', en: 'Description', value: (r) => r.description },
  { zh: '上报时间', en: 'Reported', value: (r) => beijingTime(r.reportedAt) },
  { zh: '整改时限', en: 'Due', value: (r) => beijingTime(r.dueAt) },
  { zh: '整改时间', en: 'Rectified', value: (r) => beijingTime(r.rectifiedAt) },
  { zh: '验收时间', en: 'Verified', value: (r) => beijingTime(r.verifiedAt) },
  { zh: '小区', en: 'Compound', value: (r) => r.compoundName },
  { zh: '网格编号', en: 'Grid ID', value: (r) => r.gridId },
  { zh: '经度', en: 'Longitude', value: (r) => r.position[0] },
  { zh: '纬度', en: 'Latitude', value: (r) => r.position[1] },
];
const POSITION_ONLY = new Set([
  '编号',
  '类型',
  '等级',
  '状态',
  '超期',
  '上报时间',
  '整改时限',
  '经度',
  '纬度',
]);

function sendHazards(
  c: Context,
  format: 'csv' | 'geojson',
  lang: ExportLang,
  batches: AsyncGenerator<HazardExportRow[]>,
  name: string,
  positionsOnly = false,
) {
  if (format === 'csv') {
    const cols = positionsOnly
      ? HAZARD_COLUMNS.filter((col) => POSITION_ONLY.has(col.zh))
      : HAZARD_COLUMNS;
    return streamCsv(c, name, columnsIn(lang, cols), batches);
  }
  return streamGeoJson(
    c,
    name,
    batches,
    (r) => ({ type: 'Point', coordinates: r.position }),
    ({ position: _p, _k, areaIds: _a, compoundCompanyId: _c, photoRef: _ph, ...props }) => props,
    { id: (r) => r.id },
  );
}
