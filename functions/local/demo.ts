/**
 * `npm start -- --demo`: an organisation (HQ > 2 regions > 4 branches), a link campaign on the
 * bank branch questionnaire per month for the last three months, a few hundred plausible
 * responses, computed indices. It goes through the HTTP API like any client would.
 */
import type { Questionnaire } from '../domain/questionnaire';
import { seededRandom } from '../domain/pls/random';
import { periodOf, shiftPeriod } from '../domain/period';
import type { LocalPlatform } from './platform';

export const DEMO_SURVEY_ID = 'bank-branch-csi';

const units = [
  { id: 'hq', name: '总行 Head office' },
  { id: 'east', name: '华东区 East region', parentId: 'hq' },
  { id: 'south', name: '华南区 South region', parentId: 'hq' },
  { id: 'shanghai', name: '上海分行 Shanghai branch', parentId: 'east' },
  { id: 'hangzhou', name: '杭州分行 Hangzhou branch', parentId: 'east' },
  { id: 'guangzhou', name: '广州分行 Guangzhou branch', parentId: 'south' },
  { id: 'shenzhen', name: '深圳分行 Shenzhen branch', parentId: 'south' },
];
/** How well each branch serves (share of the scale), so the demo report has a story to tell. */
const branchQuality: Record<string, number> = { shanghai: 0.82, hangzhou: 0.74, guangzhou: 0.66, shenzhen: 0.78 };
const comments = ['服务很好，谢谢！', '排队时间有点长。', 'The staff were very helpful.', '希望增加自助设备。', ''];


export function plausibleAnswers(q: Questionnaire, branchQuality: number, random: () => number): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  // SERVQUAL expectations run high, above what most customers then experience.
  const expectations = new Set((q.gaps?.dimensions ?? []).flatMap((d) => d.items.flatMap((i) => (i.expectation ? [i.expectation] : []))));
  // Each customer has an experience of their own around the branch's level, shared by all their
  // answers: this is what makes the answers correlate, as real ones do.
  const quality = branchQuality + (random() - 0.5) * 0.35;
  for (const question of q.questions) {
    if (question.type === 'rating') {
      const scale = q.scales[question.scale];
      if (!scale) continue;
      if (!question.required && random() < 0.3) continue; // optional questions are often skipped
      const target = expectations.has(question.id) ? 0.88 : question.reverse ? 1 - quality : quality;
      const level = Math.min(1, Math.max(0, target + (random() + random() + random() - 1.5) * 0.15));
      answers[question.id] = Math.round(scale.min + level * (scale.max - scale.min));
    } else if (question.type === 'allocation') {
      // Points over the dimensions, summing to the total: reliability usually matters most.
      const raw = question.dimensions.map((d) => (d.id === 'reliability' ? 2 : 1) + random());
      const sum = raw.reduce((a, b) => a + b, 0);
      const points = raw.map((r) => Math.floor((r / sum) * question.total));
      points[0] = (points[0] ?? 0) + question.total - points.reduce((a, b) => a + b, 0);
      answers[question.id] = Object.fromEntries(question.dimensions.map((d, i) => [d.id, points[i]]));
    } else if (question.type === 'choice') {
      const option = question.options[Math.floor(random() * question.options.length)];
      if (option) answers[question.id] = question.multiple ? [option.value] : option.value;
    } else {
      const comment = comments[Math.floor(random() * comments.length)];
      if (comment) answers[question.id] = comment;
    }
  }
  return answers;
}

async function call(platform: LocalPlatform, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${platform.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function seedDemo(platform: LocalPlatform, options: { months?: number; perMonth?: number } = {}): Promise<{ responses: number; periods: string[] }> {
  const survey = await platform.deps.store.getLatestSurveyVersion(DEMO_SURVEY_ID);
  if (!survey) throw new Error(`the demo needs surveys/${DEMO_SURVEY_ID}.yaml to be published`);
  const q = survey.definition;
  await call(platform, 'POST', '/admin/org-units', { units });

  const random = seededRandom(20261123);
  const branches = Object.keys(branchQuality);
  const realNow = platform.clock.now();
  const current = periodOf(realNow, q.timeZone);
  const months = options.months ?? 3;
  const perMonth = options.perMonth ?? 120;
  const periods: string[] = [];
  let responses = 0;
  try {
    for (let m = months - 1; m >= 0; m--) {
      const period = shiftPeriod(current, -m);
      periods.push(period);
      // Mid-month, 10:00 in the questionnaire's zone (UTC+8 for the shipped ones).
      const instant = m === 0 ? realNow : new Date(`${period}-15T02:00:00Z`);
      platform.clock.set(instant);
      const contacts = Array.from({ length: perMonth }, (_, i) => ({
        name: `客户${period.replace('-', '')}${String(i + 1).padStart(3, '0')}`,
        phone: `+86138${String(10000000 + i).slice(-8)}`,
        orgUnitId: branches[i % branches.length] as string,
      }));
      const campaign = (await call(platform, 'POST', '/admin/campaigns', { surveyId: DEMO_SURVEY_ID, channel: 'link', contacts })) as {
        invitations: { token: string }[];
      };
      const drift = (months - 1 - m) * 0.02; // service improves a little every month
      for (const [i, invitation] of campaign.invitations.entries()) {
        if (random() < 0.2) continue; // not everyone answers
        const branch = contacts[i]?.orgUnitId ?? 'shanghai';
        const answers = plausibleAnswers(q, (branchQuality[branch] ?? 0.7) + drift, random);
        await call(platform, 'POST', `/s/${invitation.token}`, { answers, lang: random() < 0.8 ? 'zh-CN' : 'en' });
        responses += 1;
      }
      await call(platform, 'POST', '/admin/jobs/compute-indices', { period });
    }
  } finally {
    platform.clock.reset();
  }
  responses += await seedServiceQuality(platform, random);
  await call(platform, 'POST', '/admin/jobs/compute-indices', { period: current });
  return { responses, periods };
}

/** This month: SERVQUAL answers on the insurance questionnaire, and gas repairs with their return visits. */
async function seedServiceQuality(platform: LocalPlatform, random: () => number): Promise<number> {
  let responses = 0;
  const branches = Object.keys(branchQuality);
  const answerAll = async (surveyId: string, count: number) => {
    const survey = await platform.deps.store.getLatestSurveyVersion(surveyId);
    if (!survey) return;
    const contacts = Array.from({ length: count }, (_, i) => ({ orgUnitId: branches[i % branches.length] as string }));
    const campaign = (await call(platform, 'POST', '/admin/campaigns', { surveyId, channel: 'link', contacts })) as { invitations: { token: string }[] };
    for (const [i, invitation] of campaign.invitations.entries()) {
      const branch = contacts[i]?.orgUnitId ?? 'shanghai';
      await call(platform, 'POST', `/s/${invitation.token}`, { answers: plausibleAnswers(survey.definition, branchQuality[branch] ?? 0.7, random) });
      responses += 1;
    }
  };
  await answerAll('insurance-agency-servqual', 60);
  await answerAll('gas-repair-return-visit', 40);

  // Repairs reported over the past days: most handled within 6 h and repaired within 24 h.
  const now = platform.clock.now().getTime();
  const hour = 3_600_000;
  for (let i = 0; i < 40; i++) {
    const branch = branches[i % branches.length] as string;
    const reportedAt = now - (2 + i * 3) * hour;
    const handled = reportedAt + (1 + random() * (branch === 'guangzhou' ? 9 : 6)) * hour;
    const repaired = handled + (2 + random() * 24) * hour;
    const iso = (t: number) => new Date(t).toISOString();
    await call(platform, 'POST', '/admin/service-events', {
      eventId: `demo-repair-${String(i + 1).padStart(3, '0')}`,
      type: 'repair',
      orgUnitId: branch,
      staffId: `tech-${(i % 6) + 1}`,
      contact: { name: `用户${i + 1}`, phone: `+86139${String(20000000 + i).slice(-8)}` },
      occurredAt: iso(reportedAt),
      reportedAt: iso(reportedAt),
      ...(handled < now ? { handledAt: iso(handled) } : {}),
      ...(repaired < now ? { repairedAt: iso(repaired), closedAt: iso(repaired) } : {}),
    });
  }
  return responses;
}
