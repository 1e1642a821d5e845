/**
 * The HTML encoding of the OGC API (Core's `html` class: every resource as a page a person can
 * read and follow links in) and the API's OpenAPI 3.0 definition. Small, server-rendered, and
 * every value escaped: feature properties are residents' words.
 */
import { CRS84, escapeHtml as e, LIMIT_DEFAULT, LIMIT_MAX } from '../../geo/ogc.ts';
import type { CollectionInfo, PropertyDoc } from '../services/ogc.ts';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title: string;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
a{color:#0b57d0}table{border-collapse:collapse;margin:.5rem 0;font-size:13px}
th,td{border:1px solid #c9ced6;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5}code{background:#f3f4f6;padding:0 .2rem}nav ul{padding-left:1.2rem}`;

function linkList(links: Link[]): string {
  const shown = links.filter((l) => l.rel !== 'self');
  if (!shown.length) return '';
  return `<nav aria-label="Links"><h2>链接 Links</h2><ul>${shown
    .map(
      (l) =>
        `<li><a href="${e(l.href)}" rel="${e(l.rel)}" type="${e(l.type)}">${e(l.title)}</a> <small>(${e(l.rel)}, ${e(l.type)})</small></li>`,
    )
    .join('')}</ul></nav>`;
}

/** A whole page: `lang` zh-CN (the titles are Chinese first), one h1, the links. */
export function page(title: string, body: string, links: Link[]): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · 民情地图 OGC API</title><style>${STYLE}</style></head>
<body><header><p><a href="/ogc">民情地图 OGC API – Features</a></p></header>
<main><h1>${e(title)}</h1>${body}${linkList(links)}</main></body></html>`;
}

const bboxText = (b: CollectionInfo['bbox']) => (b ? b.join(', ') : '—');

export function landingHtml(title: string, description: string, links: Link[]): string {
  return page(title, `<p>${e(description)}</p>`, links);
}

export function conformanceHtml(classes: string[], links: Link[]): string {
  return page(
    '符合性 Conformance',
    `<ul>${classes.map((c) => `<li><a href="${e(c)}">${e(c)}</a></li>`).join('')}</ul>`,
    links,
  );
}

function propertiesTable(props: PropertyDoc[]): string {
  return `<table><caption>属性 Properties</caption><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>${props
    .map(
      (p) =>
        `<tr><td><code>${e(p.name)}</code></td><td>${e(p.format ?? p.type)}</td><td>${e(p.description)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

export function collectionsHtml(
  collections: { info: CollectionInfo; href: string }[],
  links: Link[],
): string {
  const rows = collections
    .map(
      (c) =>
        `<tr><td><a href="${e(c.href)}">${e(c.info.title)}</a></td><td><code>${e(c.info.id)}</code></td><td>${e(c.info.description)}</td></tr>`,
    )
    .join('');
  return page(
    '数据集 Collections',
    `<table><thead><tr><th scope="col">Title</th><th scope="col">Id</th><th scope="col">Description</th></tr></thead><tbody>${rows}</tbody></table>`,
    links,
  );
}

export function collectionHtml(info: CollectionInfo, links: Link[]): string {
  const time = info.interval
    ? `<dt>时间范围 Temporal extent</dt><dd>${e(info.interval[0] ?? '..')} / ${e(info.interval[1] ?? '..')}</dd>`
    : '';
  return page(
    info.title,
    `<p>${e(info.description)}</p><dl><dt>Id</dt><dd><code>${e(info.id)}</code></dd>
<dt>空间范围 Spatial extent (CRS84)</dt><dd>${e(bboxText(info.bbox))}</dd>${time}</dl>${propertiesTable(info.properties)}`,
    links,
  );
}

export interface ItemsView {
  title: string;
  properties: PropertyDoc[];
  features: {
    id: number;
    geometry: { type: string } | null;
    properties: Record<string, unknown>;
  }[];
  numberMatched: number | null;
}

export function itemsHtml(v: ItemsView, links: Link[]): string {
  const head = v.properties.map((p) => `<th scope="col">${e(p.name)}</th>`).join('');
  const rows = v.features
    .map((f) => {
      const self = links.find((l) => l.rel === 'self')!.href;
      const href = new URL(self);
      href.pathname = `${href.pathname}/${f.id}`;
      for (const k of [...href.searchParams.keys()])
        if (k !== 'api_key' && k !== 'f') href.searchParams.delete(k);
      const cells = v.properties.map((p) => `<td>${e(f.properties[p.name] ?? '')}</td>`).join('');
      return `<tr><td><a href="${e(href.toString())}">${f.id}</a></td><td>${e(f.geometry?.type ?? '')}</td>${cells}</tr>`;
    })
    .join('');
  const matched = v.numberMatched === null ? '' : ` / ${v.numberMatched}`;
  return page(
    `${v.title} · 要素 Features`,
    `<p>本页 ${v.features.length}${matched} 条 (features on this page${matched ? ' / matched' : ''})</p>
<table><thead><tr><th scope="col">Id</th><th scope="col">Geometry</th>${head}</tr></thead><tbody>${rows}</tbody></table>`,
    links,
  );
}

export function featureHtml(
  title: string,
  f: ItemsView['features'][number],
  properties: PropertyDoc[],
  links: Link[],
): string {
  const rows = properties
    .map(
      (p) => `<tr><th scope="row">${e(p.name)}</th><td>${e(f.properties[p.name] ?? '')}</td></tr>`,
    )
    .join('');
  return page(
    `${title} #${f.id}`,
    `<table><tbody><tr><th scope="row">Geometry</th><td>${e(f.geometry?.type ?? '')}</td></tr>${rows}</tbody></table>`,
    links,
  );
}

export function apiHtml(doc: OpenApiDoc, links: Link[]): string {
  const rows = Object.entries(doc.paths)
    .map(
      ([path, ops]) =>
        `<tr><td><code>GET ${e(path)}</code></td><td>${e(ops.get.summary)}</td><td>${e(
          ops.get.parameters
            .map((p) => ('$ref' in p ? p.$ref.split('/').pop() : p.name))
            .join(', '),
        )}</td></tr>`,
    )
    .join('');
  return page(
    'API 说明 API definition',
    `<p>${e(doc.info.description)}</p><table><thead><tr><th scope="col">Path</th><th scope="col">Summary</th><th scope="col">Parameters</th></tr></thead><tbody>${rows}</tbody></table>`,
    links,
  );
}

type Param = { $ref: string } | { name: string; in: string; required?: boolean };

export interface OpenApiDoc {
  openapi: '3.0.3';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<
    string,
    { get: { summary: string; operationId: string; parameters: Param[]; responses: object } }
  >;
  components: { parameters: Record<string, object>; schemas: Record<string, object> };
}

const ok = (description: string, types: string[], schema: object = { type: 'object' }) => ({
  200: {
    description,
    content: Object.fromEntries(
      types.map((t) => [t, t === 'text/html' ? { schema: { type: 'string' } } : { schema }]),
    ),
  },
  400: { description: 'A parameter is wrong or unknown; the message names it' },
  401: { description: 'The collection needs credentials (a session or an API key)' },
  403: { description: 'The credentials may not read the collection' },
  404: { description: 'No such collection or feature' },
});

const JSON_HTML = ['application/json', 'text/html'];

/**
 * The OpenAPI 3.0 definition of the OGC API as the caller may use it: one items path per
 * collection it may read (as pygeoapi and ldproxy do), so a client sees each one's properties.
 */
export function openApiDocument(base: string, collections: CollectionInfo[]): OpenApiDoc {
  const f = { $ref: '#/components/parameters/f' };
  const paths: OpenApiDoc['paths'] = {
    '/': {
      get: {
        summary: 'Landing page',
        operationId: 'getLandingPage',
        parameters: [f],
        responses: ok('The landing page', JSON_HTML),
      },
    },
    '/conformance': {
      get: {
        summary: 'The conformance classes this API honours',
        operationId: 'getConformance',
        parameters: [f],
        responses: ok('Conformance classes', JSON_HTML),
      },
    },
    '/api': {
      get: {
        summary: 'This API definition',
        operationId: 'getApi',
        parameters: [f],
        responses: ok('The API definition', [
          'application/vnd.oai.openapi+json;version=3.0',
          'text/html',
        ]),
      },
    },
    '/collections': {
      get: {
        summary: 'The collections the caller may read',
        operationId: 'getCollections',
        parameters: [f],
        responses: ok('Collections', JSON_HTML),
      },
    },
  };
  for (const c of collections) {
    const schema = {
      type: 'object',
      required: ['type', 'geometry', 'properties'],
      properties: {
        type: { type: 'string', enum: ['Feature'] },
        id: { type: 'integer' },
        geometry: { type: 'object' },
        properties: {
          type: 'object',
          properties: Object.fromEntries(
            c.properties.map((p) => [
              p.name,
              {
                type: p.type,
                ...(p.format ? { format: p.format } : {}),
                nullable: true,
                description: p.description,
              },
            ]),
          ),
        },
      },
    };
    paths[`/collections/${c.id}`] = {
      get: {
        summary: `Describes ${c.title}`,
        operationId: `describe_${c.id}`,
        parameters: [f],
        responses: ok('The collection', JSON_HTML),
      },
    };
    paths[`/collections/${c.id}/items`] = {
      get: {
        summary: `The features of ${c.title}`,
        operationId: `getFeatures_${c.id}`,
        parameters: [
          { $ref: '#/components/parameters/bbox' },
          { $ref: '#/components/parameters/datetime' },
          { $ref: '#/components/parameters/limit' },
          { $ref: '#/components/parameters/cursor' },
          f,
        ],
        responses: ok('A page of features', ['application/geo+json', 'text/html'], {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: schema },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        }),
      },
    };
    paths[`/collections/${c.id}/items/{featureId}`] = {
      get: {
        summary: `One feature of ${c.title}`,
        operationId: `getFeature_${c.id}`,
        parameters: [{ $ref: '#/components/parameters/featureId' }, f],
        responses: ok('The feature', ['application/geo+json', 'text/html'], schema),
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: '民情地图 OGC API – Features',
      version: '1.0.0',
      description:
        'Lanzhou’s areas, compounds and buildings, and (with credentials) tickets and hazards, as OGC API – Features (Part 1: Core, GeoJSON, HTML). Coordinates in CRS84. Credentials: a session cookie, or an API key in the X-API-Key header or the api_key query parameter.',
    },
    servers: [{ url: base }],
    paths,
    components: {
      parameters: {
        f: {
          name: 'f',
          in: 'query',
          description: 'The encoding: json or html (otherwise the Accept header decides)',
          required: false,
          schema: { type: 'string', enum: ['json', 'html'] },
          style: 'form',
          explode: false,
        },
        bbox: {
          name: 'bbox',
          in: 'query',
          description: `Only features intersecting this box: minLon,minLat,maxLon,maxLat in ${CRS84}`,
          required: false,
          schema: {
            type: 'array',
            minItems: 4,
            maxItems: 4,
            items: { type: 'number' },
          },
          style: 'form',
          explode: false,
        },
        datetime: {
          name: 'datetime',
          in: 'query',
          description:
            'Only features whose time (receivedAt, reportedAt) is the instant or lies in the interval: an RFC 3339 date-time or date, or start/end with .. for an open end. Collections without time ignore it.',
          required: false,
          schema: { type: 'string' },
          style: 'form',
          explode: false,
        },
        limit: {
          name: 'limit',
          in: 'query',
          description: `Features per page; larger values are clamped to ${LIMIT_MAX}`,
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
          style: 'form',
          explode: false,
        },
        cursor: {
          name: 'cursor',
          in: 'query',
          description: 'Where a page starts: taken from a next or prev link, never made up',
          required: false,
          schema: { type: 'string' },
          style: 'form',
          explode: false,
        },
        featureId: {
          name: 'featureId',
          in: 'path',
          description: 'The feature’s id',
          required: true,
          schema: { type: 'integer' },
        },
      },
      schemas: {
        link: {
          type: 'object',
          required: ['href', 'rel'],
          properties: {
            href: { type: 'string' },
            rel: { type: 'string' },
            type: { type: 'string' },
            title: { type: 'string' },
          },
        },
      },
    },
  };
}
