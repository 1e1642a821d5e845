import { describe, expect, it } from 'vitest';
import { connections } from '../../web/src/lib/api-keys/connection.ts';

describe('API key connection strings', () => {
  const key = 'mq_abc-DEF_123';
  it('gives GDAL (header and query) and QGIS forms for a read key', () => {
    const c = connections('https://mq.example', key, ['read']);
    expect(c.map((x) => x.id)).toEqual(['gdal', 'query', 'qgis']);
    expect(c[0]!.text).toBe(
      'ogrinfo -ro -so OAPIF:https://mq.example/ogc --config GDAL_HTTP_HEADERS "X-API-Key: mq_abc-DEF_123"',
    );
    expect(c[1]!.text).toBe('OAPIF:https://mq.example/ogc?api_key=mq_abc-DEF_123');
    expect(c[2]!.text).toBe('https://mq.example/ogc?api_key=mq_abc-DEF_123');
  });
  it('gives the Open311 form for an open311 key only', () => {
    const c = connections('http://h:8080', key, ['open311']);
    expect(c.map((x) => x.id)).toEqual(['open311']);
    expect(c[0]!.text).toContain('http://h:8080/open311/v2/services.json');
  });
  it('quotes what a shell would expand', () => {
    expect(connections('http://h', 'a"$b', ['read'])[0]!.text).toContain('"X-API-Key: a\\"\\$b"');
  });
});
