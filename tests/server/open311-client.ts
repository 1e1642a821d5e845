/**
 * A GeoReport v2 client that knows only the spec (wiki.open311.org/GeoReport_v2): fetch, the
 * spec's paths and parameters, and a generic XML parser. It knows nothing of this app (no
 * imports from server/ or geo/), so what it can do, any city system can.
 */
import { XMLParser } from 'fast-xml-parser';

export type Format = 'json' | 'xml';

export interface Answer<T = any> {
  status: number;
  contentType: string;
  /** The answer in the spec's JSON shape, also when it came as XML (values as text there). */
  data: T;
  raw: string;
}

// Elements the spec repeats inside their parent: always lists, even when one came back.
const REPEATED = new Set([
  'service',
  'request',
  'error',
  'attribute',
  'value',
  'endpoint',
  'format',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

/** The XML document in the JSON shape: `<services><service>…` → `[{…}]`; `<x/>` → null. */
function fromXml(xml: string): unknown {
  const doc = parser.parse(xml) as Record<string, unknown>;
  const rootName = Object.keys(doc).find((k) => k !== '?xml')!;
  const root = doc[rootName] as Record<string, unknown> | string;
  const clean = (v: unknown): unknown => {
    if (v === '') return null;
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
    }
    return v;
  };
  const list = (key: string) => {
    if (root === '' || root === null) return [];
    return clean((root as Record<string, unknown>)[key] ?? []);
  };
  switch (rootName) {
    case 'services':
      return list('service');
    case 'service_requests':
      return list('request');
    case 'errors':
      return list('error');
    case 'service_definition': {
      const def = clean(root) as { service_code: string; attributes: { attribute?: any[] } | null };
      return {
        service_code: def.service_code,
        attributes: (def.attributes?.attribute ?? []).map((a: any) => ({
          ...a,
          values: a.values?.value ?? [],
        })),
      };
    }
    case 'discovery': {
      const d = clean(root) as any;
      return {
        ...d,
        endpoints: (d.endpoints?.endpoint ?? []).map((e: any) => ({
          ...e,
          formats: e.formats?.format ?? [],
        })),
      };
    }
    default:
      return clean(root);
  }
}

export class Open311Client {
  constructor(
    /** The endpoint's base, e.g. `http://127.0.0.1:8080/open311/v2`. */
    private readonly base: string,
    private readonly opts: { jurisdictionId?: string } = {},
  ) {}

  private async answer(res: Response, format: Format): Promise<Answer> {
    const raw = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let data: unknown = null;
    if (raw) data = format === 'xml' && raw.startsWith('<?xml') ? fromXml(raw) : JSON.parse(raw);
    return { status: res.status, contentType, data, raw };
  }

  private url(path: string, params: Record<string, string | undefined> = {}) {
    const u = new URL(`${this.base}/${path}`);
    if (this.opts.jurisdictionId) u.searchParams.set('jurisdiction_id', this.opts.jurisdictionId);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    return u;
  }

  private async get(path: string, format: Format, params: Record<string, string | undefined> = {}) {
    return this.answer(await fetch(this.url(`${path}.${format}`, params)), format);
  }

  discovery(format: Format) {
    return this.get('discovery', format);
  }

  services(format: Format) {
    return this.get('services', format);
  }

  serviceDefinition(code: string, format: Format) {
    return this.get(`services/${encodeURIComponent(code)}`, format);
  }

  /**
   * POST requests. The spec sends the fields form-encoded, `attribute[code]=value`, with the key
   * as `api_key`; `as: 'json'` sends the same fields as a JSON object instead.
   */
  async createRequest(
    format: Format,
    fields: Record<string, string | undefined>,
    opts: { as?: 'form' | 'json'; attributes?: Record<string, string> } = {},
  ) {
    const all: Record<string, string> = {};
    if (this.opts.jurisdictionId) all.jurisdiction_id = this.opts.jurisdictionId;
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) all[k] = v;
    for (const [k, v] of Object.entries(opts.attributes ?? {})) all[`attribute[${k}]`] = v;
    const res =
      opts.as === 'json'
        ? await fetch(`${this.base}/requests.${format}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(all),
          })
        : await fetch(`${this.base}/requests.${format}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(all).toString(),
          });
    return this.answer(res, format);
  }

  requests(format: Format, params: Record<string, string | undefined> = {}) {
    return this.get('requests', format, params);
  }

  request(id: string, format: Format) {
    return this.get(`requests/${encodeURIComponent(id)}`, format);
  }

  token(token: string, format: Format) {
    return this.get(`tokens/${encodeURIComponent(token)}`, format);
  }
}
