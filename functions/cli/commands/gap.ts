/**
 * `manyi gap --survey FILE.yaml --data FILE.csv [--json]`: the service gaps of a questionnaire's
 * gap model (docs/gaps.md). The CSV has one row per respondent and one column per question id
 * (empty = not answered), an allocation question as one column per dimension named
 * `<questionId>.<dimensionId>`, and an optional `audience` column (`management` for gap 1).
 */
import type { Command } from 'commander';
import * as z from '../../domain/zod';
import { computeGaps, type GapReport, type GapRespondent } from '../../domain/gaps';
import type { Questionnaire } from '../../domain/questionnaire';
import type { Answers } from '../../domain/scoring';
import { readQuestionnaireFile } from '../../shared/questionnaire-files';
import type { CsvTable } from '../csv';
import { parseOptions, readDataFile, runCommand, warn } from '../options';

const gapOptionsSchema = z.object({
  survey: z.string({ error: 'is required (a questionnaire YAML file)' }).check(z.minLength(1)),
  data: z.string({ error: 'is required (a CSV file)' }).check(z.minLength(1)),
  json: z.optional(z.boolean()),
});

const AUDIENCE_COLUMN = 'audience';

function readSurvey(path: string): Questionnaire {
  const result = readQuestionnaireFile(path);
  if (!result.ok) {
    const first = result.errors[0];
    throw new Error(`--survey ${JSON.stringify(path)}: ${first ? `${first.path}: ${first.message}` : 'invalid'}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more; run manyi validate)` : ''}`);
  }
  if (!result.questionnaire.gaps) throw new Error(`--survey ${JSON.stringify(path)}: the questionnaire declares no gap model (gaps:)`);
  return result.questionnaire;
}

/** The rows as respondents: rating cells become numbers, allocation columns one map per row. Bad cells throw, naming row and column. */
export function respondentsFromCsv(questionnaire: Questionnaire, table: CsvTable): { respondents: GapRespondent[]; warnings: string[] } {
  const warnings: string[] = [];
  const present = new Set(table.columns);
  const known = new Set<string>([AUDIENCE_COLUMN]);
  for (const question of questionnaire.questions) {
    if (question.type === 'allocation') question.dimensions.forEach((d) => known.add(`${question.id}.${d.id}`));
    else known.add(question.id);
  }
  const unknown = table.columns.filter((c) => !known.has(c));
  if (unknown.length > 0) warnings.push(`column(s) ${unknown.map((c) => `"${c}"`).join(', ')} are not questions of "${questionnaire.id}" and were ignored`);
  const gapQuestions = (questionnaire.gaps?.dimensions ?? []).flatMap((d) => d.items.flatMap((i) => [i.expectation, i.perception, i.adequate]));
  const missing = [...new Set(gapQuestions.filter((id): id is string => id !== undefined && !present.has(id)))];
  if (missing.length > 0) warnings.push(`no column for gap question(s) ${missing.map((c) => `"${c}"`).join(', ')}`);

  const respondents = table.rows.map((row, r): GapRespondent => {
    const where = (column: string) => `row ${r + 1}, column "${column}"`;
    const answers: Answers = {};
    for (const question of questionnaire.questions) {
      if (question.type === 'rating') {
        const cell = row[question.id]?.trim() ?? '';
        if (cell === '') continue;
        const scale = questionnaire.scales[question.scale];
        const value = Number(cell);
        if (!/^-?\d+$/.test(cell) || !scale || value < scale.min || value > scale.max) {
          throw new Error(`${where(question.id)}: "${cell}" is not a whole number from ${scale?.min} to ${scale?.max}`);
        }
        answers[question.id] = value;
      } else if (question.type === 'allocation') {
        const cells = question.dimensions.map((d) => ({ id: d.id, column: `${question.id}.${d.id}`, text: row[`${question.id}.${d.id}`]?.trim() ?? '' }));
        if (cells.every((c) => c.text === '')) continue;
        const points: Record<string, number> = {};
        for (const cell of cells) {
          // An empty cell beside filled ones gave that dimension no points (as the respondent page does).
          if (cell.text !== '' && !/^\d+$/.test(cell.text)) throw new Error(`${where(cell.column)}: "${cell.text}" is not a whole number of points`);
          points[cell.id] = cell.text === '' ? 0 : Number(cell.text);
        }
        const sum = Object.values(points).reduce((s, p) => s + p, 0);
        if (sum !== question.total) throw new Error(`row ${r + 1}: the points of "${question.id}" add up to ${sum}, expected ${question.total}`);
        answers[question.id] = points;
      }
    }
    const audience = row[AUDIENCE_COLUMN]?.trim();
    return audience ? { answers, audience } : { answers };
  });
  return { respondents, warnings };
}

const fixed = (value: number | null, digits = 2) => (value === null ? '-' : value.toFixed(digits));
const percent = (value: number | null) => (value === null ? '-' : `${(100 * value).toFixed(1)}%`);

function textReport(report: GapReport): string {
  const lines = [
    ...report.items.map(
      (i) => `${i.id} (${i.dimension}): E ${fixed(i.E)}, P ${fixed(i.P)}, gap ${fixed(i.gap)}, n ${i.n}, t ${fixed(i.t, 3)}, p ${fixed(i.p, 4)}`,
    ),
    '',
    ...report.dimensions.map((d) => `${d.id}: E ${fixed(d.E)}, P ${fixed(d.P)}, gap ${fixed(d.gap)}, weight ${fixed(d.weight, 3)}`),
    '',
    `overall: unweighted ${fixed(report.overall.unweighted, 3)}, weighted ${fixed(report.overall.weighted, 3)}${report.overall.weightedBy ? ` (${report.overall.weightedBy})` : ''}`,
    `states (n = ${report.states.n}): highly satisfied ${percent(report.states.highlySatisfied)}, basically satisfied ${percent(report.states.basicallySatisfied)}, dissatisfied ${percent(report.states.dissatisfied)}`,
  ];
  if (report.gap1.length > 0) lines.push('', ...report.gap1.map((g) => `gap 1 ${g.id}: management ${fixed(g.management)} - customers ${fixed(g.customers)} = ${fixed(g.gap1)}`));
  if (report.benchmarks.length > 0) lines.push('', ...report.benchmarks.map((b) => `benchmark ${b.id}: to target ${fixed(b.toTarget)}, lead ${fixed(b.lead)}`));
  return `${lines.join('\n')}\n`;
}

function runGap(options: unknown): void {
  const { survey, data, json } = parseOptions(gapOptionsSchema, options);
  const questionnaire = readSurvey(survey);
  const table = readDataFile(data);
  const { respondents, warnings } = respondentsFromCsv(questionnaire, table);
  const report = computeGaps(questionnaire, respondents);
  warn('gap', [...warnings, ...report.notes]);
  if (json) {
    const { items, dimensions, overall, states, tolerance, ipa, gap1, benchmarks, respondents: n, managementRespondents } = report;
    process.stdout.write(`${JSON.stringify({ items, dimensions, overall, states, tolerance, ipa, gap1, benchmarks, respondents: n, managementRespondents })}\n`);
    return;
  }
  process.stdout.write(textReport(report));
}

export function register(program: Command): void {
  program
    .command('gap')
    .description('service gaps (SERVQUAL): paired items, dimensions, overall, satisfaction states, zone of tolerance, IPA, gap 1, benchmarks')
    .option('--survey <file>', 'questionnaire YAML with a gap model (gaps:)')
    .option('--data <file>', 'CSV: one row per respondent, one column per question id (allocation: <question>.<dimension>), optional audience')
    .option('--json', 'print the result as JSON')
    .action((options: unknown) => runCommand('gap', () => runGap(options)));
}
