/**
 * The real geography the seed builds on: scripts/data/lanzhou.json, written by
 * scripts/extract-lanzhou.ts. Outlines are WGS-84 MultiPolygon coordinates.
 */
import { readFileSync } from 'node:fs';
import type { MultiPolygon } from '../../geo/planar.ts';

export type SubdistrictKind = 'street' | 'town' | 'township' | 'zone';
export type CommunityKind = 'community' | 'village';

export interface LanzhouCommunity {
  code: string;
  /** Short name as people say it: 龙源社区, 海石村. */
  name: string;
  /** Name in the statistical list: 龙源社区居民委员会. */
  officialName: string;
  kind: CommunityKind;
}

export interface LanzhouSubdistrict {
  code: string;
  name: string;
  kind: SubdistrictKind;
  communities: LanzhouCommunity[];
}

export interface LanzhouDistrict {
  code: string;
  name: string;
  outline: MultiPolygon;
  subdistricts: LanzhouSubdistrict[];
}

export interface LanzhouData {
  about: {
    description: string;
    crs: string;
    crsEvidence: string;
    simplification: string;
    sources: { package: string; version: string; file: string; license: string; used: string }[];
    notes: string;
  };
  districts: LanzhouDistrict[];
}

let cached: LanzhouData | undefined;

export function loadLanzhou(): LanzhouData {
  cached ??= JSON.parse(
    readFileSync(new URL('../data/lanzhou.json', import.meta.url), 'utf8'),
  ) as LanzhouData;
  return cached;
}
