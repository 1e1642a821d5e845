import { z } from '@hono/zod-openapi';
import { AreaLevel, Timestamp } from './common.ts';
import { RoleKey } from './session.ts';

/** An account as its manager sees it: binding, state and password history. */
export const ManagedAccount = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: RoleKey,
    phone: z.string().nullable(),
    scope: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('area'),
        id: z.number(),
        level: AreaLevel.nullable(),
        name: z.string(),
      }),
      z.object({
        kind: z.literal('property_company'),
        id: z.number(),
        level: z.null(),
        name: z.string(),
      }),
      z.object({
        kind: z.literal('department'),
        id: z.number(),
        level: z.null(),
        name: z.string(),
      }),
      z.object({ kind: z.literal('city'), id: z.null(), level: z.null(), name: z.string() }),
    ]),
    disabled: z.boolean(),
    demo: z.boolean(),
    createdAt: Timestamp,
    passwordChangedAt: Timestamp.nullable(),
    disabledAt: Timestamp.nullable(),
  })
  .openapi('ManagedAccount');

export const AccountPage = z
  .object({
    items: z.array(ManagedAccount),
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
  })
  .openapi('AccountPage');

/** An area an account may be bound to, with the names of its ancestors (`parents`). */
export const BindingArea = z
  .object({
    id: z.number(),
    level: AreaLevel,
    name: z.string(),
    code: z.string().nullable(),
    parents: z.string(),
  })
  .openapi('BindingArea');
export const BindingAreas = z.object({ items: z.array(BindingArea) }).openapi('BindingAreas');

export const DemoInfo = z
  .object({ demo: z.boolean(), usernames: z.array(z.string()) })
  .openapi('DemoInfo');

export type ManagedAccount = z.infer<typeof ManagedAccount>;
export type AccountPage = z.infer<typeof AccountPage>;
export type BindingArea = z.infer<typeof BindingArea>;
export type BindingAreas = z.infer<typeof BindingAreas>;
export type DemoInfo = z.infer<typeof DemoInfo>;
