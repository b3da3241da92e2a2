import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  json,
  login,
  makeOrg,
  makeUser,
  PASSWORD,
  type TestApp,
  testApp,
} from '../../test/harness.js';
import { createApiToken, LOCKOUT } from '../auth/index.js';
import { LOGIN_RATE } from './account.service.js';

let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await testApp({ logLevel: 'debug' });
  orgId = (await makeOrg(t.ctx, { home: true })).id;
});
afterAll(() => t.close());

const loginReq = (payload: object, ip = '10.1.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: ip });

describe('login and sessions', () => {
  it('logs in with a JSON POST and the session cookie then opens /me', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const res = await loginReq({ email: user.email.toUpperCase(), password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'parc_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      cookies: { parc_session: cookie.value },
    });
    expect(json(me)).toMatchObject({
      email: user.email,
      via: 'session',
      mustChangePassword: false,
      memberships: [{ orgId, roles: ['technician'] }],
    });
  });

  it('answers the same for an unknown e-mail and a wrong password', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['requester'] });
    const wrong = await loginReq({ email: user.email, password: 'not the password' }, '10.1.0.2');
    const unknown = await loginReq({ email: 'nobody@example.test', password: 'whatever123456' }, '10.1.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(json(wrong).code).toBe('auth.invalid_credentials');
    expect(json(unknown).code).toBe('auth.invalid_credentials');
  });

  it('locks an account with back-off after repeated failures, even with the right password', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['requester'] });
    for (let i = 0; i < LOCKOUT.threshold - 1; i++) {
      expect(
        (await loginReq({ email: user.email, password: 'wrong password!' }, '10.1.0.3')).statusCode,
      ).toBe(401);
    }
    const locked = await loginReq({ email: user.email, password: 'wrong password!' }, '10.1.0.3');
    expect(locked.statusCode).toBe(429);
    expect(json(locked)).toMatchObject({ code: 'auth.locked', retryAfter: LOCKOUT.baseSeconds });
    expect(locked.headers['retry-after']).toBe(String(LOCKOUT.baseSeconds));
    const right = await loginReq({ email: user.email, password: PASSWORD }, '10.1.0.3');
    expect(right.statusCode).toBe(429);
  });

  it('rate-limits login attempts per client address', async () => {
    const ip = '10.9.9.9';
    let last = 0;
    for (let i = 0; i <= LOGIN_RATE.limit; i++)
      last = (await loginReq({ email: `x${i}@example.test`, password: 'whatever123456' }, ip)).statusCode;
    expect(last).toBe(429);
    const other = await loginReq({ email: 'x@example.test', password: 'whatever123456' }, '10.9.9.10');
    expect(other.statusCode).toBe(401);
  });

  it('refuses a state-changing request of a session without the CSRF proof', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['requester'] });
    const s = await login(t.app, user.email);
    const without = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      cookies: { parc_session: s.cookie },
      payload: { displayName: 'X' },
    });
    expect(without.statusCode).toBe(403);
    expect(json(without).code).toBe('auth.csrf');
    const forged = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...s.headers, 'x-csrf-token': 'forged' },
      payload: { displayName: 'X' },
    });
    expect(forged.statusCode).toBe(403);
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: s.headers,
      payload: { displayName: 'Renamed', locale: 'en' },
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ displayName: 'Renamed', locale: 'en' });
  });

  it('logs out one session, and everywhere', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['requester'] });
    const a = await login(t.app, user.email);
    const b = await login(t.app, user.email);
    const c = await login(t.app, user.email);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: a.headers })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: a.headers })).statusCode).toBe(
      401,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: b.headers })).statusCode).toBe(
      200,
    );
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: b.headers })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: c.headers })).statusCode).toBe(
      401,
    );
  });

  it('forces a password change before anything else, then keeps the session', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'], mustChangePassword: true });
    const s = await login(t.app, user.email);
    expect(
      json(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.headers })).mustChangePassword,
    ).toBe(true);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: s.headers });
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).code).toBe('auth.password_change_required');
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: s.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(short).errors[0]!.path).toBe('newPassword');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: s.headers,
      payload: { currentPassword: 'nope nope nope', newPassword: 'a much better passphrase' },
    });
    expect(json(wrong).code).toBe('auth.wrong_password');
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: s.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'a much better passphrase' },
    });
    expect(done.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: s.headers })).statusCode).toBe(
      200,
    );
    await login(t.app, user.email, 'a much better passphrase');
  });
});

describe('two-factor authentication', () => {
  it('enrols with a QR code, then asks for a code at login and accepts a recovery code once', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const s = await login(t.app, user.email);
    const setup = json<{ secret: string; otpauthUrl: string; qrSvg: string }>(
      await t.app.inject({ method: 'POST', url: '/api/v1/me/totp/setup', headers: s.headers }),
    );
    expect(setup.qrSvg).toMatch(/^<svg/);
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Parc:/);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/totp/enable',
      headers: s.headers,
      payload: { code: '000000' },
    });
    expect(bad.statusCode).toBe(400);
    const code = await generate({ secret: setup.secret });
    const enabled = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/totp/enable',
      headers: s.headers,
      payload: { code },
    });
    const { recoveryCodes } = json<{ recoveryCodes: string[] }>(enabled);
    expect(recoveryCodes).toHaveLength(10);

    const needCode = await loginReq({ email: user.email, password: PASSWORD }, '10.2.0.1');
    expect(needCode.statusCode).toBe(401);
    expect(json(needCode).code).toBe('auth.otp_required');
    const wrongCode = await loginReq({ email: user.email, password: PASSWORD, otp: '123456' }, '10.2.0.1');
    expect(json(wrongCode).code).toBe('auth.otp_invalid');
    const withCode = await loginReq(
      { email: user.email, password: PASSWORD, otp: await generate({ secret: setup.secret }) },
      '10.2.0.1',
    );
    expect(withCode.statusCode).toBe(200);
    expect(json(withCode).totpEnabled).toBe(true);
    const recovery = recoveryCodes[0]!;
    expect(
      (await loginReq({ email: user.email, password: PASSWORD, otp: recovery }, '10.2.0.1')).statusCode,
    ).toBe(200);
    expect(
      (await loginReq({ email: user.email, password: PASSWORD, otp: recovery }, '10.2.0.1')).statusCode,
    ).toBe(401);

    const s2 = await login(t.app, user.email, PASSWORD).catch(() => undefined);
    expect(s2).toBeUndefined();
  });

  it('keeps the TOTP secret encrypted at rest', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const s = await login(t.app, user.email);
    const { secret } = json<{ secret: string }>(
      await t.app.inject({ method: 'POST', url: '/api/v1/me/totp/setup', headers: s.headers }),
    );
    const row = await t.db.handle.db
      .selectFrom('user_credential')
      .select('totp_pending_secret')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.totp_pending_secret).not.toContain(secret);
    expect(row.totp_pending_secret).toMatch(/^v1\./);
  });
});

describe('API tokens', () => {
  it('creates a token shown once, scoped to one organisation and role, then revokes it', async () => {
    const other = await makeOrg(t.ctx);
    const user = await makeUser(t.ctx, { orgId, roles: ['technician', 'admin'] });
    const s = await login(t.app, user.email);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: s.headers,
      payload: { name: 'x', orgId: other.id, role: 'admin' },
    });
    expect(refused.statusCode).toBe(422);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: s.headers,
      payload: { name: 'inventory script', orgId, role: 'technician' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = json<{ token: string; id: string }>(created);
    expect(token).toMatch(/^parc_/);
    const stored = await t.db.handle.db
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);

    const list = json<{ items: Array<{ id: string; token?: string }> }>(
      await t.app.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: s.headers }),
    );
    expect(list.items.map((i) => i.id)).toContain(id);
    expect(list.items[0]!.token).toBeUndefined();

    const auth = { authorization: `Bearer ${token}` };
    const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth }));
    expect(me).toMatchObject({
      via: 'token',
      memberships: [{ orgId, roles: ['technician'] }],
      csrfToken: null,
    });
    // Scoped to technician: the admin role the user also holds is not usable through it.
    const asAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: auth,
      payload: { orgId, name: 'G' },
    });
    expect(asAdmin.statusCode).toBe(403);
    // Bearer calls need no CSRF proof: they cannot come from a browser's ambient credentials.
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/me',
          headers: auth,
          payload: { displayName: 'Bot' },
        })
      ).statusCode,
    ).toBe(200);

    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${id}`, headers: s.headers }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode).toBe(401);
  });

  it('stops working when the user loses the role', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const admin = await makeUser(t.ctx, { orgId, roles: ['admin'] });
    const headers = await bearer(t.ctx, user.id, orgId, 'technician');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    const s = await login(t.app, admin.email);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/users/${user.id}/roles/${orgId}`,
      headers: s.headers,
      payload: { roles: ['requester'] },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);
  });

  it('stops working once expired, whatever the cache', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const { token } = await createApiToken(t.ctx, {
      userId: user.id,
      orgId,
      role: 'technician',
      name: 'short',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('token list', () => {
  it('pages newest first', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const s = await login(t.app, user.email);
    for (const name of ['one', 'two', 'three']) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        headers: s.headers,
        payload: { name, orgId, role: 'technician' },
      });
    }
    const first = json<{ items: Array<{ name: string }>; nextCursor: string }>(
      await t.app.inject({ method: 'GET', url: '/api/v1/me/tokens?limit=2', headers: s.headers }),
    );
    const second = json<{ items: Array<{ name: string }>; nextCursor: string | null }>(
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/me/tokens?limit=2&cursor=${first.nextCursor}`,
        headers: s.headers,
      }),
    );
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(['three', 'two', 'one']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('secrets in logs', () => {
  it('never writes passwords, tokens or cookies to the log', async () => {
    const user = await makeUser(t.ctx, { orgId, roles: ['technician'] });
    const s = await login(t.app, user.email);
    const created = json<{ token: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        headers: s.headers,
        payload: { name: 'log-check', orgId, role: 'technician' },
      }),
    );
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${created.token}` },
    });
    await loginReq({ email: user.email, password: 'wrong-password-in-log?' }, '10.3.0.1');
    const all = t.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, 'wrong-password-in-log?', created.token, s.cookie, s.csrf])
      expect(all).not.toContain(secret);
  });
});
