import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  attributesOf,
  escapeXml,
  OPEN311_SERVICES,
  openClosed,
  parseW3c,
  PUBLIC_STEP_NOTES,
  publicMediaUrl,
  readAttributes,
  redact,
  requestWindow,
  ticketTitle,
  toXml,
  w3c,
} from '../../geo/open311.ts';
import { TICKET_CATEGORIES, TICKET_STATUSES, OPEN_TICKET_STATUSES } from '../../geo/vocabulary.ts';

describe('services', () => {
  it('has one service per category, coded by its key', () => {
    expect(OPEN311_SERVICES.map((s) => s.service_code)).toEqual(
      TICKET_CATEGORIES.map((c) => c.key),
    );
    for (const s of OPEN311_SERVICES) {
      expect(s.type).toBe('realtime');
      expect(s.metadata).toBe(attributesOf(s.service_code as never).length > 0);
    }
  });

  it('reads attributes: priority everywhere, a kind where the category has one', () => {
    expect(readAttributes('facilities', { facility: 'elevator', priority: 'urgent' })).toEqual({
      ok: true,
      priority: 'urgent',
      kindLabel: '电梯',
    });
    expect(readAttributes('noise', {})).toEqual({ ok: true, priority: 'normal', kindLabel: null });
    const unknown = readAttributes('noise', { facility: 'elevator' });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.error).toMatch(/attribute\[facility\] is not an attribute/);
    const bad = readAttributes('parking', { parking_issue: 'boat' });
    expect(!bad.ok && bad.error).toMatch(/must be one of illegal_parking/);
    const two = readAttributes('parking', { parking_issue: ['shortage', 'charging'] });
    expect(!two.ok && two.error).toMatch(/takes one value/);
  });

  it('makes a title from the kind and the first clause', () => {
    expect(ticketTitle('电梯', '3号楼电梯停运两天了。请尽快修理', '老旧设施')).toBe(
      '电梯：3号楼电梯停运两天了',
    );
    expect(ticketTitle(null, '', '环境卫生')).toBe('环境卫生（见图片）');
    expect([...ticketTitle(null, '长'.repeat(300), 'x')].length).toBe(41);
  });
});

describe('status', () => {
  it('maps every lifecycle status to open or closed, as the app’s own open filter', () => {
    for (const s of TICKET_STATUSES)
      expect(openClosed(s.key)).toBe(OPEN_TICKET_STATUSES.includes(s.key) ? 'open' : 'closed');
    expect(openClosed('resolved')).toBe('closed');
    expect(openClosed('reopened')).toBe('open');
  });

  it('has public words for the public steps only, none naming anyone', () => {
    expect(PUBLIC_STEP_NOTES.returned).toBeUndefined();
    expect(PUBLIC_STEP_NOTES.transferred).toBeUndefined();
    expect(PUBLIC_STEP_NOTES.closed).toBe('已回访，诉求办结。');
  });
});

describe('dates', () => {
  it('writes W3C datetimes in Beijing time', () => {
    expect(w3c(new Date('2026-12-01T02:03:04.567Z'))).toBe('2026-12-01T10:03:04+08:00');
    expect(w3c('2026-12-31T20:00:00Z')).toBe('2027-01-01T04:00:00+08:00');
  });

  it('parses the W3C profile; no offset is Beijing time; nonsense is null', () => {
    expect(parseW3c('2026-11-01T00:00:00+08:00')?.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(parseW3c('2026-11-01T00:00:00Z')?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseW3c('2026-11-01T08:30-05:00')?.toISOString()).toBe('2026-11-01T13:30:00.000Z');
    expect(parseW3c('2026-11-01')?.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(parseW3c('2026-11')?.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(parseW3c('2026-11-01T10:00:00.5+08:00')?.toISOString()).toBe('2026-11-01T02:00:00.500Z');
    for (const bad of [
      'yesterday',
      '2026-02-30',
      '2026-13-01',
      '2026-11-01T25:00:00Z',
      '2026-11-01T10',
    ])
      expect(parseW3c(bad), bad).toBeNull();
  });

  it('keeps to the 90-day window', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const d = (s: string) => new Date(s);
    expect(requestWindow(null, null, now)).toEqual({
      ok: true,
      from: d('2026-09-02T00:00:00Z'),
      to: now,
    });
    expect(requestWindow(d('2026-10-01T00:00:00Z'), null, now)).toEqual({
      ok: true,
      from: d('2026-10-01T00:00:00Z'),
      to: d('2026-12-30T00:00:00Z'),
    });
    expect(requestWindow(null, d('2026-10-01T00:00:00Z'), now)).toMatchObject({
      ok: true,
      from: d('2026-07-03T00:00:00Z'),
    });
    expect(requestWindow(d('2026-01-01T00:00:00Z'), d('2026-03-31T00:00:00Z'), now).ok).toBe(true);
    expect(requestWindow(d('2026-01-01T00:00:00Z'), d('2026-04-02T00:00:00Z'), now)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at most 90 days/),
    });
    expect(requestWindow(d('2026-02-01T00:00:00Z'), d('2026-01-01T00:00:00Z'), now).ok).toBe(false);
  });
});

describe('privacy', () => {
  it('takes names, phones, ID numbers, e-mails and plates out of a resident’s text', () => {
    expect(redact('我是张三，电话13812345678', ['张三'])).toBe('我是**，电话***********');
    expect(redact('座机 0931-8123456，手机 138 1234 5678')).toBe(
      '座机 ************，手机 *************',
    );
    expect(redact('身份证62010219900101123X')).toBe(`身份证${'*'.repeat(18)}`);
    expect(redact('邮箱 a.b@example.com 联系')).toBe(`邮箱 ${'*'.repeat(15)} 联系`);
    expect(redact('车牌甘A12345占道')).toBe('车牌*******占道');
    // Numbers that are not phones stay: house numbers, counts, dates.
    expect(redact('雁滩路337号院3号楼，已经2天了，2026年11月')).toBe(
      '雁滩路337号院3号楼，已经2天了，2026年11月',
    );
  });

  it('shows only web addresses as media_url', () => {
    expect(publicMediaUrl('https://img.example.com/a.jpg')).toBe('https://img.example.com/a.jpg');
    expect(publicMediaUrl('photos/2026/11/abc.jpg')).toBeNull();
    expect(publicMediaUrl(null)).toBeNull();
  });
});

describe('XML', () => {
  it('escapes text and drops what XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('writes documents a generic parser reads back as written', () => {
    const xml = toXml('service_requests', [
      { request: { service_request_id: 'T1', description: '<script>&', zipcode: null, lat: 36.1 } },
      { request: { service_request_id: 'T2', description: '', zipcode: undefined, lat: 0 } },
    ]);
    expect(
      xml.startsWith('<?xml version="1.0" encoding="utf-8"?><service_requests><request>'),
    ).toBe(true);
    expect(xml).toContain('<zipcode/>');
    const parsed = new XMLParser({ parseTagValue: false, isArray: (n) => n === 'request' }).parse(
      xml,
    );
    expect(parsed.service_requests.request[0]).toEqual({
      service_request_id: 'T1',
      description: '<script>&',
      zipcode: '',
      lat: '36.1',
    });
    expect(parsed.service_requests.request[1].lat).toBe('0');
    expect(toXml('errors', [])).toBe('<?xml version="1.0" encoding="utf-8"?><errors></errors>');
  });
});
