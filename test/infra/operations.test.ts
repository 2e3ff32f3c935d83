/**
 * What keeps the deployed stack in check: the API's throttling, and the alarms with the topic they
 * notify. The figures are written out here, not imported from infra/, so a changed limit is a
 * decision this file records rather than mirrors.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManyiStack, type ManyiStackProps } from '../../infra/stack';
import { synthManyi } from './synth';
import { expectedHttpFunctions, expectedScheduledFunctions } from './expected-functions';


type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource: unknown; Condition?: unknown };

const synth = (props: ManyiStackProps = {}) => synthManyi<Resource>(props);

let stack: ManyiStack;
let template: Template;
let resources: Record<string, Resource>;
beforeAll(() => {
  ({ stack, template, resources } = synth({ alarmEmail: 'ops@example.com' }));
});

const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const topicRef = () => ({ Ref: logicalId(stack.alarmTopic) });

const publicRoutes = expectedHttpFunctions.filter((spec) => spec.access === 'public').flatMap((spec) => spec.routes.map((routeKey) => ({ routeKey, name: spec.name })));
const adminRoutes = expectedHttpFunctions.filter((spec) => spec.access === 'admin').flatMap((spec) => spec.routes);
/** Requests per second and burst, per public function. */
const PUBLIC_THROTTLES: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {
  Respondent: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
  Health: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
  Console: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 40 },
};

describe('API throttling', () => {
  it('limits every route of the $default stage to 20 requests per second, bursts of 40', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('gives each public route its own limit, and no admin route one', () => {
    expect(publicRoutes.map((r) => r.routeKey)).toEqual(expect.arrayContaining(['GET /s/{token}', 'POST /s/{token}', 'GET /health']));
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(publicRoutes.map(({ routeKey, name }) => [routeKey, PUBLIC_THROTTLES[name]])),
    );
    for (const routeKey of adminRoutes) expect(stage.Properties.RouteSettings[routeKey], routeKey).toBeUndefined();
  });

  it.each(publicRoutes.map((r) => [r.routeKey, r.name] as const))('%s (%s) is limited as its function says', (routeKey, name) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: Match.objectLike({ [routeKey]: PUBLIC_THROTTLES[name] }),
    });
  });

  it('creates the stage after the routes its settings name (CloudFormation refuses unknown route keys)', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    for (const { routeKey } of publicRoutes) {
      const [routeId] = ofType('AWS::ApiGatewayV2::Route').find(([, route]) => route.Properties.RouteKey === routeKey)!;
      expect(stage.DependsOn, routeKey).toContain(routeId);
    }
  });
});

describe('the alarm topic', () => {
  const keyOfTopic = () => resources[resources[logicalId(stack.alarmTopic)]!.Properties.KmsMasterKeyId['Fn::GetAtt'][0]]!;
  const topicStatements = () =>
    ofType('AWS::SNS::TopicPolicy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.Topics) === JSON.stringify([topicRef()]))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);

  it('is encrypted with a rotated customer managed key that CloudWatch may use (the AWS managed key of SNS would not let it)', () => {
    expect(resources[logicalId(stack.alarmTopic)]!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const key = keyOfTopic();
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const forCloudWatch = (key.Properties.KeyPolicy.Statement as Statement[]).filter(
      (statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
    );
    expect(forCloudWatch).toEqual([expect.objectContaining({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]);
  });

  it('refuses publications without TLS, and lets the alarms of this account and region publish', () => {
    const statements = topicStatements();
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allowed).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef(),
        Condition: {
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
            },
          },
        },
      }),
    ]);
  });

  it('mails the alarmEmail address when one is given, and has no subscription otherwise', () => {
    const subscriptionsOf = (r: Record<string, Resource>, topic: unknown) =>
      Object.values(r).filter((res) => res.Type === 'AWS::SNS::Subscription' && JSON.stringify(res.Properties.TopicArn) === JSON.stringify(topic));
    expect(subscriptionsOf(resources, topicRef()).map((sub) => sub.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: topicRef() },
    ]);
    const without = synth();
    expect(subscriptionsOf(without.resources, { Ref: without.stack.getLogicalId(without.stack.alarmTopic.node.defaultChild as CfnElement) })).toEqual([]);
    expect(() => synth({ alarmEmail: 'not an address' })).toThrow(/alarmEmail/);
  });

  it('is an output, to subscribe other endpoints to', () => {
    template.hasOutput('AlarmTopicArn', { Value: topicRef() });
  });
});

describe('the alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm');

  it('notify the alarm topic, every one of them, in alarm and back to OK', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms()) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topicRef()]);
      expect(alarm.Properties.OKActions, id).toEqual([topicRef()]);
    }
  });

  it.each(expectedScheduledFunctions.map((spec) => spec.name))('include any error of the scheduled job %s within 15 minutes, kept until a run succeeds', (name) => {
    const functionRef = { Ref: logicalId(stack.functions.get(name)!) };
    const onErrors = alarms().filter(
      ([, alarm]) => alarm.Properties.MetricName === 'Errors' && JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: functionRef }]),
    );
    expect(onErrors.map(([, alarm]) => alarm.Properties)).toEqual([
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 900,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        // Between runs (a nightly job has none for hours) the state stays what the last run made it.
        TreatMissingData: 'ignore',
      }),
    ]);
  });

  it('include any 5xx answer of the API within 5 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api) } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  });
});
