import { describe, expect, it } from 'vitest';
import { answersFromForm, validateAnswers } from '../../functions/domain/answers';
import { validateQuestionnaire } from '../../functions/domain/questionnaire';
import { fixture } from '../helpers/platform';

const questionnaire = (() => {
  const input = fixture('mini-csi.yaml') as any;
  input.questions.push(
    { id: 'alloc', type: 'allocation', dimensions: ['reliability', 'empathy'], text: { 'zh-CN': '分配', en: 'Allocate' } },
    { id: 'many', type: 'choice', multiple: true, options: [{ value: 'a', text: { 'zh-CN': '甲', en: 'A' } }, { value: 'b', text: { 'zh-CN': '乙', en: 'B' } }], text: { 'zh-CN': '多选', en: 'Many' } },
  );
  const result = validateQuestionnaire(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
})();

const codes = (input: unknown) => {
  const result = validateAnswers(questionnaire, input);
  return result.ok ? {} : Object.fromEntries(result.problems.map((p) => [p.questionId ?? p.path, p.code]));
};

describe('answer validation', () => {
  it('tells a missing answer from a wrong one', () => {
    expect(codes({ q2: 'four' })).toEqual({ q1: 'required', q2: 'not_a_number' });
    expect(codes({ q1: 2.5 })).toEqual({ q1: 'not_a_number' });
    expect(codes({ q1: 6 })).toEqual({ q1: 'out_of_range' });
    expect(codes({ q1: 3, channel: 'fax' })).toEqual({ channel: 'invalid_option' });
    expect(codes({ q1: 3, zz: 1 })).toEqual({ zz: 'unknown_question' });
  });

  it('treats whitespace-only text as not answered', () => {
    const result = validateAnswers(questionnaire, { q1: 3, comment: '   ' });
    expect(result).toEqual({ ok: true, answers: { q1: 3 } });
  });

  it('requires allocation points to add up to the total', () => {
    expect(codes({ q1: 3, alloc: { reliability: 60, empathy: 30 } })).toEqual({ alloc: 'allocation_total' });
    expect(validateAnswers(questionnaire, { q1: 3, alloc: { reliability: 60, empathy: 40 } }).ok).toBe(true);
    expect(validateAnswers(questionnaire, { q1: 3, alloc: { reliability: 100 } })).toEqual({ ok: true, answers: { q1: 3, alloc: { reliability: 100, empathy: 0 } } });
  });

  it('refuses the same option twice in a multiple choice', () => {
    expect(codes({ q1: 3, many: ['a', 'a'] })).toEqual({ many: 'invalid' });
  });

  it('reads form fields: ratings as numbers, allocations from "<question>.<dimension>" fields', () => {
    const answers = answersFromForm(questionnaire, { lang: 'en', q1: '4', 'alloc.reliability': '70', 'alloc.empathy': '30', many: ['a', 'b'], comment: '' });
    expect(answers).toEqual({ q1: 4, alloc: { reliability: 70, empathy: 30 }, many: ['a', 'b'] });
  });
});
