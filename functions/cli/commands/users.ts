/**
 * `manyi users add --email E --role R --unit U [--unit U2] [--pii] [--name N] [--language en]`:
 * adds a user to the running local platform (`npm start`) through POST /admin/users with the
 * break-glass token, and prints the one-time password the user changes at first sign-in. The
 * platform's address and token are read from the data directory the platform writes them to
 * (MANYI_DATA_DIR, .manyi) unless --url / MANYI_URL and --token / MANYI_ADMIN_TOKEN say otherwise.
 * On AWS users are added with POST /admin/users by an admin (docs/access.md).
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

export function register(program: Command): void {
  const users = program.command('users').description('users of the local platform (npm start)');
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
}
