/**
 * Downloads of exported files in API tests: the bytes as the client gets them, and the CSV and
 * GeoJSON checks every export shares (status, content type, attachment name, BOM, CRLF).
 */
import { expect } from 'vitest';
import { parseCsv } from '../../geo/csv.ts';

type Requester = { request: (u: string, init?: RequestInit) => Response | Promise<Response> };

export interface FeatureFile {
  type: string;
  features: { type: string; id: number; geometry: any; properties: Record<string, unknown> }[];
}

export function fileClient(app: Requester) {
  async function download(url: string, cookie?: string) {
    const res = await app.request(url, cookie ? { headers: { cookie } } : undefined);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { res, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
  }

  async function csvOf(url: string, cookie?: string) {
    const { res, bytes, text } = await download(url, cookie);
    expect(res.status, text.slice(0, 300)).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="minqing-.+\.csv"$/,
    );
    // The UTF-8 byte-order mark, so that Excel reads the Chinese as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    return { res, text, header: header!, rows };
  }

  async function geojsonOf(url: string, cookie?: string) {
    const { res, text } = await download(url, cookie);
    expect(res.status, text.slice(0, 300)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    return JSON.parse(text) as FeatureFile;
  }

  return { download, csvOf, geojsonOf };
}
