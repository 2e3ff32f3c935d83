/**
 * The HTTP surface, declared once: which routes each HTTP function serves and whether they need an
 * admin. The CDK stack derives its API routes and authorizer attachment from this table (with the
 * functions themselves from functions/manifest.ts), and the local runtime derives its router from
 * it, so the two can never disagree about which handler serves which route.
 */
export type Access = 'public' | 'admin';

export interface HttpRoutes {
  /** API Gateway route keys served by the function, e.g. "GET /s/{token}". */
  readonly routes: readonly string[];
  readonly access: Access;
}

const httpRouteTable = {
  Health: { routes: ['GET /health'], access: 'public' },
  Respondent: { routes: ['GET /s/{token}', 'POST /s/{token}', 'GET /s/{token}/thanks'], access: 'public' },
  AdminSurveys: { routes: ['POST /admin/surveys'], access: 'admin' },
  AdminOrgUnits: { routes: ['POST /admin/org-units'], access: 'admin' },
  AdminCampaigns: { routes: ['POST /admin/campaigns', 'POST /admin/campaigns/preview', 'GET /admin/campaigns/{campaignId}'], access: 'admin' },
  AdminJobs: { routes: ['POST /admin/jobs/compute-indices', 'POST /admin/jobs/dispatch'], access: 'admin' },
  AdminContacts: { routes: ['POST /admin/contacts'], access: 'admin' },
  AdminCommitments: { routes: ['POST /admin/commitments', 'GET /admin/commitments'], access: 'admin' },
  AdminServiceEvents: { routes: ['POST /admin/service-events'], access: 'admin' },
  AdminReports: { routes: ['GET /admin/reports/{surveyId}'], access: 'admin' },
} as const satisfies Record<string, HttpRoutes>;

/** Logical name of an HTTP function: CDK construct id, key of functions/manifest.ts and of the local handlers. */
export type HttpFunctionName = keyof typeof httpRouteTable;
export const httpRoutes: Readonly<Record<HttpFunctionName, HttpRoutes>> = httpRouteTable;
