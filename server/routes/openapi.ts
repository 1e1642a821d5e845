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
  401: {
    description: 'Not signed in',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  403: {
    description: 'The account’s role may not do this',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'Unknown id', content: { 'application/json': { schema: ErrorSchema } } },
  409: {
    description: 'The record is not in a state that allows this',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  503: {
    description: 'Database unavailable',
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;

/** A JSON body described by a contract schema (server/contract/). */
export const json = <S extends z.ZodType>(schema: S) => ({ 'application/json': { schema } });

/**
 * The schema, but typed for the handler as any JSON: for services that still return SQL-built
 * JSON typed `unknown` (or as an interface narrower than the JSON it holds), which tsc cannot hold
 * to the schema. The OpenAPI document still shows the schema and tests/server/contract.test.ts
 * parses real answers with it; once the query types its rows with the contract's types, drop this.
 */
export const unchecked = <S extends z.ZodType>(schema: S) =>
  schema as unknown as z.ZodType<unknown>;

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
export function createRouteOf<S extends z.ZodType, R extends z.ZodType>(
  summary: string,
  body: S,
  description: string,
  response: R,
) {
  return createRoute({
    method: 'post',
    path: '/',
    summary,
    request: { body: jsonBody(body) },
    responses: { 201: { description, content: json(response) }, ...errorResponses },
  });
}

/** `GET /{id}`: one record. */
export function detailRouteOf<R extends z.ZodType>(
  summary: string,
  description: string,
  response: R,
) {
  return createRoute({
    method: 'get',
    path: '/{id}',
    summary,
    request: { params: idParams },
    responses: { 200: { description, content: json(response) }, ...errorResponses },
  });
}

/** `POST /{id}/<step>`: a step on one record, answered with the record after it. */
export function stepRouteOf<P extends `/{id}/${string}`, S extends z.ZodType, R extends z.ZodType>(
  path: P,
  summary: string,
  body: S,
  description: string,
  response: R,
) {
  return createRoute({
    method: 'post',
    path,
    summary,
    request: { params: idParams, body: jsonBody(body) },
    responses: { 200: { description, content: json(response) }, ...errorResponses },
  });
}

/** 201 with the record; `Idempotent-Replayed: true` when a retried key got the first answer. */
export function created<T>(c: Context, r: { body: T; replayed: boolean }) {
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(r.body, 201);
}
