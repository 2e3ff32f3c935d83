import { readFileSync } from 'node:fs';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/manifest';
import { expectedFunctions, expectedQueueFunctions, expectedTopicFunctions } from './expected-functions';
import {
  enqueuingFunctionNames,
  originationIdentityArn,
} from '../../infra/distribution';
import { ManyiStack, VISIBILITY_TIMEOUT_FACTOR, type ManyiStackProps } from '../../infra/stack';

/** The feature flags of cdk.json, so the template under test is the one `cdk synth` produces. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = { Sid?: string; Action: string | string[]; Effect: string; Resource: unknown; Principal?: unknown; Condition?: any };

const allSpecs = expectedFunctions;
/** The functions that call the dispatcher (functions/app/dispatch.ts runDispatch): the scheduled job and POST /admin/jobs/dispatch. */
const ENQUEUERS = ['AdminJobs', 'Dispatch'];
const FOURTEEN_DAYS = 14 * 24 * 3600;
const ACCOUNT = '111111111111';
const REGION = 'ap-southeast-1';

/** Read off the specs here, not through infra's helper, so a wrong helper cannot agree with itself. */
const sendsSms = (spec: object): boolean => 'sendsSms' in spec && spec.sendsSms === true;
const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const resourcesOf = (statement: Statement): unknown[] => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A synthesized stack (without bundling) and the lookups the assertions need. */
function synth(props: ManyiStackProps = {}) {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  const stack = new ManyiStack(app, 'Manyi', props);
  const template = Template.fromStack(stack);
  const resources: Record<string, Resource> = template.toJSON().Resources;
  const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const functionId = (name: string) => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`no function ${name} in the stack`);
    return logicalId(fn);
  };
  const fnResource = (name: string) => resources[functionId(name)]!;
  const roleIdOf = (name: string): string => fnResource(name).Properties.Role['Fn::GetAtt'][0];
  const policies = () => Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
  const statementsOfRole = (roleId: string): Statement[] =>
    policies().flatMap((policy) =>
      (policy.Properties.Roles as unknown[]).some((role) => same(role, { Ref: roleId })) ? (policy.Properties.PolicyDocument.Statement as Statement[]) : [],
    );
  const statementsOf = (name: string) => statementsOfRole(roleIdOf(name));
  const env = (name: string): Record<string, unknown> => fnResource(name).Properties.Environment.Variables;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  return { stack, template, resources, logicalId, functionId, fnResource, roleIdOf, policies, statementsOfRole, statementsOf, env, ofType };
}

let s: ReturnType<typeof synth>;
beforeAll(() => {
  s = synth();
});

describe('the dispatch queue', () => {
  it('exists for every expected queue function', () => {
    expect([...s.stack.queues.keys()].sort()).toEqual(expectedQueueFunctions.map((spec) => spec.name).sort());
  });

  describe.each(expectedQueueFunctions.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
    const queueId = () => s.logicalId(s.stack.queues.get(name)!.queue);
    const dlqId = () => s.logicalId(s.stack.queues.get(name)!.deadLetterQueue);

    it('redrives to its dead-letter queue after maxReceiveCount receives (as expected)', () => {
      expect(s.resources[queueId()]!.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
        maxReceiveCount: spec.maxReceiveCount,
      });
      expect(s.resources[dlqId()]!.Type).toBe('AWS::SQS::Queue');
      expect(s.resources[dlqId()]!.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
    });

    it('encrypts both queues at rest and refuses requests without TLS', () => {
      for (const id of [queueId(), dlqId()]) {
        const properties = s.resources[id]!.Properties;
        expect(properties.SqsManagedSseEnabled === true || properties.KmsMasterKeyId !== undefined, id).toBe(true);
        const statements = s
          .ofType('AWS::SQS::QueuePolicy')
          .filter(([, policy]) => (policy.Properties.Queues as unknown[]).some((q) => same(q, { Ref: id })))
          .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
        expect(statements).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
        // The queue policy grants nothing: access comes from identity policies only.
        expect(statements.filter((st) => st.Effect === 'Allow')).toEqual([]);
      }
    });

    it(`keeps messages invisible for at least ${VISIBILITY_TIMEOUT_FACTOR} times the consumer's timeout`, () => {
      const timeout = s.fnResource(name).Properties.Timeout;
      expect(timeout).toBe(spec.timeoutSeconds);
      expect(s.resources[queueId()]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });

    it(`feeds ${name} in batches of the spec's size, reporting batch item failures`, () => {
      const mappings = s
        .ofType('AWS::Lambda::EventSourceMapping')
        .filter(([, m]) => same(m.Properties.EventSourceArn, { 'Fn::GetAtt': [queueId(), 'Arn'] }));
      expect(mappings).toHaveLength(1);
      expect(mappings[0]![1].Properties).toMatchObject({
        FunctionName: { Ref: s.functionId(name) },
        BatchSize: spec.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // The consumer receives and deletes; it does not send.
      const consumer = s.statementsOf(name).filter((st) => resourcesOf(st).some((r) => same(r, { 'Fn::GetAtt': [queueId(), 'Arn'] })));
      expect(consumer.flatMap(actionsOf)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
      expect(consumer.flatMap(actionsOf)).not.toContain('sqs:SendMessage');
    });

    it('raises an alarm as soon as the dead-letter queue holds a message', () => {
      const alarms = s
        .ofType('AWS::CloudWatch::Alarm')
        .filter(([, a]) => same(a.Properties.Dimensions, [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }]));
      expect(alarms).toHaveLength(1);
      expect(alarms[0]![1].Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    });

    it('outputs the queue URLs', () => {
      s.template.hasOutput(`${name}QueueUrl`, { Value: { Ref: queueId() } });
      s.template.hasOutput(`${name}DeadLetterQueueUrl`, { Value: { Ref: dlqId() } });
    });
  });

  it(`only ${ENQUEUERS.join(' and ')} have QUEUE_URL and may send to the queue`, () => {
    expect(s.stack.queues.size).toBe(1);
    const { queue } = [...s.stack.queues.values()][0]!;
    const queueRef = { Ref: s.logicalId(queue) };
    const queueArn = { 'Fn::GetAtt': [s.logicalId(queue), 'Arn'] };
    const sendsTo = (statement: Statement) =>
      statement.Effect === 'Allow' &&
      actionsOf(statement).some((a) => a === 'sqs:SendMessage' || a === 'sqs:*' || a === '*') &&
      resourcesOf(statement).some((r) => same(r, queueArn) || r === '*');

    const withUrl = allSpecs.filter((spec) => s.env(spec.name).QUEUE_URL !== undefined).map((spec) => spec.name);
    expect(withUrl.sort()).toEqual(ENQUEUERS);
    for (const name of ENQUEUERS) expect(s.env(name).QUEUE_URL).toEqual(queueRef);

    // Every role of the stack (functions, schedules, custom resources), not only the functions'.
    const enqueuerRoles = ENQUEUERS.map((name) => ({ Ref: s.roleIdOf(name) }));
    const rolesThatSend = s
      .policies()
      .filter((policy) => (policy.Properties.PolicyDocument.Statement as Statement[]).some(sendsTo))
      .flatMap((policy) => policy.Properties.Roles as unknown[]);
    expect(rolesThatSend.map((r) => JSON.stringify(r)).sort()).toEqual(enqueuerRoles.map((r) => JSON.stringify(r)).sort());
  });
});

describe('which functions enqueue', () => {
  it('is Dispatch and AdminJobs for the specs of functions/manifest.ts (declared or by the fallback)', () => {
    expect(enqueuingFunctionNames(allFunctions).sort()).toEqual(ENQUEUERS);
  });

  it('follows `enqueues: true` on the specs', () => {
    const specs = [{ name: 'Dispatch', enqueues: true }, { name: 'AdminJobs', enqueues: false }, { name: 'Other' }];
    expect(enqueuingFunctionNames(specs)).toEqual(['Dispatch']);
  });
});

describe('the inbound topic', () => {
  it('exists for every expected topic function', () => {
    expect([...s.stack.topics.keys()].sort()).toEqual(expectedTopicFunctions.map((spec) => spec.name).sort());
  });

  describe.each(expectedTopicFunctions.map((spec) => spec.name))('%s', (name) => {
    const topicId = () => s.logicalId(s.stack.topics.get(name)!);
    const smsVoiceConditions = () => ({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': expect.anything() },
    });

    it('is encrypted with a rotated customer managed key that End User Messaging of this account may use', () => {
      const keyRef = s.resources[topicId()]!.Properties.KmsMasterKeyId;
      expect(keyRef).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      const key = s.resources[keyRef['Fn::GetAtt'][0]]!;
      expect(key.Type).toBe('AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const forSmsVoice = (key.Properties.KeyPolicy.Statement as Statement[]).filter((st) =>
        same(st.Principal, { Service: 'sms-voice.amazonaws.com' }),
      );
      expect(forSmsVoice).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: smsVoiceConditions() }),
      ]);
    });

    it('accepts publications from End User Messaging of this account only, over TLS only', () => {
      const statements = s
        .ofType('AWS::SNS::TopicPolicy')
        .filter(([, p]) => (p.Properties.Topics as unknown[]).some((t) => same(t, { Ref: topicId() })))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(statements.filter((st) => st.Effect === 'Allow')).toEqual([
        expect.objectContaining({
          Principal: { Service: 'sms-voice.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: topicId() },
          Condition: smsVoiceConditions(),
        }),
      ]);
    });

    it(`is subscribed by ${name} (protocol lambda), which the topic may invoke`, () => {
      const subscriptions = s
        .ofType('AWS::SNS::Subscription')
        .filter(([, sub]) => same(sub.Properties.TopicArn, { Ref: topicId() }));
      expect(subscriptions.map(([, sub]) => sub.Properties)).toEqual([
        expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [s.functionId(name), 'Arn'] } }),
      ]);
      const permissions = s
        .ofType('AWS::Lambda::Permission')
        .filter(([, p]) => same(p.Properties.SourceArn, { Ref: topicId() }))
        .map(([, p]) => p.Properties);
      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [s.functionId(name), 'Arn'] },
          Principal: 'sns.amazonaws.com',
          SourceArn: { Ref: topicId() },
        },
      ]);
    });

    it('keeps what the function failed to process in a dead-letter queue, with an alarm', () => {
      const configs = s
        .ofType('AWS::Lambda::EventInvokeConfig')
        .filter(([, c]) => same(c.Properties.FunctionName, { Ref: s.functionId(name) }));
      expect(configs).toHaveLength(1);
      const destination = configs[0]![1].Properties.DestinationConfig.OnFailure.Destination;
      expect(destination).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      const dlqId = destination['Fn::GetAtt'][0];
      expect(s.resources[dlqId]!.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Threshold: 0,
      });
    });

    it('outputs the topic ARN and is the event destination of the configuration set the stack creates', () => {
      s.template.hasOutput(`${name}TopicArn`, { Value: { Ref: topicId() } });
      const configurationSet = s.resources[s.stack.getLogicalId(s.stack.smsConfigurationSet!)]!;
      expect(configurationSet.Type).toBe('AWS::SMSVOICE::ConfigurationSet');
      expect(configurationSet.Properties.EventDestinations).toContainEqual(
        expect.objectContaining({ Enabled: true, SnsDestination: { TopicArn: { Ref: topicId() } }, MatchingEventTypes: expect.arrayContaining(['TEXT_DELIVERED']) }),
      );
      // End User Messaging checks its access to the topic when the destination is created.
      expect(configurationSet.DependsOn).toEqual(expect.arrayContaining([topicId()]));
    });
  });
});

describe('SMS permissions', () => {
  const senders = allFunctions.filter(sendsSms).map((spec) => spec.name);
  const smsStatements = (statements: Statement[]) => statements.filter((st) => actionsOf(st).some((a) => a.startsWith('sms-voice:') || a === '*'));

  it('functions/manifest.ts marks SmsSender, InboundSms, AdminCampaigns (its test message) and the case timers (AdminCases, CaseTimers) as the senders', () => {
    expect(senders.sort()).toEqual(['AdminCampaigns', 'AdminCases', 'CaseTimers', 'InboundSms', 'SmsSender']);
  });

  it.each(allSpecs.map((spec) => [spec.name, sendsSms(spec)] as const))('%s (sendsSms: %s) may send SMS exactly when its spec says so', (name, sends) => {
    const statements = smsStatements(s.statementsOf(name));
    if (sends) {
      expect(statements.flatMap(actionsOf)).toEqual(['sms-voice:SendTextMessage']);
    } else {
      expect(statements).toEqual([]);
      expect(s.env(name).SMS_CONFIGURATION_SET).toBeUndefined();
      expect(s.env(name).SMS_ORIGINATION_IDENTITY).toBeUndefined();
    }
  });

  it('no other role of the stack may send SMS', () => {
    const senderRoles = senders.map((name) => JSON.stringify({ Ref: s.roleIdOf(name) }));
    for (const policy of s.policies()) {
      if (smsStatements(policy.Properties.PolicyDocument.Statement).length === 0) continue;
      for (const role of policy.Properties.Roles as unknown[]) expect(senderRoles).toContain(JSON.stringify(role));
    }
  });

  it('without an origination identity: "*" (End User Messaging picks the identity) and the stack-created configuration set', () => {
    const configurationSetRef = { Ref: s.stack.getLogicalId(s.stack.smsConfigurationSet!) };
    for (const name of senders) {
      expect(smsStatements(s.statementsOf(name)).flatMap(resourcesOf)).toEqual(['*']);
      expect(s.env(name).SMS_CONFIGURATION_SET).toEqual(configurationSetRef);
      expect(s.env(name).SMS_ORIGINATION_IDENTITY).toBeUndefined();
    }
  });

  it('with an origination identity and an existing configuration set: exactly their ARNs, both passed to the senders', () => {
    const scoped = synth({ env: { account: ACCOUNT, region: REGION }, smsOriginationIdentity: 'phone-0123456789abcdef', smsConfigurationSet: 'manyi-prod' });
    expect(scoped.ofType('AWS::SMSVOICE::ConfigurationSet')).toEqual([]);
    for (const name of senders) {
      expect(smsStatements(scoped.statementsOf(name)).flatMap(resourcesOf).sort()).toEqual([
        `arn:aws:sms-voice:${REGION}:${ACCOUNT}:configuration-set/manyi-prod`,
        `arn:aws:sms-voice:${REGION}:${ACCOUNT}:phone-number/phone-0123456789abcdef`,
      ]);
      expect(scoped.env(name)).toMatchObject({ SMS_ORIGINATION_IDENTITY: 'phone-0123456789abcdef', SMS_CONFIGURATION_SET: 'manyi-prod' });
    }
    for (const spec of allSpecs.filter((spec) => !sendsSms(spec))) {
      expect(smsStatements(scoped.statementsOf(spec.name))).toEqual([]);
      expect(scoped.env(spec.name).SMS_ORIGINATION_IDENTITY).toBeUndefined();
    }
  });

  it('with an origination identity and the stack-created configuration set: the identity and that set', () => {
    const scoped = synth({ env: { account: ACCOUNT, region: REGION }, smsOriginationIdentity: 'pool-abcdef0123' });
    const [[configurationSetId]] = scoped.ofType('AWS::SMSVOICE::ConfigurationSet') as [[string, Resource]];
    for (const name of senders) {
      expect(smsStatements(scoped.statementsOf(name)).flatMap(resourcesOf)).toEqual([
        `arn:aws:sms-voice:${REGION}:${ACCOUNT}:pool/pool-abcdef0123`,
        { 'Fn::GetAtt': [configurationSetId, 'Arn'] },
      ]);
    }
  });

  it('derives the ARN of each kind of origination identity, and refuses a bare phone number', () => {
    const stack = new Stack(new App({ context: cdkJsonContext }), 'Arns', { env: { account: ACCOUNT, region: REGION } });
    const arn = (identity: string) => stack.resolve(originationIdentityArn(stack, identity));
    const prefix = `arn:aws:sms-voice:${REGION}:${ACCOUNT}`;
    expect(arn('phone-1a2b3c')).toBe(`${prefix}:phone-number/phone-1a2b3c`);
    expect(arn('pool-1a2b3c')).toBe(`${prefix}:pool/pool-1a2b3c`);
    expect(arn('MANYI')).toBe(`${prefix}:sender-id/MANYI/*`);
    expect(arn(`${prefix}:sender-id/MANYI/CN`)).toBe(`${prefix}:sender-id/MANYI/CN`);
    expect(() => arn('+8613800000000')).toThrow(/phone number ID/);
    expect(() => arn('not an identity!')).toThrow(/neither/);
  });
});
