import { createRoute } from '@hono/zod-openapi';
import { HAZARD_ACTIONS, ROLES, TICKET_ACTIONS, WHISTLE_STATES } from '../../geo/operations.ts';
import * as v from '../../geo/vocabulary.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { basemapUrl } from '../services/basemap.ts';
import { cityMeta } from '../services/meta.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { Meta } from '../contract/meta.ts';
import { errorResponses, router, unchecked } from './openapi.ts';

export function metaRoutes(db: Db, cache: ReadCache, config: Config) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Vocabularies, city bounds, data range and basemap setting',
      responses: {
        200: {
          description: 'Metadata',
          content: { 'application/json': { schema: unchecked(Meta) } },
        },
        503: errorResponses[503],
      },
    }),
    async (c) => {
      const [bounds, dataRange, responders] = await cache.get(
        'meta',
        () => cityMeta(db),
        { nouns: ['tickets'], aggregate: true }, // the data range moves with new tickets
      );
      return c.json(
        {
          city: { name: '兰州市', code: '620100' },
          levels: v.AREA_LEVELS.map((key) => ({ key, ...v.AREA_LEVEL_LABELS[key] })),
          ticketCategories: v.TICKET_CATEGORIES,
          ticketChannels: v.TICKET_CHANNELS,
          ticketStatuses: v.TICKET_STATUSES,
          openTicketStatuses: v.OPEN_TICKET_STATUSES,
          hazardTypes: v.HAZARD_TYPES,
          hazardSeverities: v.HAZARD_SEVERITIES,
          hazardStatuses: v.HAZARD_STATUSES,
          ratingColors: v.RATING_COLORS,
          roles: ROLES,
          ticketActions: TICKET_ACTIONS,
          hazardActions: HAZARD_ACTIONS,
          whistleStates: WHISTLE_STATES,
          departments: responders.departments,
          propertyCompanies: responders.propertyCompanies,
          bounds,
          dataRange,
          basemap: {
            styleUrl: config.BASEMAP_STYLE_URL ?? null,
            pmtilesUrl: basemapUrl(config.BASEMAP_PMTILES),
          },
          coordinateSystem: 'EPSG:4326 (WGS-84 / CGCS2000)',
        },
        200,
      );
    },
  );
}
