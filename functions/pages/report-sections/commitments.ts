/**
 * The report page's service-commitment section: per commitment the promise as recorded
 * (measurable events, met, compliance, median and 90th percentile duration, mean overrun of the
 * missed ones) beside the promise as felt (the score of the question that names it).
 */
import type { ReportCommitment } from '../../app/report-model';
import type { CalendarNotice } from '../../domain/commitments/calendar-settings';
import type { Questionnaire } from '../../domain/questionnaire';
import { localize } from '../../domain/text';
import { html, type Html } from '../html';
import type { ReportSection } from './section';
import { hours, percent, shareBar as bar } from './format';

const words = {
  'zh-CN': {
    title: '服务承诺兑现',
    commitment: '承诺',
    n: '可考核事件',
    met: '达成',
    compliance: '达成率',
    p50: '中位时长',
    p90: '90% 分位时长',
    overrun: '平均超时',
    open: '超时未结',
    pending: '未到期',
    felt: '顾客感受（得分）',
    hours: '小时',
    provisional: '暂定',
    provisionalNote: (n: number) => `暂定：有 ${n} 个工作日期限用到了尚未公布节假日安排的日子（仅按周末计算），补充该年工作日历后将重新计算。`,
    notice: (n: CalendarNotice) =>
      `${n.daysLeft >= 0 ? `工作日历「${n.calendar}」的节假日数据截至 ${n.coveredThrough}（还剩 ${n.daysLeft} 天）` : `工作日历「${n.calendar}」的节假日数据已于 ${n.coveredThrough} 结束`}。请按国务院办公厅关于 ${n.missingYear} 年部分节假日安排的通知补充数据；在此之前，${n.coveredThrough} 之后的工作日期限${n.fallback === 'weekends' ? '仅按周末计算，相关数字标为“暂定”' : '无法计算，相关事件计为不可考核'}。`,
    note: '记录的承诺：可考核事件（已办结或已超期未结）中按时达成的比例；时长为已办结事件 from→to 的小时数；平均超时按未达成事件计算（未结事件计至现在）。感受的承诺：问卷中指向该承诺的问题得分 (0–100)。',
  },
  en: {
    title: 'Service commitments',
    commitment: 'Commitment',
    n: 'Measurable',
    met: 'Met',
    compliance: 'Compliance',
    p50: 'Median',
    p90: '90th percentile',
    overrun: 'Mean overrun',
    open: 'Open, overdue',
    pending: 'Pending',
    felt: 'Felt (score)',
    hours: 'h',
    provisional: 'provisional',
    provisionalNote: (n: number) => `Provisional: ${n} working-day deadline${n === 1 ? '' : 's'} counted days whose public holidays are not published yet (weekends only); the figures are recomputed once that year's calendar is added.`,
    notice: (n: CalendarNotice) =>
      `${n.daysLeft >= 0 ? `The working-day calendar "${n.calendar}" has public holidays through ${n.coveredThrough} (${n.daysLeft} day${n.daysLeft === 1 ? '' : 's'} left)` : `The working-day calendar "${n.calendar}" ended on ${n.coveredThrough}`}. Add the State Council's ${n.missingYear} holiday notice; until then, working-day deadlines after ${n.coveredThrough} ${n.fallback === 'weekends' ? 'count weekends only and their figures are marked provisional' : 'cannot be computed and their events count as unmeasurable'}.`,
    note: 'Promise as recorded: the share of measurable events (closed, or open past the deadline) met in time; durations are from → to of the closed events, in hours; the mean overrun is over the missed events (open ones up to now). Promise as felt: the score (0-100) of the question that names the commitment.',
  },
};



function renderCommitments(commitments: readonly ReportCommitment[], notices: readonly CalendarNotice[], questionnaire: Questionnaire | undefined, lang: string): Html {
  const w = lang in words ? words[lang as keyof typeof words] : words.en;
  const fallback = questionnaire?.languages[0] ?? lang;
  const questionText = (id: string): string => {
    const question = questionnaire?.questions.find((q) => q.id === id);
    return question ? localize(question.text, lang, fallback) : id;
  };
  const rows = commitments.map(
    (c) => html`<tr>
<th scope="row">${c.title ? html`${localize(c.title, lang, fallback)}<br><span class="muted">${c.id}</span>` : c.id}</th>
<td class="num">${String(c.n)}</td><td class="num">${String(c.met)}</td>
<td class="num"><strong>${percent(c.compliance)}</strong>${c.provisional ? html` <span class="tag">${w.provisional}</span>` : html``}${bar(c.compliance)}</td>
<td class="num">${hours(c.p50, w.hours)}</td><td class="num">${hours(c.p90, w.hours)}</td><td class="num">${hours(c.meanOverrun, w.hours)}</td>
<td class="num">${String(c.missedOpen ?? 0)}</td><td class="num">${String(c.pending ?? 0)}</td>
<td class="num">${c.felt ? html`<span title="${questionText(c.felt.questionId)}">${c.felt.score === null ? '—' : c.felt.score.toFixed(1)}</span> <span class="muted">(${String(c.felt.n)})</span>` : '—'}</td>
</tr>`,
  );
  const provisionalEvents = commitments.reduce((sum, c) => sum + (c.provisional ? (c.provisionalEvents ?? 0) : 0), 0);
  return html`<section class="card" id="commitments"><h2>${w.title}</h2>
${notices.map((n) => html`<p class="notice" role="note">${w.notice(n)}</p>`)}
<div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.title}"><table style="min-width:36rem"><thead><tr><th>${w.commitment}</th><th class="num">${w.n}</th><th class="num">${w.met}</th><th class="num">${w.compliance}</th><th class="num">${w.p50}</th><th class="num">${w.p90}</th><th class="num">${w.overrun}</th><th class="num">${w.open}</th><th class="num">${w.pending}</th><th class="num">${w.felt}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${provisionalEvents > 0 ? html`<p class="muted"><span class="tag">${w.provisional}</span> ${w.provisionalNote(provisionalEvents)}</p>` : html``}
<p class="muted">${w.note}</p></section>`;
}

export const commitmentsSection: ReportSection = {
  id: 'commitments',
  render: (report, questionnaire, lang) =>
    report.commitments && report.commitments.length > 0 ? renderCommitments(report.commitments, report.calendarNotices ?? [], questionnaire, lang) : undefined,
};

/** The report page's commitments section(s). */
export const commitmentsSections: readonly ReportSection[] = [commitmentsSection];
