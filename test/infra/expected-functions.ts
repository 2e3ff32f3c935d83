/**
 * The functions the stack must have, written out rather than read from functions/manifest.ts, so
 * that the stack tests compare the synthesized template with an independent statement of intent
 * (a wrong manifest entry fails them instead of being mirrored by them).
 */
type Access = 'public' | 'admin';

export interface ExpectedFunction {
  readonly name: string;
  readonly writes: boolean;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly enqueues: boolean;
  readonly sendsSms: boolean;
  readonly clients: readonly string[];
  /** Gets USER_POOL_ID and the user-pool actions of the Cognito directory. */
  readonly managesSignIns: boolean;
  /** Its bundle carries the built console, and it gets the hosted sign-in's settings. */
  readonly bundlesConsole: boolean;
  readonly bundlesFonts: boolean;
}

export interface ExpectedHttpFunction extends ExpectedFunction {
  readonly routes: readonly string[];
  readonly access: Access;
}

const defaults = { timeoutSeconds: 10, memoryMb: 256, enqueues: false, sendsSms: false, managesSignIns: false, bundlesConsole: false, bundlesFonts: false, clients: ['dynamodb'] } as const;

export const expectedHttpFunctions: readonly ExpectedHttpFunction[] = [
  { ...defaults, name: 'Health', routes: ['GET /health'], access: 'public', writes: false, clients: [] },
  { ...defaults, name: 'Console', routes: ['GET /console', 'GET /console/{asset+}'], access: 'public', writes: false, clients: [], bundlesConsole: true },
  { ...defaults, name: 'Respondent', routes: ['GET /s/{token}', 'POST /s/{token}', 'GET /s/{token}/thanks'], access: 'public', writes: true },
  {
    ...defaults,
    name: 'AdminSurveys',
    routes: [
      'POST /admin/surveys',
      'GET /admin/surveys',
      'GET /admin/surveys/{surveyId}/versions/{version}',
      'GET /admin/surveys/{surveyId}/draft',
      'PUT /admin/surveys/{surveyId}/draft',
      'POST /admin/surveys/{surveyId}/draft/publish',
      'POST /admin/surveys/{surveyId}/archive',
    ],
    access: 'admin',
    writes: true,
  },
  { ...defaults, name: 'AdminOrgUnits', routes: ['POST /admin/org-units', 'GET /admin/org-units'], access: 'admin', writes: true },
  {
    ...defaults,
    name: 'AdminCampaigns',
    routes: ['POST /admin/campaigns', 'POST /admin/campaigns/preview', 'POST /admin/campaigns/test-send', 'GET /admin/campaigns/{campaignId}', 'GET /admin/campaigns', 'GET /admin/campaigns/{campaignId}/invitations', 'POST /admin/invitations/{invitationId}/reissue'],
    access: 'admin',
    writes: true,
    timeoutSeconds: 29,
    memoryMb: 512,
    // A test message of a campaign being made goes to the maker's phone.
    sendsSms: true,
    clients: ['dynamodb', 'kms', 'sms'],
  },
  {
    ...defaults,
    name: 'AdminJobs',
    routes: ['POST /admin/jobs/compute-indices', 'POST /admin/jobs/dispatch'],
    access: 'admin',
    writes: true,
    enqueues: true,
    timeoutSeconds: 29,
    memoryMb: 1024,
    clients: ['dynamodb', 'sqs', 'kms'],
  },
  { ...defaults, name: 'AdminContacts', routes: ['POST /admin/contacts', 'GET /admin/contacts'], access: 'admin', writes: true, timeoutSeconds: 29, memoryMb: 512, clients: ['dynamodb', 'kms'] },
  { ...defaults, name: 'AdminCommitments', routes: ['POST /admin/commitments', 'GET /admin/commitments', 'GET /admin/commitments/compliance', 'POST /admin/metrics', 'GET /admin/metrics'], access: 'admin', writes: true },
  { ...defaults, name: 'AdminServiceEvents', routes: ['POST /admin/service-events', 'GET /admin/service-events'], access: 'admin', writes: true, clients: ['dynamodb', 'kms'] },
  { ...defaults, name: 'AdminReports', routes: ['GET /admin/reports/{surveyId}'], access: 'admin', writes: false },
  { ...defaults, name: 'ReportExports', routes: ['GET /admin/reports/{surveyId}/export'], access: 'admin', writes: false, timeoutSeconds: 29, memoryMb: 1024, bundlesFonts: true },
  {
    ...defaults,
    name: 'AdminUsers',
    routes: ['POST /admin/users', 'GET /admin/users', 'PATCH /admin/users/{userId}', 'GET /admin/me'],
    access: 'admin',
    writes: true,
    managesSignIns: true,
    clients: ['dynamodb', 'cognito'],
  },
  { ...defaults, name: 'AdminAudit', routes: ['GET /admin/audit'], access: 'admin', writes: false },
  { ...defaults, name: 'AdminPrivacy', routes: ['POST /admin/privacy/erase', 'GET /admin/privacy/export'], access: 'admin', writes: true, clients: ['dynamodb', 'kms'] },
  {
    ...defaults,
    name: 'AdminCases',
    routes: [
      'POST /admin/cases',
      'GET /admin/cases',
      'GET /admin/cases/{caseId}',
      'POST /admin/cases/{caseId}/events',
      'POST /admin/alert-rules',
      'GET /admin/alert-rules',
      'GET /admin/case-settings',
      'PUT /admin/case-settings',
      'POST /admin/jobs/case-timers',
    ],
    access: 'admin',
    writes: true,
    timeoutSeconds: 29,
    memoryMb: 512,
    // The case timers notify the staff an escalation reaches.
    sendsSms: true,
    clients: ['dynamodb', 'kms', 'sms'],
  },
];

export const expectedScheduledFunctions: readonly (ExpectedFunction & { readonly schedule: string; readonly timeZone: string })[] = [
  { ...defaults, name: 'ComputeIndices', schedule: 'rate(15 minutes)', timeZone: 'Asia/Shanghai', writes: true, timeoutSeconds: 900, memoryMb: 1024 },
  {
    ...defaults,
    name: 'Dispatch',
    schedule: 'rate(1 minute)',
    timeZone: 'Asia/Shanghai',
    writes: true,
    enqueues: true,
    timeoutSeconds: 60,
    memoryMb: 512,
    clients: ['dynamodb', 'sqs', 'kms'],
  },
  { ...defaults, name: 'CaseTimers', schedule: 'rate(1 minute)', timeZone: 'Asia/Shanghai', writes: true, sendsSms: true, timeoutSeconds: 60, memoryMb: 512, clients: ['dynamodb', 'sms', 'kms'] },
  { ...defaults, name: 'Retention', schedule: 'cron(30 3 * * ? *)', timeZone: 'Asia/Shanghai', writes: true, timeoutSeconds: 900, memoryMb: 512, clients: ['dynamodb', 'kms'] },
];

export const expectedQueueFunctions: readonly (ExpectedFunction & { readonly batchSize: number; readonly maxReceiveCount: number })[] = [
  { ...defaults, name: 'SmsSender', batchSize: 10, maxReceiveCount: 5, timeoutSeconds: 60, writes: true, sendsSms: true, clients: ['dynamodb', 'sms', 'kms'] },
];

export const expectedTopicFunctions: readonly ExpectedFunction[] = [
  { ...defaults, name: 'InboundSms', writes: true, sendsSms: true, clients: ['dynamodb', 'sms', 'kms'] },
];

/** Called by Cognito for the admin pool: `trigger` is the pool operation it is wired to. */
export const expectedUserPoolTriggerFunctions: readonly (ExpectedFunction & { readonly trigger: string })[] = [
  { ...defaults, name: 'PreTokenGeneration', trigger: 'preTokenGeneration', writes: false, timeoutSeconds: 5 },
];

export const expectedFunctions: readonly ExpectedFunction[] = [
  ...expectedHttpFunctions,
  ...expectedScheduledFunctions,
  ...expectedQueueFunctions,
  ...expectedTopicFunctions,
  ...expectedUserPoolTriggerFunctions,
];
