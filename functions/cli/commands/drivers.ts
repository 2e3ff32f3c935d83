import type { Command } from 'commander';

// Placeholder: the drivers command is being built in its own issue.
export function register(program: Command): void {
  program
    .command('drivers')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('manyi drivers: not implemented yet\n');
      process.exitCode = 1;
    });
}
