import type { Command } from 'commander';
import { readQuestionnaireFile } from '../../shared/questionnaire-files';

/**
 * `manyi validate <file...>`: one "ok" line per valid file (its warnings after it), one line per
 * error otherwise, each starting with the file name and the path; exit 1 when any file is invalid.
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check questionnaire YAML files against the format and the standards')
    .argument('<files...>', 'questionnaire files (YAML)')
    .action((files: string[]) => {
      let failed = false;
      for (const file of files) {
        const result = readQuestionnaireFile(file);
        if (result.ok) {
          console.log(`${file}: ok`);
          for (const warning of result.warnings) console.log(`${file}: warning: ${warning.path}: ${warning.message}`);
        } else {
          failed = true;
          for (const error of result.errors) console.log(`${file}: ${error.path}: ${error.message}`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}
