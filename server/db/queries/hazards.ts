import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import { envelope } from '../postgis.ts';
import {
  codeIndex,
  selectPointsGeoJson,
  selectPointsPacked,
  type PointSelection,
} from './points.ts';
import {
  HAZARD_SEVERITIES,
  HAZARD_STATUSES,
  HAZARD_TYPES,
  keysOf,
} from '../../../geo/vocabulary.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Bbox, TimeRange } from '../../validation.ts';

export interface HazardFilter {
  bbox?: Bbox;
  area?: { id: number; level: AreaLevel };
  types?: string[];
  severities?: string[];
  statuses?: string[];
  range: TimeRange;
  limit: number;
}

function selection(f: HazardFilter): PointSelection {
  const where: RawBuilder<unknown>[] = [
    sql`t.reported_at >= ${f.range.from}`,
    sql`t.reported_at < ${f.range.to}`,
  ];
  // ST_Intersects, not a bare &&: index boxes are single precision, so && alone lets points
  // up to ~1e-5° outside the box through.
  if (f.bbox) where.push(sql`ST_Intersects(t.geom, ${envelope(f.bbox)})`);
  if (f.area) where.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.types) where.push(sql`t.type = ANY(${f.types}::text[])`);
  if (f.severities) where.push(sql`t.severity = ANY(${f.severities}::text[])`);
  if (f.statuses) where.push(sql`t.status = ANY(${f.statuses}::text[])`);
  return { from: sql`hazards t`, where, orderBy: sql`t.reported_at`, limit: f.limit };
}

/** Past its rectification deadline and not rectified yet. */
const OVERDUE = sql`(t.rectified_at IS NULL AND t.due_at < now())`;

export function hazardsGeoJson(db: Db, f: HazardFilter) {
  return selectPointsGeoJson(
    db,
    selection(f),
    sql`json_build_object('id', t.id, 'code', t.code, 'type', t.type, 'severity', t.severity,
      'status', t.status, 'overdue', ${OVERDUE}, 'reportedAt', t.reported_at, 'dueAt', t.due_at,
      'description', t.description, 'compoundId', t.compound_id)`,
  );
}

export function hazardsPacked(db: Db, f: HazardFilter) {
  const codes = sql<number>`((${codeIndex(sql`t.type`, keysOf(HAZARD_TYPES))} << 24)
    | (${codeIndex(sql`t.severity`, keysOf(HAZARD_SEVERITIES))} << 16)
    | (${codeIndex(sql`t.status`, keysOf(HAZARD_STATUSES))} << 8)
    | (CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END))`;
  return selectPointsPacked(db, selection(f), codes);
}
