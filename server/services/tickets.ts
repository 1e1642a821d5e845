import type { Db } from '../db/client.ts';
import * as q from '../db/queries/tickets.ts';
import { notFound } from '../errors.ts';
import { maskName, maskPhone } from './privacy.ts';
import { binaryResult, geoJsonResult, type PointsResult } from './points.ts';

export async function listTickets(
  db: Db,
  f: q.TicketFilter,
  format: 'geojson' | 'binary',
): Promise<PointsResult> {
  if (format === 'binary') {
    const r = await q.ticketsPacked(db, f);
    return binaryResult(r.fetched, r.columns, f.limit);
  }
  const r = await q.ticketsGeoJson(db, f);
  return geoJsonResult(r.fetched, r.features, f.limit);
}

export async function ticketDetail(db: Db, id: number) {
  const t = await q.findTicket(db, id);
  if (!t) throw notFound(`No ticket with id ${id}`);
  const events = await q.ticketEvents(db, id);
  return {
    ...t,
    residentName: maskName(t.residentName as string | null),
    residentPhone: maskPhone(t.residentPhone as string | null),
    events,
  };
}
