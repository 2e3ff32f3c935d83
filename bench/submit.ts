/**
 * Submit benchmark: `npx tsx bench/submit.ts [submits]` (default 400).
 *
 * On one in-process dynalite, alternates a JSON submit through the whole Respondent handler (middy,
 * zod, the Query of the invitation with its response, validation, the conditional put of the
 * response) with the floor any submit has to pay: a bare GetItem plus a conditional PutItem through
 * the same client. Prints the median and p95 of each and their ratio (goal: at most 1.5x).
 * Published questionnaire: surveys/bank-branch-csi.yaml; each submit answers a fresh invitation.
 */
import { readFileSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { parse } from 'yaml';
import { createRespondentHandler } from '../functions/http/respondent';
import type { HttpEvent } from '../functions/http/middleware';
import { plausibleAnswers } from '../functions/local/demo';
import { startBenchPlatform } from './platform';
import { seededRandom } from '../functions/domain/pls';

const submits = Number(process.argv[2] ?? 400);
const { platform, admin } = await startBenchPlatform();


const milliseconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

try {
  await admin('/admin/surveys', parse(readFileSync(new URL('../surveys/bank-branch-csi.yaml', import.meta.url), 'utf8')));
  await admin('/admin/org-units', { units: [{ id: 'hq', name: 'HQ' }] });
  const campaign = await admin('/admin/campaigns', { surveyId: 'bank-branch-csi', channel: 'link', contacts: Array.from({ length: submits + 20 }, () => ({ orgUnitId: 'hq' })) });
  const tokens = (campaign.invitations as { token: string }[]).map((i) => i.token);
  const questionnaire = (await platform.deps.store.getLatestSurveyVersion('bank-branch-csi'))!.definition;
  const random = seededRandom(7);
  const handler = createRespondentHandler(platform.deps);
  const context = { awsRequestId: 'bench', functionName: 'Respondent' } as Context;
  const { client, tableName } = platform.deps.store;

  const submit = async (token: string) => {
    const event = {
      version: '2.0',
      routeKey: 'POST /s/{token}',
      rawPath: `/s/${token}`,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { token },
      isBase64Encoded: false,
      body: JSON.stringify({ answers: plausibleAnswers(questionnaire, 0.7, random), lang: 'zh-CN' }),
      requestContext: { http: { method: 'POST', path: `/s/${token}` }, requestId: 'bench', routeKey: 'POST /s/{token}' },
    } as unknown as HttpEvent;
    const result = await handler(event, context);
    if (result.statusCode !== 201) throw new Error(`submit answered ${result.statusCode}: ${result.body}`);
  };
  const floor = async (i: number) => {
    await client.send(new GetCommand({ TableName: tableName, Key: { pk: `BENCH#${i}`, sk: 'GET' }, ConsistentRead: true }));
    await client.send(new PutCommand({ TableName: tableName, Item: { pk: `BENCH#${i}`, sk: 'PUT', answers: { q1: 5 } }, ConditionExpression: 'attribute_not_exists(pk)' }));
  };

  // Warm-up: the first questionnaire read, the JIT, the connection.
  for (let i = 0; i < 20; i++) {
    await submit(tokens[submits + i]!);
    await floor(-1 - i);
  }
  const full: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < submits; i++) {
    let start = process.hrtime.bigint();
    await submit(tokens[i]!);
    full.push(milliseconds(start));
    start = process.hrtime.bigint();
    await floor(i);
    bare.push(milliseconds(start));
  }
  const row = (label: string, values: number[]) => `${label.padEnd(34)} ${quantile(values, 0.5).toFixed(2).padStart(8)} ms ${quantile(values, 0.95).toFixed(2).padStart(8)} ms`;
  console.log(`submit benchmark: ${submits} JSON submits alternated with the bare pair (node ${process.version}, dynalite in process)\n`);
  console.log(`${''.padEnd(34)} ${'median'.padStart(11)} ${'p95'.padStart(11)}`);
  console.log(row('Respondent handler, JSON submit', full));
  console.log(row('GetItem + conditional PutItem', bare));
  console.log(`\nratio: median ${(quantile(full, 0.5) / quantile(bare, 0.5)).toFixed(2)}x, p95 ${(quantile(full, 0.95) / quantile(bare, 0.95)).toFixed(2)}x (goal <= 1.5x)`);
} finally {
  await platform.stop();
}
