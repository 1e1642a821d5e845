/**
 * Shapes of the HTTP API as the web reads them (docs/API.md). Coordinates are WGS-84 [lon, lat].
 */
import type {
  Feature,
  FeatureCollection,
  FeatureCollection as FC,
  LineString,
  MultiPolygon,
  Point,
  Polygon,
} from 'geojson';
import type { Capability, Role, WhistleState } from '../../../geo/operations.ts';
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
  /** pickers for dispatch, transfer and 街道吹哨 */
  departments?: { id: number; code: string; name: string }[];
  propertyCompanies?: { id: number; name: string; creditScore: number | null; list: string }[];
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
  whistles?: { open: number; awaitingReport: number; lateReportIns: number; overdue: number };
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

// ---------------------------------------------------------------------------------------------
// The workspace (docs/API.md from "Accounts, sessions and scope" on)

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scope: {
    kind: 'city' | 'area' | 'property_company' | 'department';
    id: number | null;
    level: AreaLevel | null;
    name: string;
  };
  can: Capability[];
}

export type ResponderKind = 'property_company' | 'department' | 'community';
export interface Responder {
  kind: ResponderKind;
  id: number | null;
  name: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface TicketRow {
  id: number;
  code: string;
  title: string;
  category: string;
  channel: string;
  status: string;
  priority: 'normal' | 'urgent';
  overdue: boolean;
  whistled: boolean;
  receivedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  position: LonLat;
  compoundId: number | null;
  compoundName: string | null;
  gridId: number | null;
  responder: Responder;
}

export interface HazardRow {
  id: number;
  code: string;
  type: string;
  severity: string;
  status: string;
  overdue: boolean;
  description: string;
  reportedAt: string;
  dueAt: string;
  rectifiedAt: string | null;
  verifiedAt: string | null;
  position: LonLat;
  compoundId: number | null;
  compoundName: string | null;
  photoRef?: string | null;
}

export interface TimelineEvent {
  at: string;
  status: string;
  actor?: string | null;
  note?: string | null;
  photoRef?: string | null;
}

export interface HazardDetail extends HazardRow {
  events: TimelineEvent[];
  actions: string[];
}

export interface WhistleResponder {
  kind: 'property_company' | 'department';
  id: number;
  name: string;
  office: LonLat | null;
  reportedAt: string | null;
  reportedBy?: string | null;
  late: boolean;
  note: string | null;
}

export interface WhistleRow {
  id: number;
  code: string;
  level: 'community' | 'subdistrict';
  ticketId: number | null;
  ticketCode: string | null;
  compoundId: number;
  compoundName: string | null;
  reason: string;
  blownBy: string;
  blownAt: string;
  reportDueAt: string;
  resolveDueAt: string;
  resolvedAt: string | null;
  resolution?: string | null;
  state: WhistleState;
  position: LonLat;
  responders: WhistleResponder[];
  /** only on GET /api/whistles/:id */
  actions?: string[];
}

export interface DuplicateSuggestion {
  id: number;
  code: string;
  title: string;
  status: string;
  category: string;
  receivedAt: string;
  distanceM: number;
}

export interface TrackProperties {
  kind: 'track';
  id: number;
  gridId: number;
  gridworker: string;
  startedAt: string;
  endedAt: string | null;
  distanceM: number;
  checkins: number;
  timestamps: number[];
}
export interface CheckinProperties {
  kind: 'checkin';
  patrolId: number;
  compoundId: number;
  compoundName: string;
  at: string;
}
export type PatrolCollection = FC<LineString | Point, TrackProperties | CheckinProperties>;
export type TrackFeature = Feature<LineString, TrackProperties>;
export type CheckinFeature = Feature<Point, CheckinProperties>;

export interface CoverageItem {
  gridId: number;
  name: string;
  lastPatrolledAt: string | null;
  patrolsToday: number;
}

export interface LiveEvent {
  kind: 'ticket' | 'whistle' | 'hazard' | 'patrol';
  op: 'created' | 'updated';
  id: number;
  code: string | null;
  status: string;
  category: string | null;
  position: LonLat | null;
  areaIds: {
    district: number;
    subdistrict: number;
    community: number;
    grid: number;
    compound: number | null;
  };
  at: string;
  actor: string;
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
  events?: TimelineEvent[];
  position?: LonLat;
  responder?: Responder;
  duplicateOf?: number | null;
  photoRef?: string | null;
  resolvedAt?: string | null;
  closedAt?: string | null;
  whistles?: WhistleRow[];
  /** the actions the signed-in account may take now */
  actions?: string[];
  [key: string]: unknown;
}
