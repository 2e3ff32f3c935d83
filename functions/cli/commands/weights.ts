import type { Command } from 'commander';

// Placeholder: the weights command is being built in its own issue.
export function register(program: Command): void {
  program
    .command('weights')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('manyi weights: not implemented yet\n');
      process.exitCode = 1;
    });
}
