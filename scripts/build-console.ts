/**
 * `npx tsx scripts/build-console.ts <dir>`: builds the console (console/build.ts) into an empty
 * directory, with the manifest the Console function reads it by. The stack's bundling of the
 * Console function runs it into the function's asset (infra/function.ts, `afterBundling`), so
 * the deployed bundle carries the same build the local runtime serves from memory.
 */
import { writeConsoleBuild } from '../console/build';

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  console.error('usage: npx tsx scripts/build-console.ts <empty directory>');
  process.exit(2);
}
// Quiet on success, as the rest of `cdk synth -q` is.
await writeConsoleBuild(dir);
