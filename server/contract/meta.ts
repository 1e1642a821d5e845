import { z } from '@hono/zod-openapi';
import { AreaLevel, BBox, Timestamp } from './common.ts';
import { RoleKey } from './session.ts';

const Rgb = z.tuple([z.number(), z.number(), z.number()]).readonly();
/** A vocabulary entry: its key, its Chinese and English names and its colour on the map. */
export const VocabTerm = z
  .object({ key: z.string(), zh: z.string(), en: z.string(), color: Rgb })
  .openapi('VocabTerm');
const Label = { zh: z.string(), en: z.string() };
// The vocabularies are the shared constants of geo/vocabulary.ts, read-only.
const Terms = z.array(VocabTerm).readonly();

export const Department = z
  .object({ id: z.number(), code: z.string(), name: z.string() })
  .openapi('Department');
export const PropertyCompany = z
  .object({
    id: z.number(),
    name: z.string(),
    creditScore: z.number(),
    list: z.enum(['red', 'black', 'none']),
  })
  .openapi('PropertyCompany');

/** Vocabularies, pickers, city bounds, data range and the basemap setting. */
export const Meta = z
  .object({
    city: z.object({ name: z.string(), code: z.string() }),
    levels: z.array(z.object({ key: AreaLevel, ...Label })),
    ticketCategories: Terms,
    ticketChannels: Terms,
    ticketStatuses: Terms,
    openTicketStatuses: z.array(z.string()).readonly(),
    hazardTypes: Terms,
    hazardSeverities: Terms,
    hazardStatuses: Terms,
    ratingColors: Terms,
    roles: z.array(z.object({ key: RoleKey, ...Label })).readonly(),
    ticketActions: z
      .array(
        z.object({
          key: z.string(),
          ...Label,
          from: z.array(z.string()).readonly(),
          to: z.string(),
          by: z.string(),
        }),
      )
      .readonly(),
    hazardActions: z
      .array(
        z.object({
          key: z.string(),
          ...Label,
          from: z.array(z.string()).readonly(),
          to: z.string(),
        }),
      )
      .readonly(),
    whistleStates: Terms,
    departments: z.array(Department),
    propertyCompanies: z.array(PropertyCompany),
    bounds: BBox.nullable(),
    dataRange: z.object({ from: Timestamp.nullable(), to: Timestamp.nullable() }),
    basemap: z.object({
      styleUrl: z.string().nullable(),
      /** A local PMTiles basemap served by the app (BASEMAP_PMTILES), used before the style. */
      pmtilesUrl: z.string().nullable(),
    }),
    coordinateSystem: z.string(),
  })
  .openapi('Meta');

export type VocabTerm = z.infer<typeof VocabTerm>;
export type Department = z.infer<typeof Department>;
export type PropertyCompany = z.infer<typeof PropertyCompany>;
export type Meta = z.infer<typeof Meta>;
