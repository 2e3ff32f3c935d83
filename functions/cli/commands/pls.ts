import type { Command } from 'commander';

// Placeholder: the pls command is being built in its own issue.
export function register(program: Command): void {
  program
    .command('pls')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('manyi pls: not implemented yet\n');
      process.exitCode = 1;
    });
}
