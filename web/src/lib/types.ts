/**
 * Shapes of the HTTP API as the web reads them: the server's contract (server/contract/), so a
 * changed response breaks this build instead of a page. Type-only imports: no server code, and no
 * zod, reaches the bundle. Coordinates are WGS-84 [lon, lat].
 */
import type { z } from '@hono/zod-openapi';
import type {
  BBox as BBoxSchema,
  LonLat as LonLatSchema,
} from '../../../server/contract/common.ts';
import type { Responder as ResponderSchema } from '../../../server/contract/common.ts';
import type { AreaDetail } from '../../../server/contract/areas.ts';
import type { TicketEvent } from '../../../server/contract/tickets.ts';
import type { LiveEvent as LiveEventSchema } from '../../../server/contract/events.ts';

export type {
  AreaCollection,
  AreaDetail,
  AreaFeature,
  AreaKpis,
  AreaProperties,
  AreaRef,
  CompoundAttributes,
  CompoundRating,
  RatingRollup,
} from '../../../server/contract/areas.ts';
export type {
  AreaRankRow,
  CellDetail,
  Compare,
  CompoundFacts,
  CoverageRisk,
  Emerging,
  Hotspots,
  HotspotCell,
  Renovation,
  RenovationRow,
  SelectionDetail,
  Series,
  SpotClass,
} from '../../../server/contract/analytics.ts';
export type CompareRow = import('../../../server/contract/analytics.ts').Compare['rows'][number];
export type CoverageRiskRow =
  import('../../../server/contract/analytics.ts').CoverageRisk['rows'][number];
export type { AuditPage, AuditRow } from '../../../server/contract/audit.ts';
export type { HazardDetail, HazardEvent, HazardRow } from '../../../server/contract/hazards.ts';
export type { Meta, VocabTerm } from '../../../server/contract/meta.ts';
export type {
  CheckinFeature,
  CheckinProperties,
  CoverageItem,
  PatrolCollection,
  TrackFeature,
  TrackProperties,
} from '../../../server/contract/patrols.ts';
export type { Account } from '../../../server/contract/session.ts';
export type {
  DuplicateSuggestion,
  TicketDetail,
  TicketEvent,
  TicketRow,
  TransferTarget,
} from '../../../server/contract/tickets.ts';
export type {
  WhistleDetail,
  WhistleResponder,
  WhistleRow,
} from '../../../server/contract/whistles.ts';
export type { ManagedAccount } from '../../../server/contract/accounts.ts';

export type LonLat = z.infer<typeof LonLatSchema>;
/** minLon, minLat, maxLon, maxLat */
export type BBox = z.infer<typeof BBoxSchema>;
export type Responder = z.infer<typeof ResponderSchema>;
export type ResponderKind = Responder['kind'];
export type LiveEvent = z.infer<typeof LiveEventSchema>;
/** A ticket's or a hazard's timeline step (hazards add a photo and the account). */
export type TimelineEvent = TicketEvent & { photoRef?: string | null };
/** A compound's own rating, or a larger area's roll-up of its compounds' colours. */
export type AreaRating = NonNullable<AreaDetail['rating']>;

/** One page of a list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

// Client-side shapes (decoded from MQP1 binary), not JSON answers.

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
