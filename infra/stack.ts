import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
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
import { AccountRecovery, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import {
  httpFunctions,
  scheduledFunctions,
  type HttpFunctionSpec,
  type ScheduledFunctionSpec,
} from '../functions/http/routes';
import { tableDefinition } from '../functions/store/keys';
import { functionLogRetention, ManyiFunction } from './function';

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
}

/**
 * The whole of manyi in one stack: the single table, one Lambda function per handler, the HTTP API
 * with a Cognito JWT authorizer on the admin routes, and the schedules of the background jobs.
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

    this.addOutputs();
  }

  /** The single table: keys and indexes from keys.ts, retained and recoverable. */
  private createTable(): Table {
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new Table(this, 'Table', {
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
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

  /** One function per handler, granted read or read-write access to the table (nothing more). */
  private createFunction(spec: HttpFunctionSpec | ScheduledFunctionSpec): ManyiFunction {
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
  }
}
