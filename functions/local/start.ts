/**
 * `npm start`: the whole platform locally. Configuration (all optional):
 *   PORT (3000), MANYI_DATA_DIR (.manyi), MANYI_COMPUTE_EVERY (minutes, 5), MANYI_DISPATCH_EVERY (1), MANYI_ADMIN_TOKEN,
 *   MANYI_HOST (127.0.0.1), MANYI_LOG_LEVEL (WARN), PUBLIC_BASE_URL, MANYI_INVITATION_EXPIRES_DAYS (7).
 * `npm start -- --demo` seeds an organisation, a campaign and responses, and computes.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from '../domain/zod';
import { DEMO_SURVEY_ID, seedDemo } from './demo';
import { startLocalPlatform } from './platform';

const envSchema = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 3000),
  MANYI_DATA_DIR: z._default(z.string().check(z.minLength(1)), '.manyi'),
  MANYI_COMPUTE_EVERY: z._default(z.coerce.number().check(z.gte(0)), 5),
  MANYI_DISPATCH_EVERY: z._default(z.coerce.number().check(z.gte(0)), 1),
  MANYI_ADMIN_TOKEN: z.optional(z.string().check(z.minLength(16, { error: 'MANYI_ADMIN_TOKEN must have at least 16 characters' }))),
  MANYI_HOST: z._default(z.string(), '127.0.0.1'),
  MANYI_ALLOW_REMOTE: z._default(z.enum(['true', 'false']), 'false'),
  MANYI_LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'WARN'),
});

const { values: flags } = parseArgs({ options: { demo: { type: 'boolean', default: false } }, strict: true });
const parsedEnv = envSchema.safeParse(process.env);
if (!parsedEnv.success) {
  for (const issue of parsedEnv.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const env = parsedEnv.data;
const dataDir = resolve(env.MANYI_DATA_DIR);

/**
 * The data directory holds phone numbers, names, tokens and the signing key: readable by this user
 * only. New files get 0600 and directories 0700 (the umask), and what an older run left is brought
 * to the same modes.
 */
process.umask(0o077);
function restrict(path: string): void {
  chmodSync(path, 0o700);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const inner = join(path, entry.name);
    if (entry.isDirectory()) restrict(inner);
    else if (entry.isFile()) chmodSync(inner, 0o600);
  }
}
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
restrict(dataDir);
const print = (line: string) => console.log(line);

print(`manyi: starting (data in ${dataDir})`);
const platform = await startLocalPlatform({
  dataDir,
  port: env.PORT,
  host: env.MANYI_HOST,
  allowRemoteDevRoutes: env.MANYI_ALLOW_REMOTE === 'true',
  adminToken: env.MANYI_ADMIN_TOKEN,
  computeEveryMinutes: env.MANYI_COMPUTE_EVERY,
  dispatchEveryMinutes: env.MANYI_DISPATCH_EVERY,
  surveysDir: resolve('surveys'),
  logLevel: env.MANYI_LOG_LEVEL,
  print,
}).catch((error: Error) => {
  console.error(`manyi: ${error.message}`);
  process.exit(1);
});

// Where `npx manyi users add` finds the running platform (the token is in admin-token beside it).
writeFileSync(join(dataDir, 'platform.json'), `${JSON.stringify({ url: platform.url })}\n`);
print('');
print(`  API          ${platform.url}  (health: ${platform.url}/health)`);
print(`  Console      ${platform.url}/console/  (sign in as a user of npx manyi users add)`);
print(`  Admin token  ${platform.adminToken}  (also in ${join(dataDir, 'admin-token')})`);
// No TCP port: the table is reachable through this socket by this user only (docs/local-runtime.md).
print(`  DynamoDB     unix socket ${platform.dynamoSocket ?? '(none)'}  (dynalite; mode 0600, in a 0700 directory)`);
print(`  Schedules    compute-indices every ${env.MANYI_COMPUTE_EVERY} min${env.MANYI_COMPUTE_EVERY === 0 ? ' (disabled)' : ''}, dispatch every ${env.MANYI_DISPATCH_EVERY} min${env.MANYI_DISPATCH_EVERY === 0 ? ' (disabled)' : ''}`);
// The token is printed once; the lines below read it from its file, so a scrolled log holds it once.
const bearer = `-H "Authorization: Bearer $(cat ${join(dataDir, 'admin-token')})"`;
print(`  SMS outbox   curl ${bearer} ${platform.url}/dev/outbox?channel=sms  (admins only; simulate a reply: POST /dev/sms/inbound; or the console's outbox page)`);
print(`  Try          curl ${bearer} ${platform.url}/admin/reports/${DEMO_SURVEY_ID}`);
print(`  Users        npx manyi users add --email you@example.com --role admin --unit <root unit>  (then sign in at ${platform.url}/login)`);

if (flags.demo) {
  const marker = join(dataDir, 'demo-seeded');
  if (existsSync(marker)) {
    print('\n  Demo data was seeded before; keeping it (delete the data directory to start over).');
  } else {
    print('\n  Seeding the demo (organisation, campaigns, responses)...');
    const seeded = await seedDemo(platform);
    writeFileSync(marker, new Date().toISOString());
    print(`  Demo: ${seeded.responses} responses over ${seeded.periods.join(', ')}, indices computed.`);
  }
  const next = `/admin/reports/${DEMO_SURVEY_ID}?orgUnit=hq`;
  print(`  Report (JSON) curl ${bearer} "${platform.url}${next}"`);
  print(`  Report (page) ${platform.url}/dev/login?token=<admin token>&next=${encodeURIComponent(next)}  (or sign in at /login)`);
}
print('\nPress Ctrl-C to stop.');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  print(`\nmanyi: ${signal}, stopping...`);
  await platform.stop();
  print('manyi: stopped; data kept.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
