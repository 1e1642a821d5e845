/**
 * GCJ-02 ("Mars coordinates", used by AutoNavi/Amap, Tencent and most Chinese web map data) to and
 * from WGS-84. The project stores WGS-84 (SRID 4326); data copied from Chinese web maps must pass
 * through `gcj02ToWgs84` first or it lands 400–600 m off in Lanzhou.
 *
 * The forward transform is the widely published reverse-engineered formula (as in eviltransform);
 * the inverse is solved by fixed-point iteration to better than 1e-9° (≈0.1 mm), which is exact
 * for every practical purpose. Outside mainland China both directions are the identity.
 *
 * @example
 * gcj02ToWgs84([103.8287, 36.0676]); // ≈ [103.8236, 36.0665]: Zhongshan Bridge, Lanzhou
 * wgs84ToGcj02([121.5272106, 31.1774276]); // [121.531541859215, 31.17530398364597]
 */
export type LonLat = readonly [number, number];

const A = 6378245.0; // Krasovsky 1940 semi-major axis, as the formula uses
const EE = 0.006693421622965943; // its first eccentricity squared

/** The rough mainland-China box in which the offset applies (the same box all implementations use). */
export function outOfChina([lon, lat]: LonLat): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** The GCJ-02 offset (degrees) to add to a WGS-84 position. */
function delta([lon, lat]: LonLat): [number, number] {
  const dLat = offsetLat(lon - 105, lat - 35);
  const dLon = offsetLon(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  return [
    (dLon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI),
    (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI),
  ];
}

export function wgs84ToGcj02(p: LonLat): [number, number] {
  if (outOfChina(p)) return [p[0], p[1]];
  const [dLon, dLat] = delta(p);
  return [p[0] + dLon, p[1] + dLat];
}

export function gcj02ToWgs84(p: LonLat): [number, number] {
  if (outOfChina(p)) return [p[0], p[1]];
  // The offset varies slowly, so x ← x − (f(x) − p) converges in a handful of steps.
  let lon = p[0];
  let lat = p[1];
  for (let i = 0; i < 30; i++) {
    const [gLon, gLat] = wgs84ToGcj02([lon, lat]);
    const eLon = gLon - p[0];
    const eLat = gLat - p[1];
    lon -= eLon;
    lat -= eLat;
    if (Math.abs(eLon) < 1e-10 && Math.abs(eLat) < 1e-10) break;
  }
  return [lon, lat];
}
