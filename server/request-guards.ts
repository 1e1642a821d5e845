import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Writes take JSON of a bounded size. The body is read here, up to the limit and no further, so a
 * chunked upload without `Content-Length` cannot make the process hold more than the limit: the
 * stream is cancelled at the first byte past it and the connection closed. Requiring
 * `application/json` also shuts out cross-site form posts, which browsers may send with cookies
 * but never with that content type.
 */
export const bodyGuard = createMiddleware(async (c, next) => {
  checkPathText(c.req.url);
  checkQueryText(c.req.url);
  if (!WITH_BODY.has(c.req.method)) return next();
  const declared = c.req.header('content-length');
  if (declared !== undefined && !/^\d{1,15}$/.test(declared.trim())) {
    throw new ApiError(400, 'bad_request', `Header 'Content-Length' must be a byte count.`);
  }
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw tooLarge(c);
  const body = await readBounded(c.req.raw.body, () => tooLarge(c));
  if (body) {
    const type = c.req.header('content-type') ?? '';
    // An empty body (POST /patrols/:id/end) carries no form to forge.
    if (
      body.byteLength > 0 &&
      !/^application\/json\b/i.test(type) &&
      !formAllowed(c.req.path, type)
    ) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Send the body as JSON with 'Content-Type: application/json' (got '${type || 'none'}').`,
      );
    }
    if (body.byteLength > 0) checkJsonText(body);
    // Hand the handlers a request whose body is the bytes already read.
    c.req.raw = new Request(c.req.raw, { body });
  }
  await next();
});

/**
 * Open311's POST requests is form-encoded by the spec (GeoReport v2). It is the one form the app
 * takes: it files only with an API key (never a session cookie), so a cross-site form cannot use
 * it as a signed-in browser; its route checks every field's text itself.
 */
function formAllowed(path: string, type: string) {
  return (
    /^application\/x-www-form-urlencoded\b/i.test(type) &&
    /^\/open311\/v2\/requests\.(json|xml)$/.test(path)
  );
}

async function readBounded(
  stream: ReadableStream<Uint8Array> | null,
  onTooLarge: () => Error,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!stream) return null;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw onTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function tooLarge(c: { header: (name: string, value: string) => void }) {
  // The rest of an oversized upload is not worth reading: end the connection after the answer.
  c.header('Connection', 'close');
  return new ApiError(
    413,
    'payload_too_large',
    `The request body exceeds ${MAX_BODY_BYTES / 1024} KB; shorten the text fields.`,
  );
}

/**
 * Why a text value cannot be stored, or null. PostgreSQL's text cannot hold NUL, and a lone UTF-16
 * surrogate (which JSON's `\ud800` escapes can produce) is not a character at all: both would fail
 * deep inside a query as a 500, so they are refused where they come in, naming the field.
 */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (!value.isWellFormed()) return 'must be valid Unicode text (it holds a lone surrogate)';
  return null;
}

/** An id in the address (`/open311/v2/requests/{id}.json`) is text a query will hold too. */
function checkPathText(url: string) {
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2)).split(/[?#]/)[0]!;
  if (!path.includes('%')) return;
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      continue; // a malformed escape stays as it is, and matches no route
    }
    const problem = textProblem(segment);
    if (problem) {
      throw new ApiError(400, 'bad_request', `Invalid path: the part '${raw}' ${problem}`, {
        field: 'path',
      });
    }
  }
}

function checkQueryText(url: string) {
  const search = url.indexOf('?');
  if (search < 0) return;
  // URLSearchParams decodes malformed escapes leniently (never throws) and keeps NUL as is.
  for (const [name, value] of new URLSearchParams(url.slice(search + 1))) {
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) throw fieldError('query', name, problem);
  }
}

function checkJsonText(body: Uint8Array) {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return; // not JSON: the route's validator answers that
  }
  walk(value, '');
}

function walk(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) throw fieldError('json', path || 'body', problem);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const problem = textProblem(key);
      if (problem) throw fieldError('json', at, `name ${problem}`);
      walk(v, at);
    }
  }
}

function fieldError(target: 'query' | 'json', field: string, problem: string) {
  return new ApiError(400, 'bad_request', `Invalid ${target}: parameter '${field}' ${problem}`, {
    field,
  });
}
