/**
 * The rows an export writes (CSV columns and GeoJSON properties are made from them). Exports are
 * files, not JSON answers: these are the shapes the batch queries return, shared by the queries
 * that build them and the routes that write them.
 */

/** A ticket of the list or the layer; only id…position for a positions-only layer (planners). */
export interface TicketExportRow {
  id: number;
  category: string;
  status: string;
  overdue: boolean;
  receivedAt: string;
  dueAt: string;
  position: [number, number];
  // Full rows only (not for a planner's positions):
  code?: string;
  title?: string;
  channel?: string;
  priority?: string;
  whistled?: boolean;
  resolvedAt?: string | null;
  closedAt?: string | null;
  compoundId?: number | null;
  compoundName?: string | null;
  gridId?: number | null;
  responder?: { kind: string; id: number | null; name: string | null };
}

/** A hazard of the list or the layer; only id…position for a positions-only layer. */
export interface HazardExportRow {
  code?: string;
  rectifiedAt?: string | null;
  verifiedAt?: string | null;
  compoundId?: number | null;
  areaIds?: Record<string, number | null>;
  compoundCompanyId?: number | null;
  id: number;
  type: string;
  severity: string;
  status: string;
  overdue: boolean;
  reportedAt: string;
  dueAt: string;
  position: [number, number];
  description?: string;
  compoundName?: string | null;
  gridId?: number;
  photoRef?: string | null;
  /** The sort value the next batch starts after. */
  _k: string | number;
}
