/**
 * Shapes every noun's answers share. The contract is the API's single description: routes
 * document and type-check their responses with it, the web derives its types from it (type-only
 * imports, so no zod reaches the bundle), and tests/server/contract.test.ts parses real answers
 * with it.
 */
import { z } from '@hono/zod-openapi';
import { AREA_LEVELS } from '../../geo/vocabulary.ts';

/** A moment as the database writes it: ISO 8601 with an offset (`Z` or `+00:00`). */
export const Timestamp = z
  .string()
  .openapi({ format: 'date-time', example: '2026-11-29T12:36:58Z' });

/** WGS-84 [lon, lat]. */
export const LonLat = z.tuple([z.number(), z.number()]).openapi('LonLat');
/** minLon, minLat, maxLon, maxLat */
export const BBox = z.tuple([z.number(), z.number(), z.number(), z.number()]).openapi('BBox');

export const AreaLevel = z.enum(AREA_LEVELS);

/** The area path of a record, from its district down to its compound (if it has one). */
export const AreaIds = z
  .object({
    district: z.number(),
    subdistrict: z.number(),
    community: z.number(),
    grid: z.number(),
    compound: z.number().nullable(),
  })
  .openapi('AreaIds');

export const ResponderKind = z.enum(['property_company', 'department', 'community']);
/** Who answers a ticket: a company, a department, or the community itself (id null). */
export const Responder = z
  .object({ kind: ResponderKind, id: z.number().nullable(), name: z.string() })
  .openapi('Responder');

/** One page of a list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

// GeoJSON (RFC 7946) geometries as the database writes them (ST_AsGeoJSON).
const Position = z.array(z.number());
export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position });
export const LineStringGeometry = z.object({
  type: z.literal('LineString'),
  coordinates: z.array(Position),
});
export const PolygonGeometry = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(Position)),
});
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(z.array(Position))),
});

export const featureOf = <G extends z.ZodType, P extends z.ZodType, I extends z.ZodType>(
  geometry: G,
  properties: P,
  id: I,
) => z.object({ type: z.literal('Feature'), id, geometry, properties });

/** A point layer's FeatureCollection, saying how many it holds and whether the limit cut it. */
export const pointCollectionOf = <F extends z.ZodType>(feature: F) =>
  z.object({
    type: z.literal('FeatureCollection'),
    count: z.number(),
    limit: z.number(),
    truncated: z.boolean(),
    features: z.array(feature),
  });

/** MQP1 binary point columns (geo/point-codec.ts), for `format=binary`. */
export const BinaryPoints = z.string().openapi({ format: 'binary' });
