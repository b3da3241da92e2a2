import { type APIRequestContext, request } from 'playwright-core';
import { expect } from 'vitest';

/** A signed-in API client (cookie and CSRF proof), for the setup a journey does not test. */
export type Session = {
  ctx: APIRequestContext;
  me: { id: string; memberships: { orgId: string }[] };
  call: <T>(method: string, url: string, body?: object, headers?: Record<string, string>) => Promise<T>;
};

export async function apiSession(baseURL: string, email: string, password: string): Promise<Session> {
  const ctx = await request.newContext({ baseURL });
  const login = await ctx.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status(), await login.text()).toBe(200);
  const me = (await login.json()) as { id: string; csrfToken: string; memberships: { orgId: string }[] };
  const call = async <T>(
    method: string,
    url: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const res = await ctx.fetch(`/api/v1${url}`, {
      method,
      headers: { 'X-CSRF-Token': me.csrfToken, ...headers },
      ...(body && { data: body }),
    });
    expect(res.ok(), `${method} ${url}: ${res.status()} ${await res.text()}`).toBe(true);
    return (res.status() === 204 ? null : await res.json()) as T;
  };
  return { ctx, me, call };
}

/** A person with one role, their first password already changed (as they would at first login). */
export async function createUser(
  admin: Session,
  baseURL: string,
  orgId: string,
  who: { email: string; name: string; password: string },
  role: string,
): Promise<void> {
  const first = `${who.password}-first`;
  await admin.call('POST', '/users', {
    email: who.email,
    displayName: who.name,
    password: first,
    orgId,
    roles: [role],
  });
  const session = await apiSession(baseURL, who.email, first);
  await session.call('POST', '/me/password', { currentPassword: first, newPassword: who.password });
  await session.ctx.dispose();
}
