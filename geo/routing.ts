/**
 * Where a new ticket goes (派单规则): property matters to the compound's property company when it
 * has one, else to the department or community that answers for them. The seed spreads its
 * history over more bodies at random; intake uses this one rule so that a supervisor can predict it.
 *
 * @example
 * routeTicket('parking', { hasCompany: true }) // { kind: 'property_company' }
 * routeTicket('legal_aid', { hasCompany: true }) // { kind: 'department', code: 'justice' }
 */
import type { TicketCategory } from './vocabulary.ts';

export type RouteTarget =
  { kind: 'property_company' } | { kind: 'department'; code: string } | { kind: 'community' };

const RULES: Record<TicketCategory, { company: boolean; otherwise: RouteTarget }> = {
  parking: { company: true, otherwise: { kind: 'community' } },
  facilities: { company: true, otherwise: { kind: 'department', code: 'housing' } },
  property_service: { company: true, otherwise: { kind: 'department', code: 'housing' } },
  dispute: { company: false, otherwise: { kind: 'community' } },
  legal_aid: { company: false, otherwise: { kind: 'department', code: 'justice' } },
  sanitation: { company: true, otherwise: { kind: 'department', code: 'urban_management' } },
  noise: { company: false, otherwise: { kind: 'department', code: 'police' } },
  safety: { company: false, otherwise: { kind: 'department', code: 'fire' } },
  elder_child_care: { company: false, otherwise: { kind: 'department', code: 'civil_affairs' } },
  other: { company: false, otherwise: { kind: 'community' } },
};

export function routeTicket(category: TicketCategory, place: { hasCompany: boolean }): RouteTarget {
  const rule = RULES[category];
  return rule.company && place.hasCompany ? { kind: 'property_company' } : rule.otherwise;
}
