import { createRoute, z } from '@hono/zod-openapi';
import { ApiKey, ApiKeyIssued, ApiKeyList, ApiKeyScope } from '../contract/api-keys.ts';
import { EXPIRES_MAX_DAYS, NAME_MAX, type ApiKeys } from '../services/api-keys.ts';
import { textField } from '../validation.ts';
import { errorResponses, idParams, json, jsonBody, router } from './openapi.ts';

const DAYS = `must be a whole number of days from 1 to ${EXPIRES_MAX_DAYS}`;
const IssueBody = z
  .object({
    name: textField(1, NAME_MAX),
    username: z.string({ message: 'must be the username of an account' }).min(1).max(40),
    scopes: z
      .array(ApiKeyScope, { message: "must list one or more of 'read', 'open311'" })
      .min(1, "must list one or more of 'read', 'open311'")
      .max(2),
    expiresInDays: z
      .number({ message: DAYS })
      .int(DAYS)
      .min(1, DAYS)
      .max(EXPIRES_MAX_DAYS, DAYS)
      .nullable()
      .optional(),
  })
  .strict();

/** API keys for other systems (/api/api-keys): issued, listed and revoked by the city. */
export function apiKeysRoutes(keys: ApiKeys) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Issue an API key acting as an account (the key is shown once)',
        request: { body: jsonBody(IssueBody) },
        responses: {
          201: { description: 'The key', content: json(ApiKeyIssued) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await keys.issue(c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'The API keys, newest first (never the keys themselves)',
        responses: {
          200: { description: 'API keys', content: json(ApiKeyList) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await keys.list(c.get('actor')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/revoke',
        summary: 'Revoke an API key: it stops working within seconds',
        request: { params: idParams },
        responses: {
          200: { description: 'The API key after', content: json(ApiKey) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await keys.revoke(c.get('actor'), c.req.valid('param').id), 200),
    );
}
