/** Erasing a person from free text (functions/domain/privacy/redact.ts): every way a number is written, and nothing else. */
import { describe, expect, it } from 'vitest';
import { ERASED_MARK, erasurePattern, HIDDEN_MARK, hideIdentifiers, redactAnswers, redactText } from '../../functions/domain/privacy/redact';

const person = { phones: ['+8613800000501'], emails: ['wang.xm@example.com'], names: ['王小明'] };
const pattern = erasurePattern(person);
const X = ERASED_MARK;

describe('redaction of a person from text', () => {
  it.each([
    ['13800000501', X],
    ['+8613800000501', X],
    ['+86 138 0000 0501', X],
    ['0086-138-0000-0501', X],
    ['86 13800000501', X],
    ['138.0000.0501', X],
    ['电话13800000501。', `电话${X}。`],
    ['Wang.XM@Example.com', X],
    ['找王小明吧', `找${X}吧`],
  ])('erases %s', (text, expected) => {
    expect(redactText(text, pattern)).toBe(expected);
  });

  it.each([
    ['138000005012', 'a longer number that contains it'],
    ['913800000501', 'digits before it'],
    ['13800000502', 'another number'],
    ['王小', 'part of the name'],
    ['wang.xm@example.org', 'another address'],
  ])('leaves %s (%s)', (text) => {
    expect(redactText(text, pattern)).toBe(text);
  });

  it('never erases a one-character name, and has no pattern for nobody', () => {
    expect(redactText('王先生', erasurePattern({ phones: [], emails: [], names: ['王'] }))).toBe('王先生');
    expect(erasurePattern({ phones: [], emails: [], names: [] })).toBeUndefined();
    expect(redactText('13800000501', undefined)).toBe('13800000501');
  });

  it('redacts text answers only, and says whether anything changed', () => {
    const answers = { q1: 4, grid: { a: 3 }, channel: ['counter'], comment: '请联系 138 0000 0501' };
    expect(redactAnswers(answers, pattern)).toEqual({ answers: { q1: 4, grid: { a: 3 }, channel: ['counter'], comment: `请联系 ${X}` }, changed: true });
    expect(redactAnswers({ q1: 4, comment: '很好' }, pattern).changed).toBe(false);
  });
});

describe('identifiers hidden from staff notes', () => {
  it('hides the case\'s person and any phone number or address, and keeps order numbers short of a phone', () => {
    const H = HIDDEN_MARK;
    expect(hideIdentifiers('王小明来电，回拨 138-0000-0501', person)).toBe(`${H}来电，回拨 ${H}`);
    expect(hideIdentifiers('转李四 +86 139 0000 0777 或 li.si@example.cn', person)).toBe(`转李四 ${H} 或 ${H}`);
    expect(hideIdentifiers('工单 A123456 已处理，退款 300 元', person)).toBe('工单 A123456 已处理，退款 300 元');
    expect(hideIdentifiers('call 13900000777 back')).toBe(`call ${H} back`);
  });
});
