import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  AREA_LEVELS,
  OPEN_TICKET_STATUSES,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
} from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { badRequest } from '../errors.ts';
import * as analytics from '../services/analytics.ts';
import type { ReadCache } from '../services/read-cache.ts';
import {
  checkedRange,
  dateParam,
  idParam,
  keyListParam,
  limitParam,
  offsetParam,
} from '../validation.ts';
import {
  AreaRankRow,
  CellDetail,
  Compare,
  CompoundFacts,
  CoverageRisk,
  Emerging,
  Hotspots,
  Renovation,
  SelectionDetail,
  Series,
} from '../contract/analytics.ts';
import { errorResponses, jsonBody, queryDoc, router } from './openapi.ts';
import {
  cellPolygon,
  exportFormat,
  featureCollection,
  fileName,
  point,
  sendCsv,
  sendGeoJsonFile,
  toCsv,
  type Column,
  type ExportFormat,
} from './exports.ts';
import { areaGeometries } from '../services/areas.ts';

const filterParams = {
  category: keyListParam(TICKET_CATEGORIES).optional().openapi(queryDoc('category')),
  channel: keyListParam(TICKET_CHANNELS).optional().openapi(queryDoc('channel')),
  status: keyListParam(TICKET_STATUSES, { open: OPEN_TICKET_STATUSES })
    .optional()
    .openapi(queryDoc('status')),
  from: dateParam.optional().openapi(queryDoc('from')),
  to: dateParam.optional().openapi(queryDoc('to')),
};
const resParam = z
  .enum(['7', '8', '9'], { message: 'must be 7, 8 or 9' })
  .default('8')
  .transform((s) => Number(s) as analytics.Resolution)
  .openapi(queryDoc('res'));
const kParam = z
  .enum(['1', '2', '3'], { message: 'must be 1, 2 or 3 (rings of neighbouring cells)' })
  .default('1')
  .transform(Number)
  .openapi(queryDoc('k'));
const levelParam = z.enum(AREA_LEVELS, {
  message: `must be one of ${AREA_LEVELS.join(', ')}`,
});
const yearParam = z.coerce
  .number({ message: 'must be a year from 1900 to 2100' })
  .int('must be a year from 1900 to 2100')
  .min(1900, 'must be a year from 1900 to 2100')
  .max(2100, 'must be a year from 1900 to 2100');

/** `FROM,TO` of one compared period. */
const periodParam = (name: string) =>
  z
    .string()
    .transform((s, ctx) => {
      const parts = s.split(',');
      const from = parts.length === 2 ? dateParam.safeParse(parts[0]) : undefined;
      const to = parts.length === 2 ? dateParam.safeParse(parts[1]) : undefined;
      if (!from?.success || !to?.success || from.data >= to.data) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be FROM,TO: two ISO dates, the first before the second',
        });
        return z.NEVER;
      }
      return { from: from.data, to: to.data };
    })
    .openapi(queryDoc(name));

type Filters = {
  category?: string[];
  channel?: string[];
  status?: string[];
  from?: Date;
  to?: Date;
};
const filterOf = (q: Filters): analytics.AnalyticsFilter => ({
  range: checkedRange(q.from, q.to),
  categories: q.category,
  channels: q.channel,
  statuses: q.status,
});
const listKey = (l?: readonly string[]) => (l ? [...l].sort().join(',') : '');
const filterKey = (f: analytics.AnalyticsFilter) =>
  `${f.range.from.getTime()}-${f.range.to.getTime()}:${listKey(f.categories)}:${listKey(f.channels)}:${listKey(f.statuses)}`;

/** Answers computed over many tickets; writes make them stale, within the cache's lag. */
const AGGREGATE = { nouns: ['tickets', 'hazards'], aggregate: true } as const;

function answer<T extends object>(
  c: Context,
  format: ExportFormat,
  body: T,
  file: {
    what: string;
    period?: { from: string; to: string };
    rows: (b: T) => readonly unknown[];
    columns: readonly Column<never>[];
    geometry: (row: never) => ReturnType<typeof point> | null;
    members?: (b: T) => Record<string, unknown>;
  },
) {
  if (format === 'json') return c.json(body, 200);
  const rows = file.rows(body) as never[];
  if (format === 'csv')
    return sendCsv(c, toCsv(rows, file.columns), fileName(file.what, 'csv', file.period));
  const props = (r: never) =>
    Object.fromEntries(file.columns.map((col) => [col.header, col.value(r)]));
  return sendGeoJsonFile(
    c,
    featureCollection(rows, file.geometry, props, file.members?.(body) ?? {}),
    fileName(file.what, 'geojson', file.period),
  );
}

const col = <T>(header: string, value: (r: T) => unknown): Column<T> => ({ header, value });

/**
 * The geometry of a row keyed by an area id (its outline, fetched only for a GeoJSON file) or by
 * an H3 cell (its hexagon).
 */
async function keyedGeometry(
  db: Db,
  format: ExportFormat,
  byArea: boolean,
  rows: readonly { key: string }[],
) {
  if (!byArea) return (r: { key: string }) => cellPolygon(r.key);
  const outlines =
    format === 'geojson'
      ? await areaGeometries(
          db,
          rows.map((r) => Number(r.key)),
        )
      : new Map();
  return (r: { key: string }) => outlines.get(Number(r.key)) ?? null;
}

type HotspotRow = z.infer<typeof Hotspots>['cells'][number];
const hotspotColumns = [
  col<HotspotRow>('h3', (r) => r.h3),
  col<HotspotRow>('count', (r) => r.count),
  col<HotspotRow>('households', (r) => r.households),
  col<HotspotRow>('rate_per_100_households', (r) => r.rate),
  col<HotspotRow>('gi_z', (r) => r.z),
  col<HotspotRow>('p', (r) => r.p),
  col<HotspotRow>('q_fdr', (r) => r.q),
  col<HotspotRow>('class', (r) => r.class),
];
type PlaceTicket = z.infer<typeof CellDetail>['tickets'][number];
const ticketColumns = [
  col<PlaceTicket>('id', (r) => r.id),
  col<PlaceTicket>('category', (r) => r.category),
  col<PlaceTicket>('status', (r) => r.status),
  col<PlaceTicket>('received_at', (r) => r.receivedAt),
  col<PlaceTicket>('lon', (r) => r.position[0]),
  col<PlaceTicket>('lat', (r) => r.position[1]),
];

const responses = (schema: z.ZodType, description: string) => ({
  200: {
    description: `${description}; \`format=csv\` (UTF-8 with BOM) or \`format=geojson\` for a file`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string() },
      'application/geo+json': { schema: z.object({}) },
    },
  },
  ...errorResponses,
});

export function analyticsRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/hotspots',
        summary: 'Getis–Ord Gi* hot and cold spots of tickets per H3 cell (FDR-corrected)',
        request: {
          query: z.object({
            ...filterParams,
            res: resParam,
            k: kParam,
            metric: z
              .enum(['count', 'rate'], { message: 'must be count or rate' })
              .default('count')
              .openapi(queryDoc('metric')),
            format: exportFormat,
          }),
        },
        responses: responses(Hotspots, 'Cells of the study area with z, p, q and class'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const filter = filterOf(query);
        const key = `hotspots:${query.res}:${query.k}:${query.metric}:${filterKey(filter)}`;
        const body = await cache.get(
          key,
          () =>
            analytics.hotspots(db, { res: query.res, k: query.k, metric: query.metric, filter }),
          AGGREGATE,
        );
        return answer(c, query.format, body, {
          what: `hotspots-res${query.res}-${query.metric}`,
          period: body.period,
          rows: (b) => b.cells,
          columns: hotspotColumns as Column<never>[],
          geometry: ((r: { h3: string }) => cellPolygon(r.h3)) as never,
          members: (b) => ({ method: b.method, period: b.period }),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/emerging',
        summary: 'Emerging hot spots: Gi* per cell per month and the Mann–Kendall trend',
        request: {
          query: z.object({
            category: filterParams.category,
            channel: filterParams.channel,
            status: filterParams.status,
            months: z.coerce
              .number({ message: 'must be a whole number of months from 3 to 24' })
              .int('must be a whole number of months from 3 to 24')
              .min(3, 'must be a whole number of months from 3 to 24')
              .max(24, 'must be a whole number of months from 3 to 24')
              .default(12)
              .openapi(queryDoc('months')),
            res: resParam,
            k: kParam,
            format: exportFormat,
          }),
        },
        responses: responses(Emerging, 'Cells with their emerging class and trend'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const key = `emerging:${query.res}:${query.k}:${query.months}:${listKey(query.category)}:${listKey(query.channel)}:${listKey(query.status)}:${analytics.lastWholeMonths(1)[0]}`;
        const body = await cache.get(
          key,
          () =>
            analytics.emerging(db, {
              res: query.res,
              k: query.k,
              months: query.months,
              categories: query.category,
              channels: query.channel,
              statuses: query.status,
            }),
          AGGREGATE,
        );
        type Cell = (typeof body.cells)[number];
        return answer(c, query.format, body, {
          what: `emerging-res${query.res}-${query.months}m`,
          rows: (b) => b.cells,
          columns: [
            col<Cell>('h3', (r) => r.h3),
            col<Cell>('class', (r) => r.class),
            col<Cell>('trend_z', (r) => r.trendZ),
            col<Cell>('trend_p', (r) => r.trendP),
            ...body.months.map((m, i) => col<Cell>(m, (r) => r.counts[i])),
          ] as Column<never>[],
          geometry: ((r: { h3: string }) => cellPolygon(r.h3)) as never,
          members: (b) => ({ method: b.method, months: b.months }),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compare',
        summary: 'Two periods per cell or area: counts, difference, ratio and an exact test',
        request: {
          query: z.object({
            category: filterParams.category,
            channel: filterParams.channel,
            status: filterParams.status,
            a: periodParam('a'),
            b: periodParam('b'),
            by: z
              .enum(['h3', 'area'], { message: 'must be h3 or area' })
              .default('h3')
              .openapi(queryDoc('by')),
            res: resParam,
            level: levelParam.default('subdistrict').openapi(queryDoc('level')),
            format: exportFormat,
          }),
        },
        responses: responses(Compare, 'One row per cell or area'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const key = `compare:${query.by}:${query.res}:${query.level}:${query.a.from.getTime()}-${query.a.to.getTime()}:${query.b.from.getTime()}-${query.b.to.getTime()}:${listKey(query.category)}:${listKey(query.channel)}:${listKey(query.status)}`;
        const body = await cache.get(
          key,
          () =>
            analytics.compare(db, {
              a: query.a,
              b: query.b,
              by: query.by,
              res: query.res,
              level: query.level,
              categories: query.category,
              channels: query.channel,
              statuses: query.status,
            }),
          AGGREGATE,
        );
        type Row = (typeof body.rows)[number];
        const geometry = await keyedGeometry(db, query.format, query.by === 'area', body.rows);
        return answer(c, query.format, body, {
          what: `compare-${query.by === 'h3' ? `res${query.res}` : query.level}`,
          rows: (b) => b.rows,
          columns: [
            col<Row>('key', (r) => r.key),
            col<Row>('name', (r) => r.name),
            col<Row>('a', (r) => r.a),
            col<Row>('b', (r) => r.b),
            col<Row>('difference', (r) => r.difference),
            col<Row>('ratio', (r) => r.ratio),
            col<Row>('p', (r) => r.p),
            col<Row>('q_fdr', (r) => r.q),
            col<Row>('significant', (r) => r.significant),
          ] as Column<never>[],
          geometry: geometry as never,
          members: (b) => ({ method: b.method, a: b.a, b: b.b }),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/cells/{h3}',
        summary: 'What lies behind one H3 cell: counts by month and category, compounds, tickets',
        request: {
          params: z.object({
            h3: z
              .string()
              .max(40)
              .openapi({ param: { in: 'path', name: 'h3' } }),
          }),
          query: z.object({ ...filterParams, format: exportFormat }),
        },
        responses: responses(CellDetail, 'The cell; its tickets as positions and categories'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const { h3 } = c.req.valid('param');
        const query = c.req.valid('query');
        const filter = filterOf(query);
        const body = await cache.get(
          `cell:${h3}:${filterKey(filter)}`,
          () => analytics.cellDetail(db, h3, filter),
          AGGREGATE,
        );
        return answer(c, query.format, body, {
          what: `cell-${body.h3}-tickets`,
          period: body.period,
          rows: (b) => b.tickets,
          columns: ticketColumns as Column<never>[],
          geometry: ((r: PlaceTicket) => point(r.position)) as never,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/selection',
        summary: 'What lies inside a drawn polygon over the period',
        request: {
          query: z.object({ format: exportFormat }),
          body: jsonBody(
            z.object({
              polygon: z.object({
                type: z.literal('Polygon', {
                  message: "must be a GeoJSON geometry of type 'Polygon'",
                }),
                coordinates: z
                  .array(
                    z.array(
                      z.tuple([z.number().finite(), z.number().finite()], {
                        message: 'must be [lon, lat]',
                      }),
                    ),
                    { message: 'must be an array of rings of [lon, lat] positions' },
                  )
                  .min(1, 'needs one ring')
                  .max(20, 'at most 20 rings'),
              }),
              from: dateParam.optional(),
              to: dateParam.optional(),
              category: z
                .array(z.enum(TICKET_CATEGORIES.map((t) => t.key) as [string, ...string[]]))
                .optional(),
              channel: z
                .array(z.enum(TICKET_CHANNELS.map((t) => t.key) as [string, ...string[]]))
                .optional(),
            }),
          ),
        },
        responses: responses(
          SelectionDetail,
          'The selection; its tickets as positions and categories',
        ),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const input = c.req.valid('json');
        const query = c.req.valid('query');
        const filter = filterOf(input);
        const body = await analytics.selectionDetail(
          db,
          input.polygon as { type: 'Polygon'; coordinates: [number, number][][] },
          filter,
        );
        return answer(c, query.format, body, {
          what: 'selection-tickets',
          period: body.period,
          rows: (b) => b.tickets,
          columns: ticketColumns as Column<never>[],
          geometry: ((r: PlaceTicket) => point(r.position)) as never,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/series',
        summary: 'Tickets per day or month and per category, for the city or an area',
        request: {
          query: z.object({
            ...filterParams,
            area: idParam.optional().openapi(queryDoc('area')),
            grain: z
              .enum(['day', 'month'], { message: 'must be day or month' })
              .default('day')
              .openapi(queryDoc('grain')),
            format: exportFormat,
          }),
        },
        responses: responses(Series, 'Buckets oldest first'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        if (query.format === 'geojson')
          throw badRequest("parameter 'format': a time series has no geometry; use json or csv");
        const filter = filterOf(query);
        const body = await cache.get(
          `series:${query.area}:${query.grain}:${filterKey(filter)}`,
          () => analytics.series(db, { area: query.area, grain: query.grain, filter }),
          { ...AGGREGATE, area: query.area },
        );
        type Bucket = (typeof body.buckets)[number];
        return answer(c, query.format, body, {
          what: `series-${query.grain}`,
          period: body.period,
          rows: (b) => b.buckets,
          columns: [
            col<Bucket>('start', (r) => r.start),
            col<Bucket>('count', (r) => r.count),
          ] as Column<never>[],
          geometry: () => null,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/areas',
        summary: 'Areas of a level ranked by ticket count, with households and the rate per 100',
        request: {
          query: z.object({
            ...filterParams,
            level: levelParam.default('subdistrict').openapi(queryDoc('level')),
            parent: idParam.optional().openapi(queryDoc('parent')),
            format: exportFormat,
          }),
        },
        responses: responses(
          z.object({
            period: z.object({ from: z.string(), to: z.string() }),
            rows: z.array(AreaRankRow),
          }),
          'Areas, most tickets first',
        ),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const filter = filterOf(query);
        const body = await cache.get(
          `arearank:${query.level}:${query.parent}:${filterKey(filter)}`,
          () => analytics.areaRanking(db, { level: query.level, parent: query.parent, filter }),
          { ...AGGREGATE, area: query.parent },
        );
        type Row = (typeof body.rows)[number];
        const geometry = await keyedGeometry(
          db,
          query.format,
          true,
          body.rows.map((r) => ({ key: String(r.id) })),
        );
        return answer(c, query.format, body, {
          what: `areas-${query.level}`,
          period: body.period,
          rows: (b) => b.rows,
          columns: [
            col<Row>('id', (r) => r.id),
            col<Row>('level', (r) => r.level),
            col<Row>('name', (r) => r.name),
            col<Row>('count', (r) => r.count),
            col<Row>('households', (r) => r.households),
            col<Row>('rate_per_100_households', (r) => r.rate),
            col<Row>('open', (r) => r.open),
            col<Row>('closed', (r) => r.closed),
          ] as Column<never>[],
          geometry: ((r: { id: number }) => geometry({ key: String(r.id) })) as never,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/renovation',
        summary: 'Compounds ranked as renovation candidates by a transparent weighted score',
        request: {
          query: z.object({
            builtBefore: z
              .union([z.literal('any'), yearParam], { message: "must be a year or 'any'" })
              .default(analytics.POLICY_BUILT_BEFORE)
              .openapi(queryDoc('builtBefore')),
            area: idParam.optional().openapi(queryDoc('area')),
            from: filterParams.from,
            to: filterParams.to,
            limit: limitParam(5000, 100).openapi(queryDoc('limit')),
            offset: offsetParam.default(0).openapi(queryDoc('offset')),
            format: exportFormat,
          }),
        },
        responses: responses(Renovation, 'Compounds, highest score first'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const range = checkedRange(query.from, query.to);
        const builtBefore = query.builtBefore === 'any' ? null : query.builtBefore;
        const body = await cache.get(
          `renovation:${builtBefore}:${query.area}:${range.from.getTime()}-${range.to.getTime()}:${query.limit}:${query.offset}`,
          () =>
            analytics.renovation(db, {
              builtBefore,
              area: query.area,
              range,
              limit: query.limit,
              offset: query.offset,
            }),
          { ...AGGREGATE, area: query.area },
        );
        type Row = (typeof body.rows)[number];
        return answer(c, query.format, body, {
          what: `renovation${builtBefore ? `-before${builtBefore}` : ''}`,
          period: body.method.period,
          rows: (b) => b.rows,
          columns: [
            col<Row>('rank', (r) => r.rank),
            col<Row>('score', (r) => r.score),
            col<Row>('compound_id', (r) => r.id),
            col<Row>('name', (r) => r.name),
            col<Row>('district', (r) => r.district),
            col<Row>('subdistrict', (r) => r.subdistrict),
            col<Row>('year_built', (r) => r.yearBuilt),
            col<Row>('households', (r) => r.households),
            col<Row>('pipe_condition', (r) => r.pipeCondition),
            col<Row>('roof_condition', (r) => r.roofCondition),
            col<Row>('elevator_candidates', (r) => r.elevatorCandidates),
            col<Row>('facility_tickets', (r) => r.facilityTickets),
            col<Row>('facility_rate_per_100_households', (r) => r.facilityRate),
            col<Row>('open_hazards', (r) => r.openHazards),
            col<Row>('repeat_tickets', (r) => r.repeats),
            ...Object.keys(body.method.weights).map((k) =>
              col<Row>(`factor_${k}`, (r) => r.factors[k as keyof Row['factors']]),
            ),
            col<Row>('lon', (r) => r.position[0]),
            col<Row>('lat', (r) => r.position[1]),
          ] as Column<never>[],
          geometry: ((r: Row) => point(r.position)) as never,
          members: (b) => ({ method: b.method, total: b.total }),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/coverage',
        summary: 'Patrols against risk per grid or H3 cell, most under-patrolled first',
        request: {
          query: z.object({
            by: z
              .enum(['grid', 'h3'], { message: 'must be grid or h3' })
              .default('grid')
              .openapi(queryDoc('by')),
            res: resParam,
            area: idParam.optional().openapi(queryDoc('area')),
            from: filterParams.from,
            to: filterParams.to,
            format: exportFormat,
          }),
        },
        responses: responses(CoverageRisk, 'Places ranked by how far patrols fall short of risk'),
      }),
      async (c) => {
        const actor = analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const range = checkedRange(query.from, query.to);
        const scopeKey = query.area ?? (actor.scope.kind === 'area' ? actor.scope.id : 'city');
        const body = await cache.get(
          `coverage:${query.by}:${query.res}:${scopeKey}:${range.from.getTime()}-${range.to.getTime()}`,
          () =>
            analytics.coverageAgainstRisk(db, actor, {
              by: query.by,
              res: query.res,
              area: query.area,
              range,
            }),
          { nouns: ['tickets', 'hazards', 'patrols'], aggregate: true },
        );
        type Row = (typeof body.rows)[number];
        const geometry = await keyedGeometry(db, query.format, query.by === 'grid', body.rows);
        return answer(c, query.format, body, {
          what: `coverage-${query.by === 'grid' ? 'grids' : `res${query.res}`}`,
          period: body.period,
          rows: (b) => b.rows,
          columns: [
            col<Row>('rank', (r) => r.rank),
            col<Row>('key', (r) => r.key),
            col<Row>('name', (r) => r.name),
            col<Row>(query.by === 'grid' ? 'patrols' : 'checkins', (r) => r.visits),
            col<Row>('patrol_hours', (r) => r.hours),
            col<Row>('tickets', (r) => r.tickets),
            col<Row>('hazards', (r) => r.hazards),
            col<Row>('risk', (r) => r.risk),
            col<Row>('expected', (r) => r.expected),
            col<Row>('residual', (r) => r.residual),
            col<Row>('under_patrolled', (r) => r.underPatrolled),
          ] as Column<never>[],
          geometry: geometry as never,
          members: (b) => ({ method: b.method, period: b.period }),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compounds',
        summary: "Every compound's facts: age, pipes, roof, elevator candidates, parking gap",
        request: {
          query: z.object({
            builtBefore: yearParam.optional().openapi(queryDoc('builtBefore')),
            area: idParam.optional().openapi(queryDoc('area')),
            format: exportFormat,
          }),
        },
        responses: responses(z.object({ items: z.array(CompoundFacts) }), 'Compounds in id order'),
      }),
      async (c) => {
        analytics.requireAnalytics(c.get('actor'));
        const query = c.req.valid('query');
        const range = checkedRange(undefined, undefined);
        const items = await cache.get(
          `compoundfacts:${query.builtBefore}:${query.area}`,
          () =>
            analytics.compoundFacts(db, {
              builtBefore: query.builtBefore,
              area: query.area,
              range,
            }),
          { nouns: [], area: query.area },
        );
        const body = { items };
        type Row = (typeof items)[number];
        const keys = Object.keys(items[0] ?? { id: 0 }).filter((k) => k !== 'position');
        return answer(c, query.format, body, {
          what: `compounds${query.builtBefore ? `-before${query.builtBefore}` : ''}`,
          rows: (b) => b.items,
          columns: [
            ...keys.map((k) => col<Row>(k, (r) => r[k as keyof Row])),
            col<Row>('lon', (r) => r.position[0]),
            col<Row>('lat', (r) => r.position[1]),
          ] as Column<never>[],
          geometry: ((r: Row) => point(r.position)) as never,
        });
      },
    );
}
