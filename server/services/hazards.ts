import type { Db } from '../db/client.ts';
import * as q from '../db/queries/hazards.ts';
import { binaryResult, geoJsonResult, type PointsResult } from './points.ts';

export async function listHazards(
  db: Db,
  f: q.HazardFilter,
  format: 'geojson' | 'binary',
): Promise<PointsResult> {
  if (format === 'binary') {
    const r = await q.hazardsPacked(db, f);
    return binaryResult(r.fetched, r.columns, f.limit);
  }
  const r = await q.hazardsGeoJson(db, f);
  return geoJsonResult(r.fetched, r.features, f.limit);
}
