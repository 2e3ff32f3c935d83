/** The stack as `cdk synth` builds it (cdk.json's feature flags), bundling skipped: what the template tests read. */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ManyiStack, type ManyiStackProps } from '../../infra/stack';

/** The feature flags of cdk.json, so the template under test is the one `cdk synth` produces. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

export function synthManyi<R>(props: ManyiStackProps = {}, name = 'Manyi'): { stack: ManyiStack; template: Template; resources: Record<string, R> } {
  // Bundling is skipped: these checks read the template, not the code (test/infra/bundling.test.ts bundles).
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  const stack = new ManyiStack(app, name, props);
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources };
}
