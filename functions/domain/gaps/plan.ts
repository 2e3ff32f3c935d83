/**
 * A compiled view of a questionnaire's gap model (`gaps:` in the YAML): the items per dimension
 * with the question ids they pair, and the allocation question that weights the dimensions.
 */
import type { GapModel, Questionnaire, RatingScale } from '../questionnaire/schema';

/** Responses whose invitation has this audience answer the expectation items as managers (gap 1). */
export const MANAGEMENT_AUDIENCE = 'management';

/**
 * What the quality value of a dimension is: the gap P - E (SERVQUAL), or the perception score
 * alone (SERVPERF). Overall figures, states and benchmarks use it.
 */
export type GapBasis = 'gap' | 'perception';

export interface GapPlanItem {
  id: string;
  dimensionId: string;
  expectation?: string;
  perception: string;
  adequate?: string;
  scale: Pick<RatingScale, 'min' | 'max'>;
}

export interface GapPlanDimension {
  id: string;
  title?: Record<string, string>;
  /** Declared fixed weight (all dimensions carry one, or none does). */
  weight?: number;
  target?: number;
  competitor?: number;
  items: GapPlanItem[];
}

export interface GapPlan {
  model: GapModel['model'];
  basis: GapBasis;
  /** Half-width of the "basically satisfied" band around a gap of 0. */
  tolerance: number;
  dimensions: GapPlanDimension[];
  items: GapPlanItem[];
  /** The allocation question that spreads `total` points over the dimensions. */
  importance?: { questionId: string; total: number };
}

export class NoGapModelError extends Error {
  constructor(surveyId: string) {
    super(`questionnaire "${surveyId}" declares no gap model (gaps:)`);
    this.name = 'NoGapModelError';
  }
}

export const hasGapModel = (questionnaire: Questionnaire): boolean => questionnaire.gaps !== undefined;

/** The plan of a validated questionnaire; throws NoGapModelError when it has no `gaps:`. */
export function gapPlan(questionnaire: Questionnaire): GapPlan {
  const gaps = questionnaire.gaps;
  if (!gaps) throw new NoGapModelError(questionnaire.id);
  const scaleOf = (questionId: string): Pick<RatingScale, 'min' | 'max'> => {
    const question = questionnaire.questions.find((q) => q.id === questionId);
    const scale = question?.type === 'rating' ? questionnaire.scales[question.scale] : undefined;
    // Validation guarantees a rating question with a known scale; this is a programming error otherwise.
    if (!scale) throw new Error(`gap question "${questionId}" is not a rating question with a known scale`);
    return { min: scale.min, max: scale.max };
  };
  const dimensions: GapPlanDimension[] = gaps.dimensions.map((dimension) => ({
    id: dimension.id,
    ...(dimension.title ? { title: dimension.title } : {}),
    ...(dimension.weight !== undefined ? { weight: dimension.weight } : {}),
    ...(dimension.target !== undefined ? { target: dimension.target } : {}),
    ...(dimension.competitor !== undefined ? { competitor: dimension.competitor } : {}),
    items: dimension.items.map((item) => ({
      id: item.id,
      dimensionId: dimension.id,
      ...(item.expectation ? { expectation: item.expectation } : {}),
      perception: item.perception,
      ...(item.adequate ? { adequate: item.adequate } : {}),
      scale: scaleOf(item.perception),
    })),
  }));
  const allocation = gaps.importance ? questionnaire.questions.find((q) => q.id === gaps.importance) : undefined;
  return {
    model: gaps.model,
    basis: gaps.model === 'servqual' ? 'gap' : 'perception',
    tolerance: gaps.tolerance,
    dimensions,
    items: dimensions.flatMap((d) => d.items),
    ...(allocation?.type === 'allocation' ? { importance: { questionId: allocation.id, total: allocation.total } } : {}),
  };
}
