import { describe, expect, it } from 'vitest';
import { OrgTree, mergeOrgUnits } from '../../functions/domain/org';
import { periodOf, periodsEndingWith, shiftPeriod } from '../../functions/domain/period';
import { negotiateLanguage, parseAcceptLanguage } from '../../functions/domain/text';
import { maskEmail, maskName, maskPhone, redactPersonalData } from '../../functions/shared/privacy';

describe('organisation tree', () => {
  const units = [
    { id: 'hq', name: 'HQ' },
    { id: 'a', name: 'A', parentId: 'hq' },
    { id: 'a1', name: 'A1', parentId: 'a' },
    { id: 'b', name: 'B', parentId: 'hq' },
  ];

  it('rolls values up so each unit holds its whole subtree', () => {
    const tree = new OrgTree(units);
    const totals = tree.rollUp(new Map([['a1', 2], ['a', 1], ['b', 5], ['hq', 0]]), () => 0, (x, y) => x + y);
    expect(Object.fromEntries(totals)).toEqual({ a1: 2, a: 3, b: 5, hq: 8 });
    expect(tree.path('a1')).toEqual(['hq', 'a', 'a1']);
    expect(tree.roots).toEqual(['hq']);
  });

  it('refuses cycles, self-parents, unknown parents and duplicates', () => {
    expect(mergeOrgUnits(units, [{ id: 'hq', name: 'HQ', parentId: 'a1' }]).problems).toEqual([{ path: 'units[0].parentId', message: 'cycle: hq > a1 > a > hq' }]);
    expect(mergeOrgUnits(units, [{ id: 'x', name: 'X', parentId: 'x' }]).problems[0]?.message).toBe('unit "x" cannot be its own parent');
    expect(mergeOrgUnits(units, [{ id: 'x', name: 'X', parentId: 'zz' }]).problems[0]?.message).toBe('unknown parent "zz"');
    expect(mergeOrgUnits([], [{ id: 'x', name: 'X' }, { id: 'x', name: 'Y' }]).problems[0]?.message).toBe('unit "x" appears twice');
  });

  it('accepts a move that keeps the tree acyclic', () => {
    const { units: merged, problems } = mergeOrgUnits(units, [{ id: 'a1', name: 'A1', parentId: 'b' }]);
    expect(problems).toEqual([]);
    expect(new OrgTree(merged).path('a1')).toEqual(['hq', 'b', 'a1']);
  });
});

describe('periods', () => {
  it('are calendar months in the questionnaire time zone', () => {
    // 2026-10-31T17:00Z is already 1 November in Shanghai (UTC+8).
    expect(periodOf(new Date('2026-10-31T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11');
    expect(periodOf(new Date('2026-10-31T17:00:00Z'), 'Europe/London')).toBe('2026-10');
  });

  it('shift across years', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2025-12', 1)).toBe('2026-01');
    expect(periodsEndingWith('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

describe('language negotiation', () => {
  const available = ['zh-CN', 'en'];
  it('prefers the query, then Accept-Language by quality, then the default', () => {
    expect(negotiateLanguage(available, { query: 'en', acceptLanguage: 'zh-CN' })).toBe('en');
    expect(negotiateLanguage(available, { acceptLanguage: 'fr;q=1, en;q=0.8, zh;q=0.9' })).toBe('zh-CN');
    expect(negotiateLanguage(available, { acceptLanguage: 'en-US' })).toBe('en');
    expect(negotiateLanguage(available, { acceptLanguage: 'fr, de' })).toBe('zh-CN');
    expect(negotiateLanguage(available, { query: 'xx' })).toBe('zh-CN');
  });
  it('parses quality values', () => {
    expect(parseAcceptLanguage('en;q=0.5, zh-CN, fr;q=0')).toEqual(['zh-CN', 'en']);
  });
});

describe('personal data masking', () => {
  it('masks phones, names and e-mail addresses, and drops secrets from logs', () => {
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('Alice Smith')).toBe('A**** S****');
    expect(maskEmail('alice@example.com')).toBe('a****@example.com');
    const logged = JSON.parse(JSON.stringify({ phone: '+8613812345678', contact: { name: '张三' }, token: 'secret', other: 'x' }, redactPersonalData));
    expect(logged).toEqual({ phone: '+86138****5678', contact: { name: '张*' }, token: '[redacted]', other: 'x' });
    // An error's name is a class name, not a person's (also when the replacer is called unbound, as Powertools does).
    const unbound = (key: string, value: unknown) => redactPersonalData(key, value);
    const withError = JSON.parse(JSON.stringify({ error: { name: 'RangeError', message: 'bad', stack: 'RangeError: bad' }, contact: { name: 'Alice' } }, unbound));
    expect(withError.error.name).toBe('RangeError');
    expect(withError.contact.name).toBe('A****');
  });
});
