/**
 * cdk-nag's AwsSolutions pack on the synthesized stack: no finding may be left unacknowledged, and
 * every acknowledgment (infra/nag.ts, made next to the resource it is about) must hide a finding
 * that exists, with a reason, listed in docs/deploy.md.
 *
 * cdk-nag 3 is a policy-validation plugin, not an aspect: its findings are not annotations of the
 * stack (so `Annotations.fromStack(...).findError` would find none) but the report of
 * `validateScope`, which walks the construct tree and skips what `Validations.of(...).acknowledge`
 * recorded. `Validations.of(app).addPlugins(pack)` would run the same walk during `app.synth()`.
 */
import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeNagFinding, wildcardResourceFinding } from '../../infra/nag';
import { ManyiStack, type ManyiStackProps } from '../../infra/stack';

/** The feature flags of cdk.json, so the template under test is the one `cdk synth` produces. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

interface Finding {
  /** `AwsSolutions-IAM5[Resource::*]`: the rule, and the finding when the rule reports several. */
  readonly id: string;
  readonly severity: string;
  readonly path: string;
  readonly description: string;
}

interface Acknowledgment {
  readonly id: string;
  readonly reason: string;
  readonly path: string;
}

/**
 * The AwsSolutions findings of a construct tree. `ignoringAcknowledgments` reports the acknowledged
 * ones too, by replacing the pack's (private) check of the acknowledgment metadata; should cdk-nag
 * rename it, the replacement does nothing and the stale-acknowledgment test fails for every one.
 */
function awsSolutionsFindings(scope: IConstruct, { ignoringAcknowledgments = false } = {}): Finding[] {
  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  if (ignoringAcknowledgments) Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack.validateScope(scope).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      id: violation.ruleName,
      severity: violation.severity ?? 'unknown',
      path: resource.constructPath ?? resource.resourceLogicalId ?? '?',
      description: violation.description,
    })),
  );
}

/** Every acknowledgment recorded in the tree (CDK stores the id of a rule it does not know as `Annotation::id`). */
function acknowledgmentsOf(scope: IConstruct): Acknowledgment[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

const describeFindings = (findings: readonly Finding[]): string =>
  findings.length === 0 ? 'none' : findings.map((f) => `\n  ${f.severity} ${f.id} at ${f.path}: ${f.description}`).join('');

const covers = (acknowledgment: Acknowledgment, finding: Finding): boolean =>
  finding.id === acknowledgment.id && (finding.path === acknowledgment.path || finding.path.startsWith(`${acknowledgment.path}/`));

function synthesizedManyi(props: ManyiStackProps = {}): ManyiStack {
  // Bundling is skipped: the checks read the template, not the code (test/infra/bundling.test.ts bundles).
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  const stack = new ManyiStack(app, 'Manyi', props);
  Template.fromStack(stack);
  return stack;
}

let stack: ManyiStack;
let findings: Finding[];
let allFindings: Finding[];

beforeAll(() => {
  stack = synthesizedManyi();
  findings = awsSolutionsFindings(stack);
  allFindings = awsSolutionsFindings(stack, { ignoringAcknowledgments: true });
});

describe('cdk-nag AwsSolutions on the stack', () => {
  it('reports no unacknowledged error', () => {
    const errors = findings.filter((f) => f.severity === 'error');
    expect(errors, `unacknowledged AwsSolutions errors: ${describeFindings(errors)}`).toEqual([]);
  });

  it('reports no unacknowledged warning', () => {
    const warnings = findings.filter((f) => f.severity === 'warning');
    expect(warnings, `unacknowledged AwsSolutions warnings: ${describeFindings(warnings)}`).toEqual([]);
  });

  it('reports nothing else either (no finding of another severity)', () => {
    expect(findings, `unacknowledged AwsSolutions findings: ${describeFindings(findings)}`).toEqual([]);
  });

  it('has acknowledgments, each hiding a finding that exists, at or under the construct it is made on', () => {
    const acknowledgments = acknowledgmentsOf(stack);
    expect(acknowledgments.length).toBeGreaterThan(0);
    const stale = acknowledgments.filter((a) => !allFindings.some((finding) => covers(a, finding)));
    expect(stale, 'acknowledgments that hide no finding (remove them, or fix their id)').toEqual([]);
  });

  it('gives every acknowledgment a reason of its own, and docs/deploy.md lists each acknowledged rule', () => {
    const docs = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const start = docs.indexOf('## Security checks (cdk-nag)');
    expect(start, 'docs/deploy.md has a section "Security checks (cdk-nag)"').toBeGreaterThan(-1);
    const section = docs.slice(start, docs.indexOf('\n## ', start + 1) === -1 ? undefined : docs.indexOf('\n## ', start + 1));
    for (const { id, reason, path } of acknowledgmentsOf(stack)) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThan(60);
      const rule = id.replace(/\[.*$/, '');
      expect(section, `docs/deploy.md, Security checks: ${rule}`).toContain(rule);
    }
  });

  it('fixes the managed-policy (IAM4) and runtime (L1) findings instead of acknowledging them', () => {
    const fixedRules = allFindings.filter((f) => /^AwsSolutions-(IAM4|L1)\b/.test(f.id));
    expect(fixedRules, describeFindings(fixedRules)).toEqual([]);
  });

  it('grants "*" as a resource to X-Ray, and to SMS without an origination identity, only', () => {
    // The IAM5[Resource::*] acknowledgment of X-Ray covers a function role's whole default policy,
    // so this narrows it to the actions it is meant for.
    const template = Template.fromStack(stack);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[],
    );
    const onEverything = statements.filter((s) => s.Effect === 'Allow' && ([] as unknown[]).concat(s.Resource).includes('*'));
    const actions = [...new Set(onEverything.flatMap((s) => ([] as string[]).concat(s.Action)))].sort();
    expect(actions).toEqual(['sms-voice:SendTextMessage', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('with a sender ID as the origination identity, finds only its acknowledged country wildcard besides', () => {
    const scoped = synthesizedManyi({ smsOriginationIdentity: 'MANYI' });
    const unacknowledged = awsSolutionsFindings(scoped);
    expect(unacknowledged, describeFindings(unacknowledged)).toEqual([]);
    const smsWildcards = awsSolutionsFindings(scoped, { ignoringAcknowledgments: true }).filter((f) => f.id.includes('sms-voice'));
    expect(smsWildcards.map((f) => [f.id, f.path])).toEqual([
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/MANYI/*]', 'Manyi/AdminCampaignsSendSmsPolicy/Resource'],
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/MANYI/*]', 'Manyi/AdminCasesSendSmsPolicy/Resource'],
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/MANYI/*]', 'Manyi/CaseTimersSendSmsPolicy/Resource'],
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/MANYI/*]', 'Manyi/SmsSenderSendSmsPolicy/Resource'],
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/MANYI/*]', 'Manyi/InboundSmsSendSmsPolicy/Resource'],
    ]);
  });
});

describe('the check itself (so that a clean stack means something)', () => {
  /** A throwaway stack with a queue that is neither encrypted nor TLS-only nor backed by a dead-letter queue. */
  function stackWithBareQueue() {
    const bare = new Stack(new App(), 'Bare');
    const queue = new CfnQueue(bare, 'BareQueue', { sqsManagedSseEnabled: false });
    return { bare, queue };
  }

  it('reports an unencrypted queue without TLS enforcement as AwsSolutions-SQS2 and SQS4 errors', () => {
    const { bare } = stackWithBareQueue();
    const errors = awsSolutionsFindings(bare).filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.id, f.path])).toEqual(
      expect.arrayContaining([
        ['AwsSolutions-SQS2', 'Bare/BareQueue'],
        ['AwsSolutions-SQS4', 'Bare/BareQueue'],
      ]),
    );
  });

  it('hides exactly the acknowledged rule, on that construct only', () => {
    const { bare, queue } = stackWithBareQueue();
    const other = new CfnQueue(bare, 'OtherQueue', { sqsManagedSseEnabled: false });
    acknowledgeNagFinding(queue, 'SQS4', 'a test of the acknowledgment itself, not a reason anybody should copy');
    const ids = (path: string) => awsSolutionsFindings(bare).filter((f) => f.path === path).map((f) => f.id);
    expect(ids(queue.node.path)).not.toContain('AwsSolutions-SQS4');
    expect(ids(queue.node.path)).toContain('AwsSolutions-SQS2');
    expect(ids(other.node.path)).toContain('AwsSolutions-SQS4');
  });

  it('hides one wildcard resource of IAM5 by wildcardResourceFinding, not the policy\'s other wildcards', () => {
    const bare = new Stack(new App(), 'Wildcards');
    const target = new CfnQueue(bare, 'Target');
    const role = new Role(bare, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const policy = new Policy(bare, 'Policy', {
      roles: [role],
      statements: [
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [`${target.attrArn}*`] }),
        new PolicyStatement({ actions: ['sqs:ReceiveMessage'], resources: ['arn:aws:sqs:*:*:other'] }),
      ],
    });
    acknowledgeNagFinding(policy, wildcardResourceFinding(policy, `${target.attrArn}*`), 'a test of the finding id the helper builds');
    const iam5 = awsSolutionsFindings(bare).filter((f) => f.id.startsWith('AwsSolutions-IAM5'));
    expect(iam5.map((f) => f.id)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:sqs:*:*:other]']);
  });
});
