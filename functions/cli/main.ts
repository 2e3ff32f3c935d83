/**
 * The `manyi` command line. Each command lives in its own module under ./commands and adds
 * itself to the program; exit codes: 0 success, 1 invalid input. `validate` reports its findings
 * on stdout (they are its output); the other commands print their results on stdout and a bad
 * input as one line on stderr.
 */
import { Command } from 'commander';
import { register as registerValidate } from './commands/validate';
import { register as registerPls } from './commands/pls';
import { register as registerWeights } from './commands/weights';
import { register as registerDrivers } from './commands/drivers';
import { register as registerGap } from './commands/gap';
import { register as registerCommitments } from './commands/commitments';
import { register as registerUsers } from './commands/users';

export function buildProgram(): Command {
  const program = new Command('manyi')
    .description('manyi: customer-satisfaction questionnaires, indices and service gaps')
    .showHelpAfterError();
  registerValidate(program);
  registerPls(program);
  registerWeights(program);
  registerDrivers(program);
  registerGap(program);
  registerCommitments(program);
  registerUsers(program);
  return program;
}
