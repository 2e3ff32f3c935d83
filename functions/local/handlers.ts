/**
 * The local runtime's handler registry: the same factories the Lambda entries use, keyed by the
 * names in functions/manifest.ts. The Record types make a missing handler a compile error. Each
 * handler gets the store its Lambda entry declares (`storeView`: the methods of the store modules
 * the entry names in `dynamodb(...)`, any other one throws), so the tests through the local
 * runtime fail where a Lambda function would lack a store module.
 */
import type { Deps } from '../app/deps';
import type { ClientProviders } from '../runtime/lambda-entry';
import { storeView } from '../store/store-parts';
import type { HttpFunctionName } from '../http/routes';
import type { QueueFunctionName, ScheduledFunctionName } from '../manifest';
import type { HttpEvent, HttpResult } from '../http/middleware';
import { createHealthHandler, handler as healthHandlerEntry } from '../http/health';
import { handler as consoleHandlerEntry } from '../http/console';
import { createLocalConsoleHandler } from './console-route';
import { createRespondentHandler, handler as respondentHandlerEntry } from '../http/respondent';
import { createAdminSurveysHandler, handler as adminSurveysHandlerEntry } from '../http/admin-surveys';
import { createAdminOrgUnitsHandler, handler as adminOrgUnitsHandlerEntry } from '../http/admin-org-units';
import { createAdminCampaignsHandler, handler as adminCampaignsHandlerEntry } from '../http/admin-campaigns';
import { createAdminJobsHandler, handler as adminJobsHandlerEntry } from '../http/admin-jobs';
import { createAdminReportsHandler, handler as adminReportsHandlerEntry } from '../http/admin-reports';
import { createReportExportsHandler, handler as reportExportsHandlerEntry } from '../http/report-exports';
import { createComputeIndicesJob, handler as computeIndicesJobEntry } from '../jobs/compute-indices';
import { createAdminContactsHandler, handler as adminContactsHandlerEntry } from '../http/admin-contacts';
import { createAdminServiceEventsHandler, handler as adminServiceEventsHandlerEntry } from '../http/admin-service-events';
import { createAdminCommitmentsHandler, handler as adminCommitmentsHandlerEntry } from '../http/admin-commitments';
import { createAdminUsersHandler, handler as adminUsersHandlerEntry } from '../http/admin-users';
import { createAdminAuditHandler, handler as adminAuditHandlerEntry } from '../http/admin-audit';
import { createAdminPrivacyHandler, handler as adminPrivacyHandlerEntry } from '../http/admin-privacy';
import { createRetentionJob, handler as retentionJobEntry } from '../jobs/retention';
import { createDispatchJob, handler as dispatchJobEntry } from '../jobs/dispatch';
import { createCaseTimersJob, handler as caseTimersJobEntry } from '../jobs/case-timers';
import { createAdminCasesHandler, handler as adminCasesHandlerEntry } from '../http/admin-cases';
import { createSendSmsConsumer, handler as sendSmsConsumerEntry } from '../jobs/send-sms';

/** The handler as its Lambda entry builds it: over a store of only the modules the entry names. */
const asDeclared =
  <H>(entry: { readonly clients: readonly ClientProviders[] }, factory: (deps: Deps) => H) =>
  (deps: Deps): H => {
    // The other dependencies stay those of `deps`, read at each use (tests replace some of them,
    // or set an optional one, such as `calendars`, after start-up).
    const store = storeView(() => deps.store, entry.clients.flatMap((client) => client.storeParts ?? []));
    const declared = new Proxy(deps, { get: (target, key, receiver) => (key === 'store' ? store : Reflect.get(target, key, receiver)) });
    return factory(declared);
  };

export type LocalHttpHandler = (event: HttpEvent, context: never) => Promise<HttpResult>;

export const httpHandlerFactories: Record<HttpFunctionName, (deps: Deps) => LocalHttpHandler> = {
  Health: asDeclared(healthHandlerEntry, createHealthHandler) as (deps: Deps) => LocalHttpHandler,
  // The same handler over a build made in memory (the Lambda function reads the one its bundle carries).
  Console: asDeclared(consoleHandlerEntry, createLocalConsoleHandler) as (deps: Deps) => LocalHttpHandler,
  Respondent: asDeclared(respondentHandlerEntry, createRespondentHandler) as (deps: Deps) => LocalHttpHandler,
  AdminSurveys: asDeclared(adminSurveysHandlerEntry, createAdminSurveysHandler) as (deps: Deps) => LocalHttpHandler,
  AdminOrgUnits: asDeclared(adminOrgUnitsHandlerEntry, createAdminOrgUnitsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminCampaigns: asDeclared(adminCampaignsHandlerEntry, createAdminCampaignsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminJobs: asDeclared(adminJobsHandlerEntry, createAdminJobsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminReports: asDeclared(adminReportsHandlerEntry, createAdminReportsHandler) as (deps: Deps) => LocalHttpHandler,
  ReportExports: asDeclared(reportExportsHandlerEntry, createReportExportsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminContacts: asDeclared(adminContactsHandlerEntry, createAdminContactsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminServiceEvents: asDeclared(adminServiceEventsHandlerEntry, createAdminServiceEventsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminCommitments: asDeclared(adminCommitmentsHandlerEntry, createAdminCommitmentsHandler) as (deps: Deps) => LocalHttpHandler,
  AdminUsers: asDeclared(adminUsersHandlerEntry, createAdminUsersHandler) as (deps: Deps) => LocalHttpHandler,
  AdminAudit: asDeclared(adminAuditHandlerEntry, createAdminAuditHandler) as (deps: Deps) => LocalHttpHandler,
  AdminPrivacy: asDeclared(adminPrivacyHandlerEntry, createAdminPrivacyHandler) as (deps: Deps) => LocalHttpHandler,
  AdminCases: asDeclared(adminCasesHandlerEntry, createAdminCasesHandler) as (deps: Deps) => LocalHttpHandler,
};

export const scheduledJobFactories: Record<ScheduledFunctionName, (deps: Deps) => (event: unknown) => Promise<unknown>> = {
  ComputeIndices: asDeclared(computeIndicesJobEntry, createComputeIndicesJob),
  Dispatch: asDeclared(dispatchJobEntry, createDispatchJob),
  Retention: asDeclared(retentionJobEntry, createRetentionJob),
  CaseTimers: asDeclared(caseTimersJobEntry, createCaseTimersJob),
};

export const queueConsumerFactories = { SmsSender: asDeclared(sendSmsConsumerEntry, createSendSmsConsumer) } satisfies Record<QueueFunctionName, unknown>;
