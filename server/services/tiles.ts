/**
 * Vector tiles of the map's layers: which layers exist, what they hold at each zoom, who may read
 * them, their TileJSON, and the tiles themselves with a strong ETag, cached.
 *
 * - `areas`: public, like the map's areas; one source-layer per level (district from zoom 5,
 *   subdistrict 9, community 11, grid 13).
 * - `compounds`: public, like the map's rating dots; polygons, or the label point where a
 *   compound is under 4 px across.
 * - `tickets`: open tickets counted per 16-px cell, for accounts with a ticket layer (the same
 *   rule as the map's ticket points: their own scope, or the whole city for planners, who see
 *   counts only anyway); 401 for the public, 403 for the rest.
 */
import { createHash } from 'node:crypto';
import { TILE_BUFFER, tileBounds4326, tileProblem, type TileAddress } from '../../geo/tiles.ts';
import { TICKET_CATEGORIES, type AreaLevel } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/tiles.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import type { Actor } from '../policy.ts';
import { ruleKey, type ReadRule } from '../policy.ts';
import { invalid, notFound } from './domain-error.ts';
import type { ReadCache } from './read-cache.ts';
import { ticketLayer } from './tickets.ts';

export const TILE_LAYERS = ['areas', 'compounds', 'tickets'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

/** Lanzhou's five urban districts and around them: what every tileset says it covers. */
export const LANZHOU_BOUNDS: [number, number, number, number] = [102.9, 35.5, 104.6, 36.6];

type Fields = Record<string, string>;

const AREA_FIELDS: Fields = {
  id: 'Number: the area id (as /api/areas)',
  level: 'String: district, subdistrict, community or grid',
  name: 'String: the area name (Chinese)',
  code: 'String: the official code (GB/T 2260 and its 9/12-digit extensions), when it has one',
  parentId: 'Number: the id of the area above it',
  households: 'Number: households in its compounds',
  compounds: 'Number: compounds in it',
  rating: 'String: roll-up of its compounds latest 三色 colours (red, yellow, blue)',
  score: 'Number: mean rating score of its compounds',
  openTickets: 'Number: open tickets in it',
  overdueTickets: 'Number: open tickets past their deadline',
};

/** Minimum zoom of each area level's source-layer. */
export const AREA_LEVEL_MINZOOM: Record<Exclude<AreaLevel, 'compound'>, number> = {
  district: 5,
  subdistrict: 9,
  community: 11,
  grid: 13,
};

/** Compounds narrower than this many pixels are drawn as their label point. */
export const COMPOUND_MIN_PIXELS = 4;

interface TilesetSpec {
  description: string;
  minzoom: number;
  maxzoom: number;
  public: boolean;
  /** Seconds a client may reuse a tile without asking. */
  maxAge: number;
  vectorLayers: {
    id: string;
    description: string;
    minzoom: number;
    maxzoom: number;
    fields: Fields;
  }[];
}

export const TILESETS: Record<TileLayer, TilesetSpec> = {
  areas: {
    description: '民情地图 areas of Lanzhou: districts, subdistricts, communities and grids',
    minzoom: 5,
    maxzoom: 16,
    public: true,
    maxAge: 600,
    vectorLayers: (Object.keys(AREA_LEVEL_MINZOOM) as (keyof typeof AREA_LEVEL_MINZOOM)[]).map(
      (level) => ({
        id: level,
        description: `Areas of level ${level}`,
        minzoom: AREA_LEVEL_MINZOOM[level],
        maxzoom: 16,
        fields: AREA_FIELDS,
      }),
    ),
  },
  compounds: {
    description: '民情地图 residential compounds (小区) with their 三色 rating and facts',
    minzoom: 8,
    maxzoom: 16,
    public: true,
    maxAge: 600,
    vectorLayers: [
      {
        id: 'compounds',
        description: `Compound outlines; the label point where a compound is under ${COMPOUND_MIN_PIXELS} px across`,
        minzoom: 8,
        maxzoom: 16,
        fields: {
          id: 'Number: the compound area id',
          name: 'String: the compound name',
          code: 'String: the compound code',
          parentId: 'Number: the grid it lies in',
          rating: 'String: latest 三色 colour (red, yellow, blue)',
          score: 'Number: latest rating score (0-100)',
          yearBuilt: 'Number: year built',
          households: 'Number: households',
          buildings: 'Number: buildings',
          hasElevator: 'Boolean: whether its buildings have elevators',
          parkingSpaces: 'Number: parking spaces',
          openTickets: 'Number: open tickets',
          overdueTickets: 'Number: open tickets past their deadline',
        },
      },
    ],
  },
  tickets: {
    description: '民情地图 open tickets (诉求) counted per 16-pixel cell of each tile',
    minzoom: 8,
    maxzoom: 16,
    public: false,
    maxAge: 30,
    vectorLayers: [
      {
        id: 'tickets',
        description: 'One point per cell at its centre with the counts of the open tickets in it',
        minzoom: 8,
        maxzoom: 16,
        fields: {
          count: 'Number: open tickets in the cell',
          overdue: 'Number: of them past their deadline',
          ...Object.fromEntries(
            TICKET_CATEGORIES.map((c) => [`c_${c.key}`, `Number: open ${c.en} tickets (${c.zh})`]),
          ),
        },
      },
    ],
  },
};

export function tileLayerOf(name: string): TileLayer {
  if ((TILE_LAYERS as readonly string[]).includes(name)) return name as TileLayer;
  throw notFound(
    'tile_layer_not_found',
    `No tile layer '${name}' (parameter 'layer': one of ${TILE_LAYERS.join(', ')})`,
    'layer',
  );
}

/** Who may read a layer: null for every public layer, the ticket rule otherwise (401/403). */
function access(layer: TileLayer, actor: Actor | null) {
  if (TILESETS[layer].public) return null;
  return ticketLayer(actor);
}

/** Checks that the caller may read the layer (401/403 otherwise), e.g. before its TileJSON. */
export function checkTileAccess(layer: TileLayer, actor: Actor | null) {
  access(layer, actor);
}

/** TileJSON 3.0.0 of a layer; `tilesUrl` is the template clients fetch tiles from. */
export function tileJson(layer: TileLayer, tilesUrl: string) {
  const s = TILESETS[layer];
  return {
    tilejson: '3.0.0' as const,
    name: layer,
    description: s.description,
    version: '1.0.0',
    attribution: '民情地图 · 兰州',
    scheme: 'xyz' as const,
    tiles: [tilesUrl],
    minzoom: s.minzoom,
    maxzoom: s.maxzoom,
    bounds: LANZHOU_BOUNDS,
    center: [103.83, 36.06, 11] as [number, number, number],
    vector_layers: s.vectorLayers,
  };
}

export interface TileAnswer {
  /** Empty when no feature meets the tile (sent as 204). */
  body: Uint8Array;
  etag: string;
  cacheControl: string;
}

export function parseTileAddress(layer: TileLayer, z: string, x: string, y: string): TileAddress {
  const num = (s: string) => (/^\d{1,8}$/.test(s) ? Number(s) : NaN);
  const t = { z: num(z), x: num(x), y: num(y) };
  const problem = tileProblem(t, TILESETS[layer].maxzoom);
  if (problem) {
    const field = !Number.isInteger(t.z) || problem.startsWith('z') ? 'z' : problem[0]!;
    throw invalid('bad_tile', `Invalid tile: parameter '${field}': ${problem}`, field);
  }
  return t;
}

/** One tile, from the cache when it holds it (keyed by the caller's rule where it matters). */
export async function tile(
  db: Db,
  cache: ReadCache,
  actor: Actor | null,
  layer: TileLayer,
  t: TileAddress,
): Promise<TileAnswer> {
  const rule = access(layer, actor);
  const s = TILESETS[layer];
  const cacheControl = s.public
    ? `public, max-age=${s.maxAge}, stale-while-revalidate=${s.maxAge * 6}`
    : `private, max-age=${s.maxAge}`;
  const addr = `${t.z}/${t.x}/${t.y}`;
  if (t.z < s.minzoom)
    return { body: new Uint8Array(0), etag: etagOf(new Uint8Array(0)), cacheControl };
  const key = rule ? `tiles:${layer}:${ruleKey(rule.rule)}:${addr}` : `tiles:${layer}:${addr}`;
  const answer = await cache.get(
    key,
    async () => {
      const body = await load(db, cache, layer, t, rule?.rule);
      return { body, etag: etagOf(body) };
    },
    // Ticket cells count only the tickets inside the tile; an area's or a compound's counts
    // cover its whole outline, which may reach far beyond the tile.
    layer === 'tickets'
      ? { nouns: ['tickets'], bbox: tileBounds4326(t), aggregate: true }
      : { nouns: ['tickets'], aggregate: true },
  );
  return { ...answer, cacheControl };
}

async function load(
  db: Db,
  cache: ReadCache,
  layer: TileLayer,
  t: TileAddress,
  rule: ReadRule | undefined,
) {
  switch (layer) {
    case 'areas': {
      const all = await figures(db, cache);
      const box = tileBounds4326(t, TILE_BUFFER);
      return q.areasTile(
        db,
        t,
        (Object.keys(AREA_LEVEL_MINZOOM) as (keyof typeof AREA_LEVEL_MINZOOM)[]).filter(
          (l) => t.z >= AREA_LEVEL_MINZOOM[l],
        ),
        (level) => q.figuresJson(all, level, box),
      );
    }
    case 'compounds': {
      const all = await figures(db, cache);
      const box = tileBounds4326(t, TILE_BUFFER);
      return q.compoundsTile(db, t, COMPOUND_MIN_PIXELS, q.figuresJson(all, 'compound', box));
    }
    case 'tickets':
      return q.ticketsTile(db, t, scopeCondition(rule ?? { kind: 'none' }, 'tickets', 't'));
  }
}

/**
 * Every area's figures, computed once for all the tiles that need them (see areaFigures). Kept
 * in the shared cache's way (aggregate: after a write, served until refreshed in the background).
 */
function figures(db: Db, cache: ReadCache) {
  return cache.get('tiles:figures', () => q.areaFigures(db), {
    nouns: ['tickets'],
    aggregate: true,
  });
}

/** A strong validator: the same bytes, the same tag, on every process and database. */
function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
