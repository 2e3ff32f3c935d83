import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LayerVersion, Runtime, Tracing, type ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { DEFAULT_TIME_ZONE } from '../functions/domain/time-zone';
import { acknowledgeNagFinding } from './nag';
import { CJK_FONT_FILE, CJK_FONT_MODULE, FONT_ASSET_DIR } from '../functions/pages/report-font';

/** The repository root: every handler entry in functions/manifest.ts is relative to it. */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** How long CloudWatch keeps function logs. */
export const functionLogRetention = RetentionDays.ONE_MONTH;

/** The zone the domain code uses for periods (months, quarters) when the caller gives none. */
export const manyiTimeZone = DEFAULT_TIME_ZONE;

/**
 * The Lambda runtime of every function: the latest Node.js the installed aws-cdk-lib knows (cdk-nag's
 * AwsSolutions-L1 wants the latest of the family). `manyiBundling.target` must name the same version.
 */
export const manyiRuntime = Runtime.NODEJS_24_X;

/**
 * How every function is bundled: locally by esbuild (never in Docker), into a single minified ES
 * module for Node.js 24 (`manyiRuntime`). bench/cold-start.ts bundles with the same options.
 */
export const manyiBundling = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // Stack traces only need the mappings; the sources would double the asset size.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into an ES module still call `require` for Node built-ins.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // Everything is bundled, the AWS SDK included: the lockfile, not the runtime's copy of the SDK
  // (an older v3, updated by AWS at any time), decides the code that runs, and one tree-shaken
  // file initialises faster than the runtime's many SDK modules.
  bundleAwsSDK: true,
  forceDockerBundling: false,
  // esbuild reports warnings and errors only, so `cdk synth -q` stays quiet.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/** The Powertools version the lockfile installed (the tracer's types are compiled against it). */
export const powertoolsVersion: string = JSON.parse(readFileSync(path.join(repositoryRoot, 'node_modules/@aws-lambda-powertools/tracer/package.json'), 'utf8')).version;

/**
 * The public SSM parameter that names the Powertools for AWS Lambda (TypeScript) layer of exactly
 * that version in the stack's region (published by AWS in every commercial region and in China).
 */
export const powertoolsLayerParameter = `/aws/service/powertools/typescript/generic/all/${powertoolsVersion}`;

/**
 * The Powertools layer, once per stack: it provides the tracer (functions/shared/tracing.ts) at
 * /opt/nodejs/node_modules, so no bundle carries the X-Ray SDK. Resolved at deployment from the
 * SSM parameter, so `cdk synth` stays offline.
 */
export function powertoolsLayer(scope: Construct): ILayerVersion {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('PowertoolsLayer') as ILayerVersion | undefined;
  if (existing) return existing;
  const arn = StringParameter.valueForStringParameter(stack, powertoolsLayerParameter);
  return LayerVersion.fromLayerVersionArn(stack, 'PowertoolsLayer', arn);
}

export interface ManyiFunctionProps {
  /** Source file exporting `handler`, relative to the repository root. */
  readonly entry: string;
  /**
   * The single table, for a function that reads it: its name reaches the handler as TABLE_NAME
   * (access is granted by the stack). A function without it knows of no table.
   */
  readonly table?: ITable;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  readonly description?: string;
  /** Extra environment variables (e.g. PUBLIC_BASE_URL). */
  readonly environment?: Readonly<Record<string, string>>;
  /** The bundle also carries the built console, in `console/` beside index.mjs (`consoleBundling`). */
  readonly bundlesConsole?: boolean;
  /** The bundle also carries the PDF's CJK font, in `fonts/` beside index.mjs (`fontBundling`). */
  readonly bundlesFonts?: boolean;
}

/** Where the Console function reads the built console from: beside its bundle (functions/http/console.ts). */
export const CONSOLE_ASSET_DIR = 'console';

/**
 * The bundling of a function that carries the console: after esbuild has bundled the handler, the
 * same build the local runtime serves (console/build.ts) is written into the asset by
 * scripts/build-console.ts, run by this Node.js through tsx, locally like the rest of the bundling.
 * The asset's hash covers it, so a changed console is a new asset.
 */
export const consoleBundling = {
  ...manyiBundling,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [
      [process.execPath, '--import', 'tsx', 'scripts/build-console.ts', path.join(outputDir, CONSOLE_ASSET_DIR)].map((part) => JSON.stringify(part)).join(' '),
    ],
  },
} as const satisfies BundlingOptions;

/**
 * The bundling of a function that writes PDFs: after esbuild, the CJK font (about 10 MB) is
 * copied into the asset beside the bundle, where functions/pages/report-font.ts looks first.
 */
export const fontBundling = {
  ...manyiBundling,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => {
      const source = createRequire(path.join(repositoryRoot, 'package.json')).resolve(CJK_FONT_MODULE);
      const target = path.join(outputDir, FONT_ASSET_DIR, CJK_FONT_FILE);
      const copy = `const fs=require('node:fs');fs.mkdirSync(${JSON.stringify(path.dirname(target))},{recursive:true});fs.copyFileSync(${JSON.stringify(source)},${JSON.stringify(target)})`;
      return [[process.execPath, '-e', copy].map((part) => JSON.stringify(part)).join(' ')];
    },
  },
} as const satisfies BundlingOptions;

/**
 * A handler of this repository, bundled locally by esbuild (never in Docker) into a single ESM file
 * for Node.js 24 on arm64, with its own log group (see `logGroup`), X-Ray active tracing, a role
 * that may write to that log group and nothing else until the stack grants more, and the environment
 * every handler expects.
 */
export class ManyiFunction extends NodejsFunction {
  /** Whether the bundle carries the built console (`consoleBundling`). */
  readonly bundlesConsole: boolean;

  constructor(scope: Construct, id: string, props: ManyiFunctionProps) {
    // The log group is created explicitly (the function's `logRetention` option is deprecated) and
    // lives next to the function in the construct tree, as a function cannot own a child before super().
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: functionLogRetention,
      // Logs are operational, not customer data: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of Lambda's default one, which carries the AWS managed policy
    // AWSLambdaBasicExecutionRole (logs:CreateLogGroup/CreateLogStream/PutLogEvents on every log
    // group of the account): this one may write to the function's own log group only (below).
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `manyi ${id}: execution role`,
    });

    super(scope, id, {
      entry: path.join(repositoryRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: manyiRuntime,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 256,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      logGroup,
      role,
      // Lambda traces a sample of the invocations (its own segments: initialisation, invocation);
      // CDK grants xray:PutTraceSegments and xray:PutTelemetryRecords for it.
      tracing: Tracing.ACTIVE,
      // Powertools' tracer records the handler and each AWS SDK call as subsegments of that trace.
      layers: [powertoolsLayer(scope)],
      projectRoot: repositoryRoot,
      depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
      environment: {
        ...(props.table ? { TABLE_NAME: props.table.tableName } : {}),
        POWERTOOLS_SERVICE_NAME: 'manyi',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        MANYI_TIME_ZONE: manyiTimeZone,
        ...props.environment,
      },
      bundling: props.bundlesConsole ? consoleBundling : props.bundlesFonts ? fontBundling : manyiBundling,
    });
    this.bundlesConsole = props.bundlesConsole === true;
    // The log group exists, so Lambda never creates one: streams and events only.
    logGroup.grantWrite(role);
    acknowledgeNagFinding(
      role,
      'IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so "*" is their only resource (test/infra/cdk-nag.test.ts checks that no other action of a function role has "*")',
    );
  }
}
