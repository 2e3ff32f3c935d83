import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions, type AwsClient } from '../../functions/manifest';
import { bundleEntries } from '../../infra/esbuild';
import { fontBundling, repositoryRoot } from '../../infra/function';
import { BREAK_GLASS_ISSUER } from '../../functions/http/caller';
import { CJK_FONT_FILE, CJK_FONT_MODULE, FONT_ASSET_DIR } from '../../functions/pages/report-font';
import type { LambdaEntry } from '../../functions/runtime/lambda-entry';
import { startEmbeddedDynamo } from '../../functions/local/embedded-dynamo';
import { connectStore } from '../../functions/store/dynamo-store';
import * as storeModules from '../../functions/runtime/store-modules';
import { keys } from '../../functions/store/keys';
import { storeMethods, type StorePart } from '../../functions/store/store-parts';

const allSpecs = allFunctions;
// Outside the repository, so a bundle cannot borrow anything from its node_modules.
const outdir = mkdtempSync(path.join(tmpdir(), 'manyi-bundles-'));
const bundles = new Map<string, string>();

/** A string each AWS client's bundled code contains (its service's protocol name), and no other. */
const clientMarkers: Record<AwsClient, string> = { dynamodb: 'DynamoDB_20120810', sqs: 'AmazonSQS', sms: 'PinpointSMSVoiceV2', cognito: 'AWSCognitoIdentityProviderService', kms: 'TrentService' };

/** Runs an ES module snippet in a fresh Node process, as Lambda would load the bundle. */
const runInNode = (source: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: outdir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TABLE_NAME: 'manyi-bundle-test', AWS_REGION: 'ap-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    timeout: 20_000,
  });

beforeAll(async () => {
  // One esbuild build of every function, with the options the stack bundles its assets with
  // (infra/function.ts, through infra/esbuild.ts). A loaded 2-core machine needs about a minute.
  await bundleEntries(new Map(allSpecs.map((spec) => [spec.name, spec.entry])), outdir);
  for (const spec of allSpecs) bundles.set(spec.name, path.join(outdir, spec.name));
}, 180_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('bundling (esbuild, locally, offline)', () => {
  it.each(allSpecs.map((s) => s.name))('%s is bundled into one ES module with its source map', (name) => {
    const bundle = path.join(bundles.get(name)!, 'index.mjs');
    expect(existsSync(bundle), bundle).toBe(true);
    expect(existsSync(`${bundle}.map`), `${bundle}.map`).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toContain('createRequire(import.meta.url)');
  });

  it.each(allSpecs.map((s) => [s.name, s.clients] as const))('%s bundles exactly the AWS clients the manifest declares (%j)', (name, clients) => {
    const code = readFileSync(path.join(bundles.get(name)!, 'index.mjs'), 'utf8');
    const bundled = (Object.keys(clientMarkers) as AwsClient[]).filter((client) => code.includes(clientMarkers[client]));
    expect(bundled.sort()).toEqual([...clients].sort());
  });

  it.each([
    // AdminPrivacy reads the phone number a person gives, written as they write it; AdminUsers a
    // user's own phone (where a campaign's test message goes).
    ['libphonenumber-js', ['AdminCampaigns', 'AdminCases', 'AdminContacts', 'AdminJobs', 'AdminPrivacy', 'AdminServiceEvents', 'AdminUsers', 'Dispatch']],
    ['ml-matrix', ['AdminJobs', 'ComputeIndices']],
    ['jstat', ['AdminJobs', 'AdminReports', 'ComputeIndices', 'ReportExports']],
    // The workbook writer (about 1 MB): in the exports function only, not in the report reads.
    ['exceljs', ['ReportExports']],
    // The charts (ECharts' core, line and scatter, the SVG renderer): only where report pages are drawn.
    ['echarts', ['AdminReports', 'ReportExports']],
    // The PDF writer and its SVG drawing: in the exports function only.
    ['pdfkit', ['ReportExports']],
    ['svg-to-pdfkit', ['ReportExports']],
  ] as const)('%s is bundled only into the functions that use it', (pkg, users) => {
    // The source map lists the files that contributed code to the bundle.
    const sources = (name: string): string[] => JSON.parse(readFileSync(path.join(bundles.get(name)!, 'index.mjs.map'), 'utf8')).sources;
    const bundling = allSpecs.filter((spec) => sources(spec.name).some((source) => source.includes(`node_modules/${pkg}/`))).map((spec) => spec.name);
    expect(bundling.sort()).toEqual([...users].sort());
  });

  it.each(allSpecs.map((s) => [s.name, s.entry, s.clients.includes('dynamodb')] as const))('%s calls no store method outside the store modules its entry declares', async (name, entry, readsTable) => {
    // A method of a module the entry did not name in dynamodb(...) would throw on Lambda. Property
    // names survive minification, so a call the bundled code makes appears as `.method(`; a method
    // that is also the name of a key builder (keys.triggersOf(...)) is looked for as `.store.method(`.
    const { handler } = (await import(path.join(repositoryRoot, entry))) as { handler: LambdaEntry<unknown, unknown> };
    const provided = storeMethods(handler.clients.flatMap((client) => client.storeParts ?? []));
    const code = readFileSync(path.join(bundles.get(name)!, 'index.mjs'), 'utf8');
    const every = storeMethods(Object.values(storeModules as Record<string, StorePart>));
    const call = (method: string) => new RegExp(`${method in keys ? '\\.store' : ''}\\.${method}\\(`);
    const called = [...every].filter((method) => call(method).test(code));
    expect(called.filter((method) => !provided.has(method))).toEqual([]);
    // A function without the DynamoDB client (Health, Console) calls none; every other one some.
    if (readsTable) expect(called.length, name).toBeGreaterThan(0);
    else expect(called, name).toEqual([]);
  });

  it('the ReportExports asset carries the CJK font beside its bundle, where the PDF writer looks first', () => {
    const spec = allSpecs.find((fn) => fn.name === 'ReportExports')!;
    expect(spec.bundlesFonts).toBe(true);
    const dir = bundles.get('ReportExports')!;
    // The command the stack runs after esbuild (infra/function.ts fontBundling), run here as the CDK runs it: by a shell.
    for (const command of fontBundling.commandHooks.afterBundling('', dir)) {
      const ran = spawnSync(command, { shell: true, encoding: 'utf8' });
      expect(ran.status, ran.stderr).toBe(0);
    }
    const copied = path.join(dir, FONT_ASSET_DIR, CJK_FONT_FILE);
    const source = createRequire(path.join(repositoryRoot, 'package.json')).resolve(CJK_FONT_MODULE);
    expect(readFileSync(copied).equals(readFileSync(source))).toBe(true);
    // The bundle carries no font bytes of its own: it reads the file.
    expect(statSync(path.join(dir, 'index.mjs')).size).toBeLessThan(statSync(copied).size / 2);
  });

  it('the ReportExports bundle writes a PDF in a clean Node process, its font read from beside it', async () => {
    const dir = bundles.get('ReportExports')!;
    for (const command of fontBundling.commandHooks.afterBundling('', dir)) expect(spawnSync(command, { shell: true }).status).toBe(0);
    const dynamo = await startEmbeddedDynamo();
    const store = connectStore('manyi-bundle-pdf', dynamo.clientConfig);
    await store.ensureTable();
    try {
      await store.putOrgUnits([{ id: 'hq', name: '亳州分公司' }]);
      const report = { surveyId: 'bundle-csi', version: 1, period: '2026-11', orgUnit: 'hq', orgUnitName: '亳州分公司', path: ['hq'], n: 30, csi: 81.25, elements: [], children: [], notes: [], computedAt: '2026-11-20T00:00:00.000Z' };
      await store.putReports('bundle-csi', '2026-11', 1, [{ surveyId: 'bundle-csi', version: 1, period: '2026-11', orgUnitId: 'hq', computedAt: report.computedAt, report }]);
      const event = {
        version: '2.0', routeKey: 'GET /admin/reports/{surveyId}/export', rawPath: '/admin/reports/bundle-csi/export', rawQueryString: 'period=2026-11&orgUnit=hq&format=pdf&layout=monthly', headers: {},
        queryStringParameters: { period: '2026-11', orgUnit: 'hq', format: 'pdf', layout: 'monthly' }, pathParameters: { surveyId: 'bundle-csi' }, isBase64Encoded: false,
        requestContext: { http: { method: 'GET', path: '/admin/reports/bundle-csi/export' }, requestId: 'bundle-pdf', routeKey: 'GET /admin/reports/{surveyId}/export', authorizer: { jwt: { claims: { sub: 'bundle', iss: BREAK_GLASS_ISSUER } } } },
      };
      const url = pathToFileURL(path.join(dir, 'index.mjs')).href;
      const source =
        `const { handler } = await import(${JSON.stringify(url)});` +
        `const r = await handler(${JSON.stringify(event)}, { awsRequestId: 'bundle-pdf', functionName: 'ReportExports' });` +
        `console.log(JSON.stringify({ status: r.statusCode, type: r.headers['content-type'], head: Buffer.from(r.body, 'base64').subarray(0, 5).toString(), size: Buffer.from(r.body, 'base64').length }));`;
      // Outside the repository and without NODE_PATH: nothing but the asset to read from.
      const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
        cwd: outdir,
        env: { PATH: process.env.PATH, TABLE_NAME: 'manyi-bundle-pdf', AWS_REGION: 'ap-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      expect(await new Promise<number | null>((resolve) => child.on('close', resolve)), output).toBe(0);
      const answer = JSON.parse(output.trim().split('\n').at(-1)!);
      expect(answer).toMatchObject({ status: 200, type: 'application/pdf', head: '%PDF-' });
      expect(answer.size).toBeLessThan(200_000);
    } finally {
      store.client.destroy();
      await dynamo.close();
    }
  }, 60_000);

  it('every bundle loads in a clean Node process and exports a handler function', () => {
    const urls = allSpecs.map((s) => pathToFileURL(path.join(bundles.get(s.name)!, 'index.mjs')).href);
    const result = runInNode(
      `const kinds = []; for (const url of ${JSON.stringify(urls)}) kinds.push(typeof (await import(url)).handler);` +
        'console.log(JSON.stringify(kinds));',
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(allSpecs.map(() => 'function'));
  });

  it('the Health bundle answers GET /health with 200', () => {
    const url = pathToFileURL(path.join(bundles.get('Health')!, 'index.mjs')).href;
    const event = {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/health' }, requestId: 'bundle-test', routeKey: 'GET /health' },
    };
    const result = runInNode(
      `const { handler } = await import(${JSON.stringify(url)});` +
        `const response = await handler(${JSON.stringify(event)}, { awsRequestId: 'bundle-test', functionName: 'Health' });` +
        'console.log(JSON.stringify(response));',
    );
    expect(result.status, result.stderr).toBe(0);
    const response = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(response.statusCode).toBe(200);
  });

  it('the SmsSender bundle answers an SQS batch with the partial batch response the event source mapping expects', () => {
    // A malformed message is dropped (redelivery cannot fix it) without touching AWS.
    const url = pathToFileURL(path.join(bundles.get('SmsSender')!, 'index.mjs')).href;
    const event = { Records: [{ messageId: 'm-1', body: 'not json', attributes: {}, messageAttributes: {}, eventSource: 'aws:sqs' }] };
    const result = runInNode(
      `const { handler } = await import(${JSON.stringify(url)});` +
        `const response = await handler(${JSON.stringify(event)}, { awsRequestId: 'bundle-test', functionName: 'SmsSender' });` +
        'console.log(JSON.stringify(response));',
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ batchItemFailures: [] });
  });

  it('no bundle carries the X-Ray SDK: the tracer is required at run time, from the Powertools layer', () => {
    for (const spec of allSpecs) {
      const code = readFileSync(path.join(bundles.get(spec.name)!, 'index.mjs'), 'utf8');
      const sources: string[] = JSON.parse(readFileSync(path.join(bundles.get(spec.name)!, 'index.mjs.map'), 'utf8')).sources;
      expect(sources.filter((source) => /node_modules\/(aws-xray-sdk-core|@aws-lambda-powertools\/tracer)\//.test(source)), spec.name).toEqual([]);
      expect(code, spec.name).toContain('"@aws-lambda-powertools/tracer"');
    }
  });

  it('on Lambda, with the layer, an invocation is traced: its handler subsegment and each DynamoDB call, without personal data', async () => {
    // X-Ray's daemon, as Lambda runs it: segments arrive as UDP datagrams.
    const daemon = createSocket('udp4');
    const documents: Record<string, any>[] = [];
    let handlerClosed: () => void = () => {};
    const handlerSent = new Promise<void>((resolve) => (handlerClosed = resolve));
    daemon.on('message', (datagram) => {
      const [, body] = datagram.toString('utf8').split('\n');
      if (!body) return;
      const document = JSON.parse(body);
      documents.push(document);
      // The handler's subsegment is sent when it closes, after the calls inside it.
      if (document.name === '## PreTokenGeneration') handlerClosed();
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const dynamo = await startEmbeddedDynamo();
    const store = connectStore('manyi-bundle-test', dynamo.clientConfig);
    await store.ensureTable();
    try {
      const url = pathToFileURL(path.join(bundles.get('PreTokenGeneration')!, 'index.mjs')).href;
      const event = { version: '1', triggerSource: 'TokenGeneration_Authentication', region: 'ap-east-1', userPoolId: 'ap-east-1_Example', userName: 'usr_unknown', request: { userAttributes: { email: 'li.wei@example.com' } }, response: {} };
      const source =
        `const { handler } = await import(${JSON.stringify(url)});` +
        `try { await handler(${JSON.stringify(event)}, { awsRequestId: 'trace-test', functionName: 'PreTokenGeneration' }); } catch (error) { console.log('refused: ' + error.message); }`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
        cwd: outdir,
        env: {
          PATH: process.env.PATH,
          // What Lambda sets, and the layer's modules where Lambda puts them on NODE_PATH.
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
          AWS_LAMBDA_FUNCTION_NAME: 'PreTokenGeneration',
          AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
          LAMBDA_TASK_ROOT: outdir,
          _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
          AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
          AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
          NODE_PATH: path.join(repositoryRoot, 'node_modules'),
          POWERTOOLS_SERVICE_NAME: 'manyi',
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          TABLE_NAME: 'manyi-bundle-test',
          AWS_REGION: 'ap-east-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        },
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, output).toBe(0);
      expect(output).toContain('refused: this user may not sign in to manyi');
      await handlerSent;
      const handlerSubsegment = documents.find((document) => document.name === '## PreTokenGeneration');
      expect(handlerSubsegment, JSON.stringify(documents)).toBeDefined();
      expect(handlerSubsegment!.annotations).toEqual({ ColdStart: true, Service: 'manyi' });
      expect(handlerSubsegment!.fault ?? handlerSubsegment!.error).toBe(true);
      const dynamodbCalls = [...documents, ...documents.flatMap((document) => document.subsegments ?? [])].filter((document) => document.name === 'DynamoDB');
      expect(dynamodbCalls.map((call) => call.aws?.operation)).toContain('GetItem');
      const recorded = JSON.stringify(documents);
      expect(recorded).not.toContain('li.wei');
      expect(recorded).not.toContain('usr_unknown');
    } finally {
      daemon.close();
      store.client.destroy();
      await dynamo.close();
    }
  }, 60_000);
});
