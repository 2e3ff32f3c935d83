import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { HttpRoutes } from '../../functions/http/routes';
import { functionLogRetention } from '../function';

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
  });
  return { api, stage };
}

/** The routes of one HTTP function, behind the admin authorizer when its access is `admin`. */
export function addFunctionRoutes(api: HttpApi, name: string, http: HttpRoutes, fn: IFunction, adminAuthorizer: IHttpRouteAuthorizer): void {
  const integration = new HttpLambdaIntegration(`${name}Integration`, fn);
  const authorizer = http.access === 'admin' ? adminAuthorizer : new HttpNoneAuthorizer();
  for (const routeKey of http.routes) {
    const { method, path } = parseRouteKey(routeKey);
    api.addRoutes({ path, methods: [method], integration, authorizer });
  }
}
