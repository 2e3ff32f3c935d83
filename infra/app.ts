import { App } from 'aws-cdk-lib';
import { ManyiStack } from './stack';

/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`).
 *
 * Context (`-c key=value`):
 * - `stackName` (default "Manyi"), e.g. `npx cdk deploy -c stackName=ManyiStaging`;
 * - `publicBaseUrl`, the base of respondent links (PUBLIC_BASE_URL); by default the API's own URL;
 * - `smsOriginationIdentity`, the End User Messaging phone number ID/ARN, pool ID/ARN or sender ID
 *   outbound SMS are sent from (SMS_ORIGINATION_IDENTITY); it also scopes the SMS policy;
 * - `smsConfigurationSet`, an existing configuration set (SMS_CONFIGURATION_SET); by default the
 *   stack creates one that sends delivery events to the inbound topic;
 * - `alarmEmail`, an e-mail address subscribed to the alarm topic every alarm notifies;
 * - `fieldEncryption` (default true): `-c fieldEncryption=false` keeps phone numbers, names and
 *   e-mail addresses in clear (only for a stack that has never had it on; docs/privacy.md);
 * - `authDomainPrefix`, the prefix of the Cognito domain of the console's hosted sign-in page
 *   (<prefix>.auth.<region>.amazoncognito.com); by default the stack's name and the head of its stack id.
 *
 * Account and region are the ones the CDK CLI resolves (CDK_DEFAULT_ACCOUNT/REGION, from the AWS
 * profile). Without credentials the account stays unresolved, which is all `cdk synth` needs offline.
 */
const app = new App();
const stackName: string = app.node.tryGetContext('stackName') ?? 'Manyi';
const publicBaseUrl: string | undefined = app.node.tryGetContext('publicBaseUrl') || undefined;
const smsOriginationIdentity: string | undefined = app.node.tryGetContext('smsOriginationIdentity') || undefined;
const smsConfigurationSet: string | undefined = app.node.tryGetContext('smsConfigurationSet') || undefined;
const alarmEmail: string | undefined = app.node.tryGetContext('alarmEmail') || undefined;
const fieldEncryption = String(app.node.tryGetContext('fieldEncryption') ?? 'true') !== 'false';
const authDomainPrefix: string | undefined = app.node.tryGetContext('authDomainPrefix') || undefined;
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new ManyiStack(app, stackName, {
  env: account || region ? { account, region } : undefined,
  publicBaseUrl,
  smsOriginationIdentity,
  smsConfigurationSet,
  alarmEmail,
  fieldEncryption,
  authDomainPrefix,
});

app.synth();
