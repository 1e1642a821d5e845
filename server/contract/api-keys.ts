import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

// API keys (/api/api-keys, the city administrator: accounts.manage over the city)

export const ApiKeyScope = z.enum(['read', 'open311']).openapi('ApiKeyScope');

export const ApiKey = z
  .object({
    id: z.number(),
    name: z.string(),
    accountId: z.number(),
    /** The account the key acts as. */
    username: z.string(),
    scopes: z.array(ApiKeyScope),
    /** The key's first characters, to tell keys apart; never enough to use one. */
    prefix: z.string(),
    createdAt: Timestamp,
    createdBy: z.string(),
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    revokedBy: z.string().nullable(),
    lastUsedAt: Timestamp.nullable(),
    status: z.enum(['active', 'revoked', 'expired']),
  })
  .openapi('ApiKey');
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyIssued = z
  .object({
    apiKey: ApiKey,
    /** The key, shown once: only its hash is kept. */
    key: z.string(),
  })
  .openapi('ApiKeyIssued');
export type ApiKeyIssued = z.infer<typeof ApiKeyIssued>;

export const ApiKeyList = z.object({ items: z.array(ApiKey) }).openapi('ApiKeyList');
