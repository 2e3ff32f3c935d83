import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type CfnStage,
  type IHttpRouteAuthorizer,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { HttpRoutes } from '../../functions/http/routes';
import { functionLogRetention } from '../function';
import { acknowledgeNagFinding } from '../nag';

/**
 * Requests per second (steady rate, and the burst a token bucket of that size absorbs) of every
 * route that has no limit of its own: the admin routes, used by a few staff members. Above it API
 * Gateway answers 429 before any function runs. Account-wide limits (10,000 per second by default)
 * still apply above these.
 */
export const DEFAULT_ROUTE_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const satisfies ThrottleSettings;

/**
 * What each function with public routes must declare: why its routes have no authorizer (the
 * reason of its cdk-nag APIG4 acknowledgment) and the throttle of each of its routes, which caps
 * what an anonymous caller can cost (Lambda, DynamoDB) or take from legitimate callers.
 */
export interface PublicRoutePolicy {
  readonly withoutAuthorizer: string;
  readonly throttle: ThrottleSettings;
}

export const PUBLIC_ROUTE_POLICIES: Readonly<Record<string, PublicRoutePolicy>> = {
  Respondent: {
    withoutAuthorizer:
      'Respondent routes (/s/{token}) are public by design: respondents have no account; the unguessable token in the path is the credential, checked by the handler against the invitation it names',
    // A page, an answer and a thank-you per respondent: 50 per second is over 1,000 respondents a
    // minute, more than an SMS wave brings, while an abuser costs at most that many invocations.
    throttle: { rateLimit: 50, burstLimit: 100 },
  },
  Health: {
    withoutAuthorizer: 'GET /health is a public liveness probe for uptime monitors: it answers {"ok":true} and reads nothing (no table access)',
    // Monitors poll every few seconds at most.
    throttle: { rateLimit: 5, burstLimit: 10 },
  },
  Console: {
    withoutAuthorizer:
      'GET /console and GET /console/{asset+} serve the console\'s page and its built files, the same for everyone and before anyone has signed in (signing in is what the page does); they read nothing but the files in the function\'s bundle (no table, no AWS client), and the page calls the admin routes with the token it gets',
    // A first visit is the page and three or four files at once; the files are cached for good,
    // so a staff member costs a few requests per release: ten at once, a few hundred a minute.
    throttle: { rateLimit: 10, burstLimit: 40 },
  },
};

/** A route key of functions/http/routes.ts ("GET /s/{token}") split into what API Gateway needs. */
export const parseRouteKey = (routeKey: string): { method: HttpMethod; path: string } => {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = match?.[1];
  const path = match?.[2];
  if (!method || !path || !Object.values<string>(HttpMethod).includes(method)) {
    throw new Error(`Invalid route key in functions/http/routes.ts: "${routeKey}" (expected "METHOD /path")`);
  }
  return { method: method as HttpMethod, path };
};

/** The HTTP API and its `$default` stage, auto-deployed, with JSON access logs that never contain a raw path. */
export function createHttpApi(stack: Stack): { api: HttpApi; stage: HttpStage } {
  const api = new HttpApi(stack, 'Api', {
    description: 'manyi HTTP API',
    // The default stage is created below, with access logging (the built-in one cannot have it).
    createDefaultStage: false,
  });
  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', {
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
  const stage = new HttpStage(stack, 'ApiDefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format },
    throttle: DEFAULT_ROUTE_THROTTLE,
  });
  return { api, stage };
}

/**
 * The routes of one HTTP function, behind the admin authorizer when its access is `admin`. Public
 * routes take the throttle of their function's `PUBLIC_ROUTE_POLICIES` entry (a public function
 * without one is refused) as route settings of the stage.
 */
export function addFunctionRoutes(
  api: HttpApi,
  stage: HttpStage,
  name: string,
  http: HttpRoutes,
  fn: IFunction,
  adminAuthorizer: IHttpRouteAuthorizer,
): void {
  const integration = new HttpLambdaIntegration(`${name}Integration`, fn);
  const publicPolicy = http.access === 'public' ? PUBLIC_ROUTE_POLICIES[name] : undefined;
  if (http.access === 'public' && !publicPolicy) {
    throw new Error(`${name} has public routes but no entry in PUBLIC_ROUTE_POLICIES (infra/constructs/http-api.ts): say why they need no authorizer and how they are throttled`);
  }
  const authorizer = http.access === 'admin' ? adminAuthorizer : new HttpNoneAuthorizer();
  for (const routeKey of http.routes) {
    const { method, path } = parseRouteKey(routeKey);
    const routes = api.addRoutes({ path, methods: [method], integration, authorizer });
    if (!publicPolicy) continue;
    throttleRoute(stage, routeKey, publicPolicy.throttle);
    for (const route of routes) {
      // CloudFormation refuses route settings naming a route key that does not exist yet.
      stage.node.addDependency(route);
      acknowledgeNagFinding(route, 'APIG4', publicPolicy.withoutAuthorizer);
    }
  }
}

/** A route setting of the stage: the route's own throttle instead of the default one. */
function throttleRoute(stage: HttpStage, routeKey: string, throttle: ThrottleSettings): void {
  const cfnStage = stage.node.defaultChild as CfnStage;
  // An untyped (JSON) property: CloudFormation's names, keyed by route key.
  cfnStage.routeSettings = {
    ...(cfnStage.routeSettings as Record<string, unknown> | undefined),
    [routeKey]: { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
  };
}

/**
 * An alarm on server errors of the API: any 5xx within 5 minutes (an unhandled error of a function,
 * a response Lambda could not give, an integration that outlasted API Gateway's 30 seconds). Client
 * errors (4xx), throttled requests (429) included, are the callers' and raise none.
 */
export function alarmOnServerErrors(stack: Stack, api: HttpApi): Alarm {
  return new Alarm(stack, 'ApiServerErrorAlarm', {
    alarmDescription: 'manyi API: requests answered with a 5xx (see the access logs and the functions\' log groups, docs/deploy.md)',
    metric: api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
