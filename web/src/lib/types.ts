/**
 * Shapes of the HTTP API as the web reads them (docs/API.md). Coordinates are WGS-84 [lon, lat].
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AreaLevel, RatingColor } from '../../../geo/vocabulary.ts';

export type LonLat = [number, number];
/** minLon, minLat, maxLon, maxLat */
export type BBox = [number, number, number, number];

export interface VocabTerm {
  key: string;
  zh: string;
  en: string;
  color: [number, number, number];
}

export interface Meta {
  bounds: BBox | null;
  dataRange: { from: string | null; to: string | null } | null;
  basemap: { styleUrl: string | null } | null;
}

export interface AreaProperties {
  id: number;
  level: AreaLevel;
  name: string;
  code: string | null;
  parentId: number | null;
  label: LonLat | null;
  rating: RatingColor | null;
  score: number | null;
  openTickets: number | null;
  overdueTickets: number | null;
}
export type AreaFeature = Feature<Polygon | MultiPolygon, AreaProperties>;
export type AreaCollection = FeatureCollection<Polygon | MultiPolygon, AreaProperties>;

export interface AreaRef {
  id: number;
  level: AreaLevel;
  name: string;
  code: string | null;
}

export interface AreaKpis {
  received: number;
  closed: number;
  open: number;
  overdue: number;
  completionRate: number | null;
  onTimeRate: number | null;
  satisfaction: number | null;
  hazards: { low: number; medium: number; high: number; critical: number };
  openHazards: number;
  overdueHazards?: number;
}

export interface CompoundAttributes {
  yearBuilt?: number | null;
  households?: number | null;
  buildingsCount?: number | null;
  propertyCompany?: {
    name: string;
    creditScore?: number | null;
    list?: string | null;
    trustModel?: boolean;
  } | null;
  hasOwnersCommittee?: boolean | null;
  ownersCommittee?: string | boolean | null;
  hasPartyBranch?: boolean | null;
  parkingSpaces?: number | null;
  registeredCars?: number | null;
  pipeCondition?: 'good' | 'fair' | 'poor' | null;
  roofCondition?: 'good' | 'fair' | 'poor' | null;
  hasElevator?: boolean | null;
  provincialDemonstration?: boolean | null;
  [key: string]: unknown;
}

export interface AreaRating {
  color: RatingColor | null;
  score: number | null;
  period: string | null;
  /** a compound's own rating */
  indicators?: Record<string, number>;
  /** a larger area's roll-up: how many of its compounds have each colour */
  red?: number;
  yellow?: number;
  blue?: number;
}

export interface AreaDetail {
  area: Omit<AreaRef, 'id' | 'level'> & {
    /** 'city' for the whole city (the root above the districts) */
    id: number | 'city';
    level: AreaLevel | 'city';
    parentId: number | null;
    bbox: BBox | null;
    label: LonLat | null;
    childLevel: AreaLevel | null;
    childrenCount: number | null;
  };
  ancestors: AreaRef[];
  period?: { from: string; to: string };
  kpis: AreaKpis;
  categories: { key: string; count: number }[];
  rating: AreaRating | null;
  compound: CompoundAttributes | null;
}

/** Points decoded from MQP1 in the shape deck.gl takes as binary data. */
export interface PointData {
  length: number;
  attributes: { getPosition: { value: Float32Array; size: 2 } };
  ids: Uint32Array;
  /** tickets: category, status, channel, flags; hazards: type, severity, status, flags */
  codes: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
}

export interface PointResult {
  data: PointData;
  count: number;
  truncated: boolean;
}

export interface TicketDetail {
  id: number;
  code: string;
  category: string;
  status: string;
  channel: string;
  priority: string;
  overdue: boolean;
  receivedAt: string;
  dueAt: string;
  title: string;
  description?: string;
  compoundId?: number | null;
  compoundName?: string | null;
  department?: string | null;
  propertyCompany?: string | null;
  residentName?: string | null;
  residentPhone?: string | null;
  satisfaction?: number | null;
  events?: { at: string; status: string; actor?: string; note?: string }[];
  [key: string]: unknown;
}
