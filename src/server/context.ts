import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor, Role } from '../shared/policy.js';
import type { SecretBox } from './crypto.js';
import type { DialectHelpers } from './db/dialect.js';
import type { Database } from './db/schema.js';

/** Who is acting: the shared policy's Actor plus what the server needs to audit and authorise. */
export type Principal = Actor & {
  email: string;
  displayName: string;
  via: 'session' | 'token' | 'system';
  sessionId?: string;
  tokenId?: string;
  csrfToken?: string;
  mustChangePassword: boolean;
  locale: 'fr' | 'en' | null;
  /** The organisations and roles behind `roles`, with names, for display. */
  memberships: Array<{ orgId: string; orgName: string; roles: Role[] }>;
  /** Whether the user has a second factor (from the credential row); undefined for the system actor. */
  totpEnabled?: boolean;
};

/** Every service function takes this first. `db` may be a transaction. */
export type Ctx = {
  db: Kysely<Database>;
  dialect: DialectHelpers;
  actor: Principal | null;
  now: Date;
  log: FastifyBaseLogger;
  secrets: SecretBox;
  ip?: string | null;
  requestId?: string | null;
};

const commitHooks = new WeakMap<object, Array<() => Promise<void>>>();

/**
 * Runs `fn` in a transaction, or in the caller's when `ctx.db` already is one. Work registered with
 * `beforeCommit` runs after `fn`, still inside the transaction, just before it commits.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const hooks: Array<() => Promise<void>> = [];
    commitHooks.set(trx, hooks);
    const result = await fn({ ...ctx, db: trx });
    for (const hook of hooks) await hook();
    return result;
  });
}

/**
 * Runs `hook` at the end of the transaction `ctx.db` (one opened by `inTransaction`), just before it
 * commits: what must take a shared lock (the audit chain's head) holds it for the last moment only.
 * False when the transaction was not opened by `inTransaction`: the caller must do the work now.
 */
export function beforeCommit(ctx: Ctx, hook: () => Promise<void>): boolean {
  const hooks = commitHooks.get(ctx.db);
  if (!hooks) return false;
  hooks.push(hook);
  return true;
}

/** The actor Parc itself uses for work nobody asked for in a request (CLI, jobs, bootstrap). */
export function systemPrincipal(label = 'system'): Principal {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    roles: {},
    globalAdmin: true,
    email: label,
    displayName: label,
    via: 'system',
    mustChangePassword: false,
    locale: null,
    memberships: [],
  };
}

export function requireActor(ctx: Ctx): Principal {
  if (!ctx.actor) throw new Error('this operation needs an authenticated actor');
  return ctx.actor;
}

export type RoleMap = Record<string, Role[]>;
