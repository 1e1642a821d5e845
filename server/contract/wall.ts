/** The command-center wall's city figures (指挥大屏): aggregates and compound names only. */
import { z } from '@hono/zod-openapi';
import { REPLAY_KINDS } from '../../geo/vocabulary.ts';
import { LonLat, Timestamp } from './common.ts';

const Figures = z.object({
  received: z.number(),
  open: z.number(),
  overdue: z.number(),
  /** Closed on time ÷ closed, over the last 30 days; null when none closed. */
  onTimeRate: z.number().nullable(),
  /** Mean 1–5 rating over the last 30 days. */
  satisfaction: z.number().nullable(),
});

export const WallSummary = z
  .object({
    asOf: Timestamp,
    /** Today in Beijing, `YYYY-MM-DD`. */
    today: z.string(),
    received: z.object({
      today: z.number(),
      /** Received on the same weekday over the previous four weeks, on average. */
      sameWeekdayAverage: z.number(),
      /** The last 30 Beijing days, oldest first, today last. */
      sparkline: z.array(z.object({ day: z.string(), count: z.number() })),
    }),
    /** `received`, `onTimeRate` and `satisfaction` over the last 30 days; open and overdue now. */
    city: Figures,
    whistles: z.object({
      open: z.number(),
      awaitingReport: z.number(),
      lateReportIns: z.number(),
      overdue: z.number(),
    }),
    hazards: z.object({
      bySeverity: z.object({
        low: z.number(),
        medium: z.number(),
        high: z.number(),
        critical: z.number(),
      }),
      overdue: z.number(),
    }),
    /** Districts, most overdue first. */
    districts: z.array(Figures.extend({ id: z.number(), name: z.string() })),
    ratings: z.object({
      red: z.number(),
      yellow: z.number(),
      blue: z.number(),
      period: z.string().nullable(),
      redList: z.array(
        z.object({ id: z.number(), name: z.string(), district: z.string(), score: z.number() }),
      ),
    }),
  })
  .openapi('WallSummary');
export type WallSummary = z.infer<typeof WallSummary>;

// ---------------------------------------------------------------------------------------------
// Who the wall is (GET /api/wall/viewer)

export const WallViewerInfo = z
  .object({
    kind: z.enum(['account', 'display']),
    /** The display's name ("市指挥中心 主屏"), or the account's display name. */
    name: z.string(),
    /** The playlist this wall tours (a display's own, else the default). */
    playlistId: z.number().nullable(),
  })
  .openapi('WallViewerInfo');
export type WallViewerInfo = z.infer<typeof WallViewerInfo>;

// ---------------------------------------------------------------------------------------------
// Display credentials (/api/displays, capability wall.manage; /api/wall/display-session)

export const Display = z
  .object({
    id: z.number(),
    name: z.string(),
    playlistId: z.number().nullable(),
    createdAt: Timestamp,
    createdBy: z.string(),
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    revokedBy: z.string().nullable(),
    lastSeenAt: Timestamp.nullable(),
    status: z.enum(['active', 'revoked', 'expired']),
  })
  .openapi('Display');
export type Display = z.infer<typeof Display>;

export const DisplayIssued = z
  .object({
    display: Display,
    /** The key, shown once: only its hash is kept. */
    key: z.string(),
    /** Where to open the wall with it: `/wall#key=…` (a fragment never reaches a server log). */
    url: z.string(),
  })
  .openapi('DisplayIssued');
export type DisplayIssued = z.infer<typeof DisplayIssued>;

export const DisplayList = z.object({ items: z.array(Display) }).openapi('DisplayList');

// ---------------------------------------------------------------------------------------------
// Scenes and playlists (/api/wall/playlists)

export const SCENE_KINDS = [
  'city',
  'district',
  'hotspots',
  'whistles',
  'hazards',
  'coverage',
  'heat',
] as const;
export const SceneKind = z.enum(SCENE_KINDS);
export type SceneKind = z.infer<typeof SceneKind>;

export const Scene = z
  .object({
    /** Stable within its playlist: a reloaded wall returns to the scene with this id. */
    id: z.string(),
    kind: SceneKind,
    /** The district of a `district` scene; null for the others (the whole city). */
    areaId: z.number().nullable(),
    dwellSeconds: z.number(),
    /** A heading instead of the kind's own; null for the default. */
    title: z.string().nullable(),
  })
  .openapi('WallScene');
export type Scene = z.infer<typeof Scene>;

export const Playlist = z
  .object({
    /** null: the built-in default (the city, each district, then the themes), never saved yet. */
    id: z.number().nullable(),
    name: z.string(),
    version: z.number(),
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
    scenes: z.array(Scene),
  })
  .openapi('WallPlaylist');
export type Playlist = z.infer<typeof Playlist>;

export const PlaylistList = z.object({ items: z.array(Playlist) }).openapi('WallPlaylistList');

// ---------------------------------------------------------------------------------------------
// Alarms (/api/wall/alarms)

export const AlarmKind = z.enum(['hazard_major', 'whistle_late', 'ticket_overdue_red']);
export type AlarmKind = z.infer<typeof AlarmKind>;

export const Alarm = z
  .object({
    id: z.number(),
    kind: AlarmKind,
    district: z.object({ id: z.number(), name: z.string() }),
    /** The compound (or grid) it is about. */
    place: z.string(),
    /** Hazard type or ticket category code. */
    category: z.string().nullable(),
    severity: z.string().nullable(),
    position: LonLat,
    raisedAt: Timestamp,
    acknowledgedAt: Timestamp.nullable(),
    /** "Display name (scope)" of the supervisor who acknowledged it. */
    acknowledgedBy: z.string().nullable(),
  })
  .openapi('WallAlarm');
export type Alarm = z.infer<typeof Alarm>;

export const AlarmList = z
  .object({ asOf: Timestamp, items: z.array(Alarm) })
  .openapi('WallAlarmList');
export type AlarmList = z.infer<typeof AlarmList>;

// ---------------------------------------------------------------------------------------------
// The live stream (GET /api/wall/stream, text/event-stream). Events:
// - `hello`  {asOf}                              on connect
// - `tick`   WallTick                            a record created or changed (no person, no text)
// - `alarm`  Alarm                               raised
// - `ack`    Alarm                               acknowledged
// - `revoked` {reason}                           the display key was revoked or expired; closes
// - `ping`   {asOf}                              every 15 s, so that a silent line shows as dead

export const WallTick = z
  .object({
    kind: z.enum(['ticket', 'whistle', 'hazard', 'patrol']),
    op: z.enum(['created', 'updated']),
    status: z.string(),
    category: z.string().nullable(),
    district: z.object({ id: z.number(), name: z.string() }),
    /** Rounded to 3 decimals (about 100 m). */
    position: LonLat.nullable(),
    at: Timestamp,
  })
  .openapi('WallTick');
export type WallTick = z.infer<typeof WallTick>;

// ---------------------------------------------------------------------------------------------
// Replay (GET /api/wall/replay?hours=24): the last hours' events, column by column.

export { REPLAY_KINDS };

export const Replay = z
  .object({
    from: Timestamp,
    to: Timestamp,
    /** Index into these in `k`. */
    kinds: z.array(z.enum(REPLAY_KINDS)),
    /** Seconds after `from`, ascending. */
    t: z.array(z.number()),
    k: z.array(z.number()),
    /** Degrees, 5 decimals. */
    lon: z.array(z.number()),
    lat: z.array(z.number()),
  })
  .openapi('WallReplay');
export type Replay = z.infer<typeof Replay>;

// ---------------------------------------------------------------------------------------------
// Map layers (/api/wall/layers/*): aggregates and places, column by column or binary.

/** Open hazards: position, severity 0 low … 3 critical, overdue 0/1. */
export const WallHazards = z
  .object({
    asOf: Timestamp,
    lon: z.array(z.number()),
    lat: z.array(z.number()),
    severity: z.array(z.number()),
    overdue: z.array(z.number()),
  })
  .openapi('WallHazards');
export type WallHazards = z.infer<typeof WallHazards>;

/** Open whistles as arcs from the area that blew (subdistrict or community) to the compound. */
export const WallWhistles = z
  .object({
    asOf: Timestamp,
    fromLon: z.array(z.number()),
    fromLat: z.array(z.number()),
    toLon: z.array(z.number()),
    toLat: z.array(z.number()),
    /** 0 awaiting report-in, 1 report-in late, 2 reported (resolving). */
    state: z.array(z.number()),
  })
  .openapi('WallWhistles');
export type WallWhistles = z.infer<typeof WallWhistles>;

/** H3 cells with a value: open tickets per cell, Gi* class, or the coverage residual. */
export const WallCells = z
  .object({
    asOf: Timestamp,
    res: z.number(),
    cells: z.array(z.string()),
    values: z.array(z.number()),
  })
  .openapi('WallCells');
export type WallCells = z.infer<typeof WallCells>;

/**
 * Binary layers, little-endian, `application/octet-stream`:
 *
 * `GET /api/wall/layers/heat.bin?days=365`: a year of tickets as res-9 cell centres with counts
 * (from the cell rollups). Header: uint32 magic 0x4D514854 ("MQHT"), uint32 n, uint32 total
 * tickets, uint32 reserved; then Float32 lon/lat × n (interleaved), then Uint32 count × n.
 *
 * `GET /api/wall/layers/tracks.bin?day=YYYY-MM-DD` (default today, Beijing): the day's patrol
 * tracks, each as TWKB (ST_AsTWKB, 5 decimals) behind a uint32 length. Header: uint32 magic
 * 0x4D515452 ("MQTR"), uint32 tracks; decoded by geo/twkb.ts into PathLayer binary input.
 */

// `GET /api/wall/layers/ratings`: compound outlines (simplified) as GeoJSON, each with its latest
// 红黄蓝 colour as property `c` (0 red, 1 yellow, 2 blue) and nothing else.

export const WallRatings = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({
          type: z.enum(['Polygon', 'MultiPolygon']),
          coordinates: z.array(z.any()),
        }),
        /** 0 red, 1 yellow, 2 blue. */
        properties: z.object({ c: z.union([z.literal(0), z.literal(1), z.literal(2)]) }).strict(),
      }),
    ),
  })
  .openapi('WallRatings');
export type WallRatings = z.infer<typeof WallRatings>;
