import { encodePoints, type PointColumns } from '../../geo/point-codec.ts';

export interface PointsResult {
  contentType: string;
  body: string | Uint8Array;
  count: number;
  truncated: boolean;
}

/** Wraps SQL-built GeoJSON features into a FeatureCollection that says whether it was cut. */
export function geoJsonResult(fetched: number, features: string, limit: number): PointsResult {
  const truncated = fetched > limit;
  const count = Math.min(fetched, limit);
  return {
    contentType: 'application/geo+json',
    body: `{"type":"FeatureCollection","count":${count},"limit":${limit},"truncated":${truncated},"features":${features}}`,
    count,
    truncated,
  };
}

export function binaryResult(fetched: number, columns: PointColumns, limit: number): PointsResult {
  return {
    contentType: 'application/x-mqp1',
    body: encodePoints(columns),
    count: columns.ids.length,
    truncated: fetched > limit,
  };
}
