import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  escapeHtml,
  negotiate,
  parseBbox,
  parseDatetime,
  parseLimit,
  unknownParameters,
} from '../../geo/ogc.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }) => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('bbox', () => {
  it('reads four numbers in CRS84 order', () => {
    expect(value(parseBbox('103.5,35.9,104.1,36.2'))).toEqual([103.5, 35.9, 104.1, 36.2]);
    expect(value(parseBbox('-180,-90,180,90'))).toEqual([-180, -90, 180, 90]);
  });
  it('refuses 3D, disorder, outside the world and non-numbers, naming the parameter', () => {
    for (const bad of [
      '1,2,3',
      '1,2,3,4,5,6',
      '104,35,103,36',
      '103,36,104,35',
      '-181,0,0,1',
      '0,0,1,91',
      '1,,2,3',
      'a,b,c,d',
      '',
    ])
      expect(parseBbox(bad), bad).toMatchObject({
        ok: false,
        message: expect.stringContaining("'bbox'"),
      });
  });
});

describe('datetime', () => {
  const d = (s: string) => new Date(s);
  it('an instant, a date (the whole UTC day), closed and half-open intervals', () => {
    expect(value(parseDatetime('2026-11-01T08:00:00Z'))).toEqual({
      start: d('2026-11-01T08:00:00Z'),
      end: d('2026-11-01T08:00:00Z'),
    });
    expect(value(parseDatetime('2026-11-01'))).toEqual({
      start: d('2026-11-01T00:00:00Z'),
      end: d('2026-11-01T23:59:59.999Z'),
    });
    expect(value(parseDatetime('2026-11-01T00:00:00+08:00/2026-11-02'))).toEqual({
      start: d('2026-10-31T16:00:00Z'),
      end: d('2026-11-02T23:59:59.999Z'),
    });
    expect(value(parseDatetime('../2026-11-02T00:00:00Z'))).toEqual({
      start: null,
      end: d('2026-11-02T00:00:00Z'),
    });
    expect(value(parseDatetime('2026-11-02T00:00:00Z/..'))).toEqual({
      start: d('2026-11-02T00:00:00Z'),
      end: null,
    });
    expect(value(parseDatetime('/2026-11-02'))).toMatchObject({ start: null });
    expect(value(parseDatetime('2026-11-02/'))).toMatchObject({ end: null });
  });
  it('refuses what is not RFC 3339, a both-open interval and a reversed one', () => {
    for (const bad of [
      'yesterday',
      '2026-13-01',
      '2026-02-30',
      '2026-11-01T25:00:00Z',
      '2026-11-01T08:00',
      '../..',
      '/',
      '2026-11-02/2026-11-01',
      'a/b/c',
    ])
      expect(parseDatetime(bad).ok, bad).toBe(false);
  });
});

describe('limit', () => {
  it('defaults to 100, clamps above 10000, refuses what is not a whole number ≥ 1', () => {
    expect(value(parseLimit(undefined))).toBe(100);
    expect(value(parseLimit('1'))).toBe(1);
    expect(value(parseLimit('250000'))).toBe(10_000);
    for (const bad of ['0', '-5', '1.5', '1e3', 'x', ''])
      expect(parseLimit(bad).ok, bad).toBe(false);
  });
});

describe('cursor', () => {
  it('round-trips and refuses anything not made by it', () => {
    expect(value(decodeCursor(encodeCursor({ dir: 'after', id: 42 })))).toEqual({
      dir: 'after',
      id: 42,
    });
    const at = '2026-11-01T08:00:00.123456+08:00';
    expect(value(decodeCursor(encodeCursor({ dir: 'before', id: 7, at })))).toEqual({
      dir: 'before',
      id: 7,
      at,
    });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    for (const bad of [
      'garbage!',
      b64({ a: -1 }),
      b64({ a: 1, b: 2 }),
      b64({ a: 1, t: "2026-11-01'; DROP TABLE tickets" }),
      b64({ a: 1, t: 5 }),
      b64({ a: 1, x: 1 }),
      'x'.repeat(300),
    ])
      expect(decodeCursor(bad).ok, bad).toBe(false);
  });
});

describe('negotiation', () => {
  it('f wins; a browser gets HTML; GIS clients and curl get JSON', () => {
    expect(value(negotiate('html', 'application/json'))).toBe('html');
    expect(value(negotiate('json', 'text/html'))).toBe('json');
    expect(negotiate('xml', undefined).ok).toBe(false);
    expect(
      value(
        negotiate(undefined, 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'),
      ),
    ).toBe('html');
    expect(value(negotiate(undefined, 'application/geo+json, application/json;q=0.9'))).toBe(
      'json',
    );
    expect(value(negotiate(undefined, '*/*'))).toBe('json');
    expect(value(negotiate(undefined, undefined))).toBe('json');
    expect(value(negotiate(undefined, 'application/json, text/html;q=0.5'))).toBe('json');
  });
});

describe('html and parameters', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
  });
  it('names the parameters an endpoint does not define; f and api_key are everyone’s', () => {
    expect(unknownParameters(['bbox', 'f', 'api_key', 'foo', 'foo'], ['bbox'])).toEqual(['foo']);
  });
});
