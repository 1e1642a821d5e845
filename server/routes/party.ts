import { createRoute, z } from '@hono/zod-openapi';
import { GAP_KINDS } from '../../geo/party.ts';
import {
  GapTask,
  GapTaskList,
  PartyCoverage,
  PartyCoverageMap,
  PartyTree,
  StewardChange,
} from '../contract/party.ts';
import type { Db } from '../db/client.ts';
import { placeRule } from '../policy.ts';
import * as party from '../services/party.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import {
  booleanParam,
  dayParam,
  idField,
  idParam,
  limitParam,
  offsetParam,
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
import { pagedBatches } from '../services/exports.ts';
import {
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  point,
  streamCsv,
  streamGeoJson,
} from './exports.ts';
import { GAP_COLUMNS } from './exports-operations.ts';
import { withCompoundPoints } from '../services/export-places.ts';

const areaQuery = idParam.optional().openapi(queryDoc('area'));
const kindMessage = `must be one of ${GAP_KINDS.join(', ')}`;
const STATUSES = ['active', 'open', 'assigned', 'closed', 'all'] as const;

const AssignBody = z
  .object({
    assignee: textField(1, 40),
    dueOn: dayParam,
    note: textField(0, 200).optional(),
  })
  .strict();
const WaiveBody = z.object({ reason: textField(2, 200) }).strict();
const StewardBody = z.object({ memberId: idField }).strict();

/**
 * 党建引领 (/api/party): coverage and its choropleth, the organisation tree, the gap list and the
 * writes that fill gaps (党员中心户) or follow them (assign, waive).
 */
export function partyRoutes(db: Db, cache: ReadCache) {
  // The organisation changes only through this router (and the seed): a write moves the key on,
  // so the next read in this process loads afresh; other processes after the cache's 30 s.
  const reads = new Generations(cache, 'party');
  const changed = <T>(value: T) => reads.changed(value);
  const cached = <T>(key: string, load: () => Promise<T>) => reads.get(key, load);

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/coverage',
        summary:
          "Coverage of an area's children (the city's districts by default): company, owners' committee, branch, 党员中心户, gaps, with a ranking",
        request: { query: z.object({ area: areaQuery }) },
        responses: {
          200: { description: 'Totals and one row per child', content: json(PartyCoverage) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area } = c.req.valid('query');
        const actor = c.get('actor');
        const rule = actor ? JSON.stringify(placeRule(actor, 'party.read')) : 'public';
        return c.json(
          (await cached(`coverage:${rule}:${area ?? ''}`, () =>
            party.coverage(db, actor, area),
          )) as PartyCoverage,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/coverage/map',
        summary: "The coverage choropleth: the area's children as GeoJSON with score and gaps",
        request: {
          query: z.object({
            area: areaQuery,
            zoom: z.coerce
              .number({ message: 'must be a number from 0 to 22' })
              .min(0, 'must be a number from 0 to 22')
              .max(22, 'must be a number from 0 to 22')
              .default(12)
              .openapi(queryDoc('zoom')),
          }),
        },
        responses: {
          200: {
            description: 'One feature per child area',
            content: json(unchecked(PartyCoverageMap)),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area, zoom } = c.req.valid('query');
        const actor = c.get('actor');
        const rule = actor ? JSON.stringify(placeRule(actor, 'party.read')) : 'public';
        const z0 = Math.round(zoom);
        return c.json(
          await cached(`map:${rule}:${area ?? ''}:${z0}`, () =>
            party.coverageMap(db, actor, area, z0),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/tree',
        summary:
          "The organisation of a compound (branch, groups, members, buildings with their 党员中心户, owners' committee with 交叉任职, 包联/包抓) or of a community",
        request: { query: z.object({ area: idParam.openapi(queryDoc('area')) }) },
        responses: {
          200: {
            description: 'The tree (personal data masked without party.personal)',
            content: json(PartyTree),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area } = c.req.valid('query');
        const actor = c.get('actor');
        const key = actor ? `${actor.role}:${actor.scope.kind}:${actor.scope.id}` : 'public';
        return c.json(
          (await cached(`tree:${key}:${area}`, () => party.tree(db, actor, area))) as PartyTree,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/gaps',
        summary: 'The gap tasks of an area, overdue first (status active: open or assigned)',
        request: {
          query: z.object({
            area: areaQuery,
            kind: z.enum(GAP_KINDS, { message: kindMessage }).optional().openapi(queryDoc('kind')),
            status: z
              .enum(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
              .default('active')
              .openapi(queryDoc('status')),
            overdue: booleanParam.optional().openapi(queryDoc('overdue')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every task of the filter as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of gap tasks; with format=csv|geojson every task as a file',
            content: { ...json(GapTaskList), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json') {
          // The first page answers the checks (scope, area) before the file starts; the list is
          // bounded by the compounds and buildings of the city, so it is read page by page.
          const first = await party.gaps(db, actor, { ...f, offset: 0, limit: 500 });
          const batches = pagedBatches((offset, limit) =>
            offset === 0 ? Promise.resolve(first) : party.gaps(db, actor, { ...f, offset, limit }),
          );
          const name = fileName(`party-gaps-${f.status}`, format);
          if (format === 'csv') return streamCsv(c, name, columnsIn(lang, GAP_COLUMNS), batches);
          return streamGeoJson(
            c,
            name,
            withCompoundPoints(db, batches),
            (r) => (r.point ? point(r.point) : null),
            ({ point: _p, canManage: _m, ...r }) => r,
            { id: (r) => r.id },
          );
        }
        const key = actor ? `${actor.role}:${actor.scope.kind}:${actor.scope.id}` : 'public';
        return c.json(
          (await cached(`gaps:${key}:${JSON.stringify(f)}`, () =>
            party.gaps(db, actor, f),
          )) as GapTaskList,
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/gaps/{id}/assign',
        summary: 'Assign a gap task to someone with a due date (party.manage)',
        request: { params: idParams, body: jsonBody(AssignBody) },
        responses: {
          200: { description: 'The task, assigned', content: json(GapTask) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            (await party.assignGap(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json'),
            )) as GapTask,
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/gaps/{id}/waive',
        summary: 'Close a gap task as waived, with the reason (party.manage)',
        request: { params: idParams, body: jsonBody(WaiveBody) },
        responses: {
          200: { description: 'The task, closed', content: json(GapTask) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            (await party.waiveGap(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json').reason,
            )) as GapTask,
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/buildings/{id}/steward',
        summary:
          "Make a party member of the community the building's 党员中心户; its gap task closes as filled (party.manage)",
        request: { params: idParams, body: jsonBody(StewardBody) },
        responses: {
          200: {
            description: 'The change, with the tasks it closed',
            content: json(StewardChange),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        try {
          return c.json(
            await party.assignSteward(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json').memberId,
            ),
            200,
          );
        } finally {
          changed(null);
        }
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/buildings/{id}/steward',
        summary: "Remove the building's 党员中心户; a gap task opens (party.manage)",
        request: { params: idParams },
        responses: {
          200: { description: 'The change, with the task it opened', content: json(StewardChange) },
          ...errorResponses,
        },
      }),
      async (c) => {
        try {
          return c.json(
            await party.removeSteward(db, c.get('actor'), c.req.valid('param').id),
            200,
          );
        } finally {
          changed(null);
        }
      },
    );
}
