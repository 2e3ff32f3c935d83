import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { AccountRecovery, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  httpFunctions,
  queueFunctions,
  scheduledFunctions,
  topicFunctions,
  type HttpFunctionSpec,
  type QueueFunctionSpec,
  type ScheduledFunctionSpec,
  type TopicFunctionSpec,
} from '../functions/http/routes';
import { tableDefinition } from '../functions/store/keys';
import {
  configurationSetArn,
  enqueuingFunctionNames,
  originationIdentityArn,
  sendsSms,
  SMS_DELIVERY_EVENT_TYPES,
} from './distribution';
import { functionLogRetention, ManyiFunction } from './function';

/** What every spec of routes.ts has in common, as far as creating its function goes. */
interface FunctionSpec {
  readonly name: string;
  readonly entry: string;
  readonly writes: boolean;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

/** AWS guidance for SQS event sources: the visibility timeout is at least 6 times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** How long dead-letter queues keep messages (the SQS maximum), time to look at them and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** A route key of routes.ts ("GET /s/{token}") split into what API Gateway needs. */
export const parseRouteKey = (routeKey: string): { method: HttpMethod; path: string } => {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = match?.[1];
  const path = match?.[2];
  if (!method || !path || !Object.values<string>(HttpMethod).includes(method)) {
    throw new Error(`Invalid route key in functions/http/routes.ts: "${routeKey}" (expected "METHOD /path")`);
  }
  return { method: method as HttpMethod, path };
};

export interface ManyiStackProps extends StackProps {
  /**
   * Base of the respondent links the admin API hands out (e.g. https://survey.example.com). When
   * absent, the handlers derive it from the request, i.e. the API's own URL.
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
}

/**
 * The whole of manyi in one stack: the single table, one Lambda function per handler, the HTTP API
 * with a Cognito JWT authorizer on the admin routes, the schedules of the background jobs, and
 * distribution: the dispatch queue (with its dead-letter queue) feeding the SMS sender, the inbound
 * SNS topic of two-way SMS and delivery events, and the End User Messaging configuration set.
 * Functions, routes and keys come from functions/http/routes.ts and functions/store/keys.ts.
 */
export class ManyiStack extends Stack {
  readonly table: Table;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  /** Every function of the stack, by its name in routes.ts. */
  readonly functions = new Map<string, ManyiFunction>();
  /** The queue feeding each queue function, and its dead-letter queue, by function name. */
  readonly queues = new Map<string, { queue: Queue; deadLetterQueue: Queue }>();
  /** The SNS topic feeding each topic function, by function name. */
  readonly topics = new Map<string, Topic>();
  /** The configuration set the stack creates when none is given (smsConfigurationSet). */
  readonly smsConfigurationSet: CfnConfigurationSet | undefined;
  private readonly publicBaseUrl: string | undefined;

  constructor(scope: Construct, id: string, props: ManyiStackProps = {}) {
    super(scope, id, {
      description: 'manyi: serverless customer-satisfaction measurement',
      ...props,
    });
    this.publicBaseUrl = props.publicBaseUrl;

    this.table = this.createTable();
    const admins = this.createAdminUserPool();
    this.userPool = admins.userPool;
    this.userPoolClient = admins.userPoolClient;
    const adminAuthorizer = new HttpUserPoolAuthorizer('AdminAuthorizer', this.userPool, {
      userPoolClients: [this.userPoolClient],
    });

    this.api = new HttpApi(this, 'Api', {
      description: 'manyi HTTP API',
      // The default stage is created below, with access logging (the built-in one cannot have it).
      createDefaultStage: false,
    });
    this.apiStage = this.createLoggedDefaultStage(this.api);

    for (const spec of httpFunctions) {
      const fn = this.createFunction(spec);
      this.addRoutes(spec, fn, spec.access === 'admin' ? adminAuthorizer : new HttpNoneAuthorizer());
    }
    for (const spec of scheduledFunctions) {
      this.scheduleFunction(spec, this.createFunction(spec));
    }
    for (const spec of queueFunctions) {
      this.feedFromQueue(spec, this.createFunction(spec));
    }
    for (const spec of topicFunctions) {
      this.subscribeToTopic(spec, this.createFunction(spec));
    }

    const allSpecs: readonly FunctionSpec[] = [...httpFunctions, ...scheduledFunctions, ...queueFunctions, ...topicFunctions];
    this.grantEnqueue(allSpecs);
    this.smsConfigurationSet = props.smsConfigurationSet ? undefined : this.createSmsConfigurationSet();
    this.grantSendSms(allSpecs, props);

    this.addOutputs();
  }

  /** The single table: keys and indexes from keys.ts, retained and recoverable. */
  private createTable(): Table {
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new Table(this, 'Table', {
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }

  /** Administrators only: no self sign-up; an operator creates each account (docs/deploy.md). */
  private createAdminUserPool(): { userPool: UserPool; userPoolClient: UserPoolClient } {
    const userPool = new UserPool(this, 'AdminUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const userPoolClient = userPool.addClient('AdminClient', {
      generateSecret: false,
      // No hosted UI and no OAuth redirects (CDK would otherwise enable the implicit grant).
      disableOAuth: true,
      // SRP for interactive clients; ADMIN_USER_PASSWORD_AUTH for operators holding IAM credentials.
      authFlows: { userSrp: true, adminUserPassword: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    return { userPool, userPoolClient };
  }

  /** The `$default` stage, auto-deployed, with JSON access logs that never contain a raw path. */
  private createLoggedDefaultStage(api: HttpApi): HttpStage {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: functionLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The route key ("GET /s/{token}") is logged instead of the path: the respondent token is a secret.
    const format = AccessLogFormat.custom(
      JSON.stringify({
        requestId: '$context.requestId',
        requestTime: '$context.requestTime',
        routeKey: '$context.routeKey',
        status: '$context.status',
        responseLength: '$context.responseLength',
        responseLatency: '$context.responseLatency',
        integrationLatency: '$context.integrationLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
        sourceIp: '$context.identity.sourceIp',
        userAgent: '$context.identity.userAgent',
      }),
    );
    return new HttpStage(this, 'ApiDefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format },
    });
  }

  /**
   * One function per handler, granted read or read-write access to the table; queue, topic and SMS
   * permissions are added below, to the functions that need them only.
   */
  private createFunction(spec: FunctionSpec): ManyiFunction {
    const fn = new ManyiFunction(this, spec.name, {
      entry: spec.entry,
      table: this.table,
      timeoutSeconds: spec.timeoutSeconds,
      memoryMb: spec.memoryMb,
      description: `manyi ${spec.name} (${spec.entry})`,
      environment: this.publicBaseUrl ? { PUBLIC_BASE_URL: this.publicBaseUrl } : {},
    });
    if (spec.writes) {
      this.table.grantReadWriteData(fn);
    } else {
      this.table.grantReadData(fn);
    }
    this.functions.set(spec.name, fn);
    return fn;
  }

  private addRoutes(spec: HttpFunctionSpec, fn: ManyiFunction, authorizer: IHttpRouteAuthorizer): void {
    const integration = new HttpLambdaIntegration(`${spec.name}Integration`, fn);
    for (const routeKey of spec.routes) {
      const { method, path } = parseRouteKey(routeKey);
      this.api.addRoutes({ path, methods: [method], integration, authorizer });
    }
  }

  /** An EventBridge Scheduler schedule whose role may invoke this one function only. */
  private scheduleFunction(spec: ScheduledFunctionSpec, fn: ManyiFunction): Schedule {
    return new Schedule(this, `${spec.name}Schedule`, {
      description: `manyi ${spec.name}: ${spec.schedule} (${spec.timeZone})`,
      schedule: ScheduleExpression.expression(spec.schedule, TimeZone.of(spec.timeZone)),
      target: new LambdaInvoke(fn, {
        retryAttempts: 2,
        // A run that could not start within the hour is superseded by the next ones.
        maxEventAge: Duration.hours(1),
      }),
    });
  }

  /**
   * The queue of a queue function: SSE (SQS-managed keys), TLS only, a visibility timeout of 6 times
   * the function timeout, and after `maxReceiveCount` receives a dead-letter queue that keeps
   * messages 14 days and raises an alarm as soon as it holds one. The function reads it in batches
   * and reports the failed items only, so a batch's successes are not sent again.
   */
  private feedFromQueue(spec: QueueFunctionSpec, fn: ManyiFunction): void {
    const deadLetterQueue = new Queue(this, `${spec.name}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    const queue = new Queue(this, `${spec.name}Queue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * spec.timeoutSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
    });
    fn.addEventSource(new SqsEventSource(queue, { batchSize: spec.batchSize, reportBatchItemFailures: true }));
    this.alarmOnDeadLetters(`${spec.name}DeadLetterAlarm`, deadLetterQueue, `manyi ${spec.name}: messages failed ${spec.maxReceiveCount} times (see docs/deploy.md)`);
    this.queues.set(spec.name, { queue, deadLetterQueue });
  }

  /**
   * The SNS topic of a topic function, encrypted with a customer managed key (End User Messaging can
   * only publish to an encrypted topic whose key policy lets it, which the AWS managed key of SNS
   * cannot), TLS only, publishable by End User Messaging of this account and region (two-way SMS of
   * the origination number, event destinations of configuration sets). Invocations that still fail
   * after Lambda's retries land in a dead-letter queue rather than vanish (a lost reply may be an
   * opt-out).
   */
  private subscribeToTopic(spec: TopicFunctionSpec, fn: ManyiFunction): void {
    const smsVoice = new ServicePrincipal('sms-voice.amazonaws.com');
    const fromEndUserMessaging = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'sms-voice', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
    };
    const key = new Key(this, `${spec.name}TopicKey`, {
      description: `manyi ${spec.name}: encrypts its SNS topic`,
      enableKeyRotation: true,
      // The key only protects messages in transit through SNS: nothing stays encrypted under it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingPublishesToTheTopic',
        principals: [smsVoice],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromEndUserMessaging,
      }),
    );
    const topic = new Topic(this, `${spec.name}Topic`, {
      displayName: `manyi ${spec.name}`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingPublishes',
        principals: [smsVoice],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromEndUserMessaging,
      }),
    );

    const deadLetterQueue = new Queue(this, `${spec.name}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    fn.configureAsyncInvoke({ onFailure: new SqsDestination(deadLetterQueue), retryAttempts: 2 });
    this.alarmOnDeadLetters(`${spec.name}DeadLetterAlarm`, deadLetterQueue, `manyi ${spec.name}: SNS messages the function failed to process (see docs/deploy.md)`);

    topic.addSubscription(new LambdaSubscription(fn));
    this.topics.set(spec.name, topic);
  }

  private alarmOnDeadLetters(id: string, deadLetterQueue: Queue, description: string): Alarm {
    return new Alarm(this, id, {
      alarmDescription: description,
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
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
      throw new Error(`${names.join(', ')} enqueue, but routes.ts declares ${this.queues.size} queue functions (expected exactly one dispatch queue)`);
    }
    for (const name of names) {
      const fn = this.functions.get(name);
      if (!fn) throw new Error(`enqueuing function ${name} is not in routes.ts`);
      fn.addEnvironment('QUEUE_URL', only.queue.queueUrl);
      only.queue.grantSendMessages(fn);
    }
  }

  /**
   * A configuration set whose event destination is every inbound topic, so delivery receipts of
   * the messages sent with it reach the topic functions. Only created when no existing one is given.
   */
  private createSmsConfigurationSet(): CfnConfigurationSet | undefined {
    if (this.topics.size === 0) return undefined;
    const configurationSet = new CfnConfigurationSet(this, 'SmsConfigurationSet', {
      eventDestinations: [...this.topics].map(([name, topic]) => ({
        eventDestinationName: `manyi-${name}`,
        enabled: true,
        matchingEventTypes: [...SMS_DELIVERY_EVENT_TYPES],
        snsDestination: { topicArn: topic.topicArn },
      })),
    });
    // End User Messaging checks that it may publish when the destination is created.
    for (const topic of this.topics.values()) configurationSet.node.addDependency(topic);
    return configurationSet;
  }

  /**
   * sms-voice:SendTextMessage, for the functions whose spec says `sendsSms: true` and no other, with
   * SMS_ORIGINATION_IDENTITY and SMS_CONFIGURATION_SET. SendTextMessage authorises the resources the
   * request names: the origination identity (phone number, pool or sender ID) and the configuration
   * set. With an origination identity, the policy names exactly those two; without one, End User
   * Messaging picks any identity of the account, and only "*" lets the call through.
   */
  private grantSendSms(specs: readonly FunctionSpec[], props: ManyiStackProps): void {
    const senders = specs.filter(sendsSms);
    if (senders.length === 0) return;
    const configurationSetName = props.smsConfigurationSet ?? this.smsConfigurationSet?.ref;
    const resources = props.smsOriginationIdentity
      ? [
          originationIdentityArn(this, props.smsOriginationIdentity),
          ...(props.smsConfigurationSet
            ? [configurationSetArn(this, props.smsConfigurationSet)]
            : this.smsConfigurationSet
              ? [this.smsConfigurationSet.attrArn]
              : []),
        ]
      : ['*'];
    for (const spec of senders) {
      const fn = this.functions.get(spec.name)!;
      if (props.smsOriginationIdentity) fn.addEnvironment('SMS_ORIGINATION_IDENTITY', props.smsOriginationIdentity);
      if (configurationSetName) fn.addEnvironment('SMS_CONFIGURATION_SET', configurationSetName);
      fn.addToRolePolicy(new PolicyStatement({ sid: 'SendSms', actions: ['sms-voice:SendTextMessage'], resources }));
    }
  }

  private addOutputs(): void {
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL of the HTTP API (no trailing slash), e.g. $ApiUrl/health',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito pool of the administrators' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
      description: 'App client of the admin pool (the JWT audience of /admin routes)',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single DynamoDB table' });
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
