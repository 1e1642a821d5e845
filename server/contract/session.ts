import { z } from '@hono/zod-openapi';
import { CAPABILITIES, ROLE_KEYS, type Role } from '../../geo/operations.ts';
import { AreaLevel } from './common.ts';

export const RoleKey = z.enum(ROLE_KEYS as [Role, ...Role[]]);
/**
 * The shared vocabulary's capabilities and the server policy's own (server/policy.ts): tsc fails
 * on the session route when the policy grows one this list lacks.
 */
export const CapabilityKey = z.enum([
  ...CAPABILITIES,
  'points.read',
  'whistles.read',
  'tickets.callback',
  'analytics.read',
  'wall.read',
  'wall.manage',
  'wall.ack',
  'party.read',
  'party.personal',
  'party.manage',
  'ratings.read',
  'ratings.followup',
  'ratings.manage',
  'credit.read',
  'credit.manage',
  'supervision.manage',
  'deliberation.read',
  'deliberation.propose',
  'deliberation.manage',
  'ledgers.read',
  'ledgers.publish',
  'mediation.read',
  'mediation.cases',
  'services.manage',
  'enforcement.read',
  'enforcement.record',
]);
export type CapabilityKey = z.infer<typeof CapabilityKey>;

/** The signed-in account as the web sees it: role, scope and what it may do. */
export const Account = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: RoleKey,
    scope: z.object({
      kind: z.enum(['city', 'area', 'property_company', 'department']),
      id: z.number().nullable(),
      level: AreaLevel.nullable(),
      name: z.string(),
    }),
    can: z.array(CapabilityKey),
  })
  .openapi('Account');
export type Account = z.infer<typeof Account>;

export const SignedIn = z.object({ account: Account }).openapi('SignedIn');
export const SessionState = z.object({ account: Account.nullable() }).openapi('SessionState');
export type SessionState = z.infer<typeof SessionState>;
