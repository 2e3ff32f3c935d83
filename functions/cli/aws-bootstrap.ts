/**
 * `manyi users bootstrap`: the first admin of a deployed stack, made with the operator's AWS
 * credentials (there is no break-glass token on AWS, and POST /admin/users needs an admin). It runs
 * the same use case as POST /admin/users against the stack's table and user pool, creating the
 * top-level org unit first when the tree does not hold it yet, and appends an audit record naming
 * the operator's role in the trail as "bootstrap". Every step is safe to repeat: a run that stopped
 * between the record and the pool is finished by the next (createUser completes its own creation).
 */
import { CognitoUserDirectory } from '../channels/cognito-directory';
import { createAccess } from '../app/access';
import { appendAudit, bodyDigest } from '../app/audit';
import { upsertOrgUnits } from '../app/org-units';
import { createUser } from '../app/users';
import { systemClock } from '../shared/clock';
import { configFromEnv } from '../shared/config';
import { newId } from '../shared/ids';
import { connectStore } from '../store/dynamo-store';

export interface BootstrapRequest {
  table: string;
  userPool: string;
  email: string;
  name: string;
  unit: string;
  /** The unit's name, to create it as a top-level unit when the tree does not hold it. */
  unitName?: string;
  language?: 'zh-CN' | 'en';
  pii: boolean;
}

export async function bootstrapAdmin(request: BootstrapRequest): Promise<{ userId: string; createdUnit: boolean }> {
  const store = connectStore(request.table);
  try {
    const config = configFromEnv({ ...process.env, TABLE_NAME: request.table, USER_POOL_ID: request.userPool });
    const units = await store.listOrgUnits();
    let createdUnit = false;
    if (!units.some((unit) => unit.id === request.unit)) {
      if (!request.unitName) throw new Error(`the organisation has no unit "${request.unit}": give --unit-name to create it as a top-level unit`);
      await upsertOrgUnits({ store }, { json: { units: [{ id: request.unit, name: request.unitName }] } });
      createdUnit = true;
    }
    const body = {
      email: request.email,
      name: request.name,
      role: 'admin',
      orgUnits: [request.unit],
      ...(request.pii ? { pii: true } : {}),
      ...(request.language ? { language: request.language } : {}),
    };
    const access = createAccess({ userId: 'bootstrap', role: 'admin', pii: false, units: 'everything', action: 'users:manage', store });
    const directory = new CognitoUserDirectory(request.userPool);
    const created = await createUser({ store, clock: systemClock, directory, config }, body, access);
    const digest = bodyDigest(JSON.stringify(body));
    const requestId = newId('cli');
    await appendAudit(
      { store, config },
      {
        auditId: `aud_${requestId}`,
        at: systemClock.now().toISOString(),
        userId: 'bootstrap',
        role: 'admin',
        action: 'CLI users bootstrap',
        targetIds: [created.userId, ...(createdUnit ? [request.unit] : [])],
        orgUnit: request.unit,
        status: 201,
        outcome: 'succeeded',
        ...(digest ? { bodyDigest: digest } : {}),
        requestId,
      },
    );
    return { userId: created.userId, createdUnit };
  } finally {
    store.client.destroy();
  }
}
