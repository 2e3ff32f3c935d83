import { Duration, TimeZone, type Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ScheduledFunctionSpec } from '../../functions/manifest';
import { acknowledgeNagFinding, wildcardResourceFinding } from '../nag';
import { alarmOnJobErrors } from './alarms';

/**
 * An EventBridge Scheduler schedule whose role may invoke this one function only, and an alarm
 * when a run fails.
 */
export function scheduleFunction(stack: Stack, spec: ScheduledFunctionSpec, fn: IFunction): Schedule {
  const schedule = new Schedule(stack, `${spec.name}Schedule`, {
    description: `manyi ${spec.name}: ${spec.schedule} (${spec.timeZone})`,
    schedule: ScheduleExpression.expression(spec.schedule, TimeZone.of(spec.timeZone)),
    target: new LambdaInvoke(fn, {
      retryAttempts: 2,
      // A run that could not start within the hour is superseded by the next ones.
      maxEventAge: Duration.hours(1),
    }),
  });
  // The schedule's role is LambdaInvoke's own (shared by the schedules of one function, in the
  // stack's scope); its finding names this function's ARN, so the acknowledgment covers no other.
  acknowledgeNagFinding(
    stack,
    wildcardResourceFinding(stack, `${fn.functionArn}:*`),
    `The schedule role of ${spec.name} may invoke that one function; LambdaInvoke's grant (lambda.grantInvoke) adds its versions and aliases (":*"), which the stack never publishes, so the wildcard names nothing more`,
  );
  alarmOnJobErrors(stack, spec.name, fn);
  return schedule;
}
