import { z } from '@hono/zod-openapi';

// Open311 GeoReport v2 (/open311/v2): the JSON forms of the spec's answers. The XML forms carry
// the same fields as elements (docs/open311.md).

/** A W3C datetime with its offset, as we write them: Beijing time, `2026-12-01T10:00:00+08:00`. */
const W3cDatetime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

export const Open311Service = z
  .object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean(),
    type: z.enum(['realtime', 'batch', 'blackbox']),
    keywords: z.string(),
    group: z.string(),
  })
  .openapi('Open311Service');
export const Open311Services = z.array(Open311Service);

export const Open311Attribute = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })),
});

export const Open311ServiceDefinition = z
  .object({ service_code: z.string(), attributes: z.array(Open311Attribute) })
  .openapi('Open311ServiceDefinition');

/** The answer to POST requests: always created at once, with a token as well. */
export const Open311Created = z.array(
  z.object({
    service_request_id: z.string(),
    token: z.string(),
    service_notice: z.string(),
    account_id: z.string().nullable(),
  }),
);

/** One request of GET requests: the public view, no resident's personal data. */
export const Open311Request = z
  .object({
    service_request_id: z.string(),
    status: z.enum(['open', 'closed']),
    status_notes: z.string().nullable(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string(),
    agency_responsible: z.string(),
    service_notice: z.string().nullable(),
    requested_datetime: W3cDatetime,
    updated_datetime: W3cDatetime,
    expected_datetime: W3cDatetime.nullable(),
    address: z.string(),
    address_id: z.string().nullable(),
    zipcode: z.string().nullable(),
    lat: z.number(),
    long: z.number(),
    media_url: z.string().nullable(),
  })
  .strict()
  .openapi('Open311Request');
export const Open311Requests = z.array(Open311Request);

export const Open311Tokens = z.array(
  z.object({ service_request_id: z.string(), token: z.string() }),
);

/** The spec's errors: an array of `{ code, description }` (XML: `<errors><error>…`). */
export const Open311Errors = z.array(z.object({ code: z.number().int(), description: z.string() }));

export const Open311Discovery = z.object({
  changeset: W3cDatetime,
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: W3cDatetime,
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});
