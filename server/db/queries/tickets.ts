import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import { envelope } from '../postgis.ts';
import { OPEN_TICKET } from './areas.ts';
import {
  codeIndex,
  selectPointsGeoJson,
  selectPointsPacked,
  type PointSelection,
} from './points.ts';
import {
  keysOf,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
} from '../../../geo/vocabulary.ts';
import {
  OPEN_TICKET_STATUSES,
  type AreaLevel,
  type TicketStatus,
} from '../../../geo/vocabulary.ts';
import type { Bbox, TimeRange } from '../../validation.ts';

export interface TicketFilter {
  bbox?: Bbox;
  area?: { id: number; level: AreaLevel };
  categories?: string[];
  statuses?: string[];
  channels?: string[];
  range: TimeRange;
  limit: number;
}

function selection(f: TicketFilter): PointSelection {
  const where: RawBuilder<unknown>[] = [
    sql`t.received_at >= ${f.range.from}`,
    sql`t.received_at < ${f.range.to}`,
  ];
  // ST_Intersects, not a bare &&: index boxes are single precision, so && alone lets points
  // up to ~1e-5° outside the box through.
  if (f.bbox) where.push(sql`ST_Intersects(t.geom, ${envelope(f.bbox)})`);
  if (f.area) where.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.categories) where.push(sql`t.category = ANY(${f.categories}::text[])`);
  if (f.statuses) {
    where.push(sql`t.status = ANY(${f.statuses}::text[])`);
    // Open statuses never have closed_at; saying so lets the planner use the small partial index
    // of open tickets instead of walking the whole year (10x on PostgreSQL at city scale).
    if (f.statuses.every((s) => OPEN_TICKET_STATUSES.includes(s as TicketStatus))) {
      where.push(sql`t.closed_at IS NULL AND t.status <> 'rejected_duplicate'`);
    }
  }
  if (f.channels) where.push(sql`t.channel = ANY(${f.channels}::text[])`);
  return { from: sql`tickets t`, where, orderBy: sql`t.received_at`, limit: f.limit };
}

const OVERDUE = sql`(${OPEN_TICKET} AND t.due_at < now())`;

export function ticketsGeoJson(db: Db, f: TicketFilter) {
  return selectPointsGeoJson(
    db,
    selection(f),
    sql`json_build_object('id', t.id, 'code', t.code, 'category', t.category, 'status', t.status,
      'channel', t.channel, 'priority', t.priority, 'overdue', ${OVERDUE},
      'receivedAt', t.received_at, 'dueAt', t.due_at, 'title', t.title, 'compoundId', t.compound_id)`,
  );
}

export function ticketsPacked(db: Db, f: TicketFilter) {
  const codes = sql<number>`((${codeIndex(sql`t.category`, keysOf(TICKET_CATEGORIES))} << 24)
    | (${codeIndex(sql`t.status`, keysOf(TICKET_STATUSES))} << 16)
    | (${codeIndex(sql`t.channel`, keysOf(TICKET_CHANNELS))} << 8)
    | (CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END) | (CASE WHEN t.priority = 'urgent' THEN 2 ELSE 0 END))`;
  return selectPointsPacked(db, selection(f), codes);
}

export async function findTicket(db: Db, id: number) {
  const r = await sql<Record<string, unknown>>`
    SELECT t.id, t.code, t.category, t.channel, t.status, t.priority, t.title, t.description,
      t.resident_name AS "residentName", t.resident_phone AS "residentPhone",
      json_build_array(ST_X(t.geom), ST_Y(t.geom)) AS position,
      t.district_id AS "districtId", t.subdistrict_id AS "subdistrictId", t.community_id AS "communityId",
      t.grid_id AS "gridId", t.compound_id AS "compoundId", c.name AS "compoundName",
      p.name AS "propertyCompany", d.name AS department,
      t.received_at AS "receivedAt", t.due_at AS "dueAt", t.resolved_at AS "resolvedAt",
      t.closed_at AS "closedAt", t.satisfaction, ${OVERDUE} AS overdue
    FROM tickets t
    LEFT JOIN areas c ON c.id = t.compound_id
    LEFT JOIN property_companies p ON p.id = t.property_company_id
    LEFT JOIN departments d ON d.id = t.department_id
    WHERE t.id = ${id}`.execute(db.kysely);
  return r.rows[0];
}

export function ticketEvents(db: Db, ticketId: number) {
  return db.kysely
    .selectFrom('ticket_events')
    .select(['at', 'status', 'actor', 'note'])
    .where('ticket_id', '=', ticketId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
