import { describe, expect, it } from 'vitest';
import {
  ANOMALY_THRESHOLDS,
  CSV_LIMITS,
  disclosureStatus,
  dueAt,
  dueOn,
  farAbove,
  formatYuan,
  ledgerFlags,
  ledgerTotals,
  parseCsv,
  parseYuan,
  robustCentre,
  validateLedgerCsv,
  type FlagInput,
} from '../../geo/ledgers.ts';

const base: FlagInput = {
  period: '2026-09-01',
  lines: [
    { category: 'fee_billed', amount: 1_000_000 },
    { category: 'fee_collected', amount: 900_000 },
    { category: 'parking', amount: 100_000 },
    { category: 'cleaning', amount: 200_000 },
    { category: 'security', amount: 250_000 },
  ],
  carried: 0,
  households: 200,
  history: { cleaning: [190_000, 200_000, 210_000, 205_000, 195_000, 200_000] },
  peers: {},
  missingMonths: [],
  firstPublishedAt: new Date('2026-10-10T02:00:00Z'),
};

describe('due dates and disclosure', () => {
  it('a month is due at the end of the 15th of the next month, Beijing time', () => {
    expect(dueOn('2026-09-01')).toBe('2026-10-15');
    expect(dueOn('2026-12-01')).toBe('2027-01-15');
    expect(dueAt('2026-09-01').toISOString()).toBe('2026-10-15T16:00:00.000Z');
  });
  it('judges the first publication against the due instant', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    expect(disclosureStatus('2026-09-01', new Date('2026-10-15T15:59:59Z'), now)).toBe('on_time');
    expect(disclosureStatus('2026-09-01', new Date('2026-10-15T16:00:01Z'), now)).toBe('late');
    expect(disclosureStatus('2026-09-01', null, now)).toBe('missing');
    expect(disclosureStatus('2026-10-01', null, new Date('2026-11-10T00:00:00Z'))).toBe('pending');
    // A publication after "now" has not happened yet.
    expect(disclosureStatus('2026-09-01', new Date('2026-12-01T00:00:00Z'), now)).toBe('missing');
  });
});

describe('totals', () => {
  it('adds fees, common revenue and spending; collection rate from billed', () => {
    const t = ledgerTotals(base.lines, 50_000);
    expect(t).toMatchObject({
      billed: 1_000_000,
      collected: 900_000,
      collectionRate: 0.9,
      common: 100_000,
      income: 1_000_000,
      spending: 450_000,
      closing: 600_000,
    });
  });
});

describe('anomaly rules', () => {
  it('a plain month has no flag', () => {
    expect(ledgerFlags(base)).toEqual([]);
  });
  it('overspend: spending above the balance carried in plus income', () => {
    const f = ledgerFlags({
      ...base,
      carried: 10_000,
      lines: [...base.lines, { category: 'repairs', amount: 600_000 }],
    });
    const o = f.find((x) => x.rule === 'overspend')!;
    expect(o.value).toBe(1_050_000 - 1_010_000);
    expect(o.reference).toBe(1_010_000);
    // The same spending with enough carried in is no overspend.
    expect(
      ledgerFlags({
        ...base,
        carried: 100_000,
        lines: [...base.lines, { category: 'repairs', amount: 600_000 }],
      }).some((x) => x.rule === 'overspend'),
    ).toBe(false);
  });
  it('missing months are listed, sorted', () => {
    const f = ledgerFlags({ ...base, missingMonths: ['2026-08-01', '2026-06-01'] });
    expect(f).toEqual([
      expect.objectContaining({ rule: 'missing_months', months: ['2026-06-01', '2026-08-01'] }),
    ]);
  });
  it("outlier_own: a category far above the compound's own history, only with enough history", () => {
    const lines = base.lines.map((l) =>
      l.category === 'cleaning' ? { ...l, amount: 2_000_000 } : l,
    );
    const f = ledgerFlags({ ...base, lines, carried: 10_000_000 });
    expect(f).toEqual([
      expect.objectContaining({ rule: 'outlier_own', category: 'cleaning', reference: 200_000 }),
    ]);
    const short = { cleaning: base.history.cleaning!.slice(0, ANOMALY_THRESHOLDS.minHistory - 1) };
    expect(ledgerFlags({ ...base, lines, carried: 10_000_000, history: short })).toEqual([]);
    // Twice the median but within the spread is not flagged: the MAD floor and the z threshold.
    expect(farAbove(15, [5, 10, 15, 20, 25, 30], 6)).toBeNull();
  });
  it('outlier_peer: per household against the district peers of the month', () => {
    const peers = {
      security: Array.from({ length: ANOMALY_THRESHOLDS.minPeers }, (_, i) => 1200 + i * 10),
    };
    // 220,000 fen over 100 households = 2,200 per household: far in z, but under twice the median.
    const near = base.lines.map((l) => (l.category === 'security' ? { ...l, amount: 220_000 } : l));
    expect(ledgerFlags({ ...base, lines: near, households: 100, peers })).toEqual([]);
    const big = base.lines.map((l) => (l.category === 'security' ? { ...l, amount: 900_000 } : l));
    expect(ledgerFlags({ ...base, lines: big, carried: 1e7, households: 100, peers })).toEqual([
      expect.objectContaining({ rule: 'outlier_peer', category: 'security', value: 9000 }),
    ]);
    expect(
      ledgerFlags({
        ...base,
        lines: big,
        carried: 1e7,
        households: 100,
        peers: { security: peers.security.slice(1) },
      }),
    ).toEqual([]);
  });
  it('late: days after the due date of the first publication', () => {
    const f = ledgerFlags({ ...base, firstPublishedAt: new Date('2026-10-18T02:00:00Z') });
    expect(f).toEqual([expect.objectContaining({ rule: 'late', days: 3 })]);
  });
  it('robust centre', () => {
    expect(robustCentre([1, 2, 3, 4, 100])).toEqual({ median: 3, mad: 1 });
  });
});

describe('CSV', () => {
  const head = '类别,对方单位,金额（元）,日期,备注';
  it('parses quoted fields, doubled quotes, CRLF, a BOM and line breaks in quotes', () => {
    const p = parseCsv('\uFEFFa,b\r\n"x,1","say ""hi""\nagain"\r\n\r\nz,');
    expect(p).toEqual({
      rows: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['x,1', 'say "hi"\nagain'] },
        { line: 5, cells: ['z', ''] },
      ],
    });
    expect(parseCsv('a,"b')).toEqual({ error: 'unterminated quoted field', line: 1 });
  });
  it('accepts a good file in Chinese or English headers, categories by name or key', () => {
    const v = validateLedgerCsv(
      `${head}\n物业费实收,业主,"12,345.6",2026-09-30,\nparking,车位承租人,100,2026/9/1,"地面,车位"\n`,
      '2026-09-01',
    );
    expect(v.errors).toEqual([]);
    expect(v.lines).toEqual([
      {
        category: 'fee_collected',
        counterpart: '业主',
        amount: 1_234_560,
        occurredOn: '2026-09-30',
        note: null,
      },
      {
        category: 'parking',
        counterpart: '车位承租人',
        amount: 10_000,
        occurredOn: '2026-09-01',
        note: '地面,车位',
      },
    ]);
    const en = validateLedgerCsv(
      'date,amount,category,counterpart\n2026-09-02,1.5,Cleaning,A\n',
      '2026-09-01',
    );
    expect(en.lines?.[0]).toMatchObject({ category: 'cleaning', amount: 150 });
  });
  it('lists every bad row with its line, column and reason', () => {
    const v = validateLedgerCsv(
      [
        head,
        '保洁,甲公司,100.00,2026-09-03,',
        '洗车,乙公司,100,2026-09-03,',
        '保洁,,1.234,2026-10-01,',
        '绿化,丙公司,-5,2026-02-30,',
      ].join('\r\n'),
      '2026-09-01',
    );
    expect(v.lines).toBeNull();
    expect(v.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'category', 'bad_category'],
      [4, 'counterpart', 'counterpart_missing'],
      [4, 'amount', 'amount_format'],
      [4, 'date', 'date_outside_month'],
      [5, 'amount', 'amount_format'],
      [5, 'date', 'date_format'],
    ]);
    expect(v.errors[0]).toMatchObject({ value: '洗车' });
  });
  it('refuses a bad header, an empty file, too many rows, too many bytes', () => {
    expect(validateLedgerCsv('类别,金额,日期\n', '2026-09-01').errors).toEqual([
      expect.objectContaining({ row: 1, column: 'counterpart' }),
    ]);
    expect(validateLedgerCsv(`${head},颜色\n`, '2026-09-01').errors[0]!.reason).toMatch(
      /unknown column/,
    );
    expect(validateLedgerCsv(`${head}\n`, '2026-09-01').errors[0]!.reason).toBe('no ledger lines');
    const many = [
      head,
      ...Array.from({ length: CSV_LIMITS.maxRows + 1 }, () => '保洁,甲,1,2026-09-01,'),
    ];
    expect(validateLedgerCsv(many.join('\n'), '2026-09-01').errors[0]!.reason).toMatch(/more than/);
    expect(
      validateLedgerCsv('x'.repeat(CSV_LIMITS.maxBytes + 1), '2026-09-01').errors[0]!.reason,
    ).toMatch(/larger than/);
  });
  it('yuan text ↔ fen', () => {
    expect(parseYuan('0.5')).toBe(50);
    expect(parseYuan('¥1,000.05')).toBe(100_005);
    expect(parseYuan('1e3')).toBeNull();
    expect(parseYuan('1.005')).toBeNull();
    expect(formatYuan(100_005)).toBe('1000.05');
    expect(formatYuan(7)).toBe('0.07');
  });
});
