import { describe, expect, it } from 'vitest';
import {
  decodeView,
  defaultView,
  encodeView,
  hazardListQuery,
  ticketListQuery,
  kpiQuery,
  ticketQuery,
  type ViewConfig,
} from '../../web/src/lib/view-config.ts';

describe('view config in the URL', () => {
  it('leaves every default out, so the plain page has a plain URL', () => {
    expect(encodeView(defaultView())).toBe('');
    expect(decodeView('')).toEqual(defaultView());
  });

  it('round-trips a full view', () => {
    const view: ViewConfig = defaultView();
    view.lang = 'en';
    view.area = 4211;
    view.filters = {
      category: ['parking', 'facilities'],
      status: ['received', 'in_progress'],
      channel: ['hotline_12345'],
      from: '2026-01-01',
      to: '2026-07-01',
    };
    view.layers.tickets.colorBy = 'category';
    view.layers.hazards.visible = false;
    view.layers.areas.colorBy = 'open';
    view.camera = { lon: 103.834567891, lat: 36.061234567, zoom: 12.3456 };

    const query = encodeView(view);
    expect(query).toContain('cat=parking,facilities');
    expect(query).toContain('layers=');
    expect(query).toContain('-hazards');
    expect(query).toContain('tickets:category');

    const back = decodeView(`?${query}`);
    expect(back).toEqual({ ...view, camera: { lon: 103.83457, lat: 36.06123, zoom: 12.35 } });
    // and it is stable from then on
    expect(encodeView(back)).toBe(query);
  });

  it('keeps the open-tickets shortcut, every status, or a list of statuses', () => {
    expect(decodeView('').filters.status).toEqual(['open']);
    expect(decodeView('status=all').filters.status).toEqual([]);
    expect(decodeView('status=received,closed').filters.status).toEqual(['received', 'closed']);
    const all = defaultView();
    all.filters.status = [];
    expect(encodeView(all)).toBe('status=all');
    expect(ticketQuery(defaultView().filters)).toEqual({ status: 'open' });
    expect(ticketQuery(all.filters)).toEqual({});
  });

  it('drops what it does not know instead of failing', () => {
    const v = decodeView(
      'lang=fr&area=-3&cat=parking,bogus&ch=pigeon&from=yesterday&to=2026-13&c=500,1,1&layers=tickets:rainbow,nothing',
    );
    expect(v.lang).toBe('zh');
    expect(v.area).toBeNull();
    expect(v.filters.category).toEqual(['parking']);
    expect(v.filters.channel).toEqual([]);
    expect(v.filters.from).toBe('');
    expect(v.camera).toBeNull();
    // a layers list shows what it names and hides the rest
    expect(v.layers.tickets).toMatchObject({ visible: true, colorBy: 'status' });
    expect(v.layers.areas.visible).toBe(false);
    expect(v.layers.hazards.visible).toBe(false);
  });

  it('builds the API query from the filters', () => {
    expect(
      ticketQuery({
        category: ['noise'],
        status: ['open'],
        channel: ['online', 'walk_in'],
        from: '2026-03-01',
        to: '',
      }),
    ).toEqual({ category: 'noise', status: 'open', channel: 'online,walk_in', from: '2026-03-01' });
  });
});

describe('workspace lists in the URL', () => {
  it('round-trips the list filters, sort and page, leaving defaults out', () => {
    const view = defaultView();
    view.workspace.tab = 'tickets';
    view.workspace.tickets = {
      overdue: true,
      whistled: true,
      q: '漏水 3号楼',
      sort: 'dueAt',
      order: 'asc',
      page: 2,
    };
    view.workspace.hazards.type = ['gas'];
    view.workspace.hazards.sort = 'severity';
    const query = encodeView(view);
    expect(query).toContain('tab=tickets');
    expect(query).toContain('tsort=dueAt:asc');
    expect(query).toContain('tp=3');
    expect(query).toContain('tov=1');
    expect(query).toContain('htype=gas');
    expect(query).toContain('hsort=severity:desc');
    expect(decodeView(`?${query}`).workspace).toEqual(view.workspace);
  });

  it('ignores unknown sorts, statuses and pages', () => {
    const ws = decodeView(
      'tsort=title:asc&tst=bogus&tp=-1&hst=nope&hsort=dueAt:sideways',
    ).workspace;
    expect(ws.tickets.sort).toBe('receivedAt');
    expect(ws.tickets.page).toBe(0);
    expect(ws.hazards.status).toBe('open');
    expect(ws.hazards.sort).toBe('reportedAt');
  });

  it('builds the list API query from the one map filter, the list config and the area', () => {
    // an older link's list filters (tst, tcat) become the map's filter
    const view = decodeView('tst=all&tov=1&tcat=parking&tq=%20abc%20&tp=2&from=2026-03-01');
    expect(view.filters).toMatchObject({ status: [], category: ['parking'] });
    expect(ticketListQuery(view.filters, view.workspace.tickets, 122)).toEqual({
      area: 122,
      overdue: true,
      whistled: undefined,
      category: 'parking',
      from: '2026-03-01',
      q: 'abc',
      sort: 'receivedAt',
      order: 'desc',
      limit: 25,
      offset: 25,
    });
    // the same filter reaches the KPIs: period, category and channel
    expect(kpiQuery(view.filters)).toEqual({ from: '2026-03-01', category: 'parking' });
    expect(hazardListQuery(defaultView().workspace.hazards, null)).toMatchObject({
      area: undefined,
      status: 'open',
      offset: 0,
    });
  });
});
