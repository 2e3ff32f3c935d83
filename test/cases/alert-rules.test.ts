import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { alertRuleSchema, checkAlertRules, evaluateAlerts, type AlertRule } from '../../functions/domain/cases/alert-rules';
import { problemsFromZod } from '../../functions/domain/errors';
import { validateQuestionnaire, type Questionnaire } from '../../functions/domain/questionnaire';
import * as z from '../../functions/domain/zod';

/** The issue's example, verbatim. */
const ISSUE_EXAMPLE = `
alerts:
  - id: low-score
    when: { any: [ { question: q_overall, atMost: 2 }, { element: satisfaction, below: 40 },
                   { choice: { question: visit, in: [complaint] } }, { nps: recommend, detractor: true },
                   { comment: { question: comment, keywords: [投诉, 态度差, 再也不] } } ] }
    priority: high                      # high | normal | low (default normal)
    sla: { firstContact: P1D, resolve: P5D, calendar: working-days }
    owner: manager                      # only "manager" for now (default manager)
    escalate: [ { after: firstContact, notify: owner-manager }, { after: resolve, to: parent-unit } ]
    followUp: { survey: case-follow-up, channel: same, delay: PT2H }
`;

const text = (en: string) => ({ en });

/** q_overall and q_staff (1-5) score the element satisfaction; q_speed the element quality; recommend (0-10) is outside the index. */
const questionnaireInput = (alerts?: unknown) => ({
  id: 'alert-fixture',
  version: 1,
  title: text('Alert fixture'),
  languages: ['en'],
  scales: { five: { type: 'rating', min: 1, max: 5 }, ten: { type: 'rating', min: 0, max: 10 } },
  index: {
    id: 'csi',
    title: text('CSI'),
    elements: [
      { id: 'satisfaction', title: text('Satisfaction'), indicators: [{ id: 'overall', title: text('Overall'), questions: ['q_overall', 'q_staff'] }] },
      { id: 'quality', title: text('Quality'), indicators: [{ id: 'speed', title: text('Speed'), questions: ['q_speed'] }] },
    ],
  },
  questions: [
    { id: 'q_overall', type: 'rating', scale: 'five', text: text('Overall') },
    { id: 'q_staff', type: 'rating', scale: 'five', text: text('Staff') },
    { id: 'q_speed', type: 'rating', scale: 'five', text: text('Speed') },
    { id: 'recommend', type: 'rating', scale: 'ten', text: text('Recommend') },
    {
      id: 'visit',
      type: 'choice',
      text: text('Why did you come?'),
      options: [
        { value: 'complaint', text: text('Complaint') },
        { value: 'enquiry', text: text('Enquiry') },
        { value: 'repair', text: text('Repair') },
      ],
    },
    {
      id: 'topics',
      type: 'choice',
      multiple: true,
      text: text('Topics'),
      options: [
        { value: 'billing', text: text('Billing') },
        { value: 'staff', text: text('Staff') },
        { value: 'meter', text: text('Meter') },
      ],
    },
    { id: 'comment', type: 'text', text: text('Anything else?') },
  ],
  ...(alerts === undefined ? {} : { alerts }),
});

function valid(alerts?: unknown): Questionnaire {
  const result = validateQuestionnaire(questionnaireInput(alerts));
  if (!result.ok) throw new Error(`expected a valid questionnaire: ${JSON.stringify(result.errors)}`);
  return result.questionnaire;
}

const errorsOf = (alerts: unknown): string[] => {
  const result = validateQuestionnaire(questionnaireInput(alerts));
  if (result.ok) throw new Error('expected the questionnaire to be invalid');
  return result.errors.map((e) => `${e.path}: ${e.message}`);
};

/** Problems of one rule parsed alone (paths under the rule). */
const ruleErrors = (rule: unknown): string[] => {
  const parsed = alertRuleSchema.safeParse(rule);
  if (parsed.success) throw new Error('expected the rule to be refused');
  return problemsFromZod(parsed.error.issues).map((e) => `${e.path}: ${e.message}`);
};

const rule = (when: unknown, extra: Record<string, unknown> = {}): AlertRule => alertRuleSchema.parse({ id: 'r', when, ...extra });
const q = valid();
const matches = (when: unknown, answers: Record<string, unknown>) => evaluateAlerts([rule(when)], q, answers as never);
const holds = (when: unknown, answers: Record<string, unknown>) => matches(when, answers).length === 1;

describe('the alert rule schema', () => {
  it("accepts the issue's example verbatim, in a questionnaire that has what it names", () => {
    const { alerts } = parse(ISSUE_EXAMPLE) as { alerts: unknown[] };
    const questionnaire = valid(alerts);
    expect(questionnaire.alerts).toHaveLength(1);
    const [parsed] = questionnaire.alerts!;
    expect(parsed).toMatchObject({
      id: 'low-score',
      priority: 'high',
      owner: 'manager',
      sla: { firstContact: 'P1D', resolve: 'P5D', calendar: 'working-days' },
      escalate: [{ after: 'firstContact', notify: 'owner-manager' }, { after: 'resolve', to: 'parent-unit' }],
      followUp: { survey: 'case-follow-up', channel: 'same', delay: 'PT2H' },
    });
    expect(parsed!.when).toEqual({
      any: [
        { question: 'q_overall', atMost: 2 },
        { element: 'satisfaction', below: 40 },
        { choice: { question: 'visit', in: ['complaint'] } },
        { nps: 'recommend', detractor: true },
        { comment: { question: 'comment', keywords: ['投诉', '态度差', '再也不'] } },
      ],
    });
  });

  it('applies the defaults: priority normal, owner manager, no escalation, follow-up by the same channel two hours later', () => {
    expect(alertRuleSchema.parse({ id: 'low', when: { question: 'q_overall', atMost: 1 }, followUp: { survey: 'follow-up' } })).toEqual({
      id: 'low',
      when: { question: 'q_overall', atMost: 1 },
      priority: 'normal',
      owner: 'manager',
      escalate: [],
      followUp: { survey: 'follow-up', channel: 'same', delay: 'PT2H' },
    });
  });

  it('leaves a questionnaire without alerts as it was (no alerts key, so its content hash is unchanged)', () => {
    expect('alerts' in valid()).toBe(false);
  });

  it('refuses malformed rules, naming the field', () => {
    const errors = ruleErrors({
      id: '-bad',
      when: { any: [{ question: 'q_overall' }, { nps: 'recommend', detractor: true, promoter: true }, { element: 'satisfaction', below: 40, atMost: 30 }, { score: 3 }, 'q_overall'] },
      priority: 'urgent',
      owner: 'agent',
      escalate: [{ after: 'firstContact' }, { after: 'closing', notify: 'owner' }, { after: 'resolve', delay: 'P1W', to: 'parent-unit' }, { after: 'resolve', delay: 'PT0H', notify: 'owner' }],
      followUp: { survey: 'Case Follow-up', channel: 'email', delay: 'P1M' },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'id: expected an alert id: lower-case letters, digits and "-" (at most 64, not starting with "-")',
        'when.any[0]: give atMost, atLeast or both',
        'when.any[1]: give exactly one of detractor: true and promoter: true',
        'when.any[2]: give exactly one of below and atMost',
        'when.any[3]: expected a condition: an object with one of question, element, choice, nps, comment, any, all',
        'when.any[4]: expected a condition: an object with one of question, element, choice, nps, comment, any, all',
        'priority: expected high, normal or low',
        'owner: expected manager',
        'escalate[0]: give notify, to, or both',
        'escalate[1].after: expected firstContact or resolve',
        'escalate[2].delay: "P1W": give days (P5D) rather than weeks, whose number of working days varies',
        'escalate[3].delay: "PT0H" is no time at all',
        'followUp.survey: expected a survey id: lower-case letters, digits and "-"',
        'followUp.channel: expected same, sms or link',
      ]),
    );
    expect(errors.some((e) => e.startsWith('followUp.delay: "P1M": years and months have no fixed length'))).toBe(true);
  });

  it('refuses an nps condition with detractor: false, unknown keys in a leaf, and keywords out of bounds', () => {
    expect(ruleErrors({ id: 'r', when: { nps: 'recommend', detractor: false } })).toContain('when.detractor: Invalid input: expected true');
    expect(ruleErrors({ id: 'r', when: { question: 'q_overall', atMost: 2, below: 3 } })).toContain('when: Unrecognized key: "below"');
    const keywords = ruleErrors({ id: 'r', when: { comment: { question: 'comment', keywords: ['  ', 'x'.repeat(51)] } } });
    expect(keywords).toEqual(['when.comment.keywords[0]: a keyword must not be empty', 'when.comment.keywords[1]: a keyword has at most 50 characters']);
    expect(ruleErrors({ id: 'r', when: { comment: { question: 'comment', keywords: [] } } })).toEqual(['when.comment.keywords: give at least one keyword']);
    expect(ruleErrors({ id: 'r', when: { comment: { question: 'comment', keywords: Array.from({ length: 101 }, (_, i) => `k${i}`) } } })).toEqual([
      'when.comment.keywords: at most 100 keywords',
    ]);
    // Keywords are trimmed: "Rude " looks for "rude".
    expect(rule({ comment: { question: 'comment', keywords: [' Rude '] } }).when).toEqual({ comment: { question: 'comment', keywords: ['Rude'] } });
  });

  it('takes 1 to 50 conditions in an any/all, nested at most 4 levels deep', () => {
    const leaf = { question: 'q_overall', atMost: 2 };
    expect(ruleErrors({ id: 'r', when: { all: [] } })).toEqual(['when.all: give at least one condition']);
    expect(ruleErrors({ id: 'r', when: { any: Array.from({ length: 51 }, () => leaf) } })).toEqual(['when.any: at most 50 conditions']);
    expect(() => rule({ any: Array.from({ length: 50 }, () => leaf) })).not.toThrow();
    const nested = (levels: number): unknown => (levels === 0 ? leaf : { [levels % 2 ? 'any' : 'all']: [nested(levels - 1)] });
    expect(() => rule(nested(4))).not.toThrow();
    expect(ruleErrors({ id: 'r', when: nested(5) })).toEqual(['when.any[0].all[0].any[0].all[0].any: any/all nest at most 4 levels deep']);
  });

  it('takes at most 10 escalation steps and 50 rules', () => {
    const step = { after: 'resolve', notify: 'owner' };
    expect(ruleErrors({ id: 'r', when: { question: 'q_overall', atMost: 2 }, escalate: Array.from({ length: 11 }, () => step) })).toEqual([
      'escalate: at most 10 escalation steps',
    ]);
    const many = Array.from({ length: 51 }, (_, i) => ({ id: `r${i}`, when: { question: 'q_overall', atMost: 2 } }));
    expect(errorsOf(many)).toEqual(['alerts: at most 50 alert rules']);
    expect(() => valid(many.slice(0, 50))).not.toThrow();
  });
});

describe('checkAlertRules: the rules against the questionnaire', () => {
  const check = (...rules: unknown[]) =>
    checkAlertRules(z.array(alertRuleSchema).parse(rules), q).map((p) => `${p.path.join('.')}: ${p.message}`);

  it('finds nothing wrong with correct rules', () => {
    expect(check(...(parse(ISSUE_EXAMPLE) as { alerts: unknown[] }).alerts)).toEqual([]);
    expect(check({ id: 'promoters', when: { all: [{ nps: 'recommend', promoter: true }, { question: 'q_speed', atLeast: 1, atMost: 5 }, { element: 'quality', atMost: 100 }] } })).toEqual([]);
  });

  it('refuses each bad reference, at its path', () => {
    expect(
      check({
        id: 'bad',
        when: {
          any: [
            { question: 'ghost', atMost: 2 },
            { question: 'comment', atMost: 2 },
            { element: 'overall', below: 40 },
            { choice: { question: 'q_overall', in: ['complaint'] } },
            { choice: { question: 'visit', in: ['complaint', 'praise'] } },
            { nps: 'q_overall', detractor: true },
            { nps: 'visit', promoter: true },
            { comment: { question: 'q_overall', keywords: ['x'] } },
            { all: [{ comment: { question: 'nothing', keywords: ['x'] } }] },
          ],
        },
      }),
    ).toEqual([
      'alerts.0.when.any.0.question: unknown question "ghost"',
      'alerts.0.when.any.1.question: question "comment" is a text question; atMost and atLeast compare rating answers',
      'alerts.0.when.any.2.element: unknown element "overall"',
      'alerts.0.when.any.3.choice.question: question "q_overall" is a rating question; in compares choice answers',
      'alerts.0.when.any.4.choice.in.1: "praise" is not an option of "visit"',
      'alerts.0.when.any.5.nps: question "q_overall" is on the scale 1..5; nps needs a 0-10 scale',
      'alerts.0.when.any.6.nps: question "visit" is a choice question; nps needs a rating question on a 0-10 scale',
      'alerts.0.when.any.7.comment.question: question "q_overall" is a rating question; keywords are looked for in text answers',
      'alerts.0.when.any.8.all.0.comment.question: unknown question "nothing"',
    ]);
  });

  it('refuses rating bounds outside the question\'s scale', () => {
    expect(check({ id: 'range', when: { all: [{ question: 'q_overall', atMost: 7 }, { question: 'q_overall', atLeast: 0 }, { question: 'recommend', atLeast: 0, atMost: 10 }] } })).toEqual([
      'alerts.0.when.all.0.atMost: 7 is outside the scale 1..5 of "q_overall"',
      'alerts.0.when.all.1.atLeast: 0 is outside the scale 1..5 of "q_overall"',
    ]);
  });

  it('leaves to the schema what needs no questionnaire: conditions that can never hold, escalations after an undeclared target', () => {
    expect(
      ruleErrors({
        id: 'never',
        when: {
          all: [
            { question: 'q_staff', atLeast: 4, atMost: 2 },
            { element: 'satisfaction', below: 0 },
            { element: 'satisfaction', below: 120 },
            { element: 'quality', atMost: 101 },
            { element: 'quality', atMost: -1 },
            { element: 'quality', below: 100 },
            { question: 'q_staff', atLeast: 2, atMost: 2 },
          ],
        },
        sla: { firstContact: 'P1D' },
        escalate: [{ after: 'resolve', notify: 'owner' }],
      }),
    ).toEqual([
      'when.all[0].atLeast: at least 4 and at most 2 can never both hold',
      'when.all[1].below: below 0 can never hold: an element\'s score is 0-100',
      'when.all[2].below: below 120 is beyond the 0-100 score (every answered response would match)',
      'when.all[3].atMost: at most 101 is outside an element\'s 0-100 score',
      'when.all[4].atMost: at most -1 is outside an element\'s 0-100 score',
    ]);
    // Reported once by questionnaire validation (checkAlertRules does not repeat them).
    expect(errorsOf([{ id: 'never', when: { any: [{ question: 'q_staff', atLeast: 4, atMost: 2 }] } }])).toEqual([
      'alerts[0].when.any[0].atLeast: at least 4 and at most 2 can never both hold',
    ]);
    // The escalation check is the rule's own, once its parts are well-formed.
    expect(ruleErrors({ id: 'late', when: { question: 'q_overall', atMost: 2 }, sla: { firstContact: 'P1D' }, escalate: [{ after: 'resolve', notify: 'owner' }] })).toEqual([
      'escalate[0].after: the sla declares no resolve target to escalate after',
    ]);
    expect(errorsOf([{ id: 'late', when: { question: 'q_overall', atMost: 2 }, escalate: [{ after: 'firstContact', to: 'parent-unit' }] }])).toEqual([
      'alerts[0].escalate[0].after: the sla declares no firstContact target to escalate after',
    ]);
  });

  it('refuses duplicate rule ids', () => {
    const when = { question: 'q_overall', atMost: 2 };
    expect(check({ id: 'a', when }, { id: 'b', when }, { id: 'a', when })).toEqual(['alerts.2.id: duplicate alert id "a"']);
    expect(errorsOf([{ id: 'a', when }, { id: 'b', when }, { id: 'a', when }])).toEqual(['alerts[2].id: duplicate alert id "a"']);
  });

  it('is applied by questionnaire validation, with paths from the questionnaire root', () => {
    expect(errorsOf([{ id: 'r', when: { any: [{ question: 'q_overall', atMost: 2 }, { question: 'ghost', atMost: 2 }] } }])).toEqual([
      'alerts[0].when.any[1].question: unknown question "ghost"',
    ]);
    expect(errorsOf([{ id: 'r', when: { all: [{ any: [{ question: 'q_overall', atMost: 'two' }] }] } }])).toEqual([
      'alerts[0].when.all[0].any[0].atMost: expected a number',
    ]);
  });
});

describe('evaluateAlerts', () => {
  it('rating: atMost and atLeast include the bound', () => {
    expect(matches({ question: 'q_overall', atMost: 2 }, { q_overall: 2 })).toEqual([{ ruleId: 'r', priority: 'normal', reasons: ['q_overall = 2 (at most 2)'] }]);
    expect(holds({ question: 'q_overall', atMost: 2 }, { q_overall: 1 })).toBe(true);
    expect(holds({ question: 'q_overall', atMost: 2 }, { q_overall: 3 })).toBe(false);
    expect(holds({ question: 'q_overall', atLeast: 4 }, { q_overall: 4 })).toBe(true);
    expect(holds({ question: 'q_overall', atLeast: 4 }, { q_overall: 3 })).toBe(false);
    expect(matches({ question: 'q_overall', atLeast: 2, atMost: 3 }, { q_overall: 3 })[0]?.reasons).toEqual(['q_overall = 3 (at least 2, at most 3)']);
    expect(holds({ question: 'q_overall', atLeast: 2, atMost: 3 }, { q_overall: 4 })).toBe(false);
  });

  it("element: this response's 0-100 score, below is strict and atMost is not", () => {
    // q_overall 2 and q_staff 2 score 25 each: the element scores 25.
    expect(matches({ element: 'satisfaction', below: 40 }, { q_overall: 2, q_staff: 2 })[0]?.reasons).toEqual(['element satisfaction 25.0 (below 40)']);
    // 2 and 3 score 25 and 50: 37.5.
    expect(matches({ element: 'satisfaction', atMost: 37.5 }, { q_overall: 2, q_staff: 3 })[0]?.reasons).toEqual(['element satisfaction 37.5 (at most 37.5)']);
    expect(holds({ element: 'satisfaction', below: 37.5 }, { q_overall: 2, q_staff: 3 })).toBe(false);
    // One answered question carries the element alone (weights renormalised over the answered ones).
    expect(holds({ element: 'satisfaction', below: 40 }, { q_overall: 2 })).toBe(true);
    expect(holds({ element: 'satisfaction', below: 40 }, { q_overall: 4, q_staff: 1 })).toBe(true); // 75 and 0: 37.5
    expect(holds({ element: 'satisfaction', below: 40 }, { q_overall: 4, q_staff: 2 })).toBe(false); // 75 and 25: 50
    // Answers in another element do not count.
    expect(holds({ element: 'satisfaction', below: 40 }, { q_speed: 1 })).toBe(false);
  });

  it('element: a data-driven weighting falls back to equal weights for one response', () => {
    const input = questionnaireInput() as any;
    input.index.elements[0].indicators[0].weighting = { method: 'entropy' };
    const result = validateQuestionnaire(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(evaluateAlerts([rule({ element: 'satisfaction', atMost: 12.5 })], result.questionnaire, { q_overall: 2, q_staff: 1 })[0]?.reasons).toEqual([
      'element satisfaction 12.5 (at most 12.5)',
    ]);
  });

  it('choice: the chosen option is in the list; for a multiple choice, any chosen one', () => {
    expect(matches({ choice: { question: 'visit', in: ['complaint'] } }, { visit: 'complaint' })[0]?.reasons).toEqual(['visit: complaint']);
    expect(holds({ choice: { question: 'visit', in: ['complaint'] } }, { visit: 'enquiry' })).toBe(false);
    expect(matches({ choice: { question: 'topics', in: ['staff', 'meter'] } }, { topics: ['billing', 'meter', 'staff'] })[0]?.reasons).toEqual([
      'topics: staff, meter',
    ]);
    expect(holds({ choice: { question: 'topics', in: ['staff', 'meter'] } }, { topics: ['billing'] })).toBe(false);
  });

  it('nps: a detractor answers 0-6, a promoter 9-10', () => {
    const detractor = { nps: 'recommend', detractor: true };
    const promoter = { nps: 'recommend', promoter: true };
    expect(matches(detractor, { recommend: 3 })[0]?.reasons).toEqual(['recommend = 3 (detractor)']);
    expect(holds(detractor, { recommend: 0 })).toBe(true);
    expect(holds(detractor, { recommend: 6 })).toBe(true);
    expect(holds(detractor, { recommend: 7 })).toBe(false);
    expect(holds(promoter, { recommend: 8 })).toBe(false);
    expect(matches(promoter, { recommend: 9 })[0]?.reasons).toEqual(['recommend = 9 (promoter)']);
    expect(holds(promoter, { recommend: 10 })).toBe(true);
    expect(holds(promoter, { recommend: 3 })).toBe(false);
  });

  it('comment: a case-insensitive substring, Chinese without word boundaries, reasons without the text', () => {
    const chinese = { comment: { question: 'comment', keywords: ['投诉', '态度差', '再也不'] } };
    const said = '柜员态度差，我要投诉王某某，电话13800138000';
    const [match] = matches(chinese, { comment: said });
    expect(match?.reasons).toEqual(['comment contains "投诉", "态度差"']);
    expect(holds(chinese, { comment: '服务很好，谢谢' })).toBe(false);
    expect(holds(chinese, { comment: '以后我再也不来了' })).toBe(true);

    const rude = { comment: { question: 'comment', keywords: ['Rude'] } };
    const english = 'The clerk Mr Smith was RUDE and slow';
    expect(matches(rude, { comment: english })[0]?.reasons).toEqual(['comment contains "Rude"']);
    expect(holds(rude, { comment: 'so rude' })).toBe(true);
    expect(holds(rude, { comment: 'ｒｕｄｅ' })).toBe(true); // full-width letters
    expect(holds(rude, { comment: 'polite' })).toBe(false);

    // Nothing of the respondent's text but the rule's own keyword reaches the reasons.
    const reasons = evaluateAlerts([rule(chinese), rule(rude, { id: 'rude' })], q, { comment: `${said} ${english}` }).flatMap((m) => m.reasons);
    expect(reasons).toHaveLength(2);
    for (const fragment of ['柜员', '王某某', '13800138000', 'clerk', 'Smith', 'RUDE', 'slow']) expect(reasons.join(' ')).not.toContain(fragment);
  });

  it('any holds when one child does, with the reasons of every child that holds', () => {
    const when = { any: [{ question: 'q_overall', atMost: 2 }, { nps: 'recommend', detractor: true }, { choice: { question: 'visit', in: ['complaint'] } }] };
    expect(matches(when, { q_overall: 1, recommend: 2, visit: 'enquiry' })[0]?.reasons).toEqual(['q_overall = 1 (at most 2)', 'recommend = 2 (detractor)']);
    expect(holds(when, { q_overall: 5, recommend: 9, visit: 'enquiry' })).toBe(false);
  });

  it('all holds only when every child does; nested conditions combine', () => {
    const when = { all: [{ question: 'q_overall', atMost: 2 }, { any: [{ nps: 'recommend', detractor: true }, { choice: { question: 'visit', in: ['complaint'] } }] }] };
    expect(matches(when, { q_overall: 2, recommend: 10, visit: 'complaint' })[0]?.reasons).toEqual(['q_overall = 2 (at most 2)', 'visit: complaint']);
    expect(holds(when, { q_overall: 3, recommend: 0, visit: 'complaint' })).toBe(false);
    expect(holds(when, { q_overall: 1, recommend: 8, visit: 'repair' })).toBe(false);
  });

  it('an unanswered question never matches, and an all with an unanswered leaf does not hold', () => {
    expect(holds({ question: 'q_overall', atMost: 5 }, {})).toBe(false);
    expect(holds({ question: 'q_overall', atLeast: 1 }, { q_staff: 1 })).toBe(false);
    expect(holds({ element: 'satisfaction', atMost: 100 }, {})).toBe(false);
    expect(holds({ choice: { question: 'visit', in: ['complaint', 'enquiry', 'repair'] } }, {})).toBe(false);
    expect(holds({ nps: 'recommend', detractor: true }, {})).toBe(false);
    expect(holds({ comment: { question: 'comment', keywords: ['a'] } }, {})).toBe(false);
    expect(holds({ all: [{ question: 'q_overall', atMost: 5 }, { nps: 'recommend', detractor: true }] }, { q_overall: 1 })).toBe(false);
    expect(holds({ any: [{ question: 'q_overall', atMost: 5 }, { nps: 'recommend', detractor: true }] }, { q_overall: 1 })).toBe(true);
  });

  it("returns one match per rule that holds, in the rules' order, with its priority", () => {
    const { alerts } = valid((parse(ISSUE_EXAMPLE) as { alerts: unknown[] }).alerts);
    const rules = [...alerts!, rule({ question: 'q_speed', atMost: 1 }, { id: 'slow', priority: 'low' }), rule({ question: 'q_staff', atMost: 1 }, { id: 'staff' })];
    expect(evaluateAlerts(rules, q, { q_overall: 5, q_staff: 5, recommend: 6, q_speed: 1 })).toEqual([
      { ruleId: 'low-score', priority: 'high', reasons: ['recommend = 6 (detractor)'] },
      { ruleId: 'slow', priority: 'low', reasons: ['q_speed = 1 (at most 1)'] },
    ]);
    expect(evaluateAlerts(rules, q, { q_overall: 5, q_staff: 5, recommend: 9, q_speed: 5, visit: 'enquiry', comment: '很好' })).toEqual([]);
  });
});
