/**
 * The scheduled computation (EventBridge Scheduler on AWS, a timer in the local runtime). The
 * schedule may pass {"period":"YYYY-MM"}; otherwise the current and previous periods are computed.
 */
import * as z from '../domain/zod';
import type { Deps } from '../app/deps';
import { computeIndices, type ComputeSummary } from '../app/compute';
import { PERIOD_PATTERN } from '../domain/period';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { checkpointItems, commitmentItems, orgUnitItems, reportItems, responseItems, serviceEventItems, surveyItems } from '../runtime/store-modules';

const scheduledInputSchema = z.looseObject({ period: z.optional(z.string().check(z.regex(PERIOD_PATTERN))) });

export const createComputeIndicesJob = (deps: Deps) => async (event: unknown): Promise<ComputeSummary> => {
  const input = scheduledInputSchema.parse(event ?? {});
  return computeIndices(deps, { period: input.period });
};

export const handler = lambdaEntry(createComputeIndicesJob, dynamodb(checkpointItems, commitmentItems, orgUnitItems, reportItems, responseItems, serviceEventItems, surveyItems));
