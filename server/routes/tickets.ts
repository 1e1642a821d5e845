import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { TICKET_ACTION_KEYS } from '../../geo/operations.ts';
import {
  keysOf,
  OPEN_TICKET_STATUSES,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
} from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import type { ReadCache } from '../services/read-cache.ts';
import * as s from '../services/tickets.ts';
import {
  booleanParam,
  checkedRange,
  dateParam,
  idField,
  idParam,
  keyListParam,
  limitParam,
  offsetParam,
  positionField,
  textField,
} from '../validation.ts';
import {
  DuplicateList,
  TicketCollection,
  TicketDetail,
  TicketPage,
  TransferTargets,
} from '../contract/tickets.ts';
import {
  created,
  createRouteOf,
  detailRouteOf,
  errorResponses,
  idParams,
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
import type { TicketExportRow } from '../contract/exports.ts';

const categories = keyListParam(TICKET_CATEGORIES).optional().openapi(queryDoc('category'));
const statuses = keyListParam(TICKET_STATUSES, { open: OPEN_TICKET_STATUSES })
  .optional()
  .openapi(queryDoc('status', { example: 'open' }));
const channels = keyListParam(TICKET_CHANNELS).optional().openapi(queryDoc('channel'));
const categoryKeys = keysOf(TICKET_CATEGORIES) as [string, ...string[]];

const ListQuery = z.object({
  ...pointListParams,
  category: categories,
  status: statuses,
  channel: channels,
});

const RowsQuery = z.object({
  area: idParam.optional().openapi(queryDoc('area')),
  category: categories,
  status: statuses,
  channel: channels,
  overdue: booleanParam.optional().openapi(queryDoc('overdue')),
  whistled: booleanParam.optional().openapi(queryDoc('whistled')),
  q: z.string().trim().max(100, 'must be at most 100 characters').optional().openapi(queryDoc('q')),
  from: dateParam.optional().openapi(queryDoc('from')),
  to: dateParam.optional().openapi(queryDoc('to')),
  sort: z
    .enum(['receivedAt', 'dueAt', 'status', 'category', 'priority'], {
      message: 'must be one of receivedAt, dueAt, status, category, priority',
    })
    .default('receivedAt')
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
  category: categories,
  status: statuses,
  channel: channels,
  format: z
    .enum(['csv', 'geojson'], { message: 'must be csv or geojson' })
    .openapi(queryDoc('format')),
  lang: exportLang,
});

const DuplicatesQuery = z.object({
  lon: z.coerce
    .number({ message: 'must be a longitude' })
    .min(-180)
    .max(180)
    .openapi(queryDoc('lon')),
  lat: z.coerce.number({ message: 'must be a latitude' }).min(-90).max(90).openapi(queryDoc('lat')),
  category: z
    .enum(categoryKeys, { message: `must be one of ${categoryKeys.join(', ')}` })
    .openapi(queryDoc('category')),
  radius: z.coerce
    .number({ message: 'must be metres from 10 to 2000' })
    .min(10, 'must be metres from 10 to 2000')
    .max(2000, 'must be metres from 10 to 2000')
    .default(300)
    .openapi(queryDoc('radius')),
  days: z.coerce
    .number({ message: 'must be 1 to 90 days' })
    .int('must be 1 to 90 days')
    .min(1, 'must be 1 to 90 days')
    .max(90, 'must be 1 to 90 days')
    .default(14)
    .openapi(queryDoc('days')),
});

const CreateBody = z.object({
  category: z.enum(categoryKeys, { message: `must be one of ${categoryKeys.join(', ')}` }),
  channel: z
    .enum(keysOf(TICKET_CHANNELS) as [string, ...string[]], {
      message: `must be one of ${keysOf(TICKET_CHANNELS).join(', ')}`,
    })
    .optional(),
  priority: z.enum(['normal', 'urgent'], { message: 'must be normal or urgent' }).default('normal'),
  title: textField(1, 100),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
  position: positionField,
  residentName: textField(1, 40).optional(),
  residentPhone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s-]{5,20}$/, 'must be a phone number of 5 to 20 digits')
    .optional(),
  photoRef: textField(1, 500).optional(),
});

const TransitionBody = z.object({
  action: z.enum(TICKET_ACTION_KEYS as [string, ...string[]], {
    message: `must be one of ${TICKET_ACTION_KEYS.join(', ')}`,
  }),
  note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  responder: z
    .object({
      kind: z.enum(['property_company', 'department', 'community'], {
        message: 'must be property_company, department or community',
      }),
      id: idField.nullable().optional(),
    })
    .optional(),
  satisfaction: z
    .number({ message: 'must be a whole number from 1 to 5' })
    .int('must be a whole number from 1 to 5')
    .min(1, 'must be a whole number from 1 to 5')
    .max(5, 'must be a whole number from 1 to 5')
    .optional(),
  duplicateOf: idField.optional(),
});

export function ticketsRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      pointListRoute(
        'Tickets (诉求) in the caller’s scope, newest first, as GeoJSON or MQP1 binary columns',
        'Tickets',
        ListQuery,
        TicketCollection,
      ),
      async (c) => {
        // What the layer holds for this account (planners: positions city-wide, no text).
        const layer = s.ticketLayer(c.get('actor'));
        const query = c.req.valid('query');
        const filter = {
          ...(await pointFilter(db, query)),
          categories: query.category,
          statuses: query.status,
          channels: query.channel,
        };
        return sendCachedPoints(
          c,
          cache,
          { noun: 'tickets', format: query.format, filter: { ...filter, scope: layer.key } },
          () => s.listTickets(db, layer, filter, query.format),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/list',
        summary: 'One page of tickets for the workspace list, sortable and filterable',
        request: { query: RowsQuery },
        responses: {
          200: {
            description: 'Tickets; with format=csv|geojson every row of the filter as a file',
            content: { ...json(unchecked(TicketPage)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const { area, from, to, category, status, channel, format, lang, ...rest } = query;
        if (format !== 'json') {
          const { limit: _l, offset: _o, ...f } = rest;
          const range = checkedRange(from, to);
          const batches = s.exportTicketRows(db, c.get('actor'), {
            ...f,
            area: area === undefined ? undefined : await resolveAreaRef(db, area, 'area'),
            categories: category,
            statuses: status,
            channels: channel,
            range,
          });
          return sendTickets(
            c,
            format,
            lang,
            batches,
            fileName('tickets', format, periodOf(range)),
          );
        }
        const body = await s.listTicketRows(db, c.get('actor'), {
          ...rest,
          area: area === undefined ? undefined : await resolveAreaRef(db, area, 'area'),
          categories: category,
          statuses: status,
          channels: channel,
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
          'The ticket layer as a CSV or GeoJSON file: every record of its filters, with the fields the caller’s layer holds',
        request: { query: LayerExportQuery },
        responses: {
          200: { description: 'The layer as a file', content: fileContent },
          ...errorResponses,
        },
      }),
      async (c) => {
        const layer = s.ticketLayer(c.get('actor'));
        const query = c.req.valid('query');
        const base = await pointFilter(db, { ...query, limit: 0 });
        const batches = s.exportTicketLayer(db, layer, {
          bbox: base.bbox,
          area: base.area,
          range: base.range,
          categories: query.category,
          statuses: query.status,
          channels: query.channel,
        });
        const what = layer.fields === 'positions' ? 'ticket-positions' : 'tickets';
        return sendTickets(
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
      createRoute({
        method: 'get',
        path: '/duplicates',
        summary: 'Likely duplicates of a ticket about to be created: same category, nearby, recent',
        request: { query: DuplicatesQuery },
        responses: {
          200: { description: 'Nearby tickets', content: json(unchecked(DuplicateList)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        return c.json(
          await s.duplicateSuggestions(db, c.get('actor'), {
            position: [query.lon, query.lat],
            category: query.category as s.TicketInput['category'],
            radiusM: query.radius,
            days: query.days,
          }),
          200,
        );
      },
    )
    .openapi(
      createRouteOf(
        'Register a ticket; placed, routed and given its deadline; honours Idempotency-Key',
        CreateBody,
        'The new ticket',
        unchecked(TicketDetail),
      ),
      async (c) =>
        created(
          c,
          await s.createTicket(
            db,
            c.get('actor'),
            c.req.valid('json') as s.TicketInput,
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      detailRouteOf(
        'One ticket with its timeline, whistles and the actions the caller may take',
        'Ticket',
        unchecked(TicketDetail),
      ),
      async (c) => c.json(await s.ticketDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/transfer-targets',
        summary: 'The bodies that can serve the ticket’s place, for the dispatch/transfer picker',
        request: { params: idParams },
        responses: {
          200: { description: 'Transfer targets', content: json(TransferTargets) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(await s.transferTargets(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      stepRouteOf(
        '/{id}/transitions',
        'Move a ticket through its lifecycle (dispatch, accept, resolve, close…)',
        TransitionBody,
        'The ticket after',
        unchecked(TicketDetail),
      ),
      async (c) =>
        c.json(
          await s.transitionTicket(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json') as s.TransitionInput,
          ),
          200,
        ),
    );
}

/**
 * The columns of a ticket file. A row without `code` is a positions-only row (a planner's layer):
 * those columns stay empty; the GeoJSON drops them.
 */
const TICKET_COLUMNS: BilingualColumn<TicketExportRow>[] = [
  { zh: '编号', en: 'ID', value: (r) => r.id },
  { zh: '工单号', en: 'Code', value: (r) => r.code },
  { zh: '标题', en: 'Title', value: (r) => r.title },
  { zh: '类别', en: 'Category', value: (r, l) => termIn(TICKET_CATEGORIES, r.category, l) },
  { zh: '状态', en: 'Status', value: (r, l) => termIn(TICKET_STATUSES, r.status, l) },
  { zh: '渠道', en: 'Channel', value: (r, l) => termIn(TICKET_CHANNELS, r.channel, l) },
  {
    zh: '优先级',
    en: 'Priority',
    value: (r, l) =>
      r.priority === undefined
        ? ''
        : r.priority === 'urgent'
          ? l === 'zh'
            ? '紧急'
            : 'urgent'
          : l === 'zh'
            ? '一般'
            : 'normal',
  },
  { zh: '超期', en: 'Overdue', value: (r, l) => yesNo(r.overdue, l) },
  { zh: '吹哨中', en: 'Whistled', value: (r, l) => yesNo(r.whistled, l) },
  { zh: '受理时间', en: 'Received', value: (r) => beijingTime(r.receivedAt) },
  { zh: '办理时限', en: 'Due', value: (r) => beijingTime(r.dueAt) },
  { zh: '办结时间', en: 'Resolved', value: (r) => beijingTime(r.resolvedAt) },
  { zh: '关闭时间', en: 'Closed', value: (r) => beijingTime(r.closedAt) },
  { zh: '小区', en: 'Compound', value: (r) => r.compoundName },
  { zh: '网格编号', en: 'Grid ID', value: (r) => r.gridId },
  { zh: '承办方', en: 'Responder', value: (r) => r.responder?.name },
  { zh: '经度', en: 'Longitude', value: (r) => r.position[0] },
  { zh: '纬度', en: 'Latitude', value: (r) => r.position[1] },
];

const POSITION_ONLY = new Set([
  '编号',
  '类别',
  '状态',
  '超期',
  '受理时间',
  '办理时限',
  '经度',
  '纬度',
]);

function sendTickets(
  c: Context,
  format: 'csv' | 'geojson',
  lang: ExportLang,
  batches: AsyncGenerator<TicketExportRow[]>,
  name: string,
  positionsOnly = false,
) {
  if (format === 'csv') {
    const cols = positionsOnly
      ? TICKET_COLUMNS.filter((col) => POSITION_ONLY.has(col.zh))
      : TICKET_COLUMNS;
    return streamCsv(c, name, columnsIn(lang, cols), batches);
  }
  // Machine keys in GeoJSON (stable for QGIS styles and scripts); WGS-84 lon/lat (RFC 7946).
  return streamGeoJson(
    c,
    name,
    batches,
    (r) => ({ type: 'Point', coordinates: r.position }),
    ({ position: _p, responder, ...props }) =>
      responder ? { ...props, responder: responder.name, responderKind: responder.kind } : props,
    { id: (r) => r.id },
  );
}
