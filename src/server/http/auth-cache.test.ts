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
