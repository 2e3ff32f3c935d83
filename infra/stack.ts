import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { UserPool, UserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { allFunctions, httpFunctions, queueFunctions, scheduledFunctions, topicFunctions, userPoolTriggerFunctions, type FunctionSpec } from '../functions/manifest';
import { addUserPoolTrigger, createAdminAuth, grantManageSignIns, type AdminAuth } from './constructs/admin-auth';
import { createAlarmTopic, notifyAlarmTopic } from './constructs/alarms';
import { createFieldKey, grantFieldKey } from './constructs/field-key';
import { addFunctionRoutes, alarmOnServerErrors, createHttpApi } from './constructs/http-api';
import { feedFromQueue } from './constructs/queue-function';
import { scheduleFunction } from './constructs/scheduled-function';
import { createSmsConfigurationSet, grantSendSms } from './constructs/sms';
import { createTable } from './constructs/table';
import { subscribeToTopic } from './constructs/topic-function';
import { enqueuingFunctionNames, sendsSms } from './distribution';
import { ManyiFunction } from './function';
import { acknowledgeNagFinding, wildcardResourceFinding } from './nag';

export { parseRouteKey } from './constructs/http-api';
export { VISIBILITY_TIMEOUT_FACTOR } from './constructs/queue-function';
export { DEAD_LETTER_RETENTION } from './constructs/dead-letters';

export interface ManyiStackProps extends StackProps {
  /**
   * Base of the respondent links the admin API hands out (e.g. https://survey.example.com). When
   * absent, the API's own URL (never the request's Host header, which a caller controls).
   */
  readonly publicBaseUrl?: string;
  /**
   * The End User Messaging origination identity of outbound SMS (SMS_ORIGINATION_IDENTITY): a phone
   * number ID or ARN, a pool ID or ARN, a sender ID or its ARN. It also scopes the SMS policy. When
   * absent, End User Messaging picks an identity of the account and the policy cannot be scoped.
   */
  readonly smsOriginationIdentity?: string;
  /**
   * An existing configuration set (name or ARN) for outbound SMS (SMS_CONFIGURATION_SET). When
   * absent, the stack creates one whose event destination is the inbound topic.
   */
  readonly smsConfigurationSet?: string;
  /**
   * An e-mail address subscribed to the alarm topic (SNS asks it to confirm first). When absent,
   * the topic has no subscription: subscribe one yourself (docs/deploy.md, Alarms).
   */
  readonly alarmEmail?: string;
  /**
   * Seal phone numbers, names and e-mail addresses in the table (MANYI_FIELD_ENCRYPTION) under a
   * data key wrapped by the stack's KMS key (default true). Once on, keep it on: sealed fields are
   * read with the key only (docs/privacy.md).
   */
  readonly fieldEncryption?: boolean;
  /**
   * The prefix of the Cognito domain of the hosted sign-in page (<prefix>.auth.<region>.amazoncognito.com).
   * By default the stack's name and the first 8 hex digits of its stack id.
   */
  readonly authDomainPrefix?: string;
}

/**
 * The whole of manyi in one stack: the single table, one Lambda function per handler, the HTTP API
 * with a Cognito JWT authorizer on the admin routes, the schedules of the background jobs, and
 * distribution: the dispatch queue (with its dead-letter queue) feeding the SMS sender, the inbound
 * SNS topic of two-way SMS and delivery events, and the End User Messaging configuration set; the
 * staff's user pool with a group per role and the pre-token-generation trigger; alarms (dead
 * letters, failed scheduled runs, API server errors), each notifying the alarm topic.
 * Functions come from functions/manifest.ts, routes from functions/http/routes.ts, keys from
 * functions/store/keys.ts; each kind of resource is built by a module of infra/constructs/.
 */
export class ManyiStack extends Stack {
  readonly table: Table;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The user pool's Cognito domain: the hosted sign-in page and the OAuth endpoints the console uses. */
  readonly userPoolDomain: UserPoolDomain;
  /** Where the console opens: the API's URL + /console (the app client's callback URL). */
  readonly consoleUrl: string;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  /** Every function of the stack, by its name in functions/manifest.ts. */
  readonly functions = new Map<string, ManyiFunction>();
  /** The queue feeding each queue function, and its dead-letter queue, by function name. */
  readonly queues = new Map<string, { queue: Queue; deadLetterQueue: Queue }>();
  /** The SNS topic feeding each topic function, by function name. */
  readonly topics = new Map<string, Topic>();
  /** The configuration set the stack creates when none is given (smsConfigurationSet). */
  readonly smsConfigurationSet: CfnConfigurationSet | undefined;
  /** The topic every alarm of the stack notifies. */
  readonly alarmTopic: Topic;
  /** The KMS key that wraps the field-encryption data key (fieldEncryption), if on. */
  readonly fieldKey: Key | undefined;
  private readonly publicBaseUrl: string | undefined;
  private readonly admins: AdminAuth;

  constructor(scope: Construct, id: string, props: ManyiStackProps = {}) {
    super(scope, id, {
      description: 'manyi: serverless customer-satisfaction measurement',
      ...props,
    });
    this.publicBaseUrl = props.publicBaseUrl;

    this.table = createTable(this);
    this.fieldKey = props.fieldEncryption === false ? undefined : createFieldKey(this);
    this.alarmTopic = createAlarmTopic(this, props.alarmEmail);
    notifyAlarmTopic(this, this.alarmTopic);
    const { api, stage } = createHttpApi(this);
    this.api = api;
    this.apiStage = stage;
    // Without a trailing slash: /console is GET /console; /console/ is not shown to reach any route (docs/console.md).
    this.consoleUrl = `${this.api.apiEndpoint}/console`;
    // The app client lists the console (the API's URL) as its callback; the API does not depend on
    // the client (only the authorizer does), so there is no cycle.
    const admins = createAdminAuth(this, { consoleUrl: this.consoleUrl, domainPrefix: props.authDomainPrefix });
    this.admins = admins;
    this.userPool = admins.userPool;
    this.userPoolClient = admins.userPoolClient;
    this.userPoolDomain = admins.domain;

    for (const spec of httpFunctions) {
      addFunctionRoutes(this.api, this.apiStage, spec.name, spec, this.createFunction(spec), admins.authorizer);
    }
    alarmOnServerErrors(this, this.api);
    for (const spec of scheduledFunctions) {
      scheduleFunction(this, spec, this.createFunction(spec));
    }
    for (const spec of queueFunctions) {
      this.queues.set(spec.name, feedFromQueue(this, spec, this.createFunction(spec)));
    }
    for (const spec of topicFunctions) {
      this.topics.set(spec.name, subscribeToTopic(this, spec, this.createFunction(spec)));
    }

    for (const spec of userPoolTriggerFunctions) {
      addUserPoolTrigger(this.userPool, spec, this.createFunction(spec));
    }

    this.grantEnqueue(allFunctions);
    for (const spec of allFunctions.filter((spec) => spec.managesSignIns === true)) {
      grantManageSignIns(this.userPool, this.functions.get(spec.name)!);
    }
    this.smsConfigurationSet = props.smsConfigurationSet ? undefined : createSmsConfigurationSet(this, this.topics);
    grantSendSms(
      this,
      allFunctions.filter(sendsSms).map((spec) => this.functions.get(spec.name)!),
      {
        originationIdentity: props.smsOriginationIdentity,
        existingConfigurationSet: props.smsConfigurationSet,
        createdConfigurationSet: this.smsConfigurationSet,
      },
    );

    this.addOutputs();
  }

  /**
   * One function per handler; a function that builds the DynamoDB client (`clients` of its spec)
   * gets TABLE_NAME and read or read-write access to the table, any other knows of no table. Queue,
   * topic and SMS permissions are added to the functions that need them only.
   */
  private createFunction(spec: FunctionSpec): ManyiFunction {
    const readsTable = spec.clients.includes('dynamodb');
    if (spec.writes && !readsTable) {
      throw new Error(`${spec.name} writes to the table but does not declare the dynamodb client (functions/manifest.ts)`);
    }
    const fn = new ManyiFunction(this, spec.name, {
      entry: spec.entry,
      table: readsTable ? this.table : undefined,
      timeoutSeconds: spec.timeoutSeconds,
      memoryMb: spec.memoryMb,
      description: `manyi ${spec.name} (${spec.entry})`,
      environment: {
        // Links come from configuration only, never from a request's Host: the API's own URL by default.
        PUBLIC_BASE_URL: this.publicBaseUrl ?? this.api.apiEndpoint,
        // Every function of the table knows whether its personal fields are sealed; only those
        // whose entry names the kms client hold the key (the others leave sealed values sealed).
        ...(readsTable ? { MANYI_FIELD_ENCRYPTION: this.fieldKey ? 'on' : 'off' } : {}),
        // The console's hosted sign-in (ConsoleConfig.signIn, functions/http/console.ts).
        ...(spec.bundlesConsole
          ? {
              CONSOLE_SIGN_IN_DOMAIN: this.admins.domainUrl,
              CONSOLE_SIGN_IN_CLIENT_ID: this.userPoolClient.userPoolClientId,
              CONSOLE_SIGN_IN_REDIRECT_URI: this.consoleUrl,
            }
          : {}),
      },
      bundlesConsole: spec.bundlesConsole === true,
      bundlesFonts: spec.bundlesFonts === true,
    });
    if (this.fieldKey && spec.clients.includes('kms')) grantFieldKey(this.fieldKey, fn, this.table);
    if (readsTable) {
      if (spec.writes) {
        this.table.grantReadWriteData(fn);
      } else {
        this.table.grantReadData(fn);
      }
      acknowledgeNagFinding(
        fn.role!,
        wildcardResourceFinding(this, `${this.table.tableArn}/index/*`),
        'The table grant covers the global secondary indexes of the one table (<table>/index/*): an index holds projections of that table\'s items only, which the function is granted already; naming each index would allow nothing less',
      );
    }
    this.functions.set(spec.name, fn);
    return fn;
  }

  /**
   * QUEUE_URL and sqs:SendMessage (SendMessageBatch is authorised by it) on the dispatch queue, for
   * the functions that enqueue (see infra/distribution.ts) and no other.
   */
  private grantEnqueue(specs: readonly FunctionSpec[]): void {
    const names = enqueuingFunctionNames(specs);
    if (names.length === 0) return;
    const [only, ...others] = [...this.queues.values()];
    if (!only || others.length > 0) {
      throw new Error(`${names.join(', ')} enqueue, but the manifest declares ${this.queues.size} queue functions (expected exactly one dispatch queue)`);
    }
    for (const name of names) {
      const fn = this.functions.get(name);
      if (!fn) throw new Error(`enqueuing function ${name} is not in functions/manifest.ts`);
      fn.addEnvironment('QUEUE_URL', only.queue.queueUrl);
      only.queue.grantSendMessages(fn);
    }
  }

  private addOutputs(): void {
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL of the HTTP API (no trailing slash), e.g. $ApiUrl/health',
    });
    new CfnOutput(this, 'ConsoleUrl', { value: this.consoleUrl, description: 'The console (sign in on the user pool\'s hosted page)' });
    new CfnOutput(this, 'SignInDomain', { value: this.admins.domainUrl, description: 'The user pool\'s hosted sign-in page and OAuth endpoints' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito pool of the administrators' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
      description: 'App client of the admin pool (the JWT audience of /admin routes)',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Topic every alarm notifies (in alarm and back to OK): subscribe to it (docs/deploy.md, Alarms)',
    });
    for (const [name, { queue, deadLetterQueue }] of this.queues) {
      new CfnOutput(this, `${name}QueueUrl`, { value: queue.queueUrl, description: `Queue feeding ${name}` });
      new CfnOutput(this, `${name}DeadLetterQueueUrl`, {
        value: deadLetterQueue.queueUrl,
        description: `Messages ${name} failed to process; inspect, then redrive (docs/deploy.md)`,
      });
    }
    for (const [name, topic] of this.topics) {
      new CfnOutput(this, `${name}TopicArn`, {
        value: topic.topicArn,
        description: `Topic feeding ${name}: the two-way SMS destination of the origination identity and the event destination of the configuration set`,
      });
    }
    if (this.smsConfigurationSet) {
      new CfnOutput(this, 'SmsConfigurationSetName', {
        value: this.smsConfigurationSet.ref,
        description: 'End User Messaging configuration set of outbound SMS (delivery events go to the inbound topic)',
      });
    }
  }
}
