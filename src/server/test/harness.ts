import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { Role } from '../../shared/policy.js';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type Ctx, systemPrincipal } from '../context.js';
import { secretBox } from '../crypto.js';
import { type DbHandle, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { createApiToken } from '../modules/auth/index.js';
import { createOrganisation, createUser } from '../modules/orgs/index.js';

/** PostgreSQL when PARC_TEST_DATABASE_URL is set (CI runs the suite twice), SQLite in memory otherwise. */
export const TEST_PG_URL = process.env.PARC_TEST_DATABASE_URL;
export const dialectUnderTest = TEST_PG_URL ? 'postgres' : 'sqlite';

export type TestDb = { handle: DbHandle; schema: string | undefined; drop(): Promise<void> };

/** A fresh, migrated database: its own schema on PostgreSQL, its own memory file on SQLite. */
export async function freshDb(opts: { schema?: string } = {}): Promise<TestDb> {
  if (TEST_PG_URL) {
    const schema = opts.schema ?? `t_${randomBytes(6).toString('hex')}`;
    const handle = await openDatabase(
      { kind: 'postgres', url: TEST_PG_URL },
      { pgSchema: schema, poolSize: 4 },
    );
    await migrate(handle);
    return {
      handle,
      schema,
      drop: async () => {
        await handle.close();
        const admin = await openDatabase({ kind: 'postgres', url: TEST_PG_URL }, { poolSize: 1 });
        await admin.db.schema.dropSchema(schema).ifExists().cascade().execute();
        await admin.close();
      },
    };
  }
  const handle = await openDatabase({ kind: 'sqlite', file: ':memory:' });
  await migrate(handle);
  return { handle, schema: undefined, drop: () => handle.close() };
}

export const TEST_KEY = Buffer.alloc(32, 7);

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ PARC_DATA_DIR: '/tmp/parc-test-unused', PARC_LOG_LEVEL: 'silent', ...overrides });
}

/** Captures every log line, to prove secrets never reach the log. */
export function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

export type TestApp = {
  app: FastifyInstance;
  db: TestDb;
  ctx: Ctx;
  logs: string[];
  close(): Promise<void>;
};

export async function testApp(
  opts: { env?: NodeJS.ProcessEnv; logLevel?: string; webDir?: string } = {},
): Promise<TestApp> {
  const db = await freshDb();
  const config = testConfig({ PARC_LOG_LEVEL: opts.logLevel ?? 'silent', ...opts.env });
  const secrets = secretBox(TEST_KEY);
  const capture = logCapture();
  const app = await buildApp(
    { config, handle: db.handle, secrets },
    { webDir: opts.webDir ?? '/nonexistent', logStream: capture.stream },
  );
  const ctx: Ctx = {
    db: db.handle.db,
    dialect: db.handle.dialect,
    actor: systemPrincipal('test'),
    now: new Date(),
    log: pino({ level: 'silent' }),
    secrets,
  };
  return {
    app,
    db,
    ctx,
    logs: capture.lines,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export const PASSWORD = 'correct horse battery staple';

export async function makeOrg(ctx: Ctx, opts: { name?: string; home?: boolean } = {}) {
  const n = unique();
  return createOrganisation(
    { ...ctx, now: new Date() },
    { name: opts.name ?? `Org ${n}`, slug: `org-${n}`, timeZone: 'Europe/Paris', locale: 'fr' },
    { home: opts.home ?? false },
  );
}

export async function makeUser(
  ctx: Ctx,
  opts: { orgId: string; roles: Role[]; email?: string; password?: string; mustChangePassword?: boolean },
) {
  const email = opts.email ?? `user-${unique()}@example.test`;
  const { user } = await createUser(
    { ...ctx, now: new Date() },
    {
      email,
      displayName: email.split('@')[0]!,
      password: opts.password ?? PASSWORD,
      locale: null,
      orgId: opts.orgId,
      roles: opts.roles,
    },
    { mustChangePassword: opts.mustChangePassword ?? false },
  );
  return user;
}

export type Session = { cookie: string; csrf: string; headers: Record<string, string> };

/** Logs in through the API and returns what a browser would send afterwards. */
export async function login(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
  ip = '10.0.0.1',
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'parc_session')!.value;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie: `parc_session=${cookie}`, 'x-csrf-token': csrf } };
}

export async function bearer(
  ctx: Ctx,
  userId: string,
  orgId: string,
  role: Role,
): Promise<Record<string, string>> {
  const { token } = await createApiToken(
    { ...ctx, now: new Date() },
    { userId, orgId, role, name: 'test', expiresAt: null },
  );
  return { authorization: `Bearer ${token}` };
}

/** A world of two client organisations under one home organisation, with a person per role. */
export async function world(ctx: Ctx) {
  const home = await makeOrg(ctx, { name: 'Home', home: true });
  const orgA = await makeOrg(ctx, { name: 'Client A' });
  const orgB = await makeOrg(ctx, { name: 'Client B' });
  const admin = await makeUser(ctx, { orgId: home.id, roles: ['admin'] });
  const adminA = await makeUser(ctx, { orgId: orgA.id, roles: ['admin'] });
  const techA = await makeUser(ctx, { orgId: orgA.id, roles: ['technician'] });
  const requesterA = await makeUser(ctx, { orgId: orgA.id, roles: ['requester'] });
  const securityA = await makeUser(ctx, { orgId: orgA.id, roles: ['security_officer'] });
  const adminB = await makeUser(ctx, { orgId: orgB.id, roles: ['admin'] });
  return { home, orgA, orgB, admin, adminA, techA, requesterA, securityA, adminB };
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T;
}
