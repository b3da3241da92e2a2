import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, makeUser, type Session, type TestApp, testApp, world } from '../../test/harness.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let s: Record<'admin' | 'adminA' | 'techA' | 'requesterA' | 'adminB', Session>;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  s = {
    admin: await login(t.app, w.admin.email),
    adminA: await login(t.app, w.adminA.email),
    techA: await login(t.app, w.techA.email),
    requesterA: await login(t.app, w.requesterA.email),
    adminB: await login(t.app, w.adminB.email),
  };
});
afterAll(() => t.close());

const req = (
  who: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...who.headers, ...headers },
    ...(payload && { payload }),
  });

describe('organisation scoping', () => {
  it('a user of organisation A asking for a record of organisation B gets 404', async () => {
    expect((await req(s.adminA, 'GET', `/orgs/${w.orgB.id}`)).statusCode).toBe(404);
    expect((await req(s.adminA, 'GET', `/users/${w.adminB.id}`)).statusCode).toBe(404);
    expect(
      (await req(s.adminA, 'PUT', `/users/${w.adminB.id}/roles/${w.orgB.id}`, { roles: ['requester'] }))
        .statusCode,
    ).toBe(404);
    const group = json<{ id: string }>(
      await req(s.adminB, 'POST', '/groups', { orgId: w.orgB.id, name: 'B helpdesk' }),
    );
    expect((await req(s.adminA, 'GET', `/groups/${group.id}`)).statusCode).toBe(404);
  });

  it('keeps an external supplier’s support desk as a group with its contact, validated', async () => {
    const bad = await req(s.adminA, 'POST', '/groups', {
      orgId: w.orgA.id,
      name: 'Support Lexmark',
      supportContact: { company: 'Lexmark', email: 'pas une adresse' },
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(bad).errors[0]!.path).toBe('supportContact.email');
    const created = await req(s.adminA, 'POST', '/groups', {
      orgId: w.orgA.id,
      name: 'Support Lexmark',
      supportContact: {
        company: 'Lexmark France',
        email: 'support@lexmark.example',
        phone: '+33 1 23 45 67 89',
      },
    });
    expect(json(created)).toMatchObject({
      supportContact: {
        company: 'Lexmark France',
        email: 'support@lexmark.example',
        phone: '+33 1 23 45 67 89',
        url: null,
      },
    });
    const id = json<{ id: string }>(created).id;
    // A rename leaves the contact as it is; null removes it.
    const renamed = await req(
      s.adminA,
      'PATCH',
      `/groups/${id}`,
      { name: 'Lexmark (N2)' },
      { 'if-match': '"v1"' },
    );
    expect(json(renamed)).toMatchObject({
      name: 'Lexmark (N2)',
      supportContact: { company: 'Lexmark France' },
    });
    const cleared = await req(
      s.adminA,
      'PATCH',
      `/groups/${id}`,
      { supportContact: null },
      { 'if-match': '"v2"' },
    );
    expect(json(cleared)).toMatchObject({ supportContact: null });
  });

  it('lists only the organisations and people an actor may see', async () => {
    const orgs = json<{ items: Array<{ id: string }> }>(await req(s.techA, 'GET', '/orgs'));
    expect(orgs.items.map((o) => o.id)).toEqual([w.orgA.id]);
    const users = json<{ items: Array<{ email: string }> }>(await req(s.techA, 'GET', '/users?limit=200'));
    const emails = users.items.map((u) => u.email);
    expect(emails).toContain(w.requesterA.email);
    expect(emails).not.toContain(w.adminB.email);
    const all = json<{ items: Array<{ email: string }> }>(await req(s.admin, 'GET', '/users?limit=200'));
    expect(all.items.map((u) => u.email)).toEqual(
      expect.arrayContaining([w.adminB.email, w.requesterA.email]),
    );
  });

  it('a requester calling a technician route gets 403', async () => {
    const res = await req(s.requesterA, 'GET', '/users');
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('auth.forbidden');
    expect((await req(s.requesterA, 'GET', '/groups')).statusCode).toBe(403);
    expect(
      (
        await req(s.techA, 'POST', '/users', {
          email: 'x@example.test',
          displayName: 'X',
          orgId: w.orgA.id,
          roles: ['requester'],
        })
      ).statusCode,
    ).toBe(403);
  });

  it('only home administrators create organisations', async () => {
    expect((await req(s.adminA, 'POST', '/orgs', { name: 'Rogue', slug: 'rogue' })).statusCode).toBe(403);
    const res = await req(s.admin, 'POST', '/orgs', { name: 'Client C', slug: 'client-c' });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ timeZone: 'Europe/Paris', locale: 'fr', isHome: false });
    const dup = await req(s.admin, 'POST', '/orgs', { name: 'Client C again', slug: 'client-c' });
    expect(dup.statusCode).toBe(409);
    expect(json<{ errors: Array<{ path: string }> }>(dup).errors[0]!.path).toBe('slug');
  });
});

describe('users', () => {
  it('creates a user with a one-time password to change at first login', async () => {
    const res = await req(s.adminA, 'POST', '/users', {
      email: 'New.Arrival@Example.test',
      displayName: 'New Arrival',
      orgId: w.orgA.id,
      roles: ['requester'],
    });
    expect(res.statusCode).toBe(201);
    const body = json<{ email: string; temporaryPassword: string; mustChangePassword: boolean }>(res);
    expect(body.email).toBe('new.arrival@example.test');
    expect(body.mustChangePassword).toBe(true);
    const first = await login(t.app, body.email, body.temporaryPassword);
    expect(json(await req(first, 'GET', '/me')).mustChangePassword).toBe(true);
    const dup = await req(s.adminA, 'POST', '/users', {
      email: 'new.arrival@example.test',
      displayName: 'Again',
      orgId: w.orgA.id,
      roles: ['requester'],
    });
    expect(dup.statusCode).toBe(409);
  });

  it('detects a concurrent edit: a stale If-Match gets 412 and loses nothing', async () => {
    const user = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['requester'] });
    const read = await req(s.adminA, 'GET', `/users/${user.id}`);
    const etag = String(read.headers.etag);
    expect(etag).toBe('"v1"');
    const first = await req(
      s.adminA,
      'PATCH',
      `/users/${user.id}`,
      { displayName: 'First edit' },
      { 'if-match': etag },
    );
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"v2"');
    const second = await req(
      s.adminA,
      'PATCH',
      `/users/${user.id}`,
      { displayName: 'Second edit' },
      { 'if-match': etag },
    );
    expect(second.statusCode).toBe(412);
    expect(json(second)).toMatchObject({ code: 'precondition.failed', currentVersion: 2 });
    expect(json(await req(s.adminA, 'GET', `/users/${user.id}`)).displayName).toBe('First edit');
    const blind = await req(s.adminA, 'PATCH', `/users/${user.id}`, { displayName: 'Blind' });
    expect(blind.statusCode).toBe(428);
  });

  it('disabling a user ends their sessions and blocks login', async () => {
    const user = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['technician'] });
    const theirs = await login(t.app, user.email);
    const res = await req(s.adminA, 'PATCH', `/users/${user.id}`, { disabled: true }, { 'if-match': '"v1"' });
    expect(res.statusCode).toBe(200);
    expect((await req(theirs, 'GET', '/me')).statusCode).toBe(401);
    await expect(login(t.app, user.email)).rejects.toThrow(/401/);
  });

  it('sets roles per organisation and refuses to remove the last home administrator', async () => {
    const user = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['requester'] });
    const res = await req(s.adminA, 'PUT', `/users/${user.id}/roles/${w.orgA.id}`, {
      roles: ['technician', 'supervisor'],
    });
    expect(json<{ memberships: Array<{ roles: string[] }> }>(res).memberships[0]!.roles.sort()).toEqual([
      'supervisor',
      'technician',
    ]);
    const last = await req(s.admin, 'PUT', `/users/${w.admin.id}/roles/${w.home.id}`, { roles: [] });
    expect(last.statusCode).toBe(422);
    expect(json(last).code).toBe('user.last_admin');
  });

  it('an organisation admin cannot manage the account of someone also in another organisation', async () => {
    const shared = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['technician'] });
    await req(s.adminB, 'PUT', `/users/${shared.id}/roles/${w.orgB.id}`, { roles: ['technician'] });
    expect((await req(s.adminA, 'POST', `/users/${shared.id}/reset-password`)).statusCode).toBe(403);
    const reset = await req(s.admin, 'POST', `/users/${shared.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    await login(t.app, shared.email, json<{ temporaryPassword: string }>(reset).temporaryPassword);
  });

  it('filters, searches and sorts the user list', async () => {
    const a = await makeUser(t.ctx, {
      orgId: w.orgA.id,
      roles: ['supervisor'],
      email: 'zoe.sorting@example.test',
    });
    const b = await makeUser(t.ctx, {
      orgId: w.orgA.id,
      roles: ['supervisor'],
      email: 'adam.sorting@example.test',
    });
    const page = json<{ items: Array<{ id: string }> }>(
      await req(s.adminA, 'GET', `/users?q=SORTING&role=supervisor&orgId=${w.orgA.id}&sort=email&order=desc`),
    );
    expect(page.items.map((u) => u.id)).toEqual([a.id, b.id]);
  });
});

describe('groups', () => {
  it('creates, edits with If-Match and soft-deletes a group whose members belong to its organisation', async () => {
    const outsider = await req(s.adminA, 'POST', '/groups', {
      orgId: w.orgA.id,
      name: 'Helpdesk',
      memberIds: [w.adminB.id],
    });
    expect(outsider.statusCode).toBe(422);
    expect(json<{ errors: Array<{ path: string }> }>(outsider).errors[0]!.path).toBe('memberIds.0');
    const created = await req(s.adminA, 'POST', '/groups', {
      orgId: w.orgA.id,
      name: 'Helpdesk',
      memberIds: [w.techA.id],
    });
    expect(created.statusCode).toBe(201);
    const group = json<{ id: string; memberIds: string[] }>(created);
    expect(group.memberIds).toEqual([w.techA.id]);
    const updated = await req(
      s.adminA,
      'PATCH',
      `/groups/${group.id}`,
      { memberIds: [w.techA.id, w.requesterA.id], description: 'First line' },
      { 'if-match': '"v1"' },
    );
    expect(json<{ memberIds: string[] }>(updated).memberIds.sort()).toEqual(
      [w.techA.id, w.requesterA.id].sort(),
    );
    expect(
      (await req(s.techA, 'DELETE', `/groups/${group.id}`, undefined, { 'if-match': '"v2"' })).statusCode,
    ).toBe(403);
    expect(
      (await req(s.adminA, 'DELETE', `/groups/${group.id}`, undefined, { 'if-match': '"v1"' })).statusCode,
    ).toBe(412);
    expect(
      (await req(s.adminA, 'DELETE', `/groups/${group.id}`, undefined, { 'if-match': '"v2"' })).statusCode,
    ).toBe(204);
    expect((await req(s.adminA, 'GET', `/groups/${group.id}`)).statusCode).toBe(404);
  });

  it('describes the roles and their permissions', async () => {
    const roles = json<{ items: Array<{ role: string; permissions: string[] }> }>(
      await req(s.techA, 'GET', '/roles'),
    );
    expect(roles.items.map((r) => r.role)).toEqual([
      'requester',
      'technician',
      'supervisor',
      'security_officer',
      'admin',
    ]);
    expect(roles.items.find((r) => r.role === 'security_officer')!.permissions).toContain('audit.read');
  });
});
