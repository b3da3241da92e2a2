/**
 * Roles and the one policy function. Server and web share it: the server enforces it, the web uses it
 * to show only what a person may do. Nothing else checks roles by hand.
 */
export const ROLES = ['requester', 'technician', 'supervisor', 'security_officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'org.read',
  'org.manage',
  'org.create',
  'user.read',
  'user.manage',
  'group.read',
  'group.manage',
  'audit.read',
  'asset.read',
  'asset.manage',
  'catalogue.manage',
  'asset_type.manage',
  'inventory.manage',
  'ticket.create',
  'ticket.read',
  'ticket.manage',
  'helpdesk.configure',
  'kb.read',
  'kb.read_internal',
  'kb.manage',
  'diagnostic.manage',
  // The incident report and dashboards; report.schedule mails the report on a schedule.
  'report.read',
  'report.schedule',
  // Stock: read levels and the ledger; book movements, receptions, counts and reservations; order.
  'stock.read',
  'stock.manage',
  'purchase.manage',
  // End of life: disposal batches and data-wiping records (GDPR evidence, read by security officers).
  'disposal.read',
  'disposal.manage',
  // Work orders: read them; create, plan, run their tests, complete them.
  'workorder.read',
  'workorder.manage',
  // Security monitoring: read events, incidents, rules and sources; manage rules, incidents, sources.
  'security.read',
  'security.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

const STAFF: Action[] = [
  'org.read',
  'user.read',
  'group.read',
  'asset.read',
  'ticket.create',
  'ticket.read',
  // Knowledge base: staff read every procedure, internal ones and drafts included.
  'kb.read',
  'kb.read_internal',
];
/** Technicians keep the fleet's reference up to date (assets, locations, catalogue) and work tickets. */
const FLEET: Action[] = [
  'asset.manage',
  'catalogue.manage',
  'ticket.manage',
  'kb.manage',
  // Diagnostic trees: technicians edit and publish them; walking a published one needs ticket.create.
  'diagnostic.manage',
  // Stock: technicians keep the store rooms (movements, receptions, counts, reservations).
  'stock.read',
  'stock.manage',
  // End of life: technicians fill disposal batches and record data wipes.
  'disposal.read',
  'disposal.manage',
  // Work orders: technicians carry them out, supervisors and administrators follow them.
  'workorder.read',
  'workorder.manage',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  /** Requesters file tickets and follow their own (the helpdesk checks ownership). */
  // Of the knowledge base they read published public procedures only (kb.read, not kb.read_internal).
  requester: ['org.read', 'ticket.create', 'kb.read'],
  technician: [...STAFF, ...FLEET, 'report.read'],
  supervisor: [
    ...STAFF,
    ...FLEET,
    'inventory.manage',
    'helpdesk.configure',
    'report.read',
    'report.schedule',
    // Ordering from suppliers commits money: supervisors and administrators.
    'purchase.manage',
  ],
  // Technicians do not read security logs: they hold users' names, addresses and habits (GDPR), and
  // an incident may concern a technician's own account. The security officer shares what is needed.
  // The data-wiping records are GDPR evidence the security officer answers for.
  security_officer: [...STAFF, 'audit.read', 'security.read', 'security.manage', 'disposal.read'],
  admin: [
    ...STAFF,
    ...FLEET,
    'org.manage',
    'user.manage',
    'group.manage',
    'audit.read',
    'asset_type.manage',
    'inventory.manage',
    'helpdesk.configure',
    'report.read',
    'report.schedule',
    'purchase.manage',
    'security.read',
    'security.manage',
  ],
};

/** Actions only an administrator of the home organisation (the one running Parc) may take. */
const GLOBAL_ONLY: ReadonlySet<Action> = new Set(['org.create']);

export type Actor = {
  userId: string;
  /** Roles held per organisation id. */
  roles: Readonly<Record<string, readonly Role[]>>;
  /** Admin of the home organisation: may act in every organisation. */
  globalAdmin: boolean;
};

export type Resource = { orgId?: string | null };

function roleAllows(roles: readonly Role[] | undefined, action: Action): boolean {
  return !!roles?.some((r) => ROLE_PERMISSIONS[r].includes(action));
}

/**
 * May `actor` take `action` on `resource`? Without an organisation on the resource, the question is
 * "in at least one organisation", which is what a list screen or a menu entry needs.
 */
export function can(actor: Actor, action: Action, resource: Resource = {}): boolean {
  if (actor.globalAdmin) return true;
  if (GLOBAL_ONLY.has(action)) return false;
  if (resource.orgId) return roleAllows(actor.roles[resource.orgId], action);
  return Object.values(actor.roles).some((roles) => roleAllows(roles, action));
}

/** The organisations in which `actor` may take `action`: the scope of every list query. */
export function orgsWhere(actor: Actor, action: Action): 'all' | string[] {
  if (actor.globalAdmin) return 'all';
  if (GLOBAL_ONLY.has(action)) return [];
  return Object.entries(actor.roles)
    .filter(([, roles]) => roleAllows(roles, action))
    .map(([orgId]) => orgId);
}
