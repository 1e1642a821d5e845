import { describe, expect, it } from 'vitest';
import { exportFileName, layerExportUrl, listExportUrl } from '../../web/src/lib/exports.ts';
import { exportsEn, exportsZh } from '../../web/src/lib/i18n-exports.ts';
import { ticketListQuery, hazardListQuery } from '../../web/src/lib/view-config.ts';

describe('export URLs', () => {
  it('a list’s export is its query without the paging, with the format and language', () => {
    const query = ticketListQuery(
      { category: ['parking'], status: ['open'], channel: [], from: '2026-01-01', to: '' } as never,
      {
        overdue: true,
        whistled: false,
        q: ' 漏水 ',
        sort: 'dueAt',
        order: 'asc',
        page: 3,
      } as never,
      12,
    );
    const url = listExportUrl('/tickets/list', query, 'csv', 'zh');
    const u = new URL(url, 'http://x');
    expect(u.pathname).toBe('/api/tickets/list');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      area: '12',
      category: 'parking',
      status: 'open',
      from: '2026-01-01',
      overdue: 'true',
      q: '漏水',
      sort: 'dueAt',
      order: 'asc',
      format: 'csv',
      lang: 'zh',
    });
  });

  it('the hazard list keeps its filters', () => {
    const query = hazardListQuery(
      {
        status: 'open',
        overdue: false,
        type: ['fire', 'gas'],
        severity: [],
        sort: 'severity',
        order: 'desc',
        page: 0,
      } as never,
      null,
    );
    expect(listExportUrl('/hazards/list', query, 'geojson', 'en')).toBe(
      '/api/hazards/list?status=open&type=fire,gas&sort=severity&order=desc&format=geojson&lang=en',
    );
  });

  it('a layer’s export drops the viewport', () => {
    expect(
      layerExportUrl(
        'tickets',
        { bbox: '103,36,104,37', category: 'parking', from: '2026-01-01' },
        'csv',
        'zh',
      ),
    ).toBe('/api/tickets/export?category=parking&from=2026-01-01&format=csv&lang=zh');
  });

  it('names the file by what and the Beijing day', () => {
    expect(exportFileName('tickets', 'csv', new Date('2026-11-30T17:00:00Z'))).toBe(
      'minqing-tickets-2026-12-01.csv',
    );
  });

  it('has the same keys in both languages', () => {
    expect(Object.keys(exportsEn).sort()).toEqual(Object.keys(exportsZh).sort());
  });
});
