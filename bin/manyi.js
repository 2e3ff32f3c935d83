#!/usr/bin/env node
// Entry for `npx manyi`: runs the TypeScript CLI through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { buildProgram } = await import('../functions/cli/main.ts');
await buildProgram().parseAsync(process.argv);
