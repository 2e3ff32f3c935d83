/**
 * Every Lambda function of manyi, declared once: its entry, memory, timeout, the grants it gets and
 * the AWS clients its entry builds (functions/runtime/). The CDK stack creates functions, grants,
 * schedules, queues and topics from these lists; the local runtime keys its handlers by the same
 * names; the bundling test checks that each bundle contains the clients declared here and no other.
 * The HTTP routes of the HTTP functions are in functions/http/routes.ts.
 */
import { DEFAULT_TIME_ZONE } from './domain/time-zone';
import { httpRoutes, type HttpFunctionName, type HttpRoutes } from './http/routes';
import type { AwsClient } from './runtime/lambda-entry';

export type { AwsClient } from './runtime/lambda-entry';

/** What every function declares, whatever invokes it. */
export interface FunctionSpec {
  /** Logical name: CDK construct id and local handler key. */
  readonly name: string;
  /** Source file (relative to the repository root) exporting `handler`. */
  readonly entry: string;
  /**
   * Whether the function writes to the table (otherwise it is granted read access only). A function
   * whose `clients` lack `dynamodb` gets no table access and no TABLE_NAME, and may not write.
   */
  readonly writes: boolean;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Calls the dispatcher: gets QUEUE_URL and sqs:SendMessage on the dispatch queue. */
  readonly enqueues?: boolean;
  /** Sends SMS through End User Messaging: gets sms-voice:SendTextMessage. */
  readonly sendsSms?: boolean;
  /**
   * Manages the sign-ins of the admin user pool (functions/channels/cognito-directory.ts): gets
   * USER_POOL_ID and the cognito-idp actions that adapter calls, on that pool only.
   */
  readonly managesSignIns?: boolean;
  /** The AWS clients the entry builds (and so its bundle contains). */
  readonly clients: readonly AwsClient[];
  /**
   * Its bundle carries the built console (infra/function.ts runs scripts/build-console.ts into the
   * asset) and it gets the hosted sign-in's settings (CONSOLE_SIGN_IN_*: user pool domain, app
   * client, callback URL).
   */
  readonly bundlesConsole?: boolean;
  /** Its bundle carries the PDF's CJK font (infra/function.ts `fontBundling` copies it into the asset). */
  readonly bundlesFonts?: boolean;
}

export interface HttpFunctionSpec extends FunctionSpec, HttpRoutes {
  readonly name: HttpFunctionName;
}

type HttpFunctionDeclaration = Omit<FunctionSpec, 'name'>;

const httpFunctionTable = {
  // Touches no table, so it stays cheap to poll; without the dynamodb client it gets no table grant.
  Health: { entry: 'functions/http/health.ts', writes: false, clients: [] },
  // The console's page and files, carried in its bundle; no table, no AWS client.
  Console: { entry: 'functions/http/console.ts', writes: false, clients: [], bundlesConsole: true },
  Respondent: { entry: 'functions/http/respondent.ts', writes: true, clients: ['dynamodb'] },
  AdminSurveys: { entry: 'functions/http/admin-surveys.ts', writes: true, clients: ['dynamodb'] },
  AdminOrgUnits: { entry: 'functions/http/admin-org-units.ts', writes: true, clients: ['dynamodb'] },
  AdminCampaigns: {
    entry: 'functions/http/admin-campaigns.ts',
    writes: true,
    // Up to 10,000 invitations are written in one request; API Gateway allows 30 s.
    timeoutSeconds: 29,
    memoryMb: 512,
    // POST /admin/campaigns/test-send: one message of a campaign being made, to the maker's phone.
    sendsSms: true,
    clients: ['dynamodb', 'kms', 'sms'],
  },
  AdminJobs: {
    entry: 'functions/http/admin-jobs.ts',
    writes: true,
    enqueues: true,
    // API Gateway ends an HTTP API request after 30 s; the scheduled function has the long timeout.
    timeoutSeconds: 29,
    memoryMb: 1024,
    clients: ['dynamodb', 'sqs', 'kms'],
  },
  AdminContacts: { entry: 'functions/http/admin-contacts.ts', writes: true, timeoutSeconds: 29, memoryMb: 512, clients: ['dynamodb', 'kms'] },
  AdminCommitments: { entry: 'functions/http/admin-commitments.ts', writes: true, clients: ['dynamodb'] },
  AdminServiceEvents: { entry: 'functions/http/admin-service-events.ts', writes: true, clients: ['dynamodb', 'kms'] },
  AdminReports: { entry: 'functions/http/admin-reports.ts', writes: false, clients: ['dynamodb'] },
  // Report files (CSV, XLSX, PDF): ExcelJS, pdfkit with a CJK font, and a whole subtree's responses need the memory and time.
  ReportExports: { entry: 'functions/http/report-exports.ts', writes: false, timeoutSeconds: 29, memoryMb: 1024, clients: ['dynamodb'], bundlesFonts: true },
  // Users: the record here, the sign-in in Cognito's user pool (AdminCreateUser, groups, disabling).
  AdminUsers: { entry: 'functions/http/admin-users.ts', writes: true, managesSignIns: true, clients: ['dynamodb', 'cognito'] },
  AdminAudit: { entry: 'functions/http/admin-audit.ts', writes: false, clients: ['dynamodb'] },
  // A person's export and erasure (PIPL): reads and deletes across contacts, invitations and the SMS log.
  AdminPrivacy: { entry: 'functions/http/admin-privacy.ts', writes: true, clients: ['dynamodb', 'kms'] },
  // Cases, and POST /admin/jobs/case-timers (the CaseTimers schedule's code, which notifies by SMS).
  AdminCases: { entry: 'functions/http/admin-cases.ts', writes: true, sendsSms: true, timeoutSeconds: 29, memoryMb: 512, clients: ['dynamodb', 'kms', 'sms'] },
} as const satisfies Record<HttpFunctionName, HttpFunctionDeclaration>;

/** The HTTP functions, each with its routes from functions/http/routes.ts. */
export const httpFunctions: readonly HttpFunctionSpec[] = (Object.keys(httpFunctionTable) as HttpFunctionName[]).map((name) => ({
  name,
  ...(httpFunctionTable[name] as HttpFunctionDeclaration),
  ...httpRoutes[name],
}));

export interface ScheduledFunctionSpec extends FunctionSpec {
  /** EventBridge Scheduler expression, evaluated in `timeZone`. */
  readonly schedule: string;
  readonly timeZone: string;
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
    clients: ['dynamodb'],
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
    clients: ['dynamodb', 'sqs', 'kms'],
  },
  {
    // Sweeps new responses for alert rules, notices missed deadlines, escalates and notifies (app/case-timers.ts).
    name: 'CaseTimers',
    entry: 'functions/jobs/case-timers.ts',
    schedule: 'rate(1 minute)',
    timeZone: DEFAULT_TIME_ZONE,
    writes: true,
    sendsSms: true,
    timeoutSeconds: 60,
    memoryMb: 512,
    clients: ['dynamodb', 'sms', 'kms'],
  },
  {
    // Deletes or anonymises each kind of personal data after its retention period (docs/privacy.md).
    name: 'Retention',
    entry: 'functions/jobs/retention.ts',
    schedule: 'cron(30 3 * * ? *)',
    timeZone: DEFAULT_TIME_ZONE,
    writes: true,
    timeoutSeconds: 900,
    memoryMb: 512,
    clients: ['dynamodb', 'kms'],
  },
] as const satisfies readonly ScheduledFunctionSpec[];

export type ScheduledFunctionName = (typeof scheduledFunctionList)[number]['name'];
export const scheduledFunctions: readonly (ScheduledFunctionSpec & { readonly name: ScheduledFunctionName })[] = scheduledFunctionList;

/** Functions fed by a queue (SQS with a dead-letter queue; batch item failures reported). */
export interface QueueFunctionSpec extends FunctionSpec {
  readonly batchSize: number;
  /** Receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly timeoutSeconds: number;
}

const queueFunctionList = [
  {
    name: 'SmsSender',
    entry: 'functions/jobs/send-sms.ts',
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 60,
    writes: true,
    sendsSms: true,
    clients: ['dynamodb', 'sms', 'kms'],
  },
] as const satisfies readonly QueueFunctionSpec[];

export type QueueFunctionName = (typeof queueFunctionList)[number]['name'];
export const queueFunctions: readonly (QueueFunctionSpec & { readonly name: QueueFunctionName })[] = queueFunctionList;

/** Functions subscribed to an SNS topic (inbound two-way SMS and delivery events). */
export type TopicFunctionSpec = FunctionSpec;

const topicFunctionList = [
  { name: 'InboundSms', entry: 'functions/jobs/inbound-sms.ts', writes: true, sendsSms: true, clients: ['dynamodb', 'sms', 'kms'] },
] as const satisfies readonly TopicFunctionSpec[];

export type TopicFunctionName = (typeof topicFunctionList)[number]['name'];
export const topicFunctions: readonly (TopicFunctionSpec & { readonly name: TopicFunctionName })[] = topicFunctionList;

/** Functions Cognito calls for the admin user pool: `trigger` names the pool's operation. */
export interface UserPoolTriggerFunctionSpec extends FunctionSpec {
  readonly trigger: 'preTokenGeneration';
}

const userPoolTriggerFunctionList = [
  // Runs at every sign-in and refresh: a read of one user record.
  { name: 'PreTokenGeneration', entry: 'functions/jobs/pre-token-generation.ts', trigger: 'preTokenGeneration', writes: false, timeoutSeconds: 5, clients: ['dynamodb'] },
] as const satisfies readonly UserPoolTriggerFunctionSpec[];

export type UserPoolTriggerFunctionName = (typeof userPoolTriggerFunctionList)[number]['name'];
export const userPoolTriggerFunctions: readonly (UserPoolTriggerFunctionSpec & { readonly name: UserPoolTriggerFunctionName })[] = userPoolTriggerFunctionList;

/** Every function, in the order the stack creates them. */
export const allFunctions: readonly FunctionSpec[] = [...httpFunctions, ...scheduledFunctions, ...queueFunctions, ...topicFunctions, ...userPoolTriggerFunctions];
