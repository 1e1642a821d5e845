import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import { PASSWORD_MAX_LENGTH, USERNAME_PATTERN } from '../../geo/accounts.ts';
import { ROLE_KEYS, type Role } from '../../geo/operations.ts';
import type { Db } from '../db/client.ts';
import { signedIn } from '../services/actors.ts';
import * as s from '../services/accounts.ts';
import { booleanParam, limitParam, offsetParam, textField } from '../validation.ts';
import { AccountPage, BindingAreas, DemoInfo, ManagedAccount } from '../contract/accounts.ts';
import { errorResponses, idParams, json, jsonBody, queryDoc, router } from './openapi.ts';
import { pagedBatches } from '../services/exports.ts';
import {
  columnsIn,
  exportFormat,
  exportLang,
  fileContent,
  fileName,
  streamCsv,
  streamGeoJson,
} from './exports.ts';
import { ACCOUNT_COLUMNS } from './exports-operations.ts';

const role = z.enum(ROLE_KEYS as [Role, ...Role[]], {
  message: `must be one of ${ROLE_KEYS.join(', ')}`,
});
const id = z
  .number({ message: 'must be an id (a positive whole number)' })
  .int('must be an id (a positive whole number)')
  .positive('must be an id (a positive whole number)');
// Length and username rules are the service's (one message for the API and the command line);
// here only the type and an upper bound.
const password = z
  .string({ message: 'must be text' })
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
const phone = z
  .string({ message: 'must be a phone number' })
  .trim()
  .regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number of 5 to 20 digits')
  .nullable()
  .optional();

const CreateBody = z
  .object({
    username: z
      .string({ message: 'must be text' })
      .trim()
      .toLowerCase()
      .regex(
        USERNAME_PATTERN,
        'must be 2 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit',
      ),
    displayName: textField(1, 60),
    role,
    password,
    phone,
    areaId: id.nullable().optional(),
    propertyCompanyId: id.nullable().optional(),
    departmentId: id.nullable().optional(),
  })
  .strict();

const UpdateBody = z
  .object({
    displayName: textField(1, 60).optional(),
    phone,
    role: role.optional(),
    areaId: id.nullable().optional(),
    propertyCompanyId: id.nullable().optional(),
    departmentId: id.nullable().optional(),
  })
  .strict();

/** A change to one account (`/{id}…`) that answers with the account after it. */
function changeRoute<
  M extends 'post' | 'patch',
  P extends string,
  R extends RouteConfig['request'],
>(method: M, path: P, summary: string, request: R) {
  return createRoute({
    method,
    path,
    summary,
    request,
    responses: {
      200: { description: 'The account after', content: json(ManagedAccount) },
      ...errorResponses,
    },
  });
}

export function accountsRoutes(db: Db) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/demo',
        summary: 'Whether this database holds the demo accounts (the sign-in screen says so)',
        responses: {
          200: { description: 'Whether the demo accounts exist', content: json(DemoInfo) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await s.demoInfo(db), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/me/password',
        summary: 'Change your own password (needs the current one); other sessions end',
        request: {
          body: jsonBody(
            z.object({
              currentPassword: z.string({ message: 'must be text' }).min(1, 'is required').max(200),
              newPassword: password,
            }),
          ),
        },
        responses: { 204: { description: 'Changed' }, ...errorResponses },
      }),
      async (c) => {
        await s.changeOwnPassword(
          db,
          signedIn(c.get('actor')),
          c.req.valid('json'),
          c.get('sessionToken'),
        );
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/areas',
        summary: 'Areas an account of a role may be bound to by the caller, by name or code',
        request: {
          query: z.object({
            role: role.openapi(queryDoc('role')),
            q: z.string().trim().max(60).optional().openapi(queryDoc('q')),
          }),
        },
        responses: {
          200: { description: 'Areas to bind to', content: json(BindingAreas) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { role: r, q } = c.req.valid('query');
        return c.json(await s.bindingAreas(db, signedIn(c.get('actor')), r, q), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Accounts the caller manages (all for the city, its subtree for an area)',
        request: {
          query: z.object({
            q: z.string().trim().max(60).optional().openapi(queryDoc('q')),
            role: role.optional().openapi(queryDoc('role')),
            disabled: booleanParam.optional().openapi(queryDoc('disabled')),
            limit: limitParam(500, 100).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every account of the filter as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of accounts; with format=csv|geojson every account as a file',
            content: { ...json(AccountPage), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const manager = signedIn(c.get('actor'));
        if (format === 'json') return c.json(await s.listAccounts(db, manager, f), 200);
        // The first page answers the checks before the file starts; accounts are bounded by the
        // offices of the city, so the list is read page by page through its own service.
        const first = await s.listAccounts(db, manager, { ...f, offset: 0, limit: 500 });
        const batches = pagedBatches((offset, limit) =>
          offset === 0
            ? Promise.resolve(first)
            : s.listAccounts(db, manager, { ...f, offset, limit }),
        );
        const name = fileName('accounts', format);
        if (format === 'csv') return streamCsv(c, name, columnsIn(lang, ACCOUNT_COLUMNS), batches);
        // Accounts have no place of their own: features without geometry, like the audit log.
        return streamGeoJson(
          c,
          name,
          batches,
          () => null,
          (r) => r,
          { id: (r) => r.id },
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Create an account bound to a role and a scope',
        request: { body: jsonBody(CreateBody) },
        responses: {
          201: { description: 'The account', content: json(ManagedAccount) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(await s.createAccount(db, signedIn(c.get('actor')), c.req.valid('json')), 201),
    )
    .openapi(
      changeRoute(
        'patch',
        '/{id}',
        'Change name, phone, role or binding (a new role or binding ends its sessions)',
        { params: idParams, body: jsonBody(UpdateBody) },
      ),
      async (c) =>
        c.json(
          await s.updateAccount(
            db,
            signedIn(c.get('actor')),
            c.req.valid('param').id,
            c.req.valid('json'),
          ),
          200,
        ),
    )
    .openapi(
      changeRoute(
        'post',
        '/{id}/disable',
        'Disable an account: it cannot sign in, its sessions end',
        { params: idParams },
      ),
      async (c) =>
        c.json(await s.disableAccount(db, signedIn(c.get('actor')), c.req.valid('param').id), 200),
    )
    .openapi(
      changeRoute('post', '/{id}/enable', 'Enable a disabled account again', { params: idParams }),
      async (c) =>
        c.json(await s.enableAccount(db, signedIn(c.get('actor')), c.req.valid('param').id), 200),
    )
    .openapi(
      changeRoute(
        'post',
        '/{id}/password',
        'Set a new password chosen by the manager; the account’s sessions end',
        { params: idParams, body: jsonBody(z.object({ password }).strict()) },
      ),
      async (c) =>
        c.json(
          await s.resetPassword(
            db,
            signedIn(c.get('actor')),
            c.req.valid('param').id,
            c.req.valid('json').password,
          ),
          200,
        ),
    );
}
