/**
 * The HTTP surface, declared once: which routes each HTTP function serves, whether they need a
 * signed-in user, and for an admin route the action of the access policy it takes
 * (functions/domain/access/roles.ts). The CDK stack derives its API routes and authorizer
 * attachment from this table (with the functions themselves from functions/manifest.ts), the local
 * runtime derives its router from it, and the admin middleware checks the caller's role against the
 * route's action before the handler runs, so the two can never disagree about who may call what.
 */
import type { Action } from '../domain/access/roles';

export type Access = 'public' | 'admin';

export interface HttpRoutes {
  /** API Gateway route keys served by the function, e.g. "GET /s/{token}". */
  readonly routes: readonly string[];
  readonly access: Access;
  /** Admin routes: the policy action each route key takes. */
  readonly actions?: Readonly<Record<string, Action>>;
}

type RouteDeclaration = { readonly access: 'public'; readonly routes: readonly string[] } | { readonly access: 'admin'; readonly actions: Readonly<Record<string, Action>> };

const httpRouteTable = {
  Health: { access: 'public', routes: ['GET /health'] },
  // The console's page and built files. GET /console is the page (a route key cannot end in "/",
  // and /console/ is not shown to reach any route: docs/console.md); {asset+} takes every file name.
  Console: { access: 'public', routes: ['GET /console', 'GET /console/{asset+}'] },
  Respondent: { access: 'public', routes: ['GET /s/{token}', 'POST /s/{token}', 'GET /s/{token}/thanks'] },
  AdminSurveys: {
    access: 'admin',
    actions: {
      'POST /admin/surveys': 'surveys:write',
      'GET /admin/surveys': 'surveys:read',
      'GET /admin/surveys/{surveyId}/versions/{version}': 'surveys:read',
      'GET /admin/surveys/{surveyId}/draft': 'surveys:read',
      'PUT /admin/surveys/{surveyId}/draft': 'surveys:write',
      'POST /admin/surveys/{surveyId}/draft/publish': 'surveys:write',
      'POST /admin/surveys/{surveyId}/archive': 'surveys:write',
    },
  },
  AdminOrgUnits: { access: 'admin', actions: { 'POST /admin/org-units': 'orgUnits:write', 'GET /admin/org-units': 'orgUnits:read' } },
  AdminCampaigns: {
    access: 'admin',
    actions: {
      'POST /admin/campaigns': 'campaigns:write',
      'POST /admin/campaigns/preview': 'campaigns:write',
      'POST /admin/campaigns/test-send': 'campaigns:write',
      'GET /admin/campaigns/{campaignId}': 'campaigns:read',
      'GET /admin/campaigns': 'campaigns:read',
      'GET /admin/campaigns/{campaignId}/invitations': 'campaigns:read',
      'POST /admin/invitations/{invitationId}/reissue': 'campaigns:write',
    },
  },
  AdminJobs: { access: 'admin', actions: { 'POST /admin/jobs/compute-indices': 'jobs:run', 'POST /admin/jobs/dispatch': 'jobs:run' } },
  AdminContacts: { access: 'admin', actions: { 'POST /admin/contacts': 'contacts:write', 'GET /admin/contacts': 'contacts:read' } },
  AdminCommitments: {
    access: 'admin',
    actions: {
      'POST /admin/commitments': 'commitments:write',
      'GET /admin/commitments': 'commitments:read',
      'GET /admin/commitments/compliance': 'commitments:read',
      'POST /admin/metrics': 'metrics:write',
      'GET /admin/metrics': 'metrics:read',
    },
  },
  AdminServiceEvents: { access: 'admin', actions: { 'POST /admin/service-events': 'serviceEvents:write', 'GET /admin/service-events': 'serviceEvents:read' } },
  AdminReports: { access: 'admin', actions: { 'GET /admin/reports/{surveyId}': 'reports:read' } },
  // Exports: a function of its own, so the workbook writer is loaded by exports only.
  ReportExports: { access: 'admin', actions: { 'GET /admin/reports/{surveyId}/export': 'exports:read' } },
  AdminUsers: {
    access: 'admin',
    actions: { 'POST /admin/users': 'users:manage', 'GET /admin/users': 'users:manage', 'PATCH /admin/users/{userId}': 'users:manage', 'GET /admin/me': 'self:read' },
  },
  AdminAudit: { access: 'admin', actions: { 'GET /admin/audit': 'audit:read' } },
  AdminCases: {
    access: 'admin',
    actions: {
      'POST /admin/cases': 'cases:work',
      'GET /admin/cases': 'cases:work',
      'GET /admin/cases/{caseId}': 'cases:work',
      'POST /admin/cases/{caseId}/events': 'cases:work',
      // Rules belong to the questionnaires (organisation-wide); the settings to the organisation.
      'POST /admin/alert-rules': 'surveys:write',
      'GET /admin/alert-rules': 'surveys:read',
      'GET /admin/case-settings': 'cases:work',
      'PUT /admin/case-settings': 'orgUnits:write',
      // The case timers' code, served beside the cases (the jobs function sends no SMS).
      'POST /admin/jobs/case-timers': 'jobs:run',
    },
  },
  AdminPrivacy: { access: 'admin', actions: { 'POST /admin/privacy/erase': 'privacy:manage', 'GET /admin/privacy/export': 'privacy:manage' } },
} as const satisfies Record<string, RouteDeclaration>;

/** Logical name of an HTTP function: CDK construct id, key of functions/manifest.ts and of the local handlers. */
export type HttpFunctionName = keyof typeof httpRouteTable;

const routesOf = (declaration: RouteDeclaration): HttpRoutes =>
  declaration.access === 'admin'
    ? { access: 'admin', routes: Object.keys(declaration.actions), actions: declaration.actions }
    : { access: 'public', routes: declaration.routes };

export const httpRoutes: Readonly<Record<HttpFunctionName, HttpRoutes>> = Object.fromEntries(
  Object.entries(httpRouteTable).map(([name, declaration]) => [name, routesOf(declaration)]),
) as Record<HttpFunctionName, HttpRoutes>;

/** The action an admin route takes (undefined for a public route or an unknown key). */
const actionByRoute: ReadonlyMap<string, Action> = new Map(
  Object.values(httpRoutes).flatMap((fn) => Object.entries(fn.actions ?? {})),
);
export const actionOfRoute = (routeKey: string): Action | undefined => actionByRoute.get(routeKey);
