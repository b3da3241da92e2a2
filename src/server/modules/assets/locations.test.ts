import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TLocation } from '../../../shared/schemas/assets.js';
import { toJson } from '../../db/values.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

const DESKTOP_TYPE = '00000000-0000-7000-8000-000000000001';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let s: Record<'adminA' | 'techA' | 'requesterA' | 'adminB', Session>;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  s = {
    adminA: await login(t.app, w.adminA.email),
    techA: await login(t.app, w.techA.email),
    requesterA: await login(t.app, w.requesterA.email),
    adminB: await login(t.app, w.adminB.email),
  };
});
afterAll(() => t.close());

const req = (
  who: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
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

/** Creates a location through the API as A's technician and returns it. */
async function place(
  kind: TLocation['kind'],
  name: string,
  parent: TLocation | null = null,
): Promise<TLocation> {
  const res = await req(s.techA, 'POST', '/locations', {
    orgId: w.orgA.id,
    parentId: parent?.id ?? null,
    kind,
    name,
  });
  if (res.statusCode !== 201) throw new Error(`create ${kind}: ${res.statusCode} ${res.body}`);
  return json<TLocation>(res);
}

/** An asset row straight in the table: this suite tests locations, not the asset service. */
async function assetIn(location: TLocation): Promise<string> {
  const path = `/${location.breadcrumb.map((c) => c.id).join('/')}/`;
  const now = new Date().toISOString();
  const id = uuidv7();
  await t.ctx.db
    .insertInto('asset')
    .values({
      id,
      org_id: location.orgId,
      type_id: DESKTOP_TYPE,
      model_id: null,
      name: `PC ${id.slice(-6)}`,
      asset_tag: null,
      serial: null,
      status: 'deployed',
      location_id: location.id,
      location_path: path,
      assigned_user_id: null,
      supplier_id: null,
      purchase_date: null,
      warranty_end: null,
      contract_end: null,
      custom: toJson({}),
      notes: '',
      search_text: '',
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    })
    .execute();
  return id;
}

const assetPath = async (id: string) =>
  (await t.ctx.db.selectFrom('asset').select('location_path').where('id', '=', id).executeTakeFirstOrThrow())
    .location_path;

describe('the kind hierarchy', () => {
  it('builds site > building > floor > room > rack with a breadcrumb from the site down', async () => {
    const site = await place('site', 'Lyon HQ');
    const building = await place('building', 'Bâtiment A', site);
    const floor = await place('floor', 'Floor 2', building);
    const room = await place('room', 'Server room', floor);
    const rack = await place('rack', 'Rack 1', room);
    const directRoom = await place('room', 'Lobby', building);
    expect(directRoom.parentId).toBe(building.id);
    const read = await req(s.techA, 'GET', `/locations/${rack.id}`);
    expect(read.headers.etag).toBe('"v1"');
    expect(json<TLocation>(read).breadcrumb.map((c) => [c.kind, c.name])).toEqual([
      ['site', 'Lyon HQ'],
      ['building', 'Bâtiment A'],
      ['floor', 'Floor 2'],
      ['room', 'Server room'],
      ['rack', 'Rack 1'],
    ]);
  });

  it('refuses a kind under the wrong parent with the parent kinds it allows', async () => {
    const site = await place('site', 'Rules site');
    const building = await place('building', 'Rules building', site);
    const cases: Array<[TLocation['kind'], string | null, string[]]> = [
      ['building', null, ['site']],
      ['site', site.id, ['root']],
      ['floor', site.id, ['building']],
      ['rack', building.id, ['room']],
    ];
    for (const [kind, parentId, allowed] of cases) {
      const res = await req(s.techA, 'POST', '/locations', { orgId: w.orgA.id, parentId, kind, name: 'x' });
      expect(res.statusCode).toBe(422);
      expect(json(res)).toMatchObject({ code: 'location.bad_parent', allowedParentKinds: allowed });
      expect(json<{ errors: Array<{ path: string }> }>(res).errors[0]!.path).toBe('parentId');
    }
  });

  it('refuses a parent of another organisation', async () => {
    const siteB = json<TLocation>(
      await req(s.adminB, 'POST', '/locations', { orgId: w.orgB.id, kind: 'site', name: 'B site' }),
    );
    const res = await req(s.techA, 'POST', '/locations', {
      orgId: w.orgA.id,
      parentId: siteB.id,
      kind: 'building',
      name: 'Squatter',
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).code).toBe('location.parent_not_found');
  });
});

describe('moving a location', () => {
  it('moves the whole subtree and the assets in it, in one write', async () => {
    const site1 = await place('site', 'Move site 1');
    const b1 = await place('building', 'Move building 1', site1);
    const floor = await place('floor', 'Move floor', b1);
    const room = await place('room', 'Move room', floor);
    const rack = await place('rack', 'Move rack', room);
    const site2 = await place('site', 'Move site 2');
    const b2 = await place('building', 'Move building 2', site2);
    const inRack = await assetIn(rack);
    const onFloor = await assetIn(floor);

    const res = await req(
      s.techA,
      'PATCH',
      `/locations/${floor.id}`,
      { parentId: b2.id },
      { 'if-match': '"v1"' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"v2"');
    expect(json<TLocation>(res).parentId).toBe(b2.id);

    const movedRack = json<TLocation>(await req(s.techA, 'GET', `/locations/${rack.id}`));
    expect(movedRack.breadcrumb.map((c) => c.id)).toEqual([site2.id, b2.id, floor.id, room.id, rack.id]);
    expect(await assetPath(inRack)).toBe(`/${site2.id}/${b2.id}/${floor.id}/${room.id}/${rack.id}/`);
    expect(await assetPath(onFloor)).toBe(`/${site2.id}/${b2.id}/${floor.id}/`);
    const contents = async (id: string) =>
      json<{ children: TLocation[]; assetCount: number }>(
        await req(s.techA, 'GET', `/locations/${id}/contents`),
      );
    expect(await contents(b2.id)).toMatchObject({ assetCount: 2, children: [{ id: floor.id }] });
    expect(await contents(b1.id)).toEqual({ children: [], assetCount: 0 });
  });

  it('refuses a move under itself, a descendant or a parent of the wrong kind', async () => {
    const site = await place('site', 'Cycle site');
    const building = await place('building', 'Cycle building', site);
    const floor = await place('floor', 'Cycle floor', building);
    const otherSite = await place('site', 'Cycle other site');
    const ifMatch = { 'if-match': '"v1"' };
    const self = await req(s.techA, 'PATCH', `/locations/${building.id}`, { parentId: building.id }, ifMatch);
    expect(self.statusCode).toBe(422);
    expect(json(self).code).toBe('location.cycle');
    const below = await req(s.techA, 'PATCH', `/locations/${site.id}`, { parentId: floor.id }, ifMatch);
    expect(json(below).code).toBe('location.cycle');
    const wrongKind = await req(
      s.techA,
      'PATCH',
      `/locations/${floor.id}`,
      { parentId: otherSite.id },
      ifMatch,
    );
    expect(wrongKind.statusCode).toBe(422);
    expect(json(wrongKind).code).toBe('location.bad_parent');
    const renamed = await req(
      s.techA,
      'PATCH',
      `/locations/${floor.id}`,
      { name: 'Ground floor', rackUnits: null },
      ifMatch,
    );
    expect(json<TLocation>(renamed).name).toBe('Ground floor');
    const stale = await req(s.techA, 'PATCH', `/locations/${floor.id}`, { name: 'Stale' }, ifMatch);
    expect(stale.statusCode).toBe(412);
  });
});

describe('deleting a location', () => {
  it('is refused while it holds a live location or asset, and soft-deletes once empty', async () => {
    const site = await place('site', 'Delete site');
    const building = await place('building', 'Delete building', site);
    const room = await place('room', 'Delete room', building);
    await assetIn(room);
    const withChild = await req(s.techA, 'DELETE', `/locations/${building.id}`, undefined, {
      'if-match': '"v1"',
    });
    expect(withChild.statusCode).toBe(409);
    expect(json(withChild)).toMatchObject({ code: 'location.not_empty', children: 1, assets: 1 });
    const withAsset = await req(s.techA, 'DELETE', `/locations/${room.id}`, undefined, {
      'if-match': '"v1"',
    });
    expect(json(withAsset)).toMatchObject({ code: 'location.not_empty', children: 0, assets: 1 });

    const empty = await place('room', 'Empty room', building);
    expect((await req(s.techA, 'DELETE', `/locations/${empty.id}`)).statusCode).toBe(428);
    expect(
      (await req(s.techA, 'DELETE', `/locations/${empty.id}`, undefined, { 'if-match': '"v1"' })).statusCode,
    ).toBe(204);
    expect((await req(s.techA, 'GET', `/locations/${empty.id}`)).statusCode).toBe(404);
    const children = json<{ children: TLocation[] }>(
      await req(s.techA, 'GET', `/locations/${building.id}/contents`),
    );
    expect(children.children.map((c) => c.id)).toEqual([room.id]);
  });
});

describe('permissions and scoping', () => {
  it('another organisation gets 404 for every route of a location', async () => {
    const site = await place('site', 'Private site');
    const ifMatch = { 'if-match': '"v1"' };
    expect((await req(s.adminB, 'GET', `/locations/${site.id}`)).statusCode).toBe(404);
    expect((await req(s.adminB, 'GET', `/locations/${site.id}/contents`)).statusCode).toBe(404);
    expect(
      (await req(s.adminB, 'PATCH', `/locations/${site.id}`, { name: 'Mine' }, ifMatch)).statusCode,
    ).toBe(404);
    expect((await req(s.adminB, 'DELETE', `/locations/${site.id}`, undefined, ifMatch)).statusCode).toBe(404);
    const create = await req(s.adminB, 'POST', '/locations', {
      orgId: w.orgA.id,
      kind: 'site',
      name: 'Intruder',
    });
    expect(create.statusCode).toBe(404);
    const list = json<{ items: TLocation[] }>(await req(s.adminB, 'GET', '/locations?limit=200'));
    expect(list.items.every((l) => l.orgId === w.orgB.id)).toBe(true);
  });

  it('a technician writes locations; a requester gets 403', async () => {
    const site = await place('site', 'Tech site');
    expect(site.orgId).toBe(w.orgA.id);
    const res = await req(s.requesterA, 'POST', '/locations', {
      orgId: w.orgA.id,
      kind: 'site',
      name: 'Nope',
    });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('auth.forbidden');
    expect((await req(s.requesterA, 'GET', '/locations')).statusCode).toBe(403);
  });

  it('records every write in the audit trail', async () => {
    const site = await place('site', 'Audited site');
    const other = await place('site', 'Audited other');
    const building = await place('building', 'Audited building', site);
    await req(s.techA, 'PATCH', `/locations/${building.id}`, { parentId: other.id }, { 'if-match': '"v1"' });
    await req(s.techA, 'DELETE', `/locations/${building.id}`, undefined, { 'if-match': '"v2"' });
    const audit = json<{ items: Array<{ action: string; actorId: string }> }>(
      await req(s.adminA, 'GET', `/audit?entityType=location&entityId=${building.id}`),
    );
    expect(audit.items.map((e) => e.action).sort()).toEqual([
      'location.created',
      'location.deleted',
      'location.moved',
    ]);
    expect(audit.items.every((e) => e.actorId === w.techA.id)).toBe(true);
  });
});

describe('the location list', () => {
  it('pages by name with a cursor and filters by parent and text', async () => {
    const site = await place('site', 'Paging site');
    for (const name of ['Delta', 'Alpha', 'Charlie', 'Bravo', 'Echo'])
      await place('building', `${name} wing`, site);
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/locations?parentId=${site.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json<{ items: TLocation[]; nextCursor: string | null }>(await req(s.techA, 'GET', url));
      names.push(...page.items.map((l) => l.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].map((n) => `${n} wing`));
    const found = json<{ items: TLocation[] }>(await req(s.techA, 'GET', '/locations?q=CHARLIE'));
    expect(found.items.map((l) => l.name)).toEqual(['Charlie wing']);
    const roots = json<{ items: TLocation[] }>(
      await req(s.techA, 'GET', `/locations?parentId=root&orgId=${w.orgA.id}&limit=200`),
    );
    expect(roots.items.every((l) => l.kind === 'site')).toBe(true);
    expect(roots.items.map((l) => l.id)).toContain(site.id);
    const bad = await req(s.techA, 'GET', '/locations?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
  });
});
