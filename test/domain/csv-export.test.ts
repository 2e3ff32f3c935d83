/** The CSV writer of exports (functions/domain/csv-export.ts): formulas neutralised, data kept, quoting as RFC 4180, read back equal. */
import { describe, expect, it } from 'vitest';
import { csvCell, formatCsv } from '../../functions/domain/csv-export';
import { parseCsvTable } from '../../functions/domain/csv';

describe('the CSV writer of exports', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
    ['+8613800000501', "'+8613800000501"],
    ['-1+2', "'-1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['＝1+1', "'＝1+1"],
  ])('writes %j as text a spreadsheet will not run', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('leaves ordinary text, numbers and empty cells as they are', () => {
    expect(csvCell('王小明')).toBe('王小明');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
  });

  it('writes a file that reads back to the same cells, the neutralised ones marked', () => {
    const text = formatCsv(['name', 'comment', 'score'], [['王小明', '=1+1', 4], ['Li, "Si"', '多行\n意见', -2]]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const table = parseCsvTable(text);
    expect(table.columns).toEqual(['name', 'comment', 'score']);
    expect(table.cells).toEqual([
      ['王小明', "'=1+1", '4'],
      ['Li, "Si"', '多行\n意见', '-2'],
    ]);
  });
});
