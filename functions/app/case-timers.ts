/**
 * The case timers (the CaseTimers schedule every minute; POST /admin/jobs/case-timers runs the
 * same code for the current clock):
 *
 * 1. The sweep: every questionnaire's responses since the last sweep (with a 5-minute overlap) are
 *    evaluated again with the current rules; a case that exists is found, not made twice.
 * 2. The timers: open cases whose next timer is due (the open-case index up to now). A deadline
 *    that passed unmet is noted on the timeline (once); an escalation step that is due fires once:
 *    `notify` sends an SMS to the owner (or the owner's manager), `to: parent-unit` moves the case
 *    to the manager above and tells them. Each step is written to the case (conditional on its
 *    version) before anything is sent, so a retry or a second timer finds it fired.
 * 3. Notifications at most once each, like invitations: "sending" is written before the provider
 *    is called; one found "sending" after a crash is taken as sent unless the provider can tell it
 *    was not (the local outbox can). They go to the user's own phone (`phone` on the user); a user
 *    without one gets none ("no-channel" on the case). They carry no customer data.
 */
import { dueTimers, STALE_SENDING_MS, systemEntry, type CaseNotification, type CaseRecord } from '../domain/cases/case';
import { OrgTree } from '../domain/org';
import { periodOf } from '../domain/period';
import type { Questionnaire } from '../domain/questionnaire/schema';
import type { UserRecord } from '../domain/access/users';
import { smsSegments } from '../domain/distribution/sms-text';
import { attachFollowUp, withFollowUpSent } from './case-follow-up';
import { caseConfig, openCasesForResponse, ownerOf } from './case-opening';
import { checkBreachWatches } from './case-sources';
import type { Deps } from './deps';
import { SmsProviderError } from './ports';

/** Submits land out of order by seconds across containers: each sweep reads this far back. */
const SWEEP_OVERLAP_MS = 5 * 60_000;
/** Where a questionnaire was never swept: the last hour (older responses were evaluated at their submit). */
const FIRST_SWEEP_MS = 60 * 60_000;

export interface CaseTimersResult {
  evaluated: number;
  opened: number;
  overdue: number;
  escalated: number;
  notified: number;
  /** Follow-ups made (an invitation, or the reason there is none) and answers attached by the sweep. */
  followedUp: number;
  attached: number;
  /** Responses and cases that failed (logged; a response is swept again, a case's timers fire at the next run). */
  failed: number;
}

/** A response that keeps failing stops holding the sweep back after this long (it is logged each time). */
const GIVE_UP_MS = 24 * 60 * 60_000;

type TimerDeps = Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger' | 'sms' | 'config'>;

export async function runCaseTimers(deps: TimerDeps): Promise<CaseTimersResult> {
  const result: CaseTimersResult = { evaluated: 0, opened: 0, overdue: 0, escalated: 0, notified: 0, followedUp: 0, attached: 0, failed: 0 };
  await sweep(deps, result);
  const now = deps.clock.now();
  const breaches = await checkBreachWatches(deps, now);
  result.opened += breaches.opened;
  result.failed += breaches.failed;
  const due = await deps.store.casesDue(now.toISOString());
  if (due.length > 0) {
    const [units, users] = await Promise.all([deps.store.listOrgUnits(), deps.store.listUsers()]);
    const context = { tree: new OrgTree(units), users };
    for (const c of due) {
      try {
        await fireTimers(deps, c, now, context, result);
      } catch (error) {
        // One case's fault does not hold the others up; its timers are still due at the next run.
        result.failed += 1;
        deps.logger.error('case timers failed for a case', { caseId: c.caseId, error: error as Error });
      }
    }
  }
  return result;
}

async function sweep(deps: TimerDeps, result: CaseTimersResult): Promise<void> {
  const { rules } = await caseConfig(deps, true);
  const now = deps.clock.now();
  const versions = new Map<string, Questionnaire | undefined>();
  const questionnaireOf = async (surveyId: string, version: number) => {
    const key = `${surveyId}@${version}`;
    if (!versions.has(key)) versions.set(key, (await deps.store.getSurveyVersion(surveyId, version))?.definition);
    return versions.get(key);
  };
  const latestVersions = await Promise.all((await deps.store.listSurveyIds()).map((surveyId) => deps.store.getLatestSurveyVersion(surveyId)));
  // The questionnaires cases are followed up with: their answers are attached to the cases.
  const followUpSurveys = new Set([...latestVersions.flatMap((latest) => latest?.definition.alerts ?? []), ...rules.map((rule) => rule.rule)].flatMap((rule) => (rule.followUp ? [rule.followUp.survey] : [])));
  for (const latest of latestVersions) {
    if (!latest) continue;
    const { surveyId } = latest;
    const hasRules = (latest.definition.alerts?.length ?? 0) > 0 || rules.some((rule) => rule.surveyId === undefined || rule.surveyId === surveyId);
    if (!hasRules && !followUpSurveys.has(surveyId)) continue;
    const through = await deps.store.getCaseSweep(surveyId);
    const since = new Date((through ? Date.parse(through) : now.getTime() - FIRST_SWEEP_MS) - SWEEP_OVERLAP_MS);
    const timeZone = latest.definition.timeZone;
    const periods = [...new Set([periodOf(since, timeZone), periodOf(now, timeZone)])];
    // The sweep's mark stops before the earliest response that failed, so a passing fault is retried.
    let heldAt: string | undefined;
    for (const period of periods) {
      for await (const page of deps.store.responsesOf(surveyId, period, since.toISOString())) {
        for (const response of page) {
          try {
            const questionnaire = await questionnaireOf(response.surveyId, response.version);
            if (!questionnaire) continue;
            if (response.caseId) {
              if (await attachFollowUp(deps, response, questionnaire)) result.attached += 1;
              continue;
            }
            result.evaluated += 1;
            result.opened += (await openCasesForResponse(deps, response, questionnaire)).opened.length;
          } catch (error) {
            result.failed += 1;
            const givenUp = now.getTime() - Date.parse(response.submittedAt) > GIVE_UP_MS;
            deps.logger.error(givenUp ? 'case sweep gave up on a response' : 'case sweep failed for a response; it is swept again', { responseId: response.responseId, error: error as Error });
            if (!givenUp && (heldAt === undefined || response.submittedAt < heldAt)) heldAt = response.submittedAt;
          }
        }
      }
    }
    const mark = heldAt ? new Date(Date.parse(heldAt) - 1).toISOString() : now.toISOString();
    await deps.store.putCaseSweep(surveyId, mark);
  }
}

interface TimerContext {
  tree: OrgTree;
  users: readonly UserRecord[];
}

/** The manager of the unit above `unit` (the nearest above it that has one). */
function managerAbove(context: TimerContext, unit: string): { ownerUnit: string; owner?: string } | undefined {
  const parent = context.tree.unit(unit)?.parentId;
  return parent ? ownerOf(context.tree, context.users, parent) : undefined;
}

async function fireTimers(deps: TimerDeps, c: CaseRecord, now: Date, context: TimerContext, result: CaseTimersResult): Promise<void> {
  const { overdue, steps, followUp } = dueTimers(c, now);
  let next: CaseRecord = { ...c, version: c.version + 1 };
  const at = now.toISOString();
  for (const deadline of overdue) {
    next = { ...next, overdueNoticed: [...next.overdueNoticed, deadline], timeline: systemEntry(next, { at, type: 'overdue', deadline }) };
  }
  for (const step of steps) {
    const fired = { ...step, firedAt: at };
    next = { ...next, escalations: next.escalations.map((s) => (s.step === step.step ? fired : s)) };
    const notices: string[] = [];
    if (step.to === 'parent-unit') {
      const above = managerAbove(context, next.ownerUnit);
      if (above) {
        next = { ...next, ownerUnit: above.ownerUnit, ...(above.owner ? { owner: above.owner } : {}), timeline: systemEntry(next, { at, type: 'escalated', ownerUnit: above.ownerUnit, ...(above.owner ? { owner: above.owner } : {}) }) };
        if (!above.owner) delete next.owner;
        if (above.owner) notices.push(above.owner);
      }
    }
    if (step.notify === 'owner' && next.owner) notices.push(next.owner);
    if (step.notify === 'owner-manager') {
      const manager = managerAbove(context, next.ownerUnit)?.owner;
      if (manager) notices.push(manager);
    }
    for (const to of new Set(notices)) {
      const notification: CaseNotification = { key: `case:${c.caseId}:step:${step.step}:${to}`, to, state: 'pending', at };
      if (!next.notifications.some((n) => n.key === notification.key)) next = { ...next, notifications: [...next.notifications, notification] };
    }
    result.escalated += 1;
  }
  if (followUp) {
    next = await withFollowUpSent(deps, next, now);
    result.followedUp += 1;
  }
  if (overdue.length === 0 && steps.length === 0 && !followUp) {
    // Only notifications left over: nothing to mark.
    next = c;
  } else if (!(await deps.store.replaceCase(next, c.version))) {
    // Changed meanwhile (an event, another timer): the next run sees the new version.
    return;
  }
  result.overdue += overdue.length;
  result.notified += await sendPending(deps, next, context);
}

/** Sends the case's pending notifications, each at most once (and finishes those a crash left "sending"). */
async function sendPending(deps: TimerDeps, start: CaseRecord, context: TimerContext): Promise<number> {
  let c = start;
  let sent = 0;
  const now = deps.clock.now();
  for (const notification of start.notifications) {
    if (notification.state === 'sending') {
      if (now.getTime() - Date.parse(notification.at) < STALE_SENDING_MS) continue; // another timer is on it
      const wentOut = deps.sms.wasSent ? await deps.sms.wasSent(notification.key) : true;
      if (wentOut) {
        c = await withNotification(deps, c, { ...notification, state: 'sent', at: now.toISOString() });
        continue;
      }
    } else if (notification.state !== 'pending') continue;
    const user = context.users.find((u) => u.userId === notification.to);
    const phone = user && !user.disabled ? user.phone : undefined;
    if (!user || !phone) {
      c = await withNotification(deps, c, { ...notification, state: 'no-channel', at: now.toISOString() });
      continue;
    }
    const sending = await withNotification(deps, c, { ...notification, state: 'sending', at: now.toISOString() });
    if (sending === c) continue; // the case moved on: the next run sees it
    c = sending;
    try {
      const body = notificationText(c, user, deps.config.publicBaseUrl);
      await deps.sms.send({ to: phone, body, idempotencyKey: notification.key, segments: smsSegments(body).segments, kind: 'transactional' });
      c = await withNotification(deps, c, { ...notification, state: 'sent', at: deps.clock.now().toISOString() });
      sent += 1;
    } catch (error) {
      if (!(error instanceof SmsProviderError)) throw error; // a fault: left "sending", settled when stale
      deps.logger.warn('a case notification was refused by the provider', { caseId: c.caseId, error: error.message });
      c = await withNotification(deps, c, { ...notification, state: 'failed', at: deps.clock.now().toISOString() });
    }
  }
  return sent;
}

/** The case with one notification's new state, written on its version; the same case when it moved on. */
async function withNotification(deps: TimerDeps, c: CaseRecord, notification: CaseNotification): Promise<CaseRecord> {
  const next: CaseRecord = {
    ...c,
    version: c.version + 1,
    notifications: c.notifications.map((n) => (n.key === notification.key ? notification : n)),
    ...(notification.state === 'sent' ? { timeline: systemEntry(c, { at: notification.at, type: 'notified', note: notification.to }) } : {}),
  };
  return (await deps.store.replaceCase(next, c.version)) ? next : c;
}

/** The SMS to staff: which case, why, where to open it; nothing about the customer. */
function notificationText(c: CaseRecord, user: UserRecord, baseUrl: string | undefined): string {
  const link = `${baseUrl ?? ''}/console#/cases/${c.caseId}`;
  const late = c.overdueNoticed.includes('resolve') ? 'resolve' : 'firstContact';
  return user.language === 'en'
    ? `[manyi] Case ${c.caseId.slice(0, 13)} at ${c.ownerUnit} is overdue (${late === 'resolve' ? 'resolution' : 'first contact'}): ${link}`
    : `【manyi】个案 ${c.caseId.slice(0, 13)}（${c.ownerUnit}）${late === 'resolve' ? '处理' : '首次联系'}已逾期，请处理：${link}`;
}

