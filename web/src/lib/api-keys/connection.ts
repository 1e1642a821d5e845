/**
 * The ready-to-paste connection strings shown once beside a newly issued API key: what a GIS
 * user or another city system types to use it (docs/ogc.md explains each).
 */
export interface Connection {
  id: 'gdal' | 'query' | 'qgis' | 'open311';
  text: string;
}

/** A value safe inside double quotes in a POSIX shell (keys are base64url, but be sure). */
const shellQuoted = (s: string) => `"${s.replace(/(["\\$`])/g, '\\$1')}"`;

export function connections(
  origin: string,
  key: string,
  scopes: readonly ('read' | 'open311')[],
): Connection[] {
  const ogc = `${origin}/ogc`;
  const out: Connection[] = [];
  if (scopes.includes('read')) {
    out.push({
      id: 'gdal',
      text: `ogrinfo -ro -so OAPIF:${ogc} --config GDAL_HTTP_HEADERS ${shellQuoted(`X-API-Key: ${key}`)}`,
    });
    out.push({ id: 'query', text: `OAPIF:${ogc}?api_key=${encodeURIComponent(key)}` });
    out.push({ id: 'qgis', text: `${ogc}?api_key=${encodeURIComponent(key)}` });
  }
  if (scopes.includes('open311'))
    out.push({
      id: 'open311',
      text: `curl -H ${shellQuoted(`X-API-Key: ${key}`)} ${origin}/open311/v2/services.json`,
    });
  return out;
}
