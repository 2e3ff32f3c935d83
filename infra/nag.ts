import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledgments of cdk-nag findings (the AwsSolutions pack, run by test/infra/cdk-nag.test.ts;
 * docs/deploy.md lists each one with its reason).
 *
 * cdk-nag 3 reads acknowledgments from the construct metadata CDK's own `Validations` API writes,
 * so the app needs no cdk-nag import. An acknowledgment covers the construct it is made on and
 * everything below it, for exactly the finding id given: a rule (`APIG4`), or one finding of a rule
 * that reports several (`IAM5[Resource::*]`); a rule id does not cover its findings. So make it on
 * the narrowest construct that has the finding, and name the finding where the rule has them.
 */
export function acknowledgeNagFinding(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${finding}`, reason });
}

/**
 * The IAM5 finding of a wildcard resource, written as cdk-nag writes it: the resolved resource with
 * its references flattened (`<TableCD117FA1.Arn>/index/*`, `<AWS::Partition>`), so that an
 * acknowledgment names that one resource rather than every wildcard of the rule.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/** cdk-nag's rendering of a CloudFormation value (its utils/flatten-cfn-reference, which it does not export). */
function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}
