import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJson } from '../../db/values.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';
import { validateCustomValues } from './custom-fields.js';
import { announceExpiries } from './expiry.jobs.js';

// Built-in types have stable ids (migration 0002).
const TYPE = {
  desktop: '00000000-0000-7000-8000-000000000001',
  server: '00000000-0000-7000-8000-000000000003',
  monitor: '00000000-0000-7000-8000-000000000006',
  switch: '00000000-0000-7000-8000-000000000008',
  memory: '00000000-0000-7000-8000-000000000016',
};

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let techB: Session;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  techB = await login(t.app, w.adminB.email);
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

async function asset(s: Session, body: Record<string, unknown>) {
  const res = await req(s, 'POST', '/assets', { orgId: w.orgA.id, typeId: TYPE.desktop, ...body });
  if (res.statusCode !== 201) throw new Error(`asset create: ${res.statusCode} ${res.body}`);
  return json<{ id: string; version: number; status: string }>(res);
}

async function location(s: Session, body: Record<string, unknown>) {
  const res = await req(s, 'POST', '/locations', { orgId: w.orgA.id, ...body });
  if (res.statusCode !== 201) throw new Error(`location create: ${res.statusCode} ${res.body}`);
  return json<{ id: string }>(res);
}

describe('assets', () => {
  it('refuses a duplicate serial with 409 naming the existing asset, per organisation', async () => {
    const first = await asset(tech, { name: 'PC-COMPTA-01', serial: 'SN-0001', assetTag: 'INV-0001' });
    const dup = await req(tech, 'POST', '/assets', {
      orgId: w.orgA.id,
      typeId: TYPE.desktop,
      name: 'Other',
      serial: 'SN-0001',
    });
    expect(dup.statusCode).toBe(409);
    expect(json(dup)).toMatchObject({
      code: 'asset.duplicate',
      existing: { id: first.id, name: 'PC-COMPTA-01' },
      errors: [{ path: 'serial' }],
    });
    expect(json(dup).detail).toContain('PC-COMPTA-01');
    const tag = await req(tech, 'POST', '/assets', {
      orgId: w.orgA.id,
      typeId: TYPE.desktop,
      name: 'Other',
      assetTag: 'INV-0001',
    });
    expect(json(tag)).toMatchObject({ code: 'asset.duplicate', errors: [{ path: 'assetTag' }] });
    const otherOrg = await req(techB, 'POST', '/assets', {
      orgId: w.orgB.id,
      typeId: TYPE.desktop,
      name: 'B',
      serial: 'SN-0001',
    });
    expect(otherOrg.statusCode).toBe(201);
  });

  it('enforces the lifecycle: a forbidden move gets 422 with the allowed ones, an allowed one is in the history', async () => {
    const a = await asset(tech, { name: 'Laptop 7', status: 'in_stock' });
    const bad = await req(
      tech,
      'POST',
      `/assets/${a.id}/status`,
      { status: 'disposed' },
      { 'if-match': '"v1"' },
    );
    expect(bad.statusCode).toBe(422);
    expect(json(bad)).toMatchObject({
      code: 'asset.bad_transition',
      allowed: ['deployed', 'loaned', 'in_repair', 'retired', 'awaiting_disposal'],
    });
    const ok = await req(
      tech,
      'POST',
      `/assets/${a.id}/status`,
      { status: 'deployed', note: 'New arrival in accounting' },
      { 'if-match': '"v1"' },
    );
    expect(ok.statusCode).toBe(200);
    const history = json<{
      items: Array<{ kind: string; changes: unknown[]; note: string | null; actorLabel: string }>;
    }>(await req(tech, 'GET', `/assets/${a.id}/history`));
    expect(history.items[0]).toMatchObject({
      kind: 'status',
      changes: [{ field: 'status', from: 'in_stock', to: 'deployed' }],
      note: 'New arrival in accounting',
      actorLabel: w.techA.email,
    });
    expect(history.items.at(-1)!.kind).toBe('created');
  });

  it('keeps every change as a readable diff, and detects a concurrent edit', async () => {
    const a = await asset(tech, { name: 'PC-RH-02' });
    const edit = await req(
      tech,
      'PATCH',
      `/assets/${a.id}`,
      { name: 'PC-RH-03', assignedUserId: w.requesterA.id },
      { 'if-match': '"v1"' },
    );
    expect(edit.statusCode).toBe(200);
    const stale = await req(tech, 'PATCH', `/assets/${a.id}`, { name: 'lost' }, { 'if-match': '"v1"' });
    expect(stale.statusCode).toBe(412);
    const history = json<{
      items: Array<{ kind: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
    }>(await req(tech, 'GET', `/assets/${a.id}/history`));
    expect(history.items[0]!.changes).toEqual([
      { field: 'name', from: 'PC-RH-02', to: 'PC-RH-03' },
      { field: 'assignedUserId', from: null, to: w.requesterA.id },
    ]);
    const outsider = await req(
      tech,
      'PATCH',
      `/assets/${a.id}`,
      { assignedUserId: w.adminB.id },
      { 'if-match': '"v2"' },
    );
    expect(outsider.statusCode).toBe(422);
    expect(json(outsider)).toMatchObject({ errors: [{ path: 'assignedUserId', code: 'not_found' }] });
  });

  it('finds assets by accent-insensitive text, type, status and location subtree', async () => {
    const site = await location(tech, { kind: 'site', name: 'Siège' });
    const building = await location(tech, { kind: 'building', name: 'Bâtiment A', parentId: site.id });
    const room = await location(tech, { kind: 'room', name: 'Salle 12', parentId: building.id });
    const other = await location(tech, { kind: 'site', name: 'Entrepôt' });
    const inRoom = await asset(tech, {
      name: 'Écran Dell 27"',
      typeId: TYPE.monitor,
      locationId: room.id,
      status: 'deployed',
    });
    await asset(tech, { name: 'Écran HP', typeId: TYPE.monitor, locationId: other.id, status: 'deployed' });
    await asset(tech, { name: 'Écran stock', typeId: TYPE.monitor, locationId: room.id, status: 'in_stock' });
    const found = json<{ items: Array<{ id: string }> }>(
      await req(
        tech,
        'GET',
        `/assets?q=ecran&typeId=${TYPE.monitor}&status=deployed&locationId=${building.id}`,
      ),
    );
    expect(found.items.map((i) => i.id)).toEqual([inRoom.id]);
    const upper = json<{ items: Array<{ id: string }> }>(await req(tech, 'GET', '/assets?q=DELL%2027'));
    expect(upper.items.map((i) => i.id)).toEqual([inRoom.id]);
  });

  it('answers 404 across organisations and 403 to requesters', async () => {
    const a = await asset(tech, { name: 'Private' });
    expect((await req(techB, 'GET', `/assets/${a.id}`)).statusCode).toBe(404);
    const list = json<{ items: Array<{ id: string }> }>(await req(techB, 'GET', '/assets?limit=200'));
    expect(list.items.map((i) => i.id)).not.toContain(a.id);
    const requester = await login(t.app, w.requesterA.email);
    expect((await req(requester, 'GET', '/assets')).statusCode).toBe(403);
    expect(
      (await req(techB, 'POST', '/assets', { orgId: w.orgA.id, typeId: TYPE.desktop, name: 'x' })).statusCode,
    ).toBe(404);
  });
});

describe('relations and impact', () => {
  it('answers "what is affected if this fails", transitively', async () => {
    const sw = await asset(tech, { name: 'SW-CORE', typeId: TYPE.switch });
    const srv = await asset(tech, { name: 'SRV-FILES', typeId: TYPE.server });
    const pc = await asset(tech, { name: 'PC-42' });
    const screen = await asset(tech, { name: 'Monitor 42', typeId: TYPE.monitor });
    const ram = await asset(tech, { name: 'RAM 16GB', typeId: TYPE.memory });
    const link = async (from: string, body: object) => {
      const res = await req(tech, 'POST', `/assets/${from}/relations`, body);
      expect(res.statusCode, res.body).toBe(201);
      return json<{ id: string }>(res);
    };
    await link(pc.id, { kind: 'port_link', toAssetId: sw.id, fromPort: 'eth0', toPort: 'Gi1/0/12' });
    await link(srv.id, { kind: 'port_link', toAssetId: sw.id, toPort: 'Gi1/0/1' });
    await link(pc.id, { kind: 'depends_on', toAssetId: srv.id });
    await link(screen.id, { kind: 'connected_to', toAssetId: pc.id });
    const installed = await link(ram.id, { kind: 'installed_in', toAssetId: pc.id });

    const impact = async (id: string) =>
      json<{ items: Array<{ name: string; depth: number }> }>(
        await req(tech, 'GET', `/assets/${id}/impact`),
      ).items.map((i) => `${i.name}@${i.depth}`);
    expect(await impact(sw.id)).toEqual(['PC-42@1', 'SRV-FILES@1', 'Monitor 42@2']);
    expect(await impact(ram.id)).toEqual(['PC-42@1', 'Monitor 42@2']);
    expect(await impact(screen.id)).toEqual([]);

    const again = await req(tech, 'POST', `/assets/${ram.id}/relations`, {
      kind: 'installed_in',
      toAssetId: srv.id,
    });
    expect(again.statusCode).toBe(409);
    const self = await req(tech, 'POST', `/assets/${pc.id}/relations`, {
      kind: 'depends_on',
      toAssetId: pc.id,
    });
    expect(self.statusCode).toBe(422);

    expect((await req(tech, 'DELETE', `/assets/${ram.id}/relations/${installed.id}`)).statusCode).toBe(204);
    expect(await impact(ram.id)).toEqual([]);
    type History = {
      items: Array<{
        kind: string;
        actorLabel: string;
        authorName: string | null;
        changes: Array<{ field: string; from: unknown; to: unknown }>;
      }>;
    };
    const relationChanges = async (id: string) =>
      json<History>(await req(tech, 'GET', `/assets/${id}/history`))
        .items.filter((h) => h.kind === 'relation')
        .map((h) => h.changes[0]!);
    // Each side records its own reading: the host "has a component", the component "is installed in".
    const pcChanges = await relationChanges(pc.id);
    expect(pcChanges.map((c) => c.field)).toEqual([
      'relation.installed_in.inverse',
      'relation.installed_in.inverse',
      'relation.connected_to.inverse',
      'relation.depends_on',
      'relation.port_link',
    ]);
    expect(pcChanges[0]).toMatchObject({ from: { assetId: ram.id, name: 'RAM 16GB' }, to: null });
    expect(pcChanges[1]).toMatchObject({ from: null, to: { assetId: ram.id, name: 'RAM 16GB' } });
    expect((await relationChanges(ram.id)).map((c) => c.field)).toEqual([
      'relation.installed_in',
      'relation.installed_in',
    ]);
    expect((await relationChanges(srv.id)).map((c) => c.field)).toEqual([
      'relation.depends_on.inverse',
      'relation.port_link',
    ]);
    expect((await relationChanges(sw.id))[0]).toMatchObject({
      field: 'relation.port_link.inverse',
      to: { assetId: srv.id, fromPort: null, toPort: 'Gi1/0/1' },
    });

    // Authors are shown by name, the e-mail stays alongside.
    const entry = json<History>(await req(tech, 'GET', `/assets/${pc.id}/history`)).items[0]!;
    expect(entry).toMatchObject({ actorLabel: w.techA.email, authorName: w.techA.displayName });
  });
});

describe('custom field validation', () => {
  const fields = [
    { key: 'ram_gb', label: 'RAM', type: 'number' as const, required: true },
    { key: 'os', label: 'OS', type: 'list' as const, required: false, options: ['Windows 11', 'Debian 12'] },
    { key: 'bought', label: 'Bought', type: 'date' as const, required: false },
  ];

  it('accepts valid values and reports every bad one with its path', () => {
    expect(validateCustomValues(fields, { ram_gb: 16, os: 'Debian 12' })).toEqual({
      ram_gb: 16,
      os: 'Debian 12',
    });
    try {
      validateCustomValues(fields, { ram_gb: 'sixteen', os: 'BeOS', bought: '31/12/2025', colour: 'red' });
      expect.unreachable();
    } catch (err) {
      const paths = (err as { fieldErrors: Array<{ path: string }> }).fieldErrors.map((f) => f.path).sort();
      expect(paths).toEqual(['custom.bought', 'custom.colour', 'custom.os', 'custom.ram_gb']);
    }
    expect(() => validateCustomValues(fields, {})).toThrow();
  });
});

describe('CSV export', () => {
  it('exports the current view with names for French Excel, defusing formulas', async () => {
    const site = await location(tech, { kind: 'site', name: 'Lyon' });
    await asset(tech, {
      name: '=HYPERLINK("http://evil")',
      serial: 'EXP-1',
      locationId: site.id,
      status: 'deployed',
      assignedUserId: w.techA.id,
    });
    await asset(tech, { name: 'Poste; "accueil"', serial: 'EXP-2', locationId: site.id });
    const res = await req(tech, 'GET', `/assets/export?locationId=${site.id}&sort=name`, undefined, {
      'accept-language': 'fr',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="assets-/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Identifiant;Nom;N° d’inventaire;N° de série;Type;Statut;Emplacement;Utilisateur;Achat;Fin de garantie;Fin de contrat;Notes',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(';"\'=HYPERLINK(""http://evil"")";');
    expect(lines[1]).toContain(`;EXP-1;Ordinateur fixe;deployed;Lyon;${w.techA.email};`);
    expect(lines[2]).toContain(';"Poste; ""accueil""";');
    expect((await req(techB, 'GET', `/assets/export?locationId=${site.id}`)).statusCode).toBe(200);
    const requester = await login(t.app, w.requesterA.email);
    expect((await req(requester, 'GET', '/assets/export')).statusCode).toBe(403);
  });
});

describe('warranty and contract expiry', () => {
  it('announces each end date once, within the notice period, and again when the date changes', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const soon = await asset(tech, { name: 'Warranty soon', warrantyEnd: day(10), contractEnd: day(20) });
    await asset(tech, { name: 'Warranty later', warrantyEnd: day(60) });
    await asset(tech, { name: 'Warranty past', warrantyEnd: day(-3) });
    const events = async () =>
      (
        await t.db.handle.db
          .selectFrom('outbox')
          .select(['type', 'payload'])
          .where('type', 'like', 'asset.%_expiring')
          .execute()
      ).map((e) => `${e.type}:${(fromJson<{ name: string }>(e.payload) ?? { name: '' }).name}`);
    expect(await announceExpiries({ ...t.ctx, now: new Date() })).toBe(2);
    expect((await events()).sort()).toEqual([
      'asset.contract_expiring:Warranty soon',
      'asset.warranty_expiring:Warranty soon',
    ]);
    expect(await announceExpiries({ ...t.ctx, now: new Date() })).toBe(0);
    const moved = await req(
      tech,
      'PATCH',
      `/assets/${soon.id}`,
      { warrantyEnd: day(15) },
      { 'if-match': '"v1"' },
    );
    expect(moved.statusCode).toBe(200);
    expect(await announceExpiries({ ...t.ctx, now: new Date() })).toBe(1);
  });
});

describe('bulk edit', () => {
  it('applies one change to a selection with history per asset, or lists every asset that cannot take it', async () => {
    const room = await location(tech, { kind: 'site', name: 'Bulk site' });
    const a = await asset(tech, { name: 'Bulk A', status: 'in_stock' });
    const b = await asset(tech, { name: 'Bulk B', status: 'in_stock' });
    const disposed = await asset(tech, { name: 'Bulk gone', status: 'awaiting_disposal' });
    await req(tech, 'POST', `/assets/${disposed.id}/status`, { status: 'disposed' }, { 'if-match': '"v1"' });

    const refused = await req(tech, 'POST', '/assets/bulk', {
      ids: [a.id, disposed.id, b.id],
      patch: { status: 'deployed', locationId: room.id },
    });
    expect(refused.statusCode).toBe(422);
    expect(json(refused)).toMatchObject({
      code: 'asset.bulk_failed',
      errors: [{ path: 'ids.1', code: 'bad_transition' }],
    });
    expect(json(await req(tech, 'GET', `/assets/${a.id}`)).status).toBe('in_stock');

    const done = await req(tech, 'POST', '/assets/bulk', {
      ids: [a.id, b.id],
      patch: { status: 'deployed', locationId: room.id },
    });
    expect(json(done)).toEqual({ updated: 2, unchanged: 0 });
    const history = json<{ items: Array<{ kind: string }> }>(
      await req(tech, 'GET', `/assets/${b.id}/history`),
    );
    expect(history.items.map((h) => h.kind).slice(0, 2)).toEqual(['status', 'updated']);
    const again = await req(tech, 'POST', '/assets/bulk', {
      ids: [a.id, b.id],
      patch: { status: 'deployed', locationId: room.id },
    });
    expect(json(again)).toEqual({ updated: 0, unchanged: 2 });
    const foreign = await req(techB, 'POST', '/assets/bulk', { ids: [a.id], patch: { notes: 'x' } });
    expect(json(foreign)).toMatchObject({ errors: [{ path: 'ids.0', code: 'asset.not_found' }] });
  });
});

describe('labels', () => {
  it('prints a PDF sheet of labels whose QR codes open each asset, 21 to a page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 22; i++)
      ids.push((await asset(tech, { name: `Label ${i}`, assetTag: `LBL-${i}` })).id);
    const res = await req(tech, 'POST', '/assets/labels', { ids });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload.toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(2);
    for (const id of [ids[0], ids[21]]) expect(pdf).toContain(`/URI (http://localhost:8080/assets/${id})`);
    expect((await req(techB, 'POST', '/assets/labels', { ids: [ids[0]] })).statusCode).toBe(404);
  });
});
