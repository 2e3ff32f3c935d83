/**
 * The local runtime's handler registry: the same factories the Lambda entries use, keyed by the
 * names in functions/manifest.ts. The Record types make a missing handler a compile error.
 */
import type { Deps } from '../app/deps';
import type { HttpFunctionName } from '../http/routes';
import type { QueueFunctionName, ScheduledFunctionName } from '../manifest';
import type { HttpEvent, HttpResult } from '../http/middleware';
import { createHealthHandler } from '../http/health';
import { createRespondentHandler } from '../http/respondent';
import { createAdminSurveysHandler } from '../http/admin-surveys';
import { createAdminOrgUnitsHandler } from '../http/admin-org-units';
import { createAdminCampaignsHandler } from '../http/admin-campaigns';
import { createAdminJobsHandler } from '../http/admin-jobs';
import { createAdminReportsHandler } from '../http/admin-reports';
import { createComputeIndicesJob } from '../jobs/compute-indices';
import { createAdminContactsHandler } from '../http/admin-contacts';
import { createAdminServiceEventsHandler } from '../http/admin-service-events';
import { createAdminCommitmentsHandler } from '../http/admin-commitments';
import { createDispatchJob } from '../jobs/dispatch';
import { createSendSmsConsumer } from '../jobs/send-sms';

export type LocalHttpHandler = (event: HttpEvent, context: never) => Promise<HttpResult>;

export const httpHandlerFactories: Record<HttpFunctionName, (deps: Deps) => LocalHttpHandler> = {
  Health: createHealthHandler as (deps: Deps) => LocalHttpHandler,
  Respondent: createRespondentHandler as (deps: Deps) => LocalHttpHandler,
  AdminSurveys: createAdminSurveysHandler as (deps: Deps) => LocalHttpHandler,
  AdminOrgUnits: createAdminOrgUnitsHandler as (deps: Deps) => LocalHttpHandler,
  AdminCampaigns: createAdminCampaignsHandler as (deps: Deps) => LocalHttpHandler,
  AdminJobs: createAdminJobsHandler as (deps: Deps) => LocalHttpHandler,
  AdminReports: createAdminReportsHandler as (deps: Deps) => LocalHttpHandler,
  AdminContacts: createAdminContactsHandler as (deps: Deps) => LocalHttpHandler,
  AdminServiceEvents: createAdminServiceEventsHandler as (deps: Deps) => LocalHttpHandler,
  AdminCommitments: createAdminCommitmentsHandler as (deps: Deps) => LocalHttpHandler,
};

export const scheduledJobFactories: Record<ScheduledFunctionName, (deps: Deps) => (event: unknown) => Promise<unknown>> = {
  ComputeIndices: createComputeIndicesJob,
  Dispatch: createDispatchJob,
};

export const queueConsumerFactories = { SmsSender: createSendSmsConsumer } satisfies Record<QueueFunctionName, unknown>;
