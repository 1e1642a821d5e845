import { z } from '@hono/zod-openapi';

// OGC API – Features (/ogc): the JSON encodings of the Core resources, as the standard's
// schemas require them (link, landingPage, confClasses, collections, collection,
// featureCollectionGeoJSON). The API's own OpenAPI 3.0 definition is served at /ogc/api.

export const OgcLink = z.object({
  href: z.string().url(),
  rel: z.string(),
  type: z.string(),
  title: z.string(),
});
export type OgcLink = z.infer<typeof OgcLink>;

export const OgcLandingPage = z.object({
  title: z.string(),
  description: z.string(),
  links: z.array(OgcLink),
});

export const OgcConformance = z.object({ conformsTo: z.array(z.string().url()) });

export const OgcExtent = z.object({
  spatial: z.object({
    bbox: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
    crs: z.string(),
  }),
  temporal: z
    .object({
      interval: z.array(z.tuple([z.string().nullable(), z.string().nullable()])),
      trs: z.string(),
    })
    .optional(),
});

export const OgcCollection = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  links: z.array(OgcLink),
  extent: OgcExtent.optional(),
  itemType: z.literal('feature'),
  crs: z.array(z.string()),
  storageCrs: z.string(),
});
export type OgcCollection = z.infer<typeof OgcCollection>;

export const OgcCollections = z.object({
  links: z.array(OgcLink),
  collections: z.array(OgcCollection),
});

const Geometry = z.object({ type: z.string(), coordinates: z.array(z.unknown()) });

export const OgcFeature = z.object({
  type: z.literal('Feature'),
  id: z.number().int(),
  geometry: Geometry.nullable(),
  properties: z.record(z.string(), z.unknown()),
  links: z.array(OgcLink).optional(),
});

export const OgcFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(OgcFeature),
  links: z.array(OgcLink),
  timeStamp: z.string().datetime(),
  numberMatched: z.number().int().nonnegative().optional(),
  numberReturned: z.number().int().nonnegative(),
});
