/**
 * The console on AWS: the Console function's public routes, the app client's hosted sign-in
 * (authorization code grant with PKCE, no secret, the console as its only callback), the user
 * pool domain, what the function is told of them, no dependency cycle among the resources that
 * makes possible, and the function's asset as the stack's bundling really builds it (esbuild and
 * the afterBundling hook, locally, offline), run in a clean Node process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFunctions } from '../../functions/manifest';
import { domainPrefixOf } from '../../infra/constructs/admin-auth';
import { ManyiFunction } from '../../infra/function';
import { ManyiStack, type ManyiStackProps } from '../../infra/stack';
import { cdkJsonContext, synthManyi } from './synth';


type Resource = { Type: string; Properties?: Record<string, any>; DependsOn?: string | string[] };

const synth = (props: ManyiStackProps = {}, name = 'Manyi') => synthManyi<Resource>(props, name);

let stack: ManyiStack;
let template: Template;
let resources: Record<string, Resource>;
beforeAll(() => {
  ({ stack, template, resources } = synth());
});

const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const apiEndpoint = () => ({ 'Fn::GetAtt': [logicalId(stack.api), 'ApiEndpoint'] });
const consoleUrl = () => ({ 'Fn::Join': ['', [apiEndpoint(), '/console']] });
const routeOf = (routeKey: string) => Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties?.RouteKey === routeKey);
const client = () => resources[logicalId(stack.userPoolClient)]!.Properties!;
const consoleVariables = () => resources[logicalId(stack.functions.get('Console')!)]!.Properties!.Environment.Variables;

describe('the Console routes', () => {
  it.each(['GET /console', 'GET /console/{asset+}'])('%s integrates the Console function without an authorizer, throttled', (routeKey) => {
    const [routeId, route] = routeOf(routeKey)!;
    expect(route.Properties!.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(route.Properties!.AuthorizerId).toBeUndefined();
    const integration = resources[route.Properties!.Target['Fn::Join'][1][1].Ref]!;
    expect(integration.Properties!.IntegrationUri).toEqual({ 'Fn::GetAtt': [logicalId(stack.functions.get('Console')!), 'Arn'] });
    const [stage] = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Stage') as [Resource];
    expect(stage.Properties!.RouteSettings[routeKey]).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 40 });
    expect(stage.DependsOn).toContain(routeId);
  });

  it('has no route key with a trailing slash (CDK and API Gateway refuse one: /console is the page)', () => {
    const keys = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => String(r.Properties!.RouteKey));
    expect(keys.filter((key) => key.startsWith('GET /console'))).toEqual(['GET /console', 'GET /console/{asset+}']);
    expect(keys.filter((key) => key.endsWith('/'))).toEqual([]);
  });

  it('gives only the Console function a bundle with the console in it', () => {
    for (const [name, fn] of stack.functions) expect(fn.bundlesConsole, name).toBe(name === 'Console');
  });
});

describe('the app client\'s hosted sign-in', () => {
  it('grants the authorization code only, to a public client (no secret: PKCE), for openid, email and profile', () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect([...client().AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('sends the user back to the console only: the API\'s own endpoint + /console', () => {
    expect(client().CallbackURLs).toEqual([consoleUrl()]);
    expect(client().LogoutURLs).toEqual([consoleUrl()]);
    expect(client().DefaultRedirectURI).toBeUndefined();
  });

  it('has a Cognito prefix domain (classic hosted UI) unique to the stack: its name and the head of its stack id', () => {
    const domains = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolDomain');
    expect(domains).toHaveLength(1);
    const [, domain] = domains[0]!;
    expect(domain.Properties).toEqual({
      UserPoolId: { Ref: logicalId(stack.userPool) },
      ManagedLoginVersion: 1,
      Domain: { 'Fn::Join': ['-', ['manyi', { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] }]] },
    });
  });

  it('takes the prefix from authDomainPrefix when given, and refuses one Cognito would', () => {
    const given = synth({ authDomainPrefix: 'bank-staff-signin' }, 'Given');
    expect(Object.values(given.resources).find((r) => r.Type === 'AWS::Cognito::UserPoolDomain')!.Properties!.Domain).toBe('bank-staff-signin');
    for (const bad of ['Bank', 'my-aws-login', '-x', 'x-', 'a.b', 'x'.repeat(64)]) expect(() => synth({ authDomainPrefix: bad }, 'Bad'), bad).toThrow(/domainPrefix/);
    expect(domainPrefixOf('ManyiStaging')).toBe('manyistaging');
    expect(domainPrefixOf('My_AWS-Cognito-Stack')).toBe('my-stack');
    expect(domainPrefixOf('Amazon')).toBe('manyi');
  });

  it('is what the Console function is told: the domain\'s origin, the client and the callback', () => {
    const domainId = logicalId(stack.userPoolDomain);
    expect(consoleVariables()).toMatchObject({
      CONSOLE_SIGN_IN_DOMAIN: { 'Fn::Join': ['', ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] },
      CONSOLE_SIGN_IN_CLIENT_ID: { Ref: logicalId(stack.userPoolClient) },
      CONSOLE_SIGN_IN_REDIRECT_URI: consoleUrl(),
    });
    for (const [name, fn] of stack.functions) {
      if (name === 'Console') continue;
      const variables = resources[logicalId(fn)]!.Properties!.Environment.Variables;
      expect(Object.keys(variables).filter((key) => key.startsWith('CONSOLE_')), name).toEqual([]);
    }
  });

  it('names the region of the stack in the domain when it has one', () => {
    const placed = synth({ env: { account: '123456789012', region: 'ap-southeast-1' } }, 'Placed');
    const fn = placed.stack.functions.get('Console')!;
    const variables = placed.resources[placed.stack.getLogicalId(fn.node.defaultChild as CfnElement)]!.Properties!.Environment.Variables;
    expect(variables.CONSOLE_SIGN_IN_DOMAIN['Fn::Join'][1]).toEqual(['https://', { Ref: expect.any(String) }, '.auth.ap-southeast-1.amazoncognito.com']);
  });

  it('is in the outputs: the console\'s URL and the sign-in domain', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ConsoleUrl!.Value).toEqual(consoleUrl());
    expect(outputs.SignInDomain!.Value).toEqual(consoleVariables().CONSOLE_SIGN_IN_DOMAIN);
  });
});

/** Every resource a resource needs first: what its properties Ref or GetAtt, and its DependsOn. */
function dependencies(template: Record<string, Resource>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const walk = (value: unknown, into: Set<string>) => {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, into));
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && inner in template) into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!);
      else if (key === 'Fn::Sub' && typeof (Array.isArray(inner) ? inner[0] : inner) === 'string') {
        for (const [, name] of String(Array.isArray(inner) ? inner[0] : inner).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) if (name! in template) into.add(name!);
        if (Array.isArray(inner)) walk(inner[1], into);
      } else walk(inner, into);
    }
  };
  for (const [id, resource] of Object.entries(template)) {
    const needs = new Set<string>([resource.DependsOn ?? []].flat());
    walk(resource.Properties, needs);
    graph.set(id, needs);
  }
  return graph;
}

/** A cycle of the graph, if there is one (CloudFormation refuses such a template). */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    trail.push(id);
    for (const next of graph.get(id) ?? []) {
      if (state.get(next) === 'visiting') return [...trail.slice(trail.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    trail.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}

describe('no circular dependency', () => {
  it('finds a cycle where there is one (the check is not vacuous)', () => {
    const cyclic = { A: { Type: 'T', Properties: { x: { Ref: 'B' } } }, B: { Type: 'T', Properties: { y: { 'Fn::GetAtt': ['C', 'Arn'] } } }, C: { Type: 'T', DependsOn: ['A'] } };
    expect(findCycle(dependencies(cyclic))).toEqual(['A', 'B', 'C', 'A']);
  });

  it('holds among the API, the app client listing the API\'s URL, the authorizer and the Console function', () => {
    const graph = dependencies(resources);
    expect(findCycle(graph)).toBeUndefined();
    // The edges that could have closed one: the client needs the API; the API needs neither it nor the authorizer.
    const apiId = logicalId(stack.api);
    const clientId = logicalId(stack.userPoolClient);
    expect(graph.get(clientId)).toContain(apiId);
    expect([...graph.get(apiId)!]).toEqual([]);
    const [authorizerId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Authorizer')!;
    expect(graph.get(authorizerId)).toEqual(new Set([apiId, clientId, logicalId(stack.userPool)]));
  });
});

describe('the Console function\'s asset, bundled as the stack bundles it', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'manyi-console-asset-'));
  let asset: string;

  beforeAll(() => {
    // One function of the manifest's Console entry, bundled for real (esbuild, then the hook).
    const spec = httpFunctions.find((fn) => fn.name === 'Console')!;
    expect(spec.bundlesConsole).toBe(true);
    // Asset metadata, as the CDK CLI asks for it: it names the asset's directory.
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:enable-asset-metadata': true } });
    const bundled = new Stack(app, 'ConsoleAsset');
    const fn = new ManyiFunction(bundled, 'Console', { entry: spec.entry, bundlesConsole: spec.bundlesConsole });
    app.synth();
    const resource = Template.fromStack(bundled).toJSON().Resources[bundled.getLogicalId(fn.node.defaultChild as CfnElement)];
    asset = path.join(outdir, resource.Metadata['aws:asset:path']);
  }, 240_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('holds the handler and, beside it, the built console with its manifest', () => {
    expect(existsSync(path.join(asset, 'index.mjs'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(asset, 'console', 'build.json'), 'utf8'));
    expect(manifest.script).toMatch(/^main-[A-Z0-9]+\.js$/);
    expect(manifest.styles).toMatch(/^main-[A-Z0-9]+\.css$/);
    for (const name of Object.keys(manifest.files)) expect(existsSync(path.join(asset, 'console', name)), name).toBe(true);
    // The bundle reads the files at run time: it does not carry esbuild or the console's sources.
    const sources: string[] = JSON.parse(readFileSync(path.join(asset, 'index.mjs.map'), 'utf8')).sources;
    expect(sources.filter((source) => /node_modules\/esbuild\/|console\/(main|build)\.tsx?$/.test(source))).toEqual([]);
  });

  it('answers the page and its files from that directory in a clean Node process, as Lambda runs it', () => {
    const manifest = JSON.parse(readFileSync(path.join(asset, 'console', 'build.json'), 'utf8'));
    const event = (routeKey: string, rawPath: string, asset?: string) => ({
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString: '',
      headers: { 'accept-language': 'en' },
      ...(asset !== undefined ? { pathParameters: { asset } } : {}),
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: rawPath }, requestId: 'asset-test', routeKey },
    });
    const events = [event('GET /console', '/console'), event('GET /console/{asset+}', `/console/${manifest.script}`, manifest.script), event('GET /console/{asset+}', '/console/../index.mjs', '../index.mjs'), event('GET /console/{asset+}', '/console/build.json', 'build.json')];
    const url = pathToFileURL(path.join(asset, 'index.mjs')).href;
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const { handler } = await import(${JSON.stringify(url)}); const out = []; for (const e of ${JSON.stringify(events)}) { const r = await handler(e, { functionName: 'Console', awsRequestId: 'asset-test' }); out.push({ status: r.statusCode, headers: r.headers, body: r.body }); } console.log(JSON.stringify(out));`],
      {
        cwd: outdir,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          PATH: process.env.PATH,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          CONSOLE_SIGN_IN_DOMAIN: 'https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com',
          CONSOLE_SIGN_IN_CLIENT_ID: '4p1ec1ient1d',
          CONSOLE_SIGN_IN_REDIRECT_URI: 'https://abc123.execute-api.ap-east-1.amazonaws.com/console',
        },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const [page, script, outside, manifestFile] = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`src="/console/${manifest.script}"`);
    expect(page.body).toContain('"signIn":{"kind":"cognito"');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com;");
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe(readFileSync(path.join(asset, 'console', manifest.script), 'utf8'));
    expect([outside.status, manifestFile.status]).toEqual([404, 404]);
  });
});
