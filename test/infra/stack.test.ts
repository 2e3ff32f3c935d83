import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { allFunctions, httpFunctions, queueFunctions, scheduledFunctions, topicFunctions, userPoolTriggerFunctions } from '../../functions/manifest';
import { ROLES } from '../../functions/domain/access/roles';
import { expectedFunctions, expectedHttpFunctions, expectedScheduledFunctions, expectedUserPoolTriggerFunctions } from './expected-functions';
import { tableDefinition } from '../../functions/store/keys';
import { functionLogRetention } from '../../infra/function';
import { ManyiStack, parseRouteKey } from '../../infra/stack';

/** The feature flags of cdk.json, so the template under test is the one `cdk synth` produces. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Action: string | string[]; Effect: string; Resource: unknown };

const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const allSpecs = expectedFunctions;
const allRoutes = expectedHttpFunctions.flatMap((spec) => spec.routes.map((routeKey) => ({ routeKey, spec })));

let stack: ManyiStack;
let template: Template;
let resources: Record<string, Resource>;

const logicalId = (construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const functionLogicalId = (name: string): string => {
  const fn = stack.functions.get(name);
  if (!fn) throw new Error(`no function ${name} in the stack`);
  return logicalId(fn);
};
const roleLogicalIdOf = (functionName: string): string => {
  const role = resources[functionLogicalId(functionName)]?.Properties.Role;
  expect(role).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
  return role['Fn::GetAtt'][0];
};
/** Every statement of every inline policy attached to the role. */
const statementsOfRole = (roleLogicalId: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }))
      ? (policy.Properties.PolicyDocument.Statement as Statement[])
      : [],
  );
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
const routeByKey = (routeKey: string): Resource => {
  const matches = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
  expect(matches, `route ${routeKey}`).toHaveLength(1);
  return matches[0] as Resource;
};

beforeAll(() => {
  // Bundling is skipped here (the bundling test below does it once, for every entry).
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  stack = new ManyiStack(app, 'Manyi');
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

describe('the table', () => {
  it('is retained, protected from deletion, recoverable to a point in time and encrypted', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    });
  });

  it('has exactly the keys and indexes of tableDefinition, indexes projecting all attributes', () => {
    const table = resources[logicalId(stack.table)]!;
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('expires items by the TTL attribute of tableDefinition', () => {
    expect(resources[logicalId(stack.table)]!.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: tableDefinition.timeToLiveAttribute,
      Enabled: true,
    });
  });
});

describe('the HTTP API', () => {
  it('has exactly the expected route keys', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(allRoutes.map((r) => r.routeKey).sort());
  });

  it.each(allRoutes.map((r) => [r.routeKey, r.spec.name] as const))('%s integrates the %s function', (routeKey, name) => {
    const target = routeByKey(routeKey).Properties.Target;
    expect(target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: expect.any(String) }]] });
    const integration = resources[target['Fn::Join'][1][1].Ref]!;
    expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] },
    });
  });

  it('uses a JWT authorizer whose issuer is the admin user pool and whose audience is its client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stack.userPoolClient) }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(stack.userPool) }])] },
      },
    });
  });

  const adminRoutes = allRoutes.filter((r) => r.spec.access === 'admin').map((r) => r.routeKey);
  const publicRoutes = allRoutes.filter((r) => r.spec.access === 'public').map((r) => r.routeKey);

  it.each(adminRoutes)('admin route %s requires the JWT authorizer', (routeKey) => {
    const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(routeByKey(routeKey).Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it.each(publicRoutes)('public route %s has no authorizer', (routeKey) => {
    const properties = routeByKey(routeKey).Properties;
    expect(properties.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(properties.AuthorizerId).toBeUndefined();
  });

  it('keeps the respondent and health routes public and every /admin route behind the authorizer', () => {
    // Guards routes.ts itself: an /admin route declared 'public' by mistake fails here.
    expect(publicRoutes).toEqual(expect.arrayContaining(['GET /s/{token}', 'POST /s/{token}', 'GET /health']));
    for (const { routeKey } of allRoutes) {
      const { path } = parseRouteKey(routeKey);
      const isAdminPath = path === '/admin' || path.startsWith('/admin/');
      expect(routeByKey(routeKey).Properties.AuthorizationType ?? 'NONE', routeKey).toBe(isAdminPath ? 'JWT' : 'NONE');
    }
  });

  it('logs access to a log group with retention, by route key and never by raw path (tokens are secrets)', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    expect(resources[DestinationArn['Fn::GetAtt'][0]]!.Properties.RetentionInDays).toBe(functionLogRetention);
    expect(Format).toContain('$context.routeKey');
    expect(Format).not.toMatch(/\$context\.(path|resourcePath)\b/);
  });

  it('rejects a malformed route key', () => {
    expect(() => parseRouteKey('/admin/surveys')).toThrow(/Invalid route key/);
    expect(() => parseRouteKey('FETCH /x')).toThrow(/Invalid route key/);
    expect(parseRouteKey('GET /s/{token}')).toEqual({ method: 'GET', path: '/s/{token}' });
  });
});

describe('the admin user pool', () => {
  it('allows no self sign-up, demands strong passwords, offers TOTP MFA and is retained', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      }),
    });
  });

  it('has a public client whose only OAuth grant is the authorization code (no implicit flow; the console\'s, test/infra/console.test.ts)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
  });
});

describe('the admin user pool: sign-ins of manyi users', () => {
  const poolArn = () => ({ 'Fn::GetAtt': [logicalId(stack.userPool), 'Arn'] });
  /** Written out, not imported from infra/: what functions/channels/cognito-directory.ts calls. */
  const DIRECTORY_ACTIONS = [
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminAddUserToGroup',
    'cognito-idp:AdminRemoveUserFromGroup',
    'cognito-idp:AdminDisableUser',
    'cognito-idp:AdminEnableUser',
    'cognito-idp:AdminUserGlobalSignOut',
  ];

  it('signs in by a case-insensitive e-mail alias of the username (the manyi user id)', () => {
    const pool = resources[logicalId(stack.userPool)]!.Properties;
    expect(pool.AliasAttributes).toEqual(['email']);
    expect(pool.UsernameAttributes).toBeUndefined();
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
  });

  it('has exactly one group per role', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...ROLES].sort());
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual({ Ref: logicalId(stack.userPool) });
  });

  it.each(expectedUserPoolTriggerFunctions.map((s) => [s.name, s.trigger] as const))('calls %s as its %s trigger, and only Cognito of this pool may invoke it', (name, trigger) => {
    const lambdaConfig = resources[logicalId(stack.userPool)]!.Properties.LambdaConfig;
    const key = trigger[0]!.toUpperCase() + trigger.slice(1);
    expect(lambdaConfig).toEqual({ [key]: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] } });
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (permission) => JSON.stringify(permission.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] }),
    );
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      { Action: 'lambda:InvokeFunction', FunctionName: expect.anything(), Principal: 'cognito-idp.amazonaws.com', SourceArn: poolArn() },
    ]);
  });

  it.each(expectedFunctions.map((s) => [s.name, s.managesSignIns] as const))('%s (managesSignIns: %s) gets the pool id and its actions on this pool only, or none', (name, manages) => {
    const cognitoStatements = statementsOfRole(roleLogicalIdOf(name)).filter((statement) => actionsOf(statement).some((action) => action.startsWith('cognito-idp:')));
    const variables = resources[functionLogicalId(name)]!.Properties.Environment.Variables;
    if (!manages) {
      expect(cognitoStatements).toEqual([]);
      expect(variables.USER_POOL_ID).toBeUndefined();
      return;
    }
    expect(variables.USER_POOL_ID).toEqual({ Ref: logicalId(stack.userPool) });
    expect(cognitoStatements.flatMap(actionsOf).sort()).toEqual([...DIRECTORY_ACTIONS].sort());
    for (const statement of cognitoStatements) {
      expect(statement.Effect).toBe('Allow');
      expect(resourcesOf(statement)).toEqual([poolArn()]);
    }
  });
});

describe('field-level encryption (KMS envelope)', () => {
  const keyArn = () => ({ 'Fn::GetAtt': [logicalId(stack.fieldKey!), 'Arn'] });
  /** Written out, not imported: what functions/channels/kms-field-key.ts calls, and its context. */
  const FIELD_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

  it('has a customer-managed key, rotated, kept when the stack goes, under an alias', () => {
    const key = resources[logicalId(stack.fieldKey!)]!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(Object.values(template.findResources('AWS::KMS::Alias')).map((alias) => alias.Properties)).toEqual([
      { AliasName: 'alias/Manyi-fields', TargetKeyId: keyArn() },
    ]);
  });

  it.each(expectedFunctions.map((s) => [s.name, s.clients.includes('kms')] as const))('%s (kms: %s) holds the key, for its two calls under its context only, or not at all', (name, holdsKey) => {
    const variables = resources[functionLogicalId(name)]!.Properties.Environment.Variables;
    // The field key's statements: the topics' own keys (SNS encryption) are granted elsewhere.
    const kmsStatements = statementsOfRole(roleLogicalIdOf(name)).filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn()));
    const anyKey = statementsOfRole(roleLogicalIdOf(name)).filter((statement) => actionsOf(statement).some((action) => action.startsWith('kms:')) && resourcesOf(statement).includes('*'));
    expect(anyKey).toEqual([]);
    // Every function of the table knows that its personal fields are sealed (those without a table, Health and Console, are told nothing).
    const readsTable = expectedFunctions.find((spec) => spec.name === name)!.clients.includes('dynamodb');
    expect(variables.MANYI_FIELD_ENCRYPTION).toBe(readsTable ? 'on' : undefined);
    if (!holdsKey) {
      expect(kmsStatements).toEqual([]);
      expect(variables.FIELD_KEY_ID).toBeUndefined();
      return;
    }
    expect(variables.FIELD_KEY_ID).toEqual(keyArn());
    expect(kmsStatements.map((statement) => ({ ...statement, Action: actionsOf(statement).sort() }))).toEqual([
      {
        Effect: 'Allow',
        Action: FIELD_KEY_ACTIONS,
        Resource: keyArn(),
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'manyi-field-encryption', 'kms:EncryptionContext:table': { Ref: logicalId(stack.table) } } },
      },
    ]);
  });

  it('is left out with fieldEncryption false: no key, no grant, the functions told it is off', () => {
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const clear = Template.fromStack(new ManyiStack(app, 'Clear', { fieldEncryption: false }));
    expect(Object.values(clear.findResources('AWS::KMS::Key')).filter((key) => String(key.Properties.Description).includes('personal fields'))).toEqual([]);
    const functions = Object.values(clear.findResources('AWS::Lambda::Function'));
    expect(functions.every((fn) => fn.Properties.Environment.Variables.FIELD_KEY_ID === undefined)).toBe(true);
    expect(functions.filter((fn) => fn.Properties.Environment.Variables.MANYI_FIELD_ENCRYPTION === 'off')).toHaveLength(allSpecs.filter((spec) => spec.clients.includes('dynamodb')).length);
    expect(JSON.stringify(clear.findResources('AWS::IAM::Policy'))).not.toContain('kms:EncryptionContext:purpose');
  });
});

describe('functions/manifest.ts', () => {
  it('declares exactly the expected functions, with their settings, grants, clients and routes', () => {
    const declared = (list: readonly object[], extra: (spec: any) => object) =>
      list.map((spec: any) => ({
        name: spec.name,
        writes: spec.writes,
        timeoutSeconds: spec.timeoutSeconds ?? 10,
        memoryMb: spec.memoryMb ?? 256,
        enqueues: spec.enqueues ?? false,
        sendsSms: spec.sendsSms ?? false,
        managesSignIns: spec.managesSignIns ?? false,
        bundlesConsole: spec.bundlesConsole ?? false,
        bundlesFonts: spec.bundlesFonts ?? false,
        clients: spec.clients,
        ...extra(spec),
      }));
    expect([
      ...declared(httpFunctions, (spec) => ({ routes: spec.routes, access: spec.access })),
      ...declared(scheduledFunctions, (spec) => ({ schedule: spec.schedule, timeZone: spec.timeZone })),
      ...declared(queueFunctions, (spec) => ({ batchSize: spec.batchSize, maxReceiveCount: spec.maxReceiveCount })),
      ...declared(topicFunctions, () => ({})),
      ...declared(userPoolTriggerFunctions, (spec) => ({ trigger: spec.trigger })),
    ]).toEqual(expectedFunctions);
    expect(allFunctions.map((spec) => spec.name)).toEqual(expectedFunctions.map((spec) => spec.name));
  });
});

describe('the functions', () => {
  it('are exactly one per expected function', () => {
    expect([...stack.functions.keys()].sort()).toEqual(allSpecs.map((s) => s.name).sort());
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).sort()).toEqual(
      allSpecs.map((s) => functionLogicalId(s.name)).sort(),
    );
  });

  it.each(allSpecs.map((s) => [s.name, s] as const))('%s runs Node.js 24 on arm64 with its settings, traced by X-Ray', (name, spec) => {
    const properties = resources[functionLogicalId(name)]!.Properties;
    expect(properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'manyi',
          POWERTOOLS_LOG_LEVEL: expect.any(String),
          NODE_OPTIONS: '--enable-source-maps',
          MANYI_TIME_ZONE: 'Asia/Shanghai',
        },
      },
    });
    // Only a function that builds the DynamoDB client is told of the table.
    expect(properties.Environment.Variables.TABLE_NAME).toEqual(spec.clients.includes('dynamodb') ? { Ref: logicalId(stack.table) } : undefined);
    const xray = statementsOfRole(roleLogicalIdOf(name)).filter((statement) => actionsOf(statement).some((action) => action.startsWith('xray:')));
    expect(xray.flatMap(actionsOf).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it.each(allSpecs.map((s) => s.name))('%s has a role of its own, without managed policies, that may write its own log group only', (name) => {
    const roleId = roleLogicalIdOf(name);
    const role = resources[roleId]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const otherFunctions = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Role['Fn::GetAtt'][0] === roleId);
    expect(otherFunctions).toHaveLength(1);
    const logStatements = statementsOfRole(roleId).filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));
    const logGroupRef = resources[functionLogicalId(name)]!.Properties.LoggingConfig.LogGroup;
    expect(logStatements).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupRef.Ref, 'Arn'] } }),
    ]);
  });

  it('receive PUBLIC_BASE_URL: the given one, else the API\'s own URL (never a request\'s Host)', () => {
    const apiId = logicalId(stack.api);
    for (const spec of allSpecs) {
      const variable = resources[functionLogicalId(spec.name)]!.Properties.Environment.Variables.PUBLIC_BASE_URL;
      expect(variable, spec.name).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    }
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const linked = Template.fromStack(new ManyiStack(app, 'Linked', { publicBaseUrl: 'https://survey.example.com' }));
    const variables = Object.values(linked.findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.Environment.Variables.PUBLIC_BASE_URL,
    );
    expect(variables).toEqual(allSpecs.map(() => 'https://survey.example.com'));
  });

  it('load Powertools\' tracer from the Powertools layer of the version the lockfile installed, resolved from its public SSM parameter', () => {
    const version = JSON.parse(readFileSync(new URL('../../node_modules/@aws-lambda-powertools/tracer/package.json', import.meta.url), 'utf8')).version;
    const parameters = Object.entries(template.toJSON().Parameters as Record<string, { Type: string; Default?: string }>).filter(([, parameter]) => parameter.Default?.includes('/aws/service/powertools/'));
    expect(parameters.map(([, parameter]) => parameter)).toEqual([{ Type: 'AWS::SSM::Parameter::Value<String>', Default: `/aws/service/powertools/typescript/generic/all/${version}` }]);
    for (const spec of allSpecs) {
      const fn = resources[functionLogicalId(spec.name)]!.Properties;
      expect(fn.Layers, spec.name).toEqual([{ Ref: parameters[0]![0] }]);
      expect(fn.TracingConfig, spec.name).toEqual({ Mode: 'Active' });
    }
  });

  it.each(allSpecs.map((s) => s.name))('%s logs to its own log group with a retention', (name) => {
    const logGroupRef = resources[functionLogicalId(name)]!.Properties.LoggingConfig?.LogGroup;
    expect(logGroupRef).toEqual({ Ref: expect.any(String) });
    const logGroup = resources[logGroupRef.Ref]!;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(functionLogRetention);
    const otherUsers = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.LoggingConfig?.LogGroup?.Ref === logGroupRef.Ref,
    );
    expect(otherUsers).toHaveLength(1);
  });
});

describe('least privilege on the table', () => {
  const tableArn = () => ({ 'Fn::GetAtt': [logicalId(stack.table), 'Arn'] });
  const tableAndIndexArns = () => [tableArn(), { 'Fn::Join': ['', [tableArn(), '/index/*']] }];

  const tableUsers = allSpecs.filter((s) => s.clients.includes('dynamodb'));
  const dynamoStatementsOf = (name: string) =>
    statementsOfRole(roleLogicalIdOf(name)).filter((s) => actionsOf(s).some((action) => action.startsWith('dynamodb:') || action === '*'));

  it('leaves the Health function without any table access (it builds no DynamoDB client)', () => {
    expect(allSpecs.find((s) => s.name === 'Health')?.clients).toEqual([]);
    const actions = statementsOfRole(roleLogicalIdOf('Health')).flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.startsWith('dynamodb:') || action === '*')).toEqual([]);
    expect(resources[functionLogicalId('Health')]!.Properties.Environment.Variables.TABLE_NAME).toBeUndefined();
  });

  it.each(allSpecs.filter((s) => !s.clients.includes('dynamodb')).map((s) => s.name))('%s (no dynamodb client) may not touch the table', (name) => {
    expect(dynamoStatementsOf(name)).toEqual([]);
  });

  it.each(tableUsers.map((s) => [s.name, s.writes] as const))('%s (writes: %s) gets exactly its access', (name, writes) => {
    const dynamoStatements = dynamoStatementsOf(name);
    expect(dynamoStatements.length).toBeGreaterThan(0);
    const actions = dynamoStatements.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const action of actions) expect(action).not.toMatch(/^\*$|^dynamodb:\*$/);
    if (writes) {
      expect(actions).toEqual(expect.arrayContaining(WRITE_ACTIONS));
    } else {
      for (const write of WRITE_ACTIONS) expect(actions).not.toContain(write);
    }
    for (const statement of dynamoStatements) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of resourcesOf(statement)) expect(tableAndIndexArns()).toContainEqual(resource);
    }
  });

  it('grants no DynamoDB action on "*" anywhere in the stack', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        if (actionsOf(statement).some((a) => a.startsWith('dynamodb:') || a === '*')) {
          expect(resourcesOf(statement)).not.toContain('*');
        }
      }
    }
  });
});

describe('the schedules', () => {
  it.each(expectedScheduledFunctions.map((s) => [s.name, s] as const))('%s runs on its expression and time zone with retries', (name, spec) => {
    const schedules = Object.values(
      template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Target: { Arn: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] } } },
      }),
    );
    expect(schedules).toHaveLength(1);
    const { Properties } = schedules[0]!;
    expect(Properties).toMatchObject({
      ScheduleExpression: spec.schedule,
      ScheduleExpressionTimezone: spec.timeZone,
      State: 'ENABLED',
      Target: { RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) } },
    });
    expect(Properties.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);

    // The schedule's role is assumable by EventBridge Scheduler only and may only invoke this function.
    const roleLogicalId = Properties.Target.RoleArn['Fn::GetAtt'][0];
    const role = resources[roleLogicalId]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' } }),
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = statementsOfRole(roleLogicalId);
    expect(statements.length).toBeGreaterThan(0);
    const functionArn = { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] };
    for (const statement of statements) {
      expect(actionsOf(statement)).toEqual(['lambda:InvokeFunction']);
      for (const resource of resourcesOf(statement)) {
        expect([functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }]).toContainEqual(resource);
      }
    }
  });
});

describe('the dispatcher schedule', () => {
  it('invokes the Dispatch function every minute', () => {
    // Pinned here rather than read from routes.ts: the dispatcher's cadence is part of the design.
    const schedules = Object.values(
      template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Target: { Arn: { 'Fn::GetAtt': [functionLogicalId('Dispatch'), 'Arn'] } } },
      }),
    );
    expect(schedules.map((s) => s.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
    expect(schedules[0]!.Properties.State).toBe('ENABLED');
  });
});

describe('the outputs', () => {
  it('give the API URL, the user pool and client ids and the table name', () => {
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
    template.hasOutput('UserPoolId', { Value: { Ref: logicalId(stack.userPool) } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: logicalId(stack.userPoolClient) } });
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.table) } });
  });
});
