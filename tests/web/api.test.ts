import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodePoints } from '../../geo/point-codec.ts';
import { api, apiUrl, ApiError } from '../../web/src/lib/api.ts';

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('builds readable query strings and leaves empty values out', () => {
    expect(
      apiUrl('/tickets', { category: 'parking,noise', status: 'open', from: '', to: undefined }),
    ).toBe('/api/tickets?category=parking,noise&status=open');
  });

  it('decodes MQP1 points and reads the count and truncation headers', async () => {
    const body = encodePoints({
      positions: new Float32Array([103.8, 36.0, 103.9, 36.1]),
      ids: new Uint32Array([1, 2]),
      codes: [
        new Uint8Array([0, 1]),
        new Uint8Array([2, 3]),
        new Uint8Array([0, 0]),
        new Uint8Array([1, 0]),
      ],
    });
    const fetch = vi.fn(
      async (_url: string) =>
        new Response(body as Uint8Array<ArrayBuffer>, {
          headers: { 'content-type': 'application/x-mqp1', 'x-count': '2', 'x-truncated': 'true' },
        }),
    );
    vi.stubGlobal('fetch', fetch);
    const r = await api.points('tickets', [103.7, 35.9, 104, 36.2], { status: 'open', limit: 2 });
    expect(fetch.mock.calls[0][0]).toBe(
      '/api/tickets?status=open&limit=2&bbox=103.70000,35.90000,104.00000,36.20000&format=binary',
    );
    expect(r.count).toBe(2);
    expect(r.truncated).toBe(true);
    expect(r.data.length).toBe(2);
    expect(Array.from(r.data.ids)).toEqual([1, 2]);
    expect(r.data.attributes.getPosition.value[2]).toBeCloseTo(103.9, 4);
  });

  it('turns the error envelope into an ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({ error: { code: 'not_found', message: 'No area with id 9' } }),
            {
              status: 404,
            },
          ),
      ),
    );
    const err = await api.area(9, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: 'No area with id 9' });
  });
});
