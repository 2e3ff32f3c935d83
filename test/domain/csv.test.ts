import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../functions/domain/csv';

describe('CSV tables', () => {
  const simple = 'a,b,c\n1,2,3\n\n4,,6\n';
  const quoted = '"a","b","c"\n"1","2","3"\n\n"4","","6"\n';

  it('reads a plain numeric file (the fast path) exactly as the full parser reads the same cells', () => {
    const fast = parseCsvTable(simple);
    const full = parseCsvTable(quoted);
    expect(fast.columns).toEqual(['a', 'b', 'c']);
    expect(fast.cells).toEqual([['1', '2', '3'], ['4', '', '6']]);
    expect(full.cells).toEqual(fast.cells);
    expect(fast.rows).toEqual([{ a: '1', b: '2', c: '3' }, { a: '4', b: '', c: '6' }]);
    expect(full.rows).toEqual(fast.rows);
    expect(parseCsvTable(`\ufeff${simple}`).columns).toEqual(['a', 'b', 'c']);
    expect(parseCsvTable(simple.replaceAll('\n', '\r\n')).cells).toEqual(fast.cells);
  });

  it('takes row names from an empty first header cell, on both paths', () => {
    for (const text of [',x,y\nr1,1,2\nr2,3,4\n', '"","x","y"\n"r1",1,2\n"r2",3,4\n']) {
      const table = parseCsvTable(text);
      expect(table.columns).toEqual(['x', 'y']);
      expect(table.rowNames).toEqual(['r1', 'r2']);
      expect(table.cells).toEqual([['1', '2'], ['3', '4']]);
      expect(table.rows).toEqual([{ x: '1', y: '2' }, { x: '3', y: '4' }]);
    }
  });

  it('leaves ragged rows to the full parser and its message', () => {
    expect(() => parseCsvTable('a,b\n1,2\n3\n')).toThrow(/Invalid Record Length/);
    expect(() => parseCsvTable('')).toThrow('the CSV file is empty (no header row)');
  });
});
