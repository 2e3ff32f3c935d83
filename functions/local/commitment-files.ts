/**
 * The local runtime's commitment files: at start it declares the commitments of every *.yaml in
 * surveys/commitments/, one line per file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { declareCommitments, type DeclarationStatus } from '../app/commitments';
import type { Deps } from '../app/deps';
import { DomainError } from '../domain/errors';
import { questionnaireFilesIn } from '../shared/questionnaire-files';

/** The local runtime declares the commitments of every *.yaml in this directory at start, one line per file. */
export async function publishCommitmentsDirectory(deps: Pick<Deps, 'store' | 'clock'>, dir: string, print: (line: string) => void): Promise<void> {
  for (const file of questionnaireFilesIn(dir)) {
    let document: unknown;
    try {
      document = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      print(`  ${file}: not declared: ${String((error as Error).message).split('\n')[0]}`);
      continue;
    }
    try {
      const { commitments } = await declareCommitments(deps, document);
      const count = (status: DeclarationStatus) => commitments.filter((c) => c.status === status).length;
      const changed = count('created') + count('updated');
      print(
        `  ${file}: ${commitments.length} commitment${commitments.length === 1 ? '' : 's'} ` +
          (changed === 0 ? 'unchanged' : `declared (${count('created')} new, ${count('updated')} updated, ${count('unchanged')} unchanged)`),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      print(`  ${file}: not declared: ${error.problems.map((p) => `${p.path}: ${p.message}`).join('; ') || error.message}`);
    }
  }
}
