import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';

/** A request filed through Open311 as the table remembers it. */
export interface Submission {
  token: string;
  ticketId: number;
  code: string;
  serviceNotice: string;
  clientAccountId: string | null;
}

const SUBMISSION = sql`o.token, o.ticket_id AS "ticketId", t.code, o.service_notice AS "serviceNotice",
  o.client_account_id AS "clientAccountId"`;

/** The request this key filed with the same fingerprint since `since` (a client's retry). */
export async function findRetry(
  ex: Executor,
  apiKeyId: number,
  requestHash: string,
  since: Date,
): Promise<Submission | undefined> {
  const r = await sql<Submission>`
    SELECT ${SUBMISSION} FROM open311_requests o JOIN tickets t ON t.id = o.ticket_id
    WHERE o.api_key_id = ${apiKeyId} AND o.request_hash = ${requestHash} AND o.created_at >= ${since}
    ORDER BY o.created_at DESC LIMIT 1`.execute(ex);
  return r.rows[0];
}

export async function findSubmissionOfTicket(
  ex: Executor,
  ticketId: number,
): Promise<Submission | undefined> {
  const r = await sql<Submission>`
    SELECT ${SUBMISSION} FROM open311_requests o JOIN tickets t ON t.id = o.ticket_id
    WHERE o.ticket_id = ${ticketId}`.execute(ex);
  return r.rows[0];
}

export interface NewSubmission {
  token: string;
  ticketId: number;
  apiKeyId: number;
  requestHash: string;
  clientAccountId: string | null;
  deviceId: string | null;
  email: string | null;
  attributes: Record<string, string | string[]>;
  serviceNotice: string;
}

/**
 * Records a request's client-side facts; false when the ticket already has its record (a racing
 * retry wrote it first).
 */
export async function insertSubmission(ex: Executor, s: NewSubmission): Promise<boolean> {
  const r = await sql`
    INSERT INTO open311_requests (token, ticket_id, api_key_id, request_hash, client_account_id,
      device_id, email, attributes, service_notice)
    VALUES (${s.token}, ${s.ticketId}, ${s.apiKeyId}, ${s.requestHash}, ${s.clientAccountId},
      ${s.deviceId}, ${s.email}, ${JSON.stringify(s.attributes)}::jsonb, ${s.serviceNotice})
    ON CONFLICT (ticket_id) DO NOTHING
    RETURNING 1`.execute(ex);
  return r.rows.length === 1;
}

/** `GET tokens/{token}`: the request a token stands for. */
export async function findToken(
  db: Db,
  token: string,
): Promise<{ token: string; code: string } | undefined> {
  const r = await sql<{ token: string; code: string }>`
    SELECT o.token, t.code FROM open311_requests o JOIN tickets t ON t.id = o.ticket_id
    WHERE o.token = ${token}`.execute(db.kysely);
  return r.rows[0];
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface AddressCandidate {
  id: number;
  level: 'compound' | 'community';
  name: string;
  /** The names of its district, subdistrict and community. */
  context: string;
  /** How many of those names the address also holds. */
  qualifiers: number;
  position: [number, number];
}

/**
 * The compounds (else the communities) whose name the address holds, longest name first, then by
 * how many of their district, subdistrict and community names it holds too: the app's own
 * gazetteer is its areas. A scan of the compound names (a few thousand, tens of thousands in the
 * stress city) costs milliseconds; no per-row round trip.
 */
export async function addressCandidates(
  ex: Executor,
  address: string,
): Promise<AddressCandidate[]> {
  const r = await sql<{ items: AddressCandidate[] }>`
    WITH hit AS (
      SELECT a.id, a.level, a.name, a.path, a.label_point FROM areas a
      WHERE a.level = 'compound' AND length(a.name) >= 2 AND strpos(${address}, a.name) > 0
    ), fallback AS (
      SELECT a.id, a.level, a.name, a.path, a.label_point FROM areas a
      WHERE NOT EXISTS (SELECT 1 FROM hit) AND a.level = 'community' AND length(a.name) >= 2
        AND strpos(${address}, a.name) > 0
    ), c AS (
      SELECT h.*, (SELECT string_agg(p.name, ' ' ORDER BY array_position(h.path, p.id)) FROM areas p
          WHERE p.id = ANY(h.path) AND p.level IN ('district', 'subdistrict', 'community')
            AND p.id <> h.id) AS context,
        (SELECT count(*) FROM areas p WHERE p.id = ANY(h.path) AND p.id <> h.id
          AND p.level IN ('district', 'subdistrict', 'community')
          AND strpos(${address}, p.name) > 0)::int AS qualifiers
      FROM (SELECT * FROM hit UNION ALL SELECT * FROM fallback) h
    )
    SELECT coalesce(json_agg(json_build_object('id', id, 'level', level, 'name', name,
      'context', coalesce(context, ''), 'qualifiers', qualifiers,
      'position', json_build_array(ST_X(label_point), ST_Y(label_point)))
      ORDER BY length(name) DESC, qualifiers DESC, id), '[]') AS items
    FROM (SELECT * FROM c ORDER BY length(name) DESC, qualifiers DESC, id LIMIT 20) c`.execute(ex);
  return r.rows[0]!.items;
}

/** `address_id`: a compound's id as `GET requests` gives it, and where to place a request in it. */
export async function compoundLabel(
  ex: Executor,
  id: number,
): Promise<{ id: number; name: string; position: [number, number] } | undefined> {
  const r = await sql<{ id: number; name: string; position: [number, number] }>`
    SELECT a.id, a.name, json_build_array(ST_X(a.label_point), ST_Y(a.label_point)) AS position
    FROM areas a WHERE a.id = ${id} AND a.level = 'compound'`.execute(ex);
  return r.rows[0];
}

// ---------------------------------------------------------------------------------------------
// The public view of tickets

export type RequestFilter =
  | { kind: 'codes'; codes: string[] }
  | {
      kind: 'window';
      from: Date;
      to: Date;
      categories: string[] | null;
      statuses: string[] | null;
      limit: number;
      offset: number;
    };

/**
 * What a public GET may know of a ticket, plus the resident's name and phone so that the caller
 * can take them out of the text (they are never written out). The position is the label point of
 * the ticket's compound (of its grid outside compounds), never the point reported.
 */
export interface PublicTicketRow {
  code: string;
  status: string;
  category: string;
  title: string;
  description: string;
  residentName: string | null;
  residentPhone: string | null;
  photoRef: string | null;
  receivedAt: string;
  updatedAt: string;
  dueAt: string;
  duplicateOfCode: string | null;
  agency: string;
  placeId: number;
  placeLevel: 'compound' | 'grid';
  placeName: string;
  district: string;
  subdistrict: string;
  community: string;
  position: [number, number];
  lastPublicStep: string | null;
}

/**
 * One page of the public view, newest first, packed into one JSON value (rows crossing PGlite's
 * WASM boundary one by one cost several times more). The window's range scan runs on
 * tickets_received_idx; codes on the code's unique index.
 */
export async function publicTickets(
  db: Db,
  f: RequestFilter,
  publicSteps: readonly string[],
): Promise<PublicTicketRow[]> {
  const page =
    f.kind === 'codes'
      ? sql`SELECT * FROM tickets t WHERE t.code = ANY(${f.codes}::text[])`
      : sql`SELECT * FROM tickets t
          WHERE t.received_at >= ${f.from} AND t.received_at <= ${f.to}
            ${f.categories ? sql`AND t.category = ANY(${f.categories}::text[])` : sql``}
            ${f.statuses ? sql`AND t.status = ANY(${f.statuses}::text[])` : sql``}
          ORDER BY t.received_at DESC, t.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`;
  const r = await sql<{ items: PublicTicketRow[] }>`
    WITH page AS (${page})
    SELECT coalesce(json_agg(json_build_object(
      'code', p.code, 'status', p.status, 'category', p.category, 'title', p.title,
      'description', p.description, 'residentName', p.resident_name,
      'residentPhone', p.resident_phone, 'photoRef', p.photo_ref, 'receivedAt', p.received_at,
      'updatedAt', coalesce(p.updated_at, p.received_at), 'dueAt', p.due_at,
      'duplicateOfCode', dup.code,
      'agency', coalesce(pc.name, dp.name, cm.name || '居民委员会'),
      'placeId', place.id, 'placeLevel', place.level, 'placeName', place.name,
      'district', di.name, 'subdistrict', sd.name, 'community', cm.name,
      'position', json_build_array(round(ST_X(place.label_point)::numeric, 6),
        round(ST_Y(place.label_point)::numeric, 6)),
      'lastPublicStep', ev.status)
      ORDER BY p.received_at DESC, p.id DESC), '[]') AS items
    FROM page p
    -- One primary-key probe per row and area (LATERAL ... LIMIT 1): a hash join would read every
    -- area (80k in the stress city) for a page of a thousand.
    CROSS JOIN LATERAL (SELECT a.id, a.level, a.name, a.label_point FROM areas a
      WHERE a.id = coalesce(p.compound_id, p.grid_id) LIMIT 1) place
    CROSS JOIN LATERAL (SELECT a.name FROM areas a WHERE a.id = p.district_id LIMIT 1) di
    CROSS JOIN LATERAL (SELECT a.name FROM areas a WHERE a.id = p.subdistrict_id LIMIT 1) sd
    CROSS JOIN LATERAL (SELECT a.name FROM areas a WHERE a.id = p.community_id LIMIT 1) cm
    LEFT JOIN property_companies pc ON pc.id = p.property_company_id
    LEFT JOIN departments dp ON dp.id = p.department_id
    LEFT JOIN tickets dup ON dup.id = p.duplicate_of
    LEFT JOIN LATERAL (
      SELECT e.status FROM ticket_events e
      WHERE e.ticket_id = p.id AND e.status = ANY(${[...publicSteps]}::text[])
      ORDER BY e.at DESC, e.id DESC LIMIT 1
    ) ev ON true`.execute(db.kysely);
  return r.rows[0]!.items;
}
