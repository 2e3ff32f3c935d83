/**
 * The shipped SERVQUAL questionnaire and how the respondent page shows its pairs.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answersFromForm, validateAnswers } from '../../functions/domain/answers';
import { computeGaps } from '../../functions/domain/gaps';
import { SERVQUAL_DIMENSIONS, type Questionnaire } from '../../functions/domain/questionnaire';
import { questionnairePage } from '../../functions/pages/respondent';
import { readQuestionnaireFile } from '../../functions/shared/questionnaire-files';

function load(): Questionnaire {
  const result = readQuestionnaireFile(fileURLToPath(new URL('../../surveys/insurance-agency-servqual.yaml', import.meta.url)));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('surveys/insurance-agency-servqual.yaml', () => {
  const q = load();

  it('pairs the 22 SERVQUAL statements over the five dimensions on one 1-7 scale', () => {
    expect(q.id).toBe('insurance-agency-servqual');
    expect(q.version).toBe(1);
    expect(q.gaps?.model).toBe('servqual');
    expect(q.gaps?.dimensions.map((d) => d.id)).toEqual([...SERVQUAL_DIMENSIONS]);
    // Parasuraman, Zeithaml & Berry (1991): 4 tangibles, 5 reliability, 4 responsiveness, 4 assurance, 5 empathy.
    expect(q.gaps?.dimensions.map((d) => d.items.length)).toEqual([4, 5, 4, 4, 5]);
    const items = q.gaps?.dimensions.flatMap((d) => d.items) ?? [];
    for (const item of items) {
      const [expectation, perception] = [item.expectation, item.perception].map((id) => q.questions.find((x) => x.id === id));
      expect(expectation?.type === 'rating' && expectation.scale).toBe('agree7');
      expect(perception?.type === 'rating' && perception.scale).toBe('agree7');
      expect(Object.keys(expectation?.text ?? {}).sort()).toEqual(['en', 'zh-CN']);
    }
    expect(q.scales.agree7).toMatchObject({ min: 1, max: 7 });
  });

  it('asks for 100 points over the five dimensions and builds the CSI from the perceptions', () => {
    const importance = q.questions.find((x) => x.id === q.gaps?.importance);
    expect(importance?.type === 'allocation' && importance.total).toBe(100);
    expect(importance?.type === 'allocation' && importance.dimensions.map((d) => d.id)).toEqual([...SERVQUAL_DIMENSIONS]);
    const quality = q.index.elements.find((e) => e.id === 'quality');
    const treeQuestions = quality?.indicators.flatMap((i) => i.questions) ?? [];
    const perceptions = q.gaps?.dimensions.flatMap((d) => d.items.map((i) => i.perception)) ?? [];
    expect(treeQuestions).toEqual(perceptions);
    expect(q.index.elements.map((e) => e.id)).toEqual(['quality', 'satisfaction', 'loyalty']);
  });

  it('scores a respondent who answers through the page form', () => {
    const fields: Record<string, string> = {};
    for (const item of q.gaps?.dimensions.flatMap((d) => d.items) ?? []) {
      fields[item.expectation as string] = '7';
      fields[item.perception] = '6';
    }
    Object.assign(fields, { 'importance.tangibles': '10', 'importance.reliability': '30', 'importance.responsiveness': '20', 'importance.assurance': '20', 'importance.empathy': '20' });
    Object.assign(fields, { sat1: '6', sat2: '5', loy1: '6', loy2: '7' });
    const answers = validateAnswers(q, answersFromForm(q, fields));
    expect(answers.ok).toBe(true);
    if (!answers.ok) return;
    const report = computeGaps(q, [{ answers: answers.answers }]);
    // Every gap is 6 - 7 = -1; the weights add up to 1, so the weighted overall is -1 too; with tolerance 0.5 that is dissatisfied.
    expect(report.overall.unweighted).toBe(-1);
    expect(report.overall.weighted).toBeCloseTo(-1, 12);
    expect(report.states.counts.dissatisfied).toBe(1);
  });
});

describe('respondent page with gap pairs', () => {
  const q = load();
  const zh = questionnairePage(q, 'zh-CN');
  const en = questionnairePage(q, 'en');

  it('shows each pair as one statement with an expected and an experienced rating row', () => {
    expect(count(zh, /<section class="card pair" id="pair-/g)).toBe(22);
    expect(count(zh, /<fieldset class="row" id="q-[a-z0-9]+e"><legend>期望/g)).toBe(22);
    expect(count(zh, /<fieldset class="row" id="q-[a-z0-9]+p"><legend>实际感受/g)).toBe(22);
    expect(count(en, /<legend>Expected/g)).toBe(22);
    expect(count(en, /<legend>Experienced/g)).toBe(22);
    // The expectation statements are not shown as cards of their own; the pair shows the perception statement.
    expect(zh).not.toContain('优秀的保险代理机构拥有现代化的设备和业务系统');
    expect(zh).toContain('<legend>1. 本机构拥有现代化的设备和业务系统');
  });

  it('keeps the question ids as field names and numbers the cards in order', () => {
    expect(zh).toContain('name="tan1e" value="1"');
    expect(zh).toContain('name="tan1p" value="7"');
    expect(zh).toContain('<legend>22. 本机构的代理人了解我在保障方面的具体需求。');
    // After 22 pairs: the allocation, two satisfaction, two loyalty questions and the comment.
    expect(zh).toMatch(/<legend>23\. 下面五个方面对您选择保险代理机构有多重要/);
    expect(zh).toMatch(/<strong>28\. 您对本机构的服务还有哪些意见或建议/);
    // The order of the pair: expected before experienced.
    expect(zh.indexOf('id="q-rel3e"')).toBeLessThan(zh.indexOf('id="q-rel3p"'));
    expect(zh.indexOf('id="q-rel3p"')).toBeLessThan(zh.indexOf('id="pair-rel4"'));
  });

  it('explains the two ratings once and refers every row to the explanation', () => {
    expect(count(zh, /id="pair-hint"/g)).toBe(1);
    expect(count(zh, /name="ass2e" value="\d" required aria-describedby="pair-hint"/g)).toBe(7);
    // Every point of a row reads out its label, not only its number.
    expect(zh).toContain('<span>7<span class="sr"> 非常同意</span></span>');
  });

  it('states the total of the allocation and, after a refused post, what the points added up to', () => {
    expect(zh).toContain('请分配共 100 分，各项合计须等于 100 分。');
    const fields = { 'importance.tangibles': '20', 'importance.reliability': '50', tan1e: '6' };
    const check = validateAnswers(q, answersFromForm(q, fields));
    expect(check.ok).toBe(false);
    const page = questionnairePage(q, 'en', { values: fields, problems: check.ok ? [] : check.problems });
    expect(page).toContain('Spread 100 points; they must add up to 100. <strong>The points you entered last time add up to 70.</strong>');
    expect(page).toMatch(/name="tan1e" value="6" checked/);
    // The error summary names the row of a pair.
    expect(page).toContain('<a href="#q-tan1p">The agency has modern equipment and systems (such as electronic applications and online policy look-up). (Experienced)</a>');
    expect(page).toMatch(/<fieldset class="row" id="q-tan1p" aria-invalid="true"><legend>Experienced .*?<p class="error" id="err-tan1p">Please answer this question.<\/p>/);
  });
});
