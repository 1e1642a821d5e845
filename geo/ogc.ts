/**
 * The pure parts of OGC API – Features (Part 1: Core): parsing `bbox`, `datetime` and `limit` as
 * the standard words them, the opaque paging cursor, content negotiation, and HTML escaping.
 * No database, no HTTP framework: every rule here has a unit test (tests/geo/ogc.test.ts).
 */

export const CONFORMANCE = {
  core: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  geojson: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  html: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  oas30: 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
} as const;

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const LIMIT_DEFAULT = 100;
/** A larger `limit` is clamped to this, not refused (Core, /req/core/fc-limit-response-1). */
export const LIMIT_MAX = 10_000;

export type Bbox4 = [number, number, number, number];

/** A parse that failed says why, in words naming the parameter. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/**
 * `bbox=minLon,minLat,maxLon,maxLat` in CRS84. Six numbers (a 3D box) are refused: the data has
 * no heights. A box crossing the antimeridian (minLon > maxLon) is refused too: Lanzhou is far
 * from it, and a reversed box is far more often a mistake than a Pacific query.
 */
export function parseBbox(text: string): Parsed<Bbox4> {
  const parts = text.split(',');
  if (parts.length === 6)
    return fail("parameter 'bbox' must have 4 numbers (lon,lat,lon,lat): 3D boxes are not served");
  if (parts.length !== 4)
    return fail("parameter 'bbox' must be 4 comma-separated numbers: minLon,minLat,maxLon,maxLat");
  const n = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (n.some((x) => !Number.isFinite(x)))
    return fail("parameter 'bbox' must be 4 comma-separated numbers: minLon,minLat,maxLon,maxLat");
  const [w, s, e, north] = n as Bbox4;
  if (w < -180 || e > 180 || s < -90 || north > 90)
    return fail("parameter 'bbox' must lie within -180..180 longitude and -90..90 latitude");
  if (w > e || s > north)
    return fail("parameter 'bbox' must be ordered minLon,minLat,maxLon,maxLat");
  return { ok: true, value: [w, s, e, north] };
}

/** A closed, half-open or open interval; null ends are unbounded. Both ends are inclusive. */
export interface Interval {
  start: Date | null;
  end: Date | null;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * One end of `datetime`: an RFC 3339 date-time, or a full date. A date stands for the whole day
 * (UTC): its first millisecond as a start, its last as an end.
 */
function parseInstant(text: string, as: 'start' | 'end'): Date | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (h === undefined) {
    const t = Date.UTC(Number(y), month - 1, day);
    const date = new Date(t);
    if (date.getUTCDate() !== day) return null;
    return as === 'start' ? date : new Date(t + 86_400_000 - 1);
  }
  const date = new Date(text.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * `datetime` per Core: an instant (`2026-11-01T08:00:00Z`, or a date: that day), a closed interval
 * (`a/b`), or a half-bounded one (`../b`, `a/..`, and the empty end `/b`, `a/`).
 */
export function parseDatetime(text: string): Parsed<Interval> {
  const bad = fail(
    "parameter 'datetime' must be an RFC 3339 date-time or date, or an interval 'start/end' where either end may be '..'",
  );
  const parts = text.split('/');
  if (parts.length === 1) {
    const start = parseInstant(text, 'start');
    const end = parseInstant(text, 'end');
    if (!start || !end) return bad;
    return { ok: true, value: { start, end } };
  }
  if (parts.length !== 2) return bad;
  const open = (p: string) => p === '' || p === '..';
  const [a, b] = parts as [string, string];
  if (open(a) && open(b)) return bad;
  const start = open(a) ? null : parseInstant(a, 'start');
  const end = open(b) ? null : parseInstant(b, 'end');
  if ((!open(a) && !start) || (!open(b) && !end)) return bad;
  if (start && end && start > end)
    return fail("parameter 'datetime' must not end before it starts");
  return { ok: true, value: { start, end } };
}

/** `limit`: a whole number ≥ 1; above {@link LIMIT_MAX} it is clamped. */
export function parseLimit(text: string | undefined): Parsed<number> {
  if (text === undefined) return { ok: true, value: LIMIT_DEFAULT };
  if (!/^\d+$/.test(text) || Number(text) < 1)
    return fail(`parameter 'limit' must be a whole number from 1 to ${LIMIT_MAX}`);
  return { ok: true, value: Math.min(Number(text), LIMIT_MAX) };
}

/**
 * Where a page starts: just after (or, for a `prev` link, just before) a feature in the page
 * order — the id, or for collections with time (time, id), `at` being the time exactly as the
 * database wrote it (microseconds kept). Opaque to clients (base64url JSON), so the paging scheme
 * can change without breaking a link's contract.
 */
export interface Cursor {
  dir: 'after' | 'before';
  id: number;
  at?: string;
}

export function encodeCursor(c: Cursor): string {
  const json = JSON.stringify({
    [c.dir === 'after' ? 'a' : 'b']: c.id,
    ...(c.at ? { t: c.at } : {}),
  });
  return Buffer.from(json).toString('base64url');
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}(:?\d{2})?)$/;

export function decodeCursor(text: string): Parsed<Cursor> {
  const bad = fail("parameter 'cursor' must be a value taken from a 'next' or 'prev' link");
  if (text.length > 200 || !/^[\w-]+$/.test(text)) return bad;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return bad;
  }
  const ok = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2_147_483_647;
  if (!v || typeof v !== 'object') return bad;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).some((k) => k !== 'a' && k !== 'b' && k !== 't')) return bad;
  if (
    't' in o &&
    (typeof o.t !== 'string' || !TIMESTAMP.test(o.t) || Number.isNaN(Date.parse(o.t)))
  )
    return bad;
  const at = typeof o.t === 'string' ? { at: o.t } : {};
  if (ok(o.a) && !('b' in o)) return { ok: true, value: { dir: 'after', id: o.a, ...at } };
  if (ok(o.b) && !('a' in o)) return { ok: true, value: { dir: 'before', id: o.b, ...at } };
  return bad;
}

export type Encoding = 'json' | 'html';

/**
 * `f=json|html` wins; otherwise the Accept header: HTML only when the client prefers it to JSON
 * (a browser), JSON for everyone else (GDAL, QGIS, curl's `*\/*`).
 */
export function negotiate(f: string | undefined, accept: string | undefined): Parsed<Encoding> {
  if (f !== undefined) {
    if (f === 'json' || f === 'geojson') return { ok: true, value: 'json' };
    if (f === 'html') return { ok: true, value: 'html' };
    return fail("parameter 'f' must be 'json' or 'html'");
  }
  if (!accept) return { ok: true, value: 'json' };
  let html = -1;
  let json = -1;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, q);
    else if (
      type === 'application/json' ||
      type === 'application/geo+json' ||
      type === 'application/vnd.oai.openapi+json' ||
      type === 'application/*'
    )
      json = Math.max(json, q);
  }
  return { ok: true, value: html > 0 && html > json ? 'html' : 'json' };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value made safe for HTML. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/**
 * The query parameters a request may carry: the endpoint's own, `f`, and `api_key` (read by the
 * key middleware). Core says a parameter the server does not define must be refused (400), so
 * that a client never believes an ignored filter was applied.
 */
export function unknownParameters(params: Iterable<string>, allowed: readonly string[]): string[] {
  const ok = new Set([...allowed, 'f', 'api_key']);
  return [...new Set([...params].filter((p) => !ok.has(p)))];
}
