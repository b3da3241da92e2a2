import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { secretBox } from '../crypto.js';
import { login, makeOrg, makeUser, TEST_KEY, type TestApp, testApp, testConfig } from '../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('resolved-caller cache across instances', () => {
  it('another instance honours a logout once its cache delay has passed', async () => {
    const org = await makeOrg(t.ctx, { home: true });
    const user = await makeUser(t.ctx, { orgId: org.id, roles: ['technician'] });
    // A second instance on the same database, with a short cache delay.
    const other = await buildApp(
      {
        config: testConfig({ PARC_AUTH_CACHE_MS: '300' }),
        handle: t.db.handle,
        secrets: secretBox(TEST_KEY),
      },
      { webDir: '/nonexistent' },
    );
    try {
      const s = await login(t.app, user.email);
      const me = () =>
        other.inject({ method: 'GET', url: '/api/v1/me', headers: s.headers }).then((r) => r.statusCode);
      expect(await me()).toBe(200);
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers })).statusCode,
      ).toBe(204);
      // The instance that handled the logout refuses at once; the other within its delay.
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.headers })).statusCode).toBe(
        401,
      );
      await new Promise((r) => setTimeout(r, 350));
      expect(await me()).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('what empties the resolved-caller cache', () => {
  it('keeps callers across other writes, and drops them on a write that can change who they are', async () => {
    const org = await makeOrg(t.ctx, { name: 'Cache' });
    const user = await makeUser(t.ctx, { orgId: org.id, roles: ['technician'] });
    const s = await login(t.app, user.email);
    const name = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.headers })).json().displayName;
    const before = await name();
    // Another instance (or the CLI) renames the user straight in the database.
    await t.ctx.db
      .updateTable('app_user')
      .set({ display_name: 'Renamed elsewhere' })
      .where('id', '=', user.id)
      .execute();
    // A write that changes no caller (a saved search) keeps this instance's cache…
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/saved-searches',
      headers: s.headers,
      payload: { name: 'Mine', scope: 'assets', query: {} },
    });
    expect(saved.statusCode).toBe(201);
    expect(await name()).toBe(before);
    // …a write under /me empties it.
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: s.headers,
      payload: { locale: 'en' },
    });
    expect(patched.statusCode).toBe(200);
    expect(await name()).toBe('Renamed elsewhere');
  });
});
