/**
 * The short-lived memory of key lookups shared by the credentials that are not sessions (display
 * keys, API keys): the database is the truth, and a lookup is trusted no longer than `cacheMs`,
 * which bounds how late a revocation or an expiry made by another process is seen. Bad keys are
 * remembered too, so a burst of them costs one query in all; a key revoked in this process is
 * forgotten at once and a lookup that raced the revocation cannot revive it.
 */
import { invalid } from './domain-error.ts';

export interface KeyFound<P> {
  principal: P | null;
  /** Epoch ms; null for no expiry. */
  expiresAt: number | null;
}

export class KeyLookup<P extends { id: number }> {
  private readonly cache = new Map<string, KeyFound<P> & { checkedAt: number }>();
  private readonly revoked = new Set<number>();

  constructor(
    private readonly load: (tokenHash: string) => Promise<KeyFound<P>>,
    private readonly cacheMs: number,
  ) {}

  /** The principal of a key's hash while usable, with its expiry; from memory when fresh enough. */
  async find(tokenHash: string): Promise<KeyFound<P>> {
    const now = Date.now();
    let hit = this.cache.get(tokenHash);
    if (!hit || now - hit.checkedAt >= this.cacheMs) {
      hit = { ...(await this.load(tokenHash)), checkedAt: now };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(tokenHash, hit);
    }
    const usable =
      hit.principal !== null &&
      !this.revoked.has(hit.principal.id) &&
      (hit.expiresAt === null || hit.expiresAt > now);
    return usable ? hit : { principal: null, expiresAt: null };
  }

  /** Drops a key revoked in this process at once. */
  forget(id: number) {
    this.revoked.add(id);
    for (const [hash, c] of this.cache) if (c.principal?.id === id) this.cache.delete(hash);
  }
}

/**
 * The checks every issued credential shares: a name of 1 to `nameMax` characters (trimmed) and
 * an expiry in whole days from 1 to `daysMax`, or none. Returns the trimmed name and the days.
 */
export function credentialTerms(
  input: { name: string; expiresInDays?: number | null },
  nameMax: number,
  daysMax: number,
): { name: string; days: number | null } {
  const name = input.name.trim();
  if (name.length < 1 || name.length > nameMax)
    throw invalid(
      'field_invalid',
      `parameter 'name' must be text of 1 to ${nameMax} characters`,
      'name',
    );
  const days = input.expiresInDays ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > daysMax))
    throw invalid(
      'field_invalid',
      `parameter 'expiresInDays' must be a whole number of days from 1 to ${daysMax}`,
      'expiresInDays',
    );
  return { name, days };
}
