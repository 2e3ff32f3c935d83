import { Duration, TimeZone, type Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ScheduledFunctionSpec } from '../../functions/manifest';

/** An EventBridge Scheduler schedule whose role may invoke this one function only. */
export function scheduleFunction(stack: Stack, spec: ScheduledFunctionSpec, fn: IFunction): Schedule {
  return new Schedule(stack, `${spec.name}Schedule`, {
    description: `manyi ${spec.name}: ${spec.schedule} (${spec.timeZone})`,
    schedule: ScheduleExpression.expression(spec.schedule, TimeZone.of(spec.timeZone)),
    target: new LambdaInvoke(fn, {
      retryAttempts: 2,
      // A run that could not start within the hour is superseded by the next ones.
      maxEventAge: Duration.hours(1),
    }),
  });
}
