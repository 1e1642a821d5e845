import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorBody } from '../errors.ts';
import { idParam } from '../validation.ts';

/** Every validation failure becomes a 400 that names the parameter and says what is expected. */
export function router() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const message = result.error.issues
        .map((i) => {
          const name = i.path.length ? i.path.join('.') : 'request';
          return `parameter '${name}' ${i.message}`;
        })
        .join('; ');
      const first = result.error.issues[0];
      const field = first?.path.length ? first.path.join('.') : undefined;
      return c.json(
        errorBody('bad_request', `Invalid ${result.target}: ${message}`, field ? { field } : {}),
        400,
      );
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      reason: z.string().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: {
    description: 'Bad input; the message names the parameter',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'Unknown id', content: { 'application/json': { schema: ErrorSchema } } },
  503: {
    description: 'Database unavailable',
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;

export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.any()),
    count: z.number().optional(),
    limit: z.number().optional(),
    truncated: z.boolean().optional(),
  })
  .openapi('FeatureCollection');

/** A JSON answer whose shape is documented in docs/API.md rather than as a schema. */
export const anyJson = { 'application/json': { schema: z.any() } };

/** OpenAPI metadata of a query parameter. */
export const queryDoc = (name: string, extra: Record<string, unknown> = {}) => ({
  param: { in: 'query' as const, name },
  type: 'string' as const,
  ...extra,
});

export const idParams = z.object({
  id: idParam.openapi({ param: { in: 'path', name: 'id' }, type: 'string' }),
});

export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** `POST /`: creates a record from a JSON body (and honours Idempotency-Key, see `created`). */
export function createRouteOf<S extends z.ZodType>(summary: string, body: S, description: string) {
  return createRoute({
    method: 'post',
    path: '/',
    summary,
    request: { body: jsonBody(body) },
    responses: { 201: { description, content: anyJson }, ...errorResponses },
  });
}

/** `GET /{id}`: one record. */
export function detailRouteOf(summary: string, description: string) {
  return createRoute({
    method: 'get',
    path: '/{id}',
    summary,
    request: { params: idParams },
    responses: { 200: { description, content: anyJson }, ...errorResponses },
  });
}

/** `POST /{id}/<step>`: a step on one record, answered with the record after it. */
export function stepRouteOf<P extends `/{id}/${string}`, S extends z.ZodType>(
  path: P,
  summary: string,
  body: S,
  description: string,
) {
  return createRoute({
    method: 'post',
    path,
    summary,
    request: { params: idParams, body: jsonBody(body) },
    responses: { 200: { description, content: anyJson }, ...errorResponses },
  });
}

/** 201 with the record; `Idempotent-Replayed: true` when a retried key got the first answer. */
export function created(c: Context, r: { body: unknown; replayed: boolean }) {
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(r.body, 201);
}
