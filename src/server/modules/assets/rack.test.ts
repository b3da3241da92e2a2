import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

// Built-in types have stable ids (migration 0002).
const SERVER = '00000000-0000-7000-8000-000000000003';
const SWITCH = '00000000-0000-7000-8000-000000000008';

type Asset = {
  id: string;
  name: string;
  notes: string;
  version: number;
  locationId: string | null;
  rackPosition: number | null;
  rackHeight: number | null;
};
type History = {
  items: Array<{ kind: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
};

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let adminB: Session;
let room: { id: string };
let rack: { id: string };

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  adminB = await login(t.app, w.adminB.email);
  const site = await location({ kind: 'site', name: 'Siège' });
  const building = await location({ kind: 'building', name: 'Bâtiment A', parentId: site.id });
  room = await location({ kind: 'room', name: 'Salle serveurs', parentId: building.id });
  rack = await location({ kind: 'rack', name: 'Baie 1', parentId: room.id, rackUnits: 42 });
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

async function location(body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await req(tech, 'POST', '/locations', { orgId: w.orgA.id, ...body });
  if (res.statusCode !== 201) throw new Error(`location create: ${res.statusCode} ${res.body}`);
  return json<{ id: string }>(res);
}

const create = (body: Record<string, unknown>) =>
  req(tech, 'POST', '/assets', { orgId: w.orgA.id, typeId: SERVER, ...body });

async function asset(body: Record<string, unknown>): Promise<Asset> {
  const res = await create(body);
  if (res.statusCode !== 201) throw new Error(`asset create: ${res.statusCode} ${res.body}`);
  return json<Asset>(res);
}

const patch = (a: Pick<Asset, 'id' | 'version'>, body: Record<string, unknown>) =>
  req(tech, 'PATCH', `/assets/${a.id}`, body, { 'if-match': `"v${a.version}"` });

describe('rack positions', () => {
  it('places an asset in a rack, and only in a rack', async () => {
    const placed = await asset({ name: 'SRV-01', locationId: rack.id, rackPosition: 1, rackHeight: 2 });
    expect(placed).toMatchObject({ locationId: rack.id, rackPosition: 1, rackHeight: 2 });
    expect(json<Asset>(await req(tech, 'GET', `/assets/${placed.id}`))).toMatchObject({
      rackPosition: 1,
      rackHeight: 2,
    });

    const inRoom = await create({ name: 'SRV-X', locationId: room.id, rackPosition: 5 });
    expect(inRoom.statusCode).toBe(422);
    expect(json(inRoom)).toMatchObject({
      code: 'validation.failed',
      errors: [{ path: 'rackPosition', code: 'not_in_rack' }],
    });
    const nowhere = await create({ name: 'SRV-Y', rackHeight: 1 });
    expect(json(nowhere)).toMatchObject({ errors: [{ path: 'rackHeight', code: 'not_in_rack' }] });

    const outOfRange = await create({ name: 'SRV-Z', locationId: rack.id, rackPosition: 0 });
    expect(outOfRange.statusCode).toBe(400);
    expect(json(outOfRange)).toMatchObject({ errors: [{ path: 'rackPosition' }] });
  });

  it('refuses a position past the top of the rack', async () => {
    const top = await asset({ name: 'SRV-TOP', locationId: rack.id, rackPosition: 42 });
    expect(top.rackPosition).toBe(42);
    const res = await create({ name: 'SRV-HIGH', locationId: rack.id, rackPosition: 41, rackHeight: 3 });
    expect(res.statusCode).toBe(422);
    expect(json(res)).toMatchObject({
      code: 'asset.beyond_rack',
      rackUnits: 42,
      errors: [{ path: 'rackPosition', code: 'beyond_rack' }],
    });
    // The height alone can push it past the top too.
    const grow = await patch(top, { rackHeight: 2 });
    expect(json(grow)).toMatchObject({ code: 'asset.beyond_rack' });
  });

  it('refuses an overlap with 409 naming the asset in the way', async () => {
    const sw = await asset({
      name: 'SW-CORE',
      typeId: SWITCH,
      locationId: rack.id,
      rackPosition: 10,
      rackHeight: 2,
    });
    const res = await create({ name: 'SRV-10', locationId: rack.id, rackPosition: 9, rackHeight: 2 });
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({
      code: 'asset.rack_slot_taken',
      existing: { id: sw.id, name: 'SW-CORE' },
      errors: [{ path: 'rackPosition', code: 'slot_taken' }],
    });
    expect(json(res).detail).toContain('SW-CORE');
    // Right above it is free; moving within its own slot never collides with itself.
    const above = await asset({ name: 'SRV-12', locationId: rack.id, rackPosition: 12 });
    const self = await patch(sw, { rackPosition: 9 });
    expect(self.statusCode).toBe(200);
    const onto = await patch(above, { rackPosition: 10 });
    expect(json(onto)).toMatchObject({ code: 'asset.rack_slot_taken', existing: { id: sw.id } });
  });

  it('clears the position when the asset leaves the rack, and the history shows every change', async () => {
    const a = await asset({ name: 'SRV-MOVE', locationId: rack.id, rackPosition: 20 });
    // A PATCH naming only the position keeps every other field, the location first.
    const moved = json<Asset>(await patch(a, { rackPosition: 21, rackHeight: 2 }));
    expect(moved).toMatchObject({ locationId: rack.id, rackPosition: 21, rackHeight: 2 });
    const out = await patch(moved, { locationId: room.id });
    expect(out.statusCode).toBe(200);
    expect(json<Asset>(out)).toMatchObject({ locationId: room.id, rackPosition: null, rackHeight: null });

    const history = json<History>(await req(tech, 'GET', `/assets/${a.id}/history`));
    expect(history.items[0]!.changes).toEqual([
      { field: 'locationId', from: rack.id, to: room.id },
      { field: 'rackPosition', from: 21, to: null },
      { field: 'rackHeight', from: 2, to: null },
    ]);
    expect(history.items[1]!.changes).toEqual([
      { field: 'rackPosition', from: 20, to: 21 },
      { field: 'rackHeight', from: null, to: 2 },
    ]);
  });

  it('clears the positions of assets a bulk edit moves', async () => {
    const a = await asset({ name: 'SRV-BULK', locationId: rack.id, rackPosition: 30, notes: 'garder' });
    const res = await req(tech, 'POST', '/assets/bulk', { ids: [a.id], patch: { locationId: room.id } });
    expect(json(res)).toMatchObject({ updated: 1 });
    expect(json<Asset>(await req(tech, 'GET', `/assets/${a.id}`))).toMatchObject({
      locationId: room.id,
      rackPosition: null,
      notes: 'garder',
    });
    // The slot is free again.
    await asset({ name: 'SRV-BULK-2', locationId: rack.id, rackPosition: 30 });
  });

  it('lists what a rack holds, for its organisation only', async () => {
    const other = await location({ kind: 'rack', name: 'Baie 2', parentId: room.id, rackUnits: 12 });
    const a = await asset({ name: 'NAS', assetTag: 'INV-NAS', locationId: other.id, rackPosition: 5 });
    const b = await asset({ name: 'UPS', locationId: other.id, rackPosition: 1, rackHeight: 3 });
    await asset({ name: 'Unplaced', locationId: other.id });
    const res = await req(tech, 'GET', `/locations/${other.id}/rack`);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({
      rackUnits: 12,
      slots: [
        { assetId: b.id, name: 'UPS', assetTag: null, typeId: SERVER, position: 1, height: 3 },
        { assetId: a.id, name: 'NAS', assetTag: 'INV-NAS', typeId: SERVER, position: 5, height: 1 },
      ],
    });

    const notRack = await req(tech, 'GET', `/locations/${room.id}/rack`);
    expect(notRack.statusCode).toBe(422);
    expect(json(notRack)).toMatchObject({ code: 'location.not_rack' });
    expect((await req(adminB, 'GET', `/locations/${other.id}/rack`)).statusCode).toBe(404);
    // Another organisation cannot see, nor place against, what the rack holds.
    const foreign = await req(adminB, 'POST', '/assets', {
      orgId: w.orgB.id,
      typeId: SERVER,
      name: 'Intrus',
      locationId: other.id,
      rackPosition: 5,
    });
    expect(json(foreign)).toMatchObject({ errors: [{ path: 'locationId', code: 'not_found' }] });
  });

  it('refuses to shrink a rack below the equipment it holds, and keeps its other fields', async () => {
    const small = await location({ kind: 'rack', name: 'Baie 3', parentId: room.id, rackUnits: 24 });
    await asset({
      name: 'Switch haut',
      typeId: SWITCH,
      locationId: small.id,
      rackPosition: 20,
      rackHeight: 2,
    });
    const read = json<{ version: number }>(await req(tech, 'GET', `/locations/${small.id}`));
    const shrink = await req(
      tech,
      'PATCH',
      `/locations/${small.id}`,
      { rackUnits: 20 },
      {
        'if-match': `"v${read.version}"`,
      },
    );
    expect(shrink.statusCode).toBe(409);
    expect(json(shrink)).toMatchObject({
      code: 'location.rack_too_small',
      existing: { name: 'Switch haut' },
      errors: [{ path: 'rackUnits', code: 'slot_taken' }],
    });
    const renamed = await req(
      tech,
      'PATCH',
      `/locations/${small.id}`,
      { rackUnits: 21, name: 'Baie 3 bis' },
      {
        'if-match': `"v${read.version}"`,
      },
    );
    expect(renamed.statusCode).toBe(200);
    expect(json(renamed)).toMatchObject({ name: 'Baie 3 bis', rackUnits: 21 });
    // A rename alone leaves the height as it is.
    const again = await req(
      tech,
      'PATCH',
      `/locations/${small.id}`,
      { name: 'Baie 3' },
      {
        'if-match': `"v${json<{ version: number }>(renamed).version}"`,
      },
    );
    expect(json(again)).toMatchObject({ name: 'Baie 3', rackUnits: 21 });
  });

  it('frees the rack space of disposed hardware', async () => {
    const r = await location({ kind: 'rack', name: 'Baie 4', parentId: room.id, rackUnits: 10 });
    let a = await asset({ name: 'Vieux serveur', locationId: r.id, rackPosition: 1, status: 'retired' });
    for (const status of ['awaiting_disposal', 'disposed']) {
      const res = await req(
        tech,
        'POST',
        `/assets/${a.id}/status`,
        { status },
        { 'if-match': `"v${a.version}"` },
      );
      expect(res.statusCode).toBe(200);
      a = json<Asset>(res);
    }
    expect(a).toMatchObject({ status: 'disposed', rackPosition: null, locationId: r.id });
    expect((await create({ name: 'Nouveau', locationId: r.id, rackPosition: 1 })).statusCode).toBe(201);
  });
});
