/**
 * What the benches share: the local platform with its timers off and silent, and a POST to its
 * admin API that fails loudly.
 */
import type { AdjustableClock } from '../functions/shared/clock';
import { startLocalPlatform } from '../functions/local/platform';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export async function startBenchPlatform(clock?: AdjustableClock) {
  const platform = await startLocalPlatform({ adminToken: ADMIN_TOKEN, computeEveryMinutes: 0, dispatchEveryMinutes: 0, logLevel: 'SILENT', ...(clock ? { clock } : {}) });
  /** POSTs JSON to the admin API; throws on any answer but 2xx. */
  const admin = async (path: string, body: unknown): Promise<any> => {
    const response = await fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return { platform, admin };
}
