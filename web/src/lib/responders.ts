/**
 * Who a ticket can be dispatched or transferred to (派单/转派). The server knows which bodies
 * can serve the ticket's place (its compound's property company, the departments, the
 * community); before it answers that, the city-wide lists of `meta` are the fallback.
 *
 * @example
 * responderGroups({ targets: [{ kind: 'department', id: 3, name: '市供水集团' }] }, null);
 * // [{ kind: 'department', options: [{ value: 'department:3', name: '市供水集团' }] }]
 */
import type { TransferTarget } from './api.ts';
import type { Meta, Responder, ResponderKind } from './types.ts';

export interface ResponderOption {
  /** the form value: 'community' or '<kind>:<id>' */
  value: string;
  name: string;
}

export interface ResponderGroup {
  kind: ResponderKind;
  options: ResponderOption[];
}

const ORDER: readonly ResponderKind[] = ['community', 'property_company', 'department'];

export function responderValue(kind: ResponderKind, id: number | null): string {
  return kind === 'community' ? 'community' : `${kind}:${id}`;
}

/**
 * The picker's groups: the ticket's own targets when the server sent them (`targets` not null),
 * else every company and department of the city. `current` (the body holding the ticket) is left
 * out, since a transfer must name another.
 */
export function responderGroups(
  source: {
    targets: TransferTarget[] | null;
    meta?: Pick<Meta, 'departments' | 'propertyCompanies'> | null;
  },
  current: Responder | null,
): ResponderGroup[] {
  const all: { kind: ResponderKind; id: number | null; name: string }[] = source.targets
    ? source.targets
    : [
        { kind: 'community', id: null, name: '' },
        ...(source.meta?.propertyCompanies ?? []).map((c) => ({
          kind: 'property_company' as const,
          id: c.id,
          name: c.name,
        })),
        ...(source.meta?.departments ?? []).map((d) => ({
          kind: 'department' as const,
          id: d.id,
          name: d.name,
        })),
      ];
  const currentValue = current ? responderValue(current.kind, current.id) : null;
  const groups: ResponderGroup[] = [];
  for (const kind of ORDER) {
    const seen = new Set<string>();
    const options: ResponderOption[] = [];
    for (const x of all) {
      if (x.kind !== kind) continue;
      const value = responderValue(x.kind, x.id);
      if (value === currentValue || seen.has(value)) continue;
      seen.add(value);
      options.push({ value, name: x.name });
    }
    if (options.length) groups.push({ kind, options });
  }
  return groups;
}
