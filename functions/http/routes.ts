/**
 * The HTTP surface, declared once. The CDK stack derives its Lambda functions, API routes and
 * authorizer attachment from this table, and the local runtime derives its router from it, so the
 * two can never disagree about which handler serves which route or which routes need an admin.
 */
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
    routes: ['POST /admin/campaigns'],
    access: 'admin',
    writes: true,
    // Up to 10,000 invitations are written in one request; API Gateway allows 30 s.
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  {
    name: 'AdminJobs',
    entry: 'functions/http/admin-jobs.ts',
    routes: ['POST /admin/jobs/compute-indices'],
    access: 'admin',
    writes: true,
    // API Gateway ends an HTTP API request after 30 s; the scheduled function has the long timeout.
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
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
}

const scheduledFunctionList = [
  {
    name: 'ComputeIndices',
    entry: 'functions/jobs/compute-indices.ts',
    schedule: 'rate(15 minutes)',
    timeZone: 'Asia/Shanghai',
    writes: true,
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
] as const satisfies readonly ScheduledFunctionSpec[];

export type ScheduledFunctionName = (typeof scheduledFunctionList)[number]['name'];
export const scheduledFunctions: readonly (ScheduledFunctionSpec & { readonly name: ScheduledFunctionName })[] = scheduledFunctionList;
