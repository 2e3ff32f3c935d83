/**
 * The PLS analysis's bootstrap equals bit for bit whatever the order the responses arrived in and
 * however the runs were split by checkpoints (issue #12, item 3: an incremental run once differed
 * from a full one because the bootstrap resampled the sample in arrival order, up to 2k rows, while
 * a checkpoint kept the k rows in key order). A seeded property test: random arrival orders, random
 * checkpoint boundaries, a serialise/deserialise round trip at each. The whole result is compared,
 * estimate included: the statistics' sums are exact integers, moved to an origin the rows alone
 * decide (functions/domain/pls/statistics.ts), so no figure depends on which row came first.
 */
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_SAMPLE_SIZE, plsAnalysis } from '../../functions/app/analyses/pls';
import type { ResponseRecord } from '../../functions/domain/records';
import { OrgTree } from '../../functions/domain/org';
import { readQuestionnaireFile } from '../../functions/shared/questionnaire-files';
import { seededRandom } from '../helpers/random';

const file = readQuestionnaireFile(new URL('../../surveys/bank-branch-csi.yaml', import.meta.url).pathname);
if (!file.ok) throw new Error('the shipped questionnaire does not validate');
const questionnaire = { ...file.questionnaire, index: { ...file.questionnaire.index, model: { ...file.questionnaire.index.model!, bootstrap: 20 } } };


const ratingIds = questionnaire.questions.filter((q) => q.type === 'rating').map((q) => q.id);
const next = seededRandom(7);
// More complete rows than the sample keeps (the case that differed), fewer than twice as many.
const COUNT = Math.round(BOOTSTRAP_SAMPLE_SIZE * 1.3);
const responses: ResponseRecord[] = Array.from({ length: COUNT }, (_, i) => {
  const level = 4 + Math.floor(next() * 6);
  const answers = Object.fromEntries(ratingIds.map((id) => [id, Math.min(10, Math.max(1, level + Math.floor(next() * 3) - 1))]));
  return { responseId: `rsp_${i}`, invitationId: `inv_${i}`, campaignId: 'cmp', surveyId: questionnaire.id, version: 1, orgUnitId: 'hq', answers, submittedAt: '2026-11-10T02:00:00.000Z', lang: 'zh-CN' } as unknown as ResponseRecord;
});

const context = { questionnaire, period: '2026-11', unitId: 'hq', tree: new OrgTree([{ id: 'hq', name: 'HQ' }]), rootResult: undefined, earlier: {} } as never;

/** The result of accumulating `order`, checkpointed (serialised, read back, merged) at each boundary. */
function resultOf(order: readonly ResponseRecord[], boundaries: readonly number[]) {
  let stored: unknown;
  let start = 0;
  for (const end of [...boundaries, order.length]) {
    const acc = plsAnalysis.empty(questionnaire);
    for (const response of order.slice(start, end)) plsAnalysis.add(questionnaire, acc, response);
    const merged = stored === undefined ? acc : plsAnalysis.merge(plsAnalysis.deserialize(questionnaire, stored), acc);
    stored = JSON.parse(JSON.stringify(plsAnalysis.serialize(merged)));
    start = end;
  }
  return plsAnalysis.result(plsAnalysis.deserialize(questionnaire, stored), context);
}

function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('the PLS bootstrap over arrival orders and checkpoints', () => {
  it('is the same whether the responses came in one run (no checkpoint) or several', () => {
    const acc = plsAnalysis.empty(questionnaire);
    for (const response of responses) plsAnalysis.add(questionnaire, acc, response);
    const full = plsAnalysis.result(acc, context);
    expect(full.bootstrap?.sampleRows).toBe(BOOTSTRAP_SAMPLE_SIZE);
    expect(JSON.stringify(resultOf(responses, [400, 900]))).toBe(JSON.stringify(full));
  });

  it.each([1, 2, 3])('is the same for a random arrival order and random checkpoints (seed %i)', (seed) => {
    const rng = seededRandom(seed * 1000);
    const reference = JSON.stringify(resultOf(responses, []));
    const order = shuffled(responses, rng);
    const boundaries = [...new Set(Array.from({ length: 1 + Math.floor(rng() * 4) }, () => 1 + Math.floor(rng() * (COUNT - 1))))].sort((a, b) => a - b);
    expect(JSON.stringify(resultOf(order, boundaries))).toBe(reference);
  });
});
