/**
 * Who may do what: the roles, the actions of the admin API and the policy joining them, as data.
 * `can` (./policy.ts) is the only place that reads this table; handlers never compare role names.
 * docs/access.md prints the same matrix (a test keeps the two equal).
 */
export const ROLES = ['admin', 'analyst', 'executive', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  /** Read one's own user, role, scope and permissions (GET /admin/me). */
  'self:read',
  /** Create, list and change users (their role, scope, permissions, disabling). */
  'users:manage',
  'orgUnits:write',
  /** Read the organisation tree within one's scope, with the units' managers (the console). */
  'orgUnits:read',
  'surveys:write',
  /** List the questionnaires, read their versions and drafts (the console). */
  'surveys:read',
  'contacts:write',
  /** List and search the contacts of one's units (masked unless `pii`). */
  'contacts:read',
  'campaigns:write',
  'campaigns:read',
  'serviceEvents:write',
  /** List the service events of one's units (the console); extra fields only to `pii` callers. */
  'serviceEvents:read',
  'commitments:write',
  'commitments:read',
  /** Post the operating figures per unit and period (customers, complaints, rates, a competitor's score). */
  'metrics:write',
  'metrics:read',
  'reports:read',
  /** Run the scheduled computation or the dispatcher now. */
  'jobs:run',
  'audit:read',
  /** Exports and report subscriptions (executive reporting). */
  'exports:read',
  /** The response-level data of an export (one row per response): analysts' raw material. */
  'responses:export',
  'subscriptions:manage',
  /** Own the cases of the units in scope (assign, close). */
  'cases:own',
  /** Work the cases and phone return visits assigned to oneself. */
  'cases:work',
  /** A person's data exported or erased (PIPL); the caller must also see personal data (admin, or `pii`). */
  'privacy:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The floor of issue #11, and what each role may do beyond it (docs/access.md says why). */
export const POLICY: Readonly<Record<Role, readonly Action[]>> = {
  admin: ACTIONS,
  analyst: [
    'self:read',
    'orgUnits:read',
    'surveys:write',
    'surveys:read',
    'contacts:write',
    'contacts:read',
    'campaigns:write',
    'campaigns:read',
    'serviceEvents:write',
    'serviceEvents:read',
    'commitments:write',
    'commitments:read',
    'metrics:write',
    'metrics:read',
    'reports:read',
    'jobs:run',
    'exports:read',
    'responses:export',
    'privacy:manage',
  ],
  executive: ['self:read', 'orgUnits:read', 'surveys:read', 'reports:read', 'commitments:read', 'metrics:read', 'exports:read', 'subscriptions:manage'],
  manager: ['self:read', 'orgUnits:read', 'surveys:read', 'campaigns:read', 'contacts:read', 'serviceEvents:read', 'reports:read', 'commitments:read', 'metrics:read', 'audit:read', 'cases:own', 'cases:work'],
  agent: ['self:read', 'orgUnits:read', 'cases:work'],
};

/**
 * Actions on things that belong to the whole organisation rather than to a unit: the
 * questionnaires (one instrument measures every unit), the service commitments (the
 * organisation's public promises) and running the computation for every unit. Only a user whose
 * scope holds a root of the tree may take them.
 */
export const ORGANISATION_WIDE: ReadonlySet<Action> = new Set<Action>(['surveys:write', 'commitments:write', 'jobs:run']);
