import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  MAX_REQUESTS,
  parseW3c,
  requestWindow,
  toXml,
  w3c,
  type AttributeInput,
  type Open311Format,
  type XmlValue,
} from '../../geo/open311.ts';
import type { Db } from '../db/client.ts';
import { handleError } from '../errors.ts';
import type { ApiKeys } from '../services/api-keys.ts';
import { DomainError, invalid, notFound } from '../services/domain-error.ts';
import * as s from '../services/open311.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { textProblem } from '../request-guards.ts';
import { router } from './openapi.ts';

/** When this interface last changed (the discovery document's changeset). */
const CHANGESET = new Date('2026-12-01T00:00:00+08:00');

/** `services.json` → ['services', 'json']; a file with another extension is not found. */
function fileOf(file: string): { name: string; format: Open311Format } {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  if (!m)
    throw notFound(
      'format_not_found',
      `'${file}' has no format: add .json or .xml (e.g. services.json)`,
    );
  return { name: m[1]!, format: m[2] as Open311Format };
}

/** The format an error is written in: the extension asked for, JSON when there is none. */
function formatOfPath(path: string): Open311Format {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

function send(
  c: Context,
  format: Open311Format,
  status: ContentfulStatusCode,
  json: unknown,
  xml: string,
) {
  if (format === 'xml') {
    c.header('content-type', 'text/xml; charset=utf-8');
    return c.body(xml, status);
  }
  return c.json(json, status);
}

/** An answer already written out (cached as text). */
function sendText(c: Context, format: Open311Format, text: string) {
  c.header(
    'content-type',
    format === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8',
  );
  return c.body(text, 200);
}

/** The spec's error answer: `[{ code, description }]` or `<errors><error>…</error></errors>`. */
function errors(
  c: Context,
  format: Open311Format,
  status: ContentfulStatusCode,
  description: string,
) {
  const list = [{ code: status, description }];
  return send(
    c,
    format,
    status,
    list,
    toXml(
      'errors',
      list.map((error) => ({ error })),
    ),
  );
}

/**
 * Every failure in the spec's shape: a service's refusal keeps its status and message; the rest
 * (a database outage's 503, an unexpected 500) goes through the shared handler first, so the
 * status, the logging and the Retry-After are the same as everywhere else.
 */
export async function open311Errors(err: unknown, c: Context) {
  const format = formatOfPath(new URL(c.req.url).pathname);
  if (err instanceof DomainError) {
    const status = (
      {
        invalid: 400,
        unauthenticated: 401,
        forbidden: 403,
        not_found: 404,
        conflict: 409,
        rate_limited: 429,
        unavailable: 503,
      } as const
    )[err.kind];
    if (err.retryAfterSeconds !== undefined) c.header('retry-after', String(err.retryAfterSeconds));
    return errors(c, format, status, err.message);
  }
  const res = handleError(err, c);
  const body = (await res.json()) as { error: { message: string } };
  return errors(c, format, res.status as ContentfulStatusCode, body.error.message);
}

/** A zod failure as a 400 whose description names the parameter. */
function parsed<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0]!;
  const name = first.path.length ? first.path.join('.') : 'request';
  throw invalid('field_invalid', `parameter '${name}' ${first.message}`, name);
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .superRefine((v, ctx) => {
      const problem = textProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const number = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `must be a number (${name})` })
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, `must be from ${min} to ${max}`);

const RequestBody = z.object({
  api_key: text(200).optional(),
  jurisdiction_id: text(100).optional(),
  service_code: text(50).pipe(z.string().min(1, 'is required')),
  lat: number('latitude, WGS-84', -90, 90).optional(),
  long: number('longitude, WGS-84', -180, 180).optional(),
  address_string: text(200).optional(),
  address_id: z.coerce
    .number({ message: 'must be a compound id' })
    .int('must be a compound id')
    .min(1, 'must be a compound id')
    .max(2147483647, 'must be a compound id')
    .optional(),
  email: text(254)
    .pipe(z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'))
    .optional(),
  device_id: text(100).optional(),
  account_id: text(100).optional(),
  first_name: text(20).optional(),
  last_name: text(20).optional(),
  phone: text(30)
    .pipe(z.string().regex(/^\+?[\d\s-]{5,20}$/, 'must be a phone number of 5 to 20 digits'))
    .optional(),
  // As intake's description.
  description: text(2000).optional(),
  media_url: text(500)
    .pipe(z.string().regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL'))
    .optional(),
});

const ATTRIBUTE = /^attribute\[([^\]]{1,50})\](\[\])?$/;

/**
 * The POST's fields as the spec sends them (form-encoded, `attribute[code]=value`, repeated or
 * `attribute[code][]` for lists) or as JSON (the same names, or `attribute: { code: value }`).
 * Empty fields are absent, as forms send every input they have.
 */
async function readRequestFields(
  c: Context,
): Promise<{ fields: Record<string, unknown>; attributes: AttributeInput }> {
  const type = c.req.header('content-type') ?? '';
  const fields: Record<string, unknown> = {};
  const attributes: AttributeInput = {};
  const addAttribute = (code: string, value: string, list: boolean) => {
    const prev = attributes[code];
    if (prev === undefined) attributes[code] = list ? [value] : value;
    else attributes[code] = [...(Array.isArray(prev) ? prev : [prev]), value];
  };
  const add = (name: string, value: unknown) => {
    if (value === '' || value === null || value === undefined) return;
    const m = ATTRIBUTE.exec(name);
    if (m) {
      for (const v of Array.isArray(value) ? value : [value])
        addAttribute(m[1]!, String(v), !!m[2]);
      return;
    }
    if (name === 'attribute' && typeof value === 'object' && !Array.isArray(value)) {
      for (const [code, v] of Object.entries(value as Record<string, unknown>))
        for (const one of Array.isArray(v) ? v : [v])
          addAttribute(code, String(one), Array.isArray(v));
      return;
    }
    if (name in fields)
      throw invalid('field_invalid', `parameter '${name}' is given more than once`, name);
    fields[name] = typeof value === 'number' ? String(value) : value;
  };
  if (/^application\/json\b/i.test(type)) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw invalid('field_invalid', 'the body is not valid JSON', 'request');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw invalid(
        'field_invalid',
        'the JSON body must be an object of the spec’s fields',
        'request',
      );
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) add(k, v);
  } else if (/^application\/x-www-form-urlencoded\b/i.test(type) || type === '') {
    for (const [k, v] of new URLSearchParams(await c.req.text())) {
      const problem = textProblem(k) ?? textProblem(v);
      if (problem) throw invalid('field_invalid', `parameter '${k}' ${problem}`, k);
      add(k, v);
    }
  } else {
    throw invalid(
      'unsupported_media_type',
      `send the request form-encoded (application/x-www-form-urlencoded) or as JSON, not '${type}'`,
      'content-type',
    );
  }
  return { fields, attributes };
}

const csv = (v: string | undefined) =>
  v === undefined
    ? null
    : v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

const ListQuery = z.object({
  jurisdiction_id: z.string().optional(),
  service_request_id: z.string().max(2000, 'must list at most 2000 characters of ids').optional(),
  service_code: z.string().max(500).optional(),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  status: z.string().optional(),
  page: z.coerce
    .number({ message: 'must be a page number from 1' })
    .int('must be a page number from 1')
    .min(1, 'must be a page number from 1')
    .max(100_000, 'must be a page number up to 100000')
    .default(1),
  page_size: z.coerce
    .number({ message: `must be from 1 to ${MAX_REQUESTS}` })
    .int(`must be from 1 to ${MAX_REQUESTS}`)
    .min(1, `must be from 1 to ${MAX_REQUESTS}`)
    .max(MAX_REQUESTS, `must be from 1 to ${MAX_REQUESTS}`)
    .default(MAX_REQUESTS),
});

function dateOf(name: 'start_date' | 'end_date', value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  const d = parseW3c(value);
  if (!d)
    throw invalid(
      'field_invalid',
      `parameter '${name}' must be a W3C datetime such as 2026-11-01T00:00:00+08:00 (or a date, 2026-11-01)`,
      name,
    );
  return d;
}

/** The spec's `GET requests` parameters as a query; `service_request_id` overrides the rest. */
function requestQuery(raw: Record<string, string>): s.RequestQuery {
  const p = parsed(ListQuery, raw);
  s.checkJurisdiction(p.jurisdiction_id);
  const codes = csv(p.service_request_id);
  if (codes && codes.length > 0) {
    if (codes.length > MAX_REQUESTS)
      throw invalid(
        'field_invalid',
        `parameter 'service_request_id' lists more than ${MAX_REQUESTS} ids`,
        'service_request_id',
      );
    return { kind: 'codes', codes };
  }
  const serviceCodes = csv(p.service_code);
  for (const code of serviceCodes ?? []) {
    if (!s.services().some((x) => x.service_code === code))
      throw invalid(
        'field_invalid',
        `parameter 'service_code': '${code}' is not a service; GET services.json lists them`,
        'service_code',
      );
  }
  const status = csv(p.status);
  for (const st of status ?? [])
    if (st !== 'open' && st !== 'closed')
      throw invalid(
        'field_invalid',
        `parameter 'status' must be open, closed or open,closed (got '${st}')`,
        'status',
      );
  // Up to the next whole minute: the same default window for a minute, so one cached answer
  // serves every client asking meanwhile (no ticket is received in the future).
  const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const w = requestWindow(dateOf('start_date', p.start_date), dateOf('end_date', p.end_date), now);
  if (!w.ok) throw invalid('field_invalid', w.error, 'start_date');
  return {
    kind: 'window',
    from: w.from,
    to: w.to,
    serviceCodes: serviceCodes?.length ? serviceCodes : null,
    status: status?.length ? (status as ('open' | 'closed')[]) : null,
    page: p.page,
    pageSize: p.page_size,
  };
}

const requestsXml = (rows: object[]) =>
  toXml(
    'service_requests',
    rows.map((request) => ({ request: request as XmlValue })),
  );

const rendering: Record<Open311Format, s.Rendering> = {
  json: { key: 'json', render: (rows) => JSON.stringify(rows) },
  xml: { key: 'xml', render: requestsXml },
};

/** Open311 GeoReport v2 at /open311/v2 (docs/open311.md). */
export function open311Routes(db: Db, cache: ReadCache, keys: ApiKeys) {
  const app = router();
  app.onError(open311Errors);
  app.get('/:file', async (c) => {
    const { name, format } = fileOf(c.req.param('file'));
    s.checkJurisdiction(c.req.query('jurisdiction_id'));
    switch (name) {
      case 'discovery': {
        const base = new URL(c.req.url);
        const url = `${base.origin}/open311/v2`;
        const endpoint = {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url,
          changeset: w3c(CHANGESET),
          type: 'production' as const,
        };
        const formats = ['text/xml', 'application/json'];
        return send(
          c,
          format,
          200,
          {
            changeset: w3c(CHANGESET),
            contact: '兰州市民情地图（12345 热线对接）',
            key_service: 'API keys are issued by the city administrator (see docs/open311.md)',
            endpoints: [{ ...endpoint, formats }],
          },
          toXml('discovery', {
            changeset: w3c(CHANGESET),
            contact: '兰州市民情地图（12345 热线对接）',
            key_service: 'API keys are issued by the city administrator (see docs/open311.md)',
            endpoints: [
              { endpoint: { ...endpoint, formats: formats.map((f) => ({ format: f })) } },
            ],
          }),
        );
      }
      case 'services': {
        const list = s.services();
        return send(
          c,
          format,
          200,
          list,
          toXml(
            'services',
            list.map((service) => ({ service: { ...service } })),
          ),
        );
      }
      case 'requests': {
        const text = await s.listRequests(
          db,
          cache,
          requestQuery(c.req.query()),
          rendering[format],
        );
        return sendText(c, format, text);
      }
      default:
        throw notFound(
          'not_found',
          `No such Open311 resource '${name}': try services, requests or discovery`,
        );
    }
  });
  app.get('/services/:file', (c) => {
    const { name, format } = fileOf(c.req.param('file'));
    s.checkJurisdiction(c.req.query('jurisdiction_id'));
    const def = s.serviceDefinition(name);
    return send(
      c,
      format,
      200,
      def,
      toXml('service_definition', {
        service_code: def.service_code,
        attributes: def.attributes.map((a) => ({
          attribute: { ...a, values: a.values.map((value) => ({ value: { ...value } })) },
        })),
      }),
    );
  });
  app.get('/requests/:file', async (c) => {
    const { name, format } = fileOf(c.req.param('file'));
    s.checkJurisdiction(c.req.query('jurisdiction_id'));
    return sendText(c, format, await s.requestDetail(db, cache, name, rendering[format]));
  });
  app.get('/tokens/:file', async (c) => {
    const { name, format } = fileOf(c.req.param('file'));
    s.checkJurisdiction(c.req.query('jurisdiction_id'));
    const rows = await s.tokenDetail(db, name);
    return send(c, format, 200, rows, requestsXml(rows));
  });
  app.post('/:file', async (c) => {
    const { name, format } = fileOf(c.req.param('file'));
    if (name !== 'requests')
      throw notFound('not_found', `Requests are filed with POST requests.${format}`);
    const { fields, attributes } = await readRequestFields(c);
    const body = parsed(RequestBody, fields);
    const unknown = Object.keys(fields).find((k) => !(k in RequestBody.shape));
    if (unknown)
      throw invalid(
        'field_invalid',
        `parameter '${unknown}' is not a field of a GeoReport v2 request`,
        unknown,
      );
    const result = await s.createRequest(
      db,
      keys,
      { actor: c.get('actor'), apiKey: c.get('apiKey') },
      { ...body, attributes },
    );
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    const list = [result.body];
    return send(c, format, result.replayed ? 200 : 201, list, requestsXml(list));
  });
  return app;
}
