import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lintQuestionnaire, validateQuestionnaire } from '../../functions/domain/questionnaire';
import { questionnaireFilesIn, readQuestionnaireFile } from '../../functions/shared/questionnaire-files';

const base = () => parse(readFileSync(new URL('../fixtures/mini-csi.yaml', import.meta.url), 'utf8')) as any;

function errorsOf(input: unknown) {
  const result = validateQuestionnaire(input);
  if (result.ok) throw new Error('expected the questionnaire to be invalid');
  return result.errors;
}

describe('questionnaire schema', () => {
  it('accepts the fixture and applies defaults', () => {
    const result = validateQuestionnaire(base());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.questionnaire.timeZone).toBe('Asia/Shanghai');
    const q1 = result.questionnaire.questions[0];
    expect(q1).toMatchObject({ id: 'q1', required: true, reverse: false });
  });

  it('names the path and the reason for sibling weights that do not sum to 1', () => {
    const q = base();
    q.index.elements[1].weight = 0.2;
    expect(errorsOf(q)).toContainEqual({ path: 'index.elements[2].weight', message: 'sibling weights sum to 0.9, expected 1' });
  });

  it('requires weights on all siblings or none', () => {
    const q = base();
    delete q.index.elements[1].weight;
    expect(errorsOf(q)).toContainEqual({ path: 'index.elements[1].weight', message: 'weight missing: give every sibling a weight, or none for equal weights' });
  });

  it('refuses duplicate ids, unknown questions, a question in two indicators, unknown scales', () => {
    const q = base();
    q.questions.push({ ...q.questions[0] });
    q.index.elements[1].indicators[0].questions.push('q1', 'ghost');
    q.index.elements[2].indicators[0].id = 'staff';
    q.questions[1].scale = 'seven';
    const messages = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('questions[7].id: duplicate question id "q1"');
    expect(messages).toContain('index.elements[1].indicators[0].questions[1]: question "q1" is already in indicator "staff"; a question belongs to one indicator');
    expect(messages).toContain('index.elements[1].indicators[0].questions[2]: unknown question "ghost"');
    expect(messages).toContain('index.elements[2].indicators[0].id: duplicate id "staff" (already used by indicator staff)');
    expect(messages).toContain('questions[1].scale: unknown scale "seven"');
  });

  it('refuses a text question in the index tree and reverse scoring on a text question', () => {
    const q = base();
    q.index.elements[1].indicators[0].questions.push('comment');
    q.questions[6].reverse = true;
    const messages = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('index.elements[1].indicators[0].questions[1]: question "comment" is a text question; only rating questions can be scored');
    expect(messages.some((m) => m.startsWith('questions[6]') && m.includes('reverse'))).toBe(true);
  });

  it('refuses missing translations for a declared language', () => {
    const q = base();
    delete q.questions[2].text.en;
    expect(errorsOf(q)).toContainEqual({ path: 'questions[2].text', message: 'missing translation "en"' });
  });

  it('refuses ids that collide with object machinery', () => {
    const q = base();
    q.questions[0].id = '__proto__';
    q.questions[1].scale = 'constructor';
    const paths = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(paths).toContain('questions[0].id: this id is reserved');
    expect(paths).toContain('questions[1].scale: this id is reserved');
  });

  it('refuses bad ids, versions, time zones and inverted scales', () => {
    const q = base();
    q.id = 'Bank CSI';
    q.version = 0;
    q.timeZone = 'Mars/Olympus';
    q.scales.five.max = 1;
    const paths = errorsOf(q).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'version', 'timeZone', 'scales.five.max']));
  });

  it('warns (does not fail) on length, on rating questions outside the tree, and on SERVQUAL counts', () => {
    const q = base();
    q.questions.push({ id: 'loose', type: 'rating', scale: 'five', text: { 'zh-CN': '额外', en: 'Extra' } });
    q.lint = 'servqual';
    const result = validateQuestionnaire(q);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const warnings = lintQuestionnaire(result.questionnaire).map((w) => `${w.path}: ${w.message}`);
    expect(warnings).toContain('questions: 8 questions; the standards recommend 20-30');
    expect(warnings).toContain('questions[7]: rating question "loose" is not in the index tree and will not be scored');
    expect(warnings).toContain('index.elements[0].indicators[0].questions: indicator "staff" has 2 questions; SERVQUAL asks for 4-5 per criterion');
  });

  it('does not apply the SERVQUAL rule unless the questionnaire opts in', () => {
    const result = validateQuestionnaire(base());
    if (!result.ok) throw new Error('fixture invalid');
    expect(result.warnings.some((w) => w.message.includes('SERVQUAL'))).toBe(false);
  });
});

describe('the shipped questionnaires', () => {
  const files = questionnaireFilesIn(new URL('../../surveys', import.meta.url).pathname);

  it('ships at least the three questionnaires the issue names', () => {
    const ids = files.map((f) => (readQuestionnaireFile(f) as { ok: true; questionnaire: { id: string } }).questionnaire?.id);
    expect(ids).toEqual(expect.arrayContaining(['bank-branch-csi', 'gas-repair-return-visit', 'insurance-agency-service']));
  });

  it.each(files)('%s is valid, in zh-CN and en', (file) => {
    const result = readQuestionnaireFile(file);
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.questionnaire.languages).toEqual(['zh-CN', 'en']);
  });

  it('the bank branch CSI has the six elements and 20-30 questions', () => {
    const result = readQuestionnaireFile(files.find((f) => f.endsWith('bank-branch-csi.yaml')) as string);
    if (!result.ok) throw new Error('invalid');
    const elements = result.questionnaire.index.elements.map((e) => e.id);
    expect(elements).toEqual(expect.arrayContaining(['expectation', 'quality', 'value', 'satisfaction', 'complaints', 'loyalty']));
    expect(result.questionnaire.questions.length).toBeGreaterThanOrEqual(20);
    expect(result.questionnaire.questions.length).toBeLessThanOrEqual(30);
  });
});

describe('extension points of the model', () => {
  it('accepts a consistent AHP weighting and refuses an inconsistent one, naming the comparison', () => {
    const q = base();
    delete q.index.elements[0].weight;
    delete q.index.elements[1].weight;
    delete q.index.elements[2].weight;
    q.index.weighting = { method: 'ahp', matrix: [[1, 3, '5'], ['1/3', 1, 3], ['1/5', '1/3', 1]] };
    expect(validateQuestionnaire(q).ok).toBe(true);

    q.index.weighting = { method: 'ahp', matrix: [[1, 9, '1/9'], ['1/9', 1, 9], [9, '1/9', 1]] };
    const errors = errorsOf(q);
    expect(errors.some((e) => e.path === 'index.weighting' && /CR|consisten/i.test(e.message))).toBe(true);
  });

  it('refuses weights given both on the children and in weighting, and AHP matrices of the wrong size', () => {
    const q = base();
    q.index.weighting = { method: 'ahp', matrix: [[1, 2], ['1/2', 1]] };
    const messages = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('index.weighting: the children carry weights too: give weights either on the children or in weighting');
    expect(messages.filter((m) => m.startsWith('index.weighting')).length).toBeGreaterThan(1);
  });

  it('checks a PLS model: known elements, no cycles, a CSI element', () => {
    const q = base();
    q.index.model = { type: 'pls', paths: [['quality', 'satisfaction'], ['satisfaction', 'complaints'], ['complaints', 'quality'], ['quality', 'image']] };
    const messages = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('index.model.paths[3][1]: unknown element "image"');
    expect(messages.some((m) => m.startsWith('index.model.paths: the paths form a cycle'))).toBe(true);
    q.index.model = { type: 'pls', paths: [['quality', 'satisfaction']] };
    const ok = validateQuestionnaire(q);
    expect(ok.ok && ok.questionnaire.index.model).toMatchObject({ scheme: 'centroid', minN: 200 });
  });

  it('checks gap pairs: rating questions on one scale, an allocation over the same dimensions', () => {
    const q = base();
    q.scales.seven = { type: 'rating', min: 1, max: 7 };
    q.questions.push(
      { id: 'e1', type: 'rating', scale: 'seven', text: { 'zh-CN': '期望', en: 'Expected' } },
      { id: 'alloc', type: 'allocation', dimensions: ['reliability', 'empathy'], text: { 'zh-CN': '分配', en: 'Allocate' } },
    );
    q.gaps = { importance: 'alloc', dimensions: [{ id: 'reliability', items: [{ id: 'r1', expectation: 'e1', perception: 'q1' }, { id: 'r2', perception: 'q2' }] }] };
    const messages = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('gaps.dimensions[0].items[0].perception: question "q1" uses scale "five", its pair uses "seven": both must be on the same scale');
    expect(messages).toContain('gaps.dimensions[0].items[1].expectation: a SERVQUAL item pairs an expectation with a perception');
    expect(messages).toContain('gaps.importance: allocation "alloc" spreads points over empathy, reliability; the gap dimensions are reliability');
  });

  it('checks alert rules against the questions (docs/questionnaire-format.md, Alerts)', () => {
    const q = base();
    q.alerts = [{ id: 'low', when: { any: [{ question: 'q4', atMost: 2 }, { choice: { question: 'channel', in: ['branch'] } }, { comment: { question: 'q1', keywords: ['差'] } }] } }];
    const messages = errorsOf(q).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual([
      'alerts[0].when.any[1].choice.in[0]: "branch" is not an option of "channel"',
      'alerts[0].when.any[2].comment.question: question "q1" is a rating question; keywords are looked for in text answers',
    ]);
    q.alerts[0].when.any.splice(1, 2);
    const ok = validateQuestionnaire(q);
    expect(ok.ok && ok.questionnaire.alerts).toEqual([{ id: 'low', when: { any: [{ question: 'q4', atMost: 2 }] }, priority: 'normal', owner: 'manager', escalate: [] }]);
  });
});
