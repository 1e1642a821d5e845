import { describe, expect, it } from 'vitest';
import { csvCell, csvChunks, featureCollectionChunks, parseCsv, toCsv } from '../../geo/csv.ts';

async function* batches<T>(...list: T[][]) {
  for (const b of list) yield b;
}
async function collect(chunks: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

describe('csv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('他说"好"')).toBe('"他说""好"""');
    expect(csvCell('一\r\n二')).toBe('"一\r\n二"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3.5)).toBe('3.5');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    for (const s of ['=1+1', '+86 138', '-cmd', '@SUM(A1)', '\tx'])
      expect(csvCell(s).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-3)).toBe('-3');
  });

  it('streams the BOM and header first, one chunk per batch, CRLF lines', async () => {
    const cols = [
      { header: '名称', value: (r: { n: string; v: number }) => r.n },
      { header: '数', value: (r: { n: string; v: number }) => r.v },
    ];
    const chunks = await collect(
      csvChunks(cols, batches([{ n: '甲', v: 1 }], [], [{ n: '乙,丙', v: 2 }])),
    );
    expect(chunks).toEqual(['\uFEFF名称,数\r\n', '甲,1\r\n', '"乙,丙",2\r\n']);
    expect(chunks.join('')).toBe(
      toCsv(
        [
          { n: '甲', v: 1 },
          { n: '乙,丙', v: 2 },
        ],
        cols,
      ),
    );
    expect(parseCsv(chunks.join('').slice(1))).toEqual([
      ['名称', '数'],
      ['甲', '1'],
      ['乙,丙', '2'],
    ]);
  });

  it('reads back quoted line breaks and doubled quotes', () => {
    expect(parseCsv('a,"b\r\nc","d""e"\r\n,\r\n')).toEqual([
      ['a', 'b\r\nc', 'd"e'],
      ['', ''],
    ]);
  });
});

describe('geojson', () => {
  it('streams a valid FeatureCollection across batches, empty ones included', async () => {
    const text = (
      await collect(
        featureCollectionChunks(
          batches(
            [{ id: 1, p: [103.8, 36.05] as [number, number] }],
            [],
            [{ id: 2, p: [103.9, 36.1] as [number, number] }],
          ),
          (r) => ({ type: 'Point', coordinates: r.p }),
          (r) => ({ id: r.id }),
          { id: (r) => r.id, members: { name: 'tickets' } },
        ),
      )
    ).join('');
    const fc = JSON.parse(text);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.name).toBe('tickets');
    expect(fc.features.map((f: { id: number }) => f.id)).toEqual([1, 2]);
    expect(fc.features[1].geometry).toEqual({ type: 'Point', coordinates: [103.9, 36.1] });
  });

  it('an empty export is an empty FeatureCollection', async () => {
    const text = (
      await collect(
        featureCollectionChunks(
          batches(),
          () => null,
          () => ({}),
        ),
      )
    ).join('');
    expect(JSON.parse(text)).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
