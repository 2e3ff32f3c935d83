import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { lambdaEntry } from '../runtime/lambda-entry';
import { json, type HttpEvent, type HttpResult } from './middleware';

/** GET /health: the API answers (it does not touch the table, so it stays cheap to poll). */
export const createHealthHandler = (_deps: Deps) => middy<HttpEvent, HttpResult>().handler(async () => json(200, { ok: true }));

export const handler = lambdaEntry(createHealthHandler);
