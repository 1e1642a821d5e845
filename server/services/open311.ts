/**
 * Open311 GeoReport v2: other city systems (the 12345 hotline's platform, a district's app) file
 * requests and read them back. A request IS a ticket: POST goes through the intake service
 * (createTicket: same validation, placement, routing, deadline, audit and live events) as the
 * account the client's API key was issued for; GETs answer the public view of tickets city-wide,
 * with no resident's personal data (see docs/open311.md for every choice made here).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  attributesOf,
  CLOSED_STATUSES,
  deadlineHours,
  JURISDICTION_ID,
  OPEN311_SERVICES,
  openClosed,
  PUBLIC_STEP_NOTES,
  PUBLIC_STEPS,
  publicMediaUrl,
  readAttributes,
  redact,
  serviceOf,
  ticketTitle,
  w3c,
  type AttributeInput,
} from '../../geo/open311.ts';
import {
  OPEN_TICKET_STATUSES,
  TICKET_CATEGORIES,
  type TicketCategory,
  type TicketStatus,
} from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/open311.ts';
import type { ApiKeyScope } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import type { ApiKeys } from './api-keys.ts';
import { forbidden, invalid, notFound } from './domain-error.ts';
import type { ReadCache } from './read-cache.ts';
import { createTicket, duplicateSuggestions } from './tickets.ts';

/** A client's retry within this long, with the same key, device and fields, is the same request. */
export const RETRY_WINDOW_MS = 10 * 60_000;
/** Where duplicates are looked for, as intake's suggestion does. */
const DUPLICATE_RADIUS_M = 300;
const DUPLICATE_DAYS = 14;

export function services() {
  return OPEN311_SERVICES;
}

/** `GET services/{code}`: the service's definition; 404 for a code that is not a service. */
export function serviceDefinition(code: string) {
  const service = serviceOf(code);
  if (!service)
    throw notFound(
      'service_not_found',
      `service_code '${code}' is not a service of ${JURISDICTION_ID}; GET services.json lists them`,
      'service_code',
    );
  return {
    service_code: service.service_code,
    attributes: attributesOf(service.service_code as TicketCategory),
  };
}

/** An unknown jurisdiction is the spec's 404; none at all is fine (we serve one). */
export function checkJurisdiction(id: string | undefined) {
  if (id !== undefined && id !== JURISDICTION_ID)
    throw notFound(
      'jurisdiction_not_found',
      `jurisdiction_id '${id}' was not found; this endpoint serves '${JURISDICTION_ID}' (兰州市)`,
      'jurisdiction_id',
    );
}

// ---------------------------------------------------------------------------------------------
// POST requests

/** A request as the route read it (form or JSON), its values checked for shape. */
export interface RequestInput {
  api_key?: string;
  jurisdiction_id?: string;
  service_code: string;
  lat?: number;
  long?: number;
  address_string?: string;
  address_id?: number;
  email?: string;
  device_id?: string;
  account_id?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  media_url?: string;
  attributes: AttributeInput;
}

/** Who is calling: the key the middleware resolved from a header or the query, or none. */
export interface Caller {
  actor: Actor | null;
  apiKey: { id: number; name: string; scopes: readonly ApiKeyScope[] } | null;
}

export interface CreatedRequest {
  service_request_id: string;
  token: string;
  service_notice: string;
  account_id: string | null;
}

/**
 * Files a request: the key's account creates the ticket through intake, and the reply says which
 * open tickets of the same service are already nearby. The same key, device and fields again
 * within {@link RETRY_WINDOW_MS} answer the first request (`replayed`), never a second ticket.
 */
export async function createRequest(
  db: Db,
  keys: ApiKeys,
  caller: Caller,
  input: RequestInput,
): Promise<{ body: CreatedRequest; replayed: boolean }> {
  const { actor, apiKey } = await requireOpen311Key(keys, caller, input.api_key);
  checkJurisdiction(input.jurisdiction_id);
  const service = serviceOf(input.service_code);
  if (!service)
    throw invalid(
      'service_not_found',
      `service_code '${input.service_code}' is not a service of ${JURISDICTION_ID}; GET services.json lists them`,
      'service_code',
    );
  const category = service.service_code as TicketCategory;
  const attrs = readAttributes(category, input.attributes);
  if (!attrs.ok) throw invalid('attribute_invalid', attrs.error, 'attribute');
  const description = input.description?.trim() ?? '';
  if (!description && !input.media_url)
    throw invalid(
      'field_missing',
      'description is required (or media_url, a photo of the problem)',
      'description',
    );
  const position = await locate(db, input);
  const { api_key: _key, ...fields } = input;
  const requestHash = createHash('sha256')
    .update(JSON.stringify([apiKey.id, fields]))
    .digest('base64url');
  const now = Date.now();
  const retry = await q.findRetry(
    db.kysely,
    apiKey.id,
    requestHash,
    new Date(now - RETRY_WINDOW_MS),
  );
  if (retry) return { body: answer(retry), replayed: true };

  // Looked for before the ticket exists, so that it does not find itself.
  const duplicates = await openDuplicates(db, actor, position, category);
  const name = [input.last_name, input.first_name]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join('');
  const created = await createTicket(
    db,
    actor,
    {
      category,
      priority: attrs.priority,
      title: ticketTitle(attrs.kindLabel, description, service.service_name),
      description,
      position,
      residentName: name ? [...name].slice(0, 40).join('') : undefined,
      residentPhone: input.phone,
      photoRef: input.media_url,
    },
    // Two retries racing past the lookup above still make one ticket: intake's idempotency key,
    // per ten-minute slot, answers the second with the first.
    `open311:${requestHash}:${Math.floor(now / RETRY_WINDOW_MS)}`,
  );
  const ticket = created.body as unknown as { id: number; code: string; dueAt: string };
  const existing = created.replayed
    ? await q.findSubmissionOfTicket(db.kysely, ticket.id)
    : undefined;
  if (existing) return { body: answer(existing), replayed: true };
  const serviceNotice = notice(duplicates, category, attrs.priority, ticket.dueAt);
  const token = randomBytes(12).toString('base64url');
  const stored = await db.kysely.transaction().execute(async (tx) => {
    const inserted = await q.insertSubmission(tx, {
      token,
      ticketId: ticket.id,
      apiKeyId: apiKey.id,
      requestHash,
      clientAccountId: input.account_id ?? null,
      deviceId: input.device_id ?? null,
      email: input.email ?? null,
      attributes: input.attributes,
      serviceNotice,
    });
    // A racing retry recorded the same ticket first: answer with its token, audit nothing more.
    if (!inserted) return q.findSubmissionOfTicket(tx, ticket.id);
    // Which client system filed it (the ticket's own audit row names the key's account).
    await insertAudit(tx, actor, {
      action: 'open311.request',
      entity: 'ticket',
      entityId: ticket.id,
      after: {
        code: ticket.code,
        apiKey: apiKey.name,
        token,
        deviceId: input.device_id ?? null,
        accountId: input.account_id ?? null,
      },
    });
    return undefined;
  });
  if (stored) return { body: answer(stored), replayed: true };
  return {
    body: {
      service_request_id: ticket.code,
      token,
      service_notice: serviceNotice,
      account_id: input.account_id ?? null,
    },
    replayed: created.replayed,
  };
}

const answer = (s: q.Submission): CreatedRequest => ({
  service_request_id: s.code,
  token: s.token,
  service_notice: s.serviceNotice,
  account_id: s.clientAccountId,
});

/**
 * The key a request is filed with: from the header or query (resolved by the middleware) or, as
 * the spec sends it, the form's `api_key`. Filing needs the scope `open311`; a session cookie
 * alone never files (so no other site's form can file as a signed-in browser).
 */
async function requireOpen311Key(keys: ApiKeys, caller: Caller, bodyKey: string | undefined) {
  let { actor, apiKey } = caller;
  if (!apiKey && bodyKey) {
    const principal = await keys.resolve(bodyKey);
    if (!principal)
      throw forbidden(
        'invalid_api_key',
        'api_key is unknown, revoked or expired; ask the city administrator for a new one',
        'api_key',
      );
    actor = principal.actor;
    apiKey = { id: principal.id, name: principal.name, scopes: principal.scopes };
  }
  if (!apiKey || !actor)
    throw forbidden(
      'api_key_required',
      'api_key is required to file a request: the city administrator issues one per client system (scope open311)',
      'api_key',
    );
  if (!apiKey.scopes.includes('open311'))
    throw forbidden(
      'api_key_scope',
      `api_key '${apiKey.name}' may not file requests: it needs the scope 'open311'`,
      'api_key',
    );
  return { actor, apiKey };
}

/**
 * Where the request is: lat/long as sent; else `address_id` (a compound's id, as GET gives it);
 * else the address string placed on the compound (or community) whose name it holds, by the
 * app's own areas. An address we cannot place, or that fits several places, is a 400 that says so.
 */
async function locate(db: Db, input: RequestInput): Promise<[number, number]> {
  if (input.lat !== undefined || input.long !== undefined) {
    if (input.lat === undefined || input.long === undefined)
      throw invalid(
        'field_missing',
        `${input.lat === undefined ? 'lat' : 'long'} is required with ${input.lat === undefined ? 'long' : 'lat'}`,
        input.lat === undefined ? 'lat' : 'long',
      );
    return [input.long, input.lat];
  }
  if (input.address_id !== undefined) {
    const c = await q.compoundLabel(db.kysely, input.address_id);
    if (!c)
      throw invalid(
        'address_not_found',
        `address_id ${input.address_id} is not a compound of ${JURISDICTION_ID}; use the address_id a request of GET requests gives, or lat/long`,
        'address_id',
      );
    return c.position;
  }
  const address = input.address_string?.trim();
  if (!address)
    throw invalid(
      'field_missing',
      'a location is required: lat and long, or address_string (or address_id)',
      'lat',
    );
  const found = await q.addressCandidates(db.kysely, address);
  if (found.length === 0)
    throw invalid(
      'address_not_found',
      `address_string '${address}' names no compound (小区) or community (社区) of Lanzhou that we know; send lat/long, or the compound's name as residents know it`,
      'address_string',
    );
  // The longest name that matches, then the one whose district/subdistrict/community it names too.
  const best = found[0]!;
  const tied = found.filter(
    (c) => [...c.name].length === [...best.name].length && c.qualifiers === best.qualifiers,
  );
  if (tied.length > 1)
    throw invalid(
      'address_ambiguous',
      `address_string '${address}' fits ${tied.length} places: ${tied
        .slice(0, 5)
        .map((c) => `${c.context} ${c.name}`)
        .join('; ')}; add the district, subdistrict or community, or send lat/long`,
      'address_string',
    );
  return best.position;
}

interface Nearby {
  code: string | null;
  status: string;
  distanceM: number;
}

async function openDuplicates(
  db: Db,
  actor: Actor,
  position: [number, number],
  category: TicketCategory,
): Promise<Nearby[]> {
  // An account that files but cannot read tickets gets no suggestions, not a refusal.
  if (!actor.can.has('tickets.read')) return [];
  const { items } = await duplicateSuggestions(db, actor, {
    position,
    category,
    radiusM: DUPLICATE_RADIUS_M,
    days: DUPLICATE_DAYS,
  });
  return (items as Nearby[]).filter((t) => OPEN_TICKET_STATUSES.includes(t.status as TicketStatus));
}

/** The reply's notice: duplicates nearby if any (intake's suggestion), and the deadline. */
function notice(
  duplicates: Nearby[],
  category: TicketCategory,
  priority: 'normal' | 'urgent',
  dueAt: string,
): string {
  const deadline = `办理时限 ${deadlineHours(category, priority)} 小时，预计 ${w3c(dueAt).slice(0, 16).replace('T', ' ')} 前办结。`;
  if (duplicates.length === 0) return `已受理。${deadline}`;
  const list = duplicates
    .slice(0, 5)
    .map((d) => `${d.code ?? '（编号不公开）'}（${Math.round(d.distanceM)} 米）`)
    .join('、');
  return `已受理。附近 ${DUPLICATE_RADIUS_M} 米内 ${DUPLICATE_DAYS} 天内已有 ${duplicates.length} 件同类诉求在办：${list}；如为同一事项，将合并办理。${deadline}`;
}

// ---------------------------------------------------------------------------------------------
// GET requests

export type RequestQuery =
  | { kind: 'codes'; codes: string[] }
  | {
      kind: 'window';
      from: Date;
      to: Date;
      serviceCodes: string[] | null;
      status: ('open' | 'closed')[] | null;
      page: number;
      pageSize: number;
    };

/** One request as the spec's `GET requests` shows it: the public view, nothing personal. */
export interface PublicRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

/** How an answer is written (JSON or XML): the cache keeps the text, not the rows. */
export interface Rendering {
  key: string;
  render: (rows: PublicRequest[]) => string;
}

/**
 * The public view of tickets, city-wide (the same for every caller, so one cached answer serves
 * all, already written out): positions at the compound's label point, the resident's text with
 * personal data taken out, the public wording of the last public step.
 */
export async function listRequests(
  db: Db,
  cache: ReadCache,
  query: RequestQuery,
  as: Rendering,
): Promise<string> {
  return load(db, cache, query, as, () => {});
}

/** `GET requests/{id}`: 404 when there is no such request. */
export async function requestDetail(db: Db, cache: ReadCache, code: string, as: Rendering) {
  return load(db, cache, { kind: 'codes', codes: [code] }, as, (rows) => {
    if (rows.length === 0)
      throw notFound(
        'request_not_found',
        `service_request_id '${code}' was not found`,
        'service_request_id',
      );
  });
}

function load(
  db: Db,
  cache: ReadCache,
  query: RequestQuery,
  as: Rendering,
  check: (rows: PublicRequest[]) => void,
): Promise<string> {
  const filter: q.RequestFilter =
    query.kind === 'codes'
      ? query
      : {
          kind: 'window',
          from: query.from,
          to: query.to,
          categories: query.serviceCodes,
          statuses: query.status ? statusesOf(query.status) : null,
          limit: query.pageSize,
          offset: (query.page - 1) * query.pageSize,
        };
  // A failed check (404) is not cached: the next read looks again.
  return cache.get(
    `open311:requests:${as.key}:${JSON.stringify(filter)}`,
    async () => {
      const rows = (await q.publicTickets(db, filter, PUBLIC_STEPS)).map(publicRequest);
      check(rows);
      return as.render(rows);
    },
    { nouns: ['tickets'] },
  );
}

/** `GET tokens/{token}`: the request a token stands for. */
export async function tokenDetail(db: Db, token: string) {
  const row = await q.findToken(db, token);
  if (!row) throw notFound('token_not_found', `token '${token}' was not found`, 'token');
  return [{ service_request_id: row.code, token: row.token }];
}

function statusesOf(status: ('open' | 'closed')[]): string[] {
  const out: string[] = [];
  if (status.includes('open')) out.push(...OPEN_TICKET_STATUSES);
  if (status.includes('closed')) out.push(...CLOSED_STATUSES);
  return out;
}

function publicRequest(r: q.PublicTicketRow): PublicRequest {
  const category = TICKET_CATEGORIES.find((c) => c.key === r.category)!;
  const status = r.status as TicketStatus;
  const known = [r.residentName, r.residentPhone];
  const text = redact(r.description.trim() || r.title, known);
  const step = r.lastPublicStep as TicketStatus | null;
  return {
    service_request_id: r.code,
    status: openClosed(status),
    status_notes: step ? (PUBLIC_STEP_NOTES[step] ?? null) : null,
    service_name: category.zh,
    service_code: category.key,
    description: text,
    agency_responsible: r.agency,
    service_notice:
      status === 'rejected_duplicate' && r.duplicateOfCode
        ? `重复件，并入 ${r.duplicateOfCode} 办理。`
        : null,
    requested_datetime: w3c(r.receivedAt),
    updated_datetime: w3c(r.updatedAt),
    expected_datetime: w3c(r.dueAt),
    address: [
      r.district,
      r.subdistrict,
      r.community,
      r.placeLevel === 'compound' ? r.placeName : '',
    ]
      .filter(Boolean)
      .join(' '),
    // A compound's id, which POST accepts back as address_id; none outside compounds.
    address_id: r.placeLevel === 'compound' ? String(r.placeId) : null,
    zipcode: null,
    lat: r.position[1],
    long: r.position[0],
    media_url: publicMediaUrl(r.photoRef),
  };
}
