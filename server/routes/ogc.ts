/**
 * OGC API – Features (Part 1: Core, with the GeoJSON, HTML and OpenAPI 3.0 classes) at /ogc, for
 * QGIS, GDAL and any other GIS. Who the caller is comes from the session cookie or an API key
 * (header `X-API-Key` or query `api_key`, resolved before these routes run); what they may read
 * is the services' business (server/services/ogc.ts). This file speaks HTTP: parameters, content
 * negotiation, links and content types.
 */
import type { Context } from 'hono';
import {
  CONFORMANCE,
  CRS84,
  decodeCursor,
  encodeCursor,
  negotiate,
  parseBbox,
  parseDatetime,
  parseLimit,
  unknownParameters,
  type Cursor,
  type Encoding,
  type Parsed,
} from '../../geo/ogc.ts';
import type { Db } from '../db/client.ts';
import { invalid, notFound } from '../services/domain-error.ts';
import * as ogc from '../services/ogc.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';
import * as views from './ogc-views.ts';
import type { Link } from './ogc-views.ts';

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';
const HTML = 'text/html';
const OPENAPI = 'application/vnd.oai.openapi+json;version=3.0';

const TITLE = '民情地图 Minqing Map — OGC API – Features';
const DESCRIPTION =
  '兰州市民情地图的开放地理数据：区县、街道、社区、网格、小区（评级与基本情况）、楼栋；持有凭据者另可读取诉求工单与安全隐患。 Lanzhou’s governance geography as OGC API – Features: districts, subdistricts, communities, grids, compounds (rating and facts) and buildings; with credentials, tickets and hazards.';

/** The claimed conformance classes: each has its own test in tests/server/ogc-conformance.test.ts. */
const CLASSES = [CONFORMANCE.core, CONFORMANCE.geojson, CONFORMANCE.html, CONFORMANCE.oas30];

const unwrap = <T>(r: Parsed<T>, field: string): T => {
  if (!r.ok) throw invalid('field_invalid', r.message, field);
  return r.value;
};

/** The request's parameters, refusing unknown ones and repeats (Core: undefined → 400). */
function params(c: Context, allowed: readonly string[]): Map<string, string> {
  const search = new URL(c.req.url).searchParams;
  const unknown = unknownParameters(search.keys(), allowed);
  if (unknown.length)
    throw invalid(
      'unknown_parameter',
      `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}: this endpoint takes ${[...allowed, 'f'].map((a) => `'${a}'`).join(', ')}`,
      unknown[0],
    );
  const out = new Map<string, string>();
  for (const [k, v] of search) {
    if (out.has(k)) throw invalid('field_invalid', `parameter '${k}' is given more than once`, k);
    out.set(k, v);
  }
  return out;
}

/** Builds absolute links on the address the client used, carrying its `api_key` if it sent one. */
function linker(c: Context) {
  const url = new URL(c.req.url);
  const origin = `${c.get('https') ? 'https:' : url.protocol}//${url.host}`;
  const key = url.searchParams.get('api_key');
  const href = (path: string, query: Record<string, string | undefined> = {}) => {
    const u = new URL(`${origin}/ogc${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v);
    // GDAL and QGIS follow links as given: a key sent in the query must travel with them.
    if (key) u.searchParams.set('api_key', key);
    return u.toString();
  };
  return { href, base: `${origin}/ogc` };
}

function encoding(c: Context, q: Map<string, string>): Encoding {
  return unwrap(negotiate(q.get('f'), c.req.header('accept')), 'f');
}

/** self + alternate for a resource served as JSON (of `jsonType`) and HTML. */
function selfLinks(
  href: (p: string, q?: Record<string, string | undefined>) => string,
  path: string,
  enc: Encoding,
  jsonType: string,
  title: string,
  query: Record<string, string | undefined> = {},
): Link[] {
  const json: Link = {
    href: href(path, { ...query, f: 'json' }),
    rel: 'self',
    type: jsonType,
    title: `${title} (JSON)`,
  };
  const html: Link = {
    href: href(path, { ...query, f: 'html' }),
    rel: 'self',
    type: HTML,
    title: `${title} (HTML)`,
  };
  return enc === 'json'
    ? [json, { ...html, rel: 'alternate' }]
    : [html, { ...json, rel: 'alternate' }];
}

function send(c: Context, body: string, type: string, status: 200 = 200) {
  return c.body(body, status, { 'content-type': `${type}; charset=utf-8`, vary: 'Accept' });
}

function collectionJson(
  info: ogc.CollectionInfo,
  href: (p: string, q?: Record<string, string | undefined>) => string,
  links: Link[],
) {
  return {
    id: info.id,
    title: info.title,
    description: info.description,
    links: [
      ...links,
      {
        href: href(`/collections/${info.id}/items`, { f: 'json' }),
        rel: 'items',
        type: GEOJSON,
        title: `${info.title} (GeoJSON)`,
      },
      {
        href: href(`/collections/${info.id}/items`, { f: 'html' }),
        rel: 'items',
        type: HTML,
        title: `${info.title} (HTML)`,
      },
    ],
    ...(info.bbox
      ? {
          extent: {
            spatial: { bbox: [info.bbox], crs: CRS84 },
            ...(info.interval
              ? {
                  temporal: {
                    interval: [info.interval],
                    trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
                  },
                }
              : {}),
          },
        }
      : {}),
    itemType: 'feature' as const,
    crs: [CRS84],
    storageCrs: CRS84,
  };
}

/** A feature id: anything but a whole number in range is no feature (404, as for a missing one). */
function featureId(text: string, collection: string): number {
  const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(id <= 2_147_483_647))
    throw notFound('feature_not_found', `No feature '${text}' in '${collection}'`, 'featureId');
  return id;
}

/** OGC API – Features (Part 1: Core) at /ogc. */
export function ogcRoutes(db: Db, cache: ReadCache) {
  return router()
    .use('*', async (c, next) => {
      // `…/ogc/` as pasted into QGIS or GDAL: the same resource without the slash.
      const url = new URL(c.req.url);
      if (url.pathname.length > 1 && url.pathname.endsWith('/') && c.req.method === 'GET')
        return c.redirect(`${url.pathname.replace(/\/+$/, '')}${url.search}`, 301);
      await next();
    })
    .get('/', (c) => {
      const q = params(c, []);
      const enc = encoding(c, q);
      const { href } = linker(c);
      const links: Link[] = [
        ...selfLinks(href, '', enc, JSON_TYPE, 'This document'),
        {
          href: href('/api'),
          rel: 'service-desc',
          type: OPENAPI,
          title: 'API definition (OpenAPI 3.0)',
        },
        {
          href: href('/api', { f: 'html' }),
          rel: 'service-doc',
          type: HTML,
          title: 'API documentation',
        },
        {
          href: href('/conformance', { f: 'json' }),
          rel: 'conformance',
          type: JSON_TYPE,
          title: 'Conformance classes',
        },
        {
          href: href('/conformance', { f: 'html' }),
          rel: 'conformance',
          type: HTML,
          title: 'Conformance classes (HTML)',
        },
        {
          href: href('/collections', { f: 'json' }),
          rel: 'data',
          type: JSON_TYPE,
          title: 'Collections',
        },
        {
          href: href('/collections', { f: 'html' }),
          rel: 'data',
          type: HTML,
          title: 'Collections (HTML)',
        },
      ];
      if (enc === 'html') return send(c, views.landingHtml(TITLE, DESCRIPTION, links), HTML);
      return send(c, JSON.stringify({ title: TITLE, description: DESCRIPTION, links }), JSON_TYPE);
    })
    .get('/conformance', (c) => {
      const q = params(c, []);
      const enc = encoding(c, q);
      const links = selfLinks(linker(c).href, '/conformance', enc, JSON_TYPE, 'Conformance');
      if (enc === 'html') return send(c, views.conformanceHtml(CLASSES, links), HTML);
      return send(c, JSON.stringify({ conformsTo: CLASSES, links }), JSON_TYPE);
    })
    .get('/api', async (c) => {
      const q = params(c, []);
      const { href, base } = linker(c);
      const infos = await Promise.all(
        ogc.readableCollections(c.get('actor')).map((o) => ogc.describe(db, cache, o)),
      );
      const doc = views.openApiDocument(base, infos);
      // The API definition's JSON is OpenAPI's own type; Accept: application/json gets it too.
      const enc = encoding(c, q);
      if (enc === 'html') {
        const links = selfLinks(href, '/api', 'html', OPENAPI, 'API definition');
        return send(c, views.apiHtml(doc, links), HTML);
      }
      return send(c, JSON.stringify(doc), OPENAPI);
    })
    .get('/collections', async (c) => {
      const q = params(c, []);
      const enc = encoding(c, q);
      const { href } = linker(c);
      const infos = await Promise.all(
        ogc.readableCollections(c.get('actor')).map((o) => ogc.describe(db, cache, o)),
      );
      const links = selfLinks(href, '/collections', enc, JSON_TYPE, 'Collections');
      if (enc === 'html')
        return send(
          c,
          views.collectionsHtml(
            infos.map((info) => ({ info, href: href(`/collections/${info.id}`, { f: 'html' }) })),
            links,
          ),
          HTML,
        );
      const collections = infos.map((info) =>
        collectionJson(info, href, [
          {
            href: href(`/collections/${info.id}`, { f: 'json' }),
            rel: 'self',
            type: JSON_TYPE,
            title: info.title,
          },
        ]),
      );
      return send(c, JSON.stringify({ links, collections }), JSON_TYPE);
    })
    .get('/collections/:collectionId', async (c) => {
      const q = params(c, []);
      const enc = encoding(c, q);
      const open = ogc.openCollection(c.get('actor'), c.req.param('collectionId'));
      const info = await ogc.describe(db, cache, open);
      const { href } = linker(c);
      const links = selfLinks(href, `/collections/${info.id}`, enc, JSON_TYPE, info.title);
      const body = collectionJson(info, href, links);
      if (enc === 'html') return send(c, views.collectionHtml(info, body.links), HTML);
      return send(c, JSON.stringify(body), JSON_TYPE);
    })
    .get('/collections/:collectionId/items', async (c) => {
      const q = params(c, ['bbox', 'datetime', 'limit', 'cursor']);
      const enc = encoding(c, q);
      const open = ogc.openCollection(c.get('actor'), c.req.param('collectionId'));
      const bboxText = q.get('bbox');
      const datetimeText = q.get('datetime');
      const cursorText = q.get('cursor');
      const limit = unwrap(parseLimit(q.get('limit')), 'limit');
      const query: ogc.ItemsQuery = {
        bbox: bboxText === undefined ? undefined : unwrap(parseBbox(bboxText), 'bbox'),
        interval:
          datetimeText === undefined ? undefined : unwrap(parseDatetime(datetimeText), 'datetime'),
        cursor: cursorText === undefined ? undefined : unwrap(decodeCursor(cursorText), 'cursor'),
        limit,
      };
      const page = await ogc.items(db, open, query);
      const returned = Math.min(page.fetched, limit);
      const backwards = query.cursor?.dir === 'before';
      // Reading forwards, more rows than the page means a next page; any cursor means one before
      // (and reading backwards, the reverse).
      const hasNext = returned > 0 && (backwards ? true : page.fetched > limit);
      const hasPrev =
        returned > 0 && (backwards ? page.fetched > limit : query.cursor !== undefined);
      const { href } = linker(c);
      const id = open.def.id;
      const path = `/collections/${id}/items`;
      const filters = {
        bbox: bboxText,
        datetime: datetimeText,
        limit: q.get('limit') === undefined ? undefined : String(limit),
      };
      const type = enc === 'json' ? GEOJSON : HTML;
      const pageLink = (rel: string, cursor: Cursor, title: string): Link => ({
        href: href(path, { ...filters, cursor: encodeCursor(cursor), f: enc }),
        rel,
        type,
        title,
      });
      const links: Link[] = [
        ...selfLinks(href, path, enc, GEOJSON, open.def.title, { ...filters, cursor: cursorText }),
        {
          href: href(`/collections/${id}`, { f: 'json' }),
          rel: 'collection',
          type: JSON_TYPE,
          title: open.def.title,
        },
      ];
      if (hasNext) links.push(pageLink('next', { dir: 'after', ...page.last! }, 'Next page'));
      if (hasPrev) links.push(pageLink('prev', { dir: 'before', ...page.first! }, 'Previous page'));
      if (enc === 'html')
        return send(
          c,
          views.itemsHtml(
            {
              title: open.def.title,
              properties: open.properties,
              features: JSON.parse(page.features),
              numberMatched: page.matched,
            },
            links,
          ),
          HTML,
        );
      // The features stay the one text the database built: no parse and re-serialise of a page.
      const head = JSON.stringify({
        type: 'FeatureCollection',
        timeStamp: new Date().toISOString(),
        ...(page.matched === null ? {} : { numberMatched: page.matched }),
        numberReturned: returned,
        links,
      });
      return send(c, `${head.slice(0, -1)},"features":${page.features}}`, GEOJSON);
    })
    .get('/collections/:collectionId/items/:featureId', async (c) => {
      const q = params(c, []);
      const enc = encoding(c, q);
      const open = ogc.openCollection(c.get('actor'), c.req.param('collectionId'));
      const fid = featureId(c.req.param('featureId'), open.def.id);
      const text = await ogc.feature(db, open, fid);
      const { href } = linker(c);
      const links: Link[] = [
        ...selfLinks(href, `/collections/${open.def.id}/items/${fid}`, enc, GEOJSON, `#${fid}`),
        {
          href: href(`/collections/${open.def.id}`, { f: 'json' }),
          rel: 'collection',
          type: JSON_TYPE,
          title: open.def.title,
        },
      ];
      if (enc === 'html')
        return send(
          c,
          views.featureHtml(open.def.title, JSON.parse(text), open.properties, links),
          HTML,
        );
      return send(c, `${text.slice(0, -1)},"links":${JSON.stringify(links)}}`, GEOJSON);
    });
}
