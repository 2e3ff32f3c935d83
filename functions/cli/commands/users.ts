/**
 * `manyi users add --email E --role R --unit U [--unit U2] [--pii] [--name N] [--language en]`:
 * adds a user to the running local platform (`npm start`) through POST /admin/users with the
 * break-glass token, and prints the one-time password the user changes at first sign-in. The
 * platform's address and token are read from the data directory the platform writes them to
 * (MANYI_DATA_DIR, .manyi) unless --url / MANYI_URL and --token / MANYI_ADMIN_TOKEN say otherwise.
 * On AWS users are added with POST /admin/users by an admin (docs/access.md); the first admin with
 * `manyi users bootstrap --table T --user-pool P --email E --unit U [--unit-name N]`, on the
 * operator's AWS credentials (../aws-bootstrap.ts, loaded only for that command).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import * as z from '../../domain/zod';
import { ROLES } from '../../domain/access/roles';
import { USER_LANGUAGES } from '../../domain/access/users';
import { parseOptions } from '../options';

const addOptionsSchema = z.object({
  email: z.email({ error: 'is required: the user\'s e-mail address' }),
  role: z.enum(ROLES, { error: `is required: one of ${ROLES.join(', ')}` }),
  unit: z.array(z.string().check(z.minLength(1)), { error: 'is required: the org unit(s) of the user\'s scope' }).check(z.minLength(1, { error: 'is required: the org unit(s) of the user\'s scope' })),
  pii: z.optional(z.boolean()),
  name: z.optional(z.string().check(z.minLength(1))),
  language: z.optional(z.enum(USER_LANGUAGES)),
  url: z.optional(z.url()),
  token: z.optional(z.string().check(z.minLength(16))),
});

const dataDir = () => resolve(process.env.MANYI_DATA_DIR ?? '.manyi');

function platformUrl(explicit: string | undefined): string {
  if (explicit) return explicit.replace(/\/+$/, '');
  if (process.env.MANYI_URL) return process.env.MANYI_URL.replace(/\/+$/, '');
  const file = join(dataDir(), 'platform.json');
  if (existsSync(file)) return String((JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url);
  return 'http://localhost:3000';
}

function adminToken(explicit: string | undefined): string {
  const token = explicit ?? process.env.MANYI_ADMIN_TOKEN ?? (existsSync(join(dataDir(), 'admin-token')) ? readFileSync(join(dataDir(), 'admin-token'), 'utf8').trim() : undefined);
  if (!token) throw new Error(`no admin token: start the platform (npm start) or give --token / MANYI_ADMIN_TOKEN`);
  return token;
}

async function addUser(options: unknown): Promise<void> {
  const parsed = parseOptions(addOptionsSchema, options);
  const url = platformUrl(parsed.url);
  const body = {
    email: parsed.email,
    name: parsed.name ?? parsed.email.split('@')[0],
    role: parsed.role,
    orgUnits: parsed.unit,
    ...(parsed.pii ? { pii: true } : {}),
    ...(parsed.language ? { language: parsed.language } : {}),
  };
  let response: Response;
  try {
    response = await fetch(`${url}/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken(parsed.token)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error(`the platform does not answer at ${url}: start it with npm start (or give --url)`);
  }
  const answer = (await response.json().catch(() => ({}))) as { userId?: string; temporaryPassword?: string; message?: string; errors?: { path: string; message: string }[] };
  if (response.status !== 201) {
    const detail = answer.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new Error(`${response.status}: ${answer.message ?? 'refused'}${detail ? ` (${detail})` : ''}`);
  }
  process.stdout.write(`user ${answer.userId} (${parsed.email}, ${parsed.role} of ${parsed.unit.join(', ')})\n`);
  if (answer.temporaryPassword) process.stdout.write(`one-time password: ${answer.temporaryPassword}\n(to be changed at the first sign-in: ${url}/login)\n`);
}

const bootstrapOptionsSchema = z.object({
  table: z.string({ error: 'is required: the stack\'s TableName output' }).check(z.minLength(3)),
  userPool: z.string({ error: 'is required: the stack\'s UserPoolId output' }).check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/, { error: 'is a user pool id such as ap-east-1_AbCdEf123' })),
  email: z.email({ error: 'is required: the admin\'s e-mail address' }),
  unit: z.string({ error: 'is required: the org unit of the admin\'s scope (the top of the tree)' }).check(z.minLength(1)),
  unitName: z.optional(z.string().check(z.minLength(1))),
  pii: z.optional(z.boolean()),
  name: z.optional(z.string().check(z.minLength(1))),
  language: z.optional(z.enum(USER_LANGUAGES)),
});

async function bootstrap(options: unknown): Promise<void> {
  const parsed = parseOptions(bootstrapOptionsSchema, options);
  // The SDK warns on Node.js 20 of its releases after January 2027; the lockfile decides the release,
  // and the warning would break the one-line-on-stderr convention of the commands.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The AWS SDK and the use cases are loaded for this command only, so the other commands start fast.
  const { bootstrapAdmin } = await import('../aws-bootstrap');
  const result = await bootstrapAdmin({
    table: parsed.table,
    userPool: parsed.userPool,
    email: parsed.email,
    name: parsed.name ?? parsed.email.split('@')[0]!,
    unit: parsed.unit,
    ...(parsed.unitName ? { unitName: parsed.unitName } : {}),
    ...(parsed.language ? { language: parsed.language } : {}),
    pii: parsed.pii ?? false,
  });
  if (result.createdUnit) process.stdout.write(`org unit ${parsed.unit} (${parsed.unitName}) created at the top of the tree\n`);
  process.stdout.write(`admin ${result.userId} (${parsed.email}, scope ${parsed.unit}): Cognito e-mails the temporary password\n`);
}

export function register(program: Command): void {
  const users = program.command('users').description('users: of the local platform (add), the first admin on AWS (bootstrap)');
  users
    .command('add')
    .description('add a user to the running local platform and print its one-time password')
    .option('--email <email>', 'the user\'s e-mail (its sign-in name)')
    .option('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--unit <unit>', 'an org unit of the user\'s scope (repeat for several)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--pii', 'may see phone numbers, names and e-mails unmasked')
    .option('--name <name>', 'display name (default: the e-mail\'s local part)')
    .option('--language <language>', 'zh-CN or en (default zh-CN)')
    .option('--url <url>', 'the platform (default: from the data directory, else http://localhost:3000)')
    .option('--token <token>', 'the break-glass admin token (default: MANYI_ADMIN_TOKEN or the data directory\'s)')
    .action(async (options: unknown) => {
      try {
        await addUser(options);
      } catch (error) {
        process.stderr.write(`manyi users add: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    });
  users
    .command('bootstrap')
    .description('make the first admin of a deployed stack, with your AWS credentials (docs/deploy.md)')
    .option('--table <name>', 'the stack\'s TableName output')
    .option('--user-pool <id>', 'the stack\'s UserPoolId output')
    .option('--email <email>', 'the admin\'s e-mail (the invitation goes to it)')
    .option('--unit <unit>', 'the admin\'s scope: the top unit of the organisation')
    .option('--unit-name <name>', 'creates --unit as a top-level unit of this name if the tree lacks it')
    .option('--pii', 'may see phone numbers, names and e-mails unmasked')
    .option('--name <name>', 'display name (default: the e-mail\'s local part)')
    .option('--language <language>', 'zh-CN or en (default zh-CN)')
    .action(async (options: unknown) => {
      try {
        await bootstrap(options);
      } catch (error) {
        process.stderr.write(`manyi users bootstrap: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
