/**
 * The HTTP surface, declared once. The CDK stack derives its Lambda functions, API routes and
 * authorizer attachment from this table, and the local runtime derives its router from it, so the
 * two can never disagree about which handler serves which route or which routes need an admin.
 */
import { DEFAULT_TIME_ZONE } from '../domain/time-zone';

export type Access = 'public' | 'admin';

export interface HttpFunctionSpec {
  /** Logical name: CDK construct id and local handler key. */
  readonly name: string;
  /** Source file (relative to the repository root) exporting `handler`. */
  readonly entry: string;
  /** API Gateway route keys served by this function, e.g. "GET /s/{token}". */
  readonly routes: readonly string[];
  readonly access: Access;
  /** Whether the function writes to the table (otherwise it is granted read access only). */
  readonly writes: boolean;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Calls the dispatcher: gets QUEUE_URL and sqs:SendMessage on the dispatch queue. */
  readonly enqueues?: boolean;
}

const httpFunctionList = [
  { name: 'Health', entry: 'functions/http/health.ts', routes: ['GET /health'], access: 'public', writes: false },
  {
    name: 'Respondent',
    entry: 'functions/http/respondent.ts',
    routes: ['GET /s/{token}', 'POST /s/{token}', 'GET /s/{token}/thanks'],
    access: 'public',
    writes: true,
  },
  { name: 'AdminSurveys', entry: 'functions/http/admin-surveys.ts', routes: ['POST /admin/surveys'], access: 'admin', writes: true },
  { name: 'AdminOrgUnits', entry: 'functions/http/admin-org-units.ts', routes: ['POST /admin/org-units'], access: 'admin', writes: true },
  {
    name: 'AdminCampaigns',
    entry: 'functions/http/admin-campaigns.ts',
    routes: ['POST /admin/campaigns', 'POST /admin/campaigns/preview', 'GET /admin/campaigns/{campaignId}'],
    access: 'admin',
    writes: true,
    // Up to 10,000 invitations are written in one request; API Gateway allows 30 s.
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  {
    name: 'AdminJobs',
    entry: 'functions/http/admin-jobs.ts',
    routes: ['POST /admin/jobs/compute-indices', 'POST /admin/jobs/dispatch'],
    access: 'admin',
    writes: true,
    enqueues: true,
    // API Gateway ends an HTTP API request after 30 s; the scheduled function has the long timeout.
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  { name: 'AdminContacts', entry: 'functions/http/admin-contacts.ts', routes: ['POST /admin/contacts'], access: 'admin', writes: true, timeoutSeconds: 29, memoryMb: 512 },
  {
    name: 'AdminCommitments',
    entry: 'functions/http/admin-commitments.ts',
    routes: ['POST /admin/commitments', 'GET /admin/commitments'],
    access: 'admin',
    writes: true,
  },
  { name: 'AdminServiceEvents', entry: 'functions/http/admin-service-events.ts', routes: ['POST /admin/service-events'], access: 'admin', writes: true },
  { name: 'AdminReports', entry: 'functions/http/admin-reports.ts', routes: ['GET /admin/reports/{surveyId}'], access: 'admin', writes: false },
] as const satisfies readonly HttpFunctionSpec[];

export type HttpFunctionName = (typeof httpFunctionList)[number]['name'];
export const httpFunctions: readonly (HttpFunctionSpec & { readonly name: HttpFunctionName })[] = httpFunctionList;

export interface ScheduledFunctionSpec {
  readonly name: string;
  readonly entry: string;
  /** EventBridge Scheduler expression, evaluated in `timeZone`. */
  readonly schedule: string;
  readonly timeZone: string;
  readonly writes: boolean;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Calls the dispatcher: gets QUEUE_URL and sqs:SendMessage on the dispatch queue. */
  readonly enqueues?: boolean;
}

const scheduledFunctionList = [
  {
    name: 'ComputeIndices',
    entry: 'functions/jobs/compute-indices.ts',
    schedule: 'rate(15 minutes)',
    timeZone: DEFAULT_TIME_ZONE,
    writes: true,
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  {
    name: 'Dispatch',
    entry: 'functions/jobs/dispatch.ts',
    schedule: 'rate(1 minute)',
    timeZone: DEFAULT_TIME_ZONE,
    writes: true,
    enqueues: true,
    timeoutSeconds: 60,
    memoryMb: 512,
  },
] as const satisfies readonly ScheduledFunctionSpec[];

export type ScheduledFunctionName = (typeof scheduledFunctionList)[number]['name'];
export const scheduledFunctions: readonly (ScheduledFunctionSpec & { readonly name: ScheduledFunctionName })[] = scheduledFunctionList;

/** Functions fed by a queue (SQS with a dead-letter queue; batch item failures reported). */
export interface QueueFunctionSpec {
  readonly name: string;
  readonly entry: string;
  readonly batchSize: number;
  /** Receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly timeoutSeconds: number;
  readonly writes: boolean;
  /** The function sends SMS through End User Messaging. */
  readonly sendsSms: boolean;
}

const queueFunctionList = [
  { name: 'SmsSender', entry: 'functions/jobs/send-sms.ts', batchSize: 10, maxReceiveCount: 5, timeoutSeconds: 60, writes: true, sendsSms: true },
] as const satisfies readonly QueueFunctionSpec[];

export type QueueFunctionName = (typeof queueFunctionList)[number]['name'];
export const queueFunctions: readonly (QueueFunctionSpec & { readonly name: QueueFunctionName })[] = queueFunctionList;

/** Functions subscribed to an SNS topic (inbound two-way SMS and delivery events). */
export interface TopicFunctionSpec {
  readonly name: string;
  readonly entry: string;
  readonly writes: boolean;
  readonly sendsSms: boolean;
}

const topicFunctionList = [{ name: 'InboundSms', entry: 'functions/jobs/inbound-sms.ts', writes: true, sendsSms: true }] as const satisfies readonly TopicFunctionSpec[];

export type TopicFunctionName = (typeof topicFunctionList)[number]['name'];
export const topicFunctions: readonly (TopicFunctionSpec & { readonly name: TopicFunctionName })[] = topicFunctionList;
