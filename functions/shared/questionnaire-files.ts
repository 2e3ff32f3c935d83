/**
 * Reads questionnaire YAML files (surveys/*.yaml) into validation results. Shared by the CLI and by
 * the local runtime, which publishes surveys/ at start.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { validateQuestionnaire, type ValidationResult } from '../domain/questionnaire';

export function parseQuestionnaireYaml(text: string): ValidationResult {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => ({
        path: error.linePos ? `line ${error.linePos[0].line}` : '(yaml)',
        message: (error.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, ''),
      })),
    };
  }
  return validateQuestionnaire(document.toJS());
}

export function readQuestionnaireFile(path: string): ValidationResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ path: '(file)', message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error) }] };
  }
  return parseQuestionnaireYaml(text);
}

/** The questionnaire files directly in `dir` (*.yaml, *.yml), sorted by name. */
export function questionnaireFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}
