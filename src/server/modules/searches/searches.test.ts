import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let techA: Session;
let adminA: Session;
let adminB: Session;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  techA = await login(t.app, w.techA.email);
  adminA = await login(t.app, w.adminA.email);
  adminB = await login(t.app, w.adminB.email);
});
afterAll(() => t.close());

const req = (
  s: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...s.headers, ...headers },
    ...(payload && { payload }),
  });

describe('saved searches', () => {
  it("keeps a user's searches, shares one with the organisation, and hides it from others", async () => {
    const mine = await req(techA, 'POST', '/saved-searches', {
      scope: 'assets',
      name: 'Laptops in repair',
      query: { status: 'in_repair', q: 'portable' },
    });
    expect(mine.statusCode).toBe(201);
    const shared = await req(techA, 'POST', '/saved-searches', {
      scope: 'assets',
      name: 'Warranty soon',
      query: { warrantyBefore: '2027-01-01' },
      shared: true,
      orgId: w.orgA.id,
    });
    expect(shared.statusCode).toBe(201);
    const noOrg = await req(techA, 'POST', '/saved-searches', {
      scope: 'assets',
      name: 'x',
      query: {},
      shared: true,
    });
    expect(json<{ errors: Array<{ path: string }> }>(noOrg).errors[0]!.path).toBe('orgId');

    const own = json<{ items: Array<{ name: string; mine: boolean }> }>(
      await req(techA, 'GET', '/saved-searches?scope=assets'),
    );
    expect(own.items.map((s) => `${s.name}:${s.mine}`)).toEqual([
      'Laptops in repair:true',
      'Warranty soon:true',
    ]);
    const colleague = json<{ items: Array<{ name: string; mine: boolean }> }>(
      await req(adminA, 'GET', '/saved-searches?scope=assets'),
    );
    expect(colleague.items.map((s) => `${s.name}:${s.mine}`)).toEqual(['Warranty soon:false']);
    const outsider = json<{ items: unknown[] }>(await req(adminB, 'GET', '/saved-searches?scope=assets'));
    expect(outsider.items).toEqual([]);

    const id = json<{ id: string }>(mine).id;
    expect(
      (await req(adminA, 'PATCH', `/saved-searches/${id}`, { name: 'Mine now' }, { 'if-match': '"v1"' }))
        .statusCode,
    ).toBe(404);
    const renamed = await req(
      techA,
      'PATCH',
      `/saved-searches/${id}`,
      { name: 'Laptops at the repairer' },
      { 'if-match': '"v1"' },
    );
    expect(json(renamed)).toMatchObject({ name: 'Laptops at the repairer', version: 2 });
    expect((await req(techA, 'DELETE', `/saved-searches/${id}`)).statusCode).toBe(204);
    const requester = await login(t.app, w.requesterA.email);
    expect((await req(requester, 'GET', '/saved-searches?scope=assets')).statusCode).toBe(403);
  });

  it('refuses a second search of the same name for the same user, on the name field', async () => {
    const first = await req(techA, 'POST', '/saved-searches', {
      scope: 'assets',
      name: 'Screens',
      query: { typeId: '00000000-0000-7000-8000-000000000006' },
    });
    expect(first.statusCode).toBe(201);
    const again = await req(
      techA,
      'POST',
      '/saved-searches',
      { scope: 'assets', name: ' screens ', query: {} },
      { 'accept-language': 'en' },
    );
    expect(again.statusCode).toBe(409);
    expect(json<{ errors: Array<{ path: string; code: string; message: string }> }>(again).errors).toEqual([
      { path: 'name', code: 'duplicate', message: 'Already used' },
    ]);
    // Another person may use the name; renaming onto an own name is refused too, keeping one's own is not.
    expect(
      (await req(adminA, 'POST', '/saved-searches', { scope: 'assets', name: 'Screens', query: {} }))
        .statusCode,
    ).toBe(201);
    const other = json<{ id: string }>(
      await req(techA, 'POST', '/saved-searches', { scope: 'assets', name: 'Printers', query: {} }),
    );
    const rename = (name: string) =>
      req(techA, 'PATCH', `/saved-searches/${other.id}`, { name }, { 'if-match': '"v1"' });
    expect((await rename('SCREENS')).statusCode).toBe(409);
    expect((await rename('printers')).statusCode).toBe(200);

    const empty = await req(techA, 'POST', '/saved-searches', { scope: 'assets', name: '   ', query: {} });
    expect(empty.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(empty).errors.map((e) => e.path)).toEqual(['name']);
    const noOrg = await req(
      techA,
      'POST',
      '/saved-searches',
      { scope: 'assets', name: 'Shared nowhere', query: {}, shared: true },
      { 'accept-language': 'fr' },
    );
    expect(json<{ errors: Array<{ path: string; code: string; message: string }> }>(noOrg).errors).toEqual([
      { path: 'orgId', code: 'required', message: 'Obligatoire' },
    ]);
  });
});
