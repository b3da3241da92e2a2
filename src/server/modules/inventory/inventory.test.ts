import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fusionXml = fs.readFileSync(path.join(FIXTURES, 'fusioninventory-2.6-inventory.xml'), 'utf8');
const prologXml = fs.readFileSync(path.join(FIXTURES, 'fusioninventory-2.6-prolog.xml'), 'utf8');
const glpiJson = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'glpi-agent-1.12-inventory.json'), 'utf8'));
const glpiContact = fs.readFileSync(path.join(FIXTURES, 'glpi-agent-1.12-contact.json'), 'utf8');

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let adminA: Session;
let admin: Session;
let adminB: Session;
let tokenA: string;
let tokenB: string;

type Device = { id: string; deviceId: string; orgId: string | null; assetId: string | null; status: string };

/** The Fusion sample as another machine: its own device id, hostname, serial and MAC. */
function fusionAs(n: number, edit: (xml: string) => string = (x) => x): string {
  return edit(
    fusionXml
      .replace(/<DEVICEID>[^<]*<\/DEVICEID>/, `<DEVICEID>host-${n}-2026-11-29-06-59-04</DEVICEID>`)
      .replace(/<NAME>vm<\/NAME>/g, `<NAME>host-${n}</NAME>`)
      .replace('<SSN></SSN>', `<SSN>SN-${n}-XYZ</SSN>`)
      .replace(/<MACADDR>([0-9a-f:]{15})[0-9a-f]{2}<\/MACADDR>/g, (m, head: string) =>
        head === '00:00:00:00:00:' ? m : `<MACADDR>${head}${n.toString(16).padStart(2, '0')}</MACADDR>`,
      ),
  );
}

const post = (url: string, body: Buffer, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/x-compress-zlib', ...headers },
  });

const api = (s: Session, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload && { payload }) });

async function deviceNamed(s: Session, hostname: string, pending = false): Promise<Device | undefined> {
  const res = await api(s, 'GET', `/inventory/devices?q=${hostname}${pending ? '&pending=true' : ''}`);
  return json<{ items: Array<Device & { hostname: string }> }>(res).items.find(
    (d) => d.hostname === hostname,
  );
}

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  adminA = await login(t.app, w.adminA.email);
  admin = await login(t.app, w.admin.email);
  adminB = await login(t.app, w.adminB.email);
  const mint = async (s: Session, orgId: string) =>
    json<{ token: string }>(await api(s, 'POST', '/inventory/tokens', { orgId, name: 'Agents' })).token;
  tokenA = await mint(adminA, w.orgA.id);
  tokenB = await mint(admin, w.orgB.id);
});
afterAll(() => t.close());

describe('OCS / FusionInventory agents', () => {
  it('answers PROLOG with SEND in zlib, the only reply every agent reads', async () => {
    const res = await post('/ocsinventory', deflateSync(Buffer.from(prologXml)));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-compress-zlib');
    expect([...res.rawPayload.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(inflateSync(res.rawPayload).toString()).toContain('<RESPONSE>SEND</RESPONSE>');
  });

  it('files an inventory as an asset with its software, then an identical one changes nothing', async () => {
    const body = deflateSync(Buffer.from(fusionAs(1)));
    const res = await post(`/ocsinventory?token=${tokenA}`, body);
    expect(res.statusCode).toBe(200);
    expect(inflateSync(res.rawPayload).toString()).toContain('NO_ACCOUNT_UPDATE');
    const device = await deviceNamed(adminA, 'host-1');
    expect(device).toMatchObject({ orgId: w.orgA.id, status: 'active' });
    const asset = json<{ name: string; serial: string; status: string }>(
      await api(adminA, 'GET', `/assets/${device!.assetId}`),
    );
    expect(asset).toMatchObject({ name: 'host-1', serial: 'SN-1-XYZ', status: 'deployed' });
    const software = json<{ items: Array<{ name: string; version: string; publisher: string }> }>(
      await api(adminA, 'GET', `/assets/${device!.assetId}/software`),
    ).items;
    expect(software.length).toBeGreaterThan(900);
    expect(software).toContainEqual(
      expect.objectContaining({ name: 'adduser', version: '3.134', publisher: 'Debian' }),
    );

    const before = await api(adminA, 'GET', `/inventory/devices/${device!.id}`);
    const again = await post(`/ocsinventory?token=${tokenA}`, body);
    expect(again.statusCode).toBe(200);
    const after = json<{ version?: number; lastContactAt: string }>(
      await api(adminA, 'GET', `/inventory/devices/${device!.id}`),
    );
    expect(after.lastContactAt >= json<{ lastContactAt: string }>(before).lastContactAt).toBe(true);
    const history = json<{ items: Array<{ kind: string }> }>(
      await api(adminA, 'GET', `/assets/${device!.assetId}/history`),
    );
    expect(history.items.filter((h) => h.kind === 'inventory')).toHaveLength(0);
  });

  it('writes what changed into the asset history as a diff: memory, software removed and upgraded', async () => {
    const changed = fusionAs(1, (xml) =>
      xml
        .replace(/<MEMORY>\d+<\/MEMORY>/, '<MEMORY>32768</MEMORY>')
        .replace(/<SOFTWARES>(?:(?!<\/SOFTWARES>)[\s\S])*?<NAME>adduser<\/NAME>[\s\S]*?<\/SOFTWARES>/, '')
        .replace(
          /(<NAME>adwaita-icon-theme<\/NAME>\s*<PUBLISHER>[^<]*<\/PUBLISHER>[\s\S]*?<VERSION>)43-1(<\/VERSION>)/,
          '$144-0$2',
        ),
    );
    expect((await post(`/ocsinventory?token=${tokenA}`, deflateSync(Buffer.from(changed)))).statusCode).toBe(
      200,
    );
    const device = await deviceNamed(adminA, 'host-1');
    const history = json<{
      items: Array<{ kind: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
    }>(await api(adminA, 'GET', `/assets/${device!.assetId}/history`));
    const entry = history.items.find((h) => h.kind === 'inventory');
    expect(entry?.changes).toContainEqual({ field: 'inventory.memoryMb', from: 24105, to: 32768 });
    expect(entry?.changes).toContainEqual({ field: 'inventory.software', from: 'adduser 3.134', to: null });
    const software = json<{ items: Array<{ name: string; version: string }> }>(
      await api(adminA, 'GET', `/assets/${device!.assetId}/software`),
    ).items;
    expect(software.find((s) => s.name === 'adduser')).toBeUndefined();
  });

  it('a re-installed agent (new device id, same hardware) updates its asset instead of creating another', async () => {
    const first = await deviceNamed(adminA, 'host-1');
    const reinstalled = fusionAs(1).replace(
      /<DEVICEID>[^<]*<\/DEVICEID>/,
      '<DEVICEID>host-1-2026-12-01-10-00-00</DEVICEID>',
    );
    expect(
      (await post(`/ocsinventory?token=${tokenA}`, deflateSync(Buffer.from(reinstalled)))).statusCode,
    ).toBe(200);
    const now = await deviceNamed(adminA, 'host-1');
    expect(now).toMatchObject({
      id: first!.id,
      assetId: first!.assetId,
      deviceId: 'host-1-2026-12-01-10-00-00',
    });
  });

  it('refuses a device another organisation already holds, an unknown token, and unreadable bodies, and counts each', async () => {
    const claimed = await post(`/ocsinventory?token=${tokenB}`, deflateSync(Buffer.from(fusionAs(1))));
    expect(claimed.statusCode).toBe(409);
    expect(
      (await post('/ocsinventory?token=penr_nothing_here', deflateSync(Buffer.from(fusionAs(2))))).statusCode,
    ).toBe(401);
    expect(
      (await post(`/ocsinventory?token=${tokenA}`, deflateSync(Buffer.from('<REQUEST><QUERY>')))).statusCode,
    ).toBe(400);
    expect(
      (await post(`/ocsinventory?token=${tokenA}`, deflateSync(Buffer.from(fusionAs(3))).subarray(0, 500)))
        .statusCode,
    ).toBe(400);
    const errors = json<{ items: Array<{ reason: string; message: string }> }>(
      await api(admin, 'GET', '/inventory/errors'),
    );
    expect(errors.items.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['claimed_elsewhere', 'bad_token', 'malformed_xml', 'truncated']),
    );
    const stats = json<{ errors: Array<{ reason: string; count: number }> }>(
      await api(admin, 'GET', '/inventory/stats'),
    );
    expect(stats.errors.find((e) => e.reason === 'bad_token')?.count).toBeGreaterThanOrEqual(1);
  });
});

describe('GLPI agent', () => {
  it('answers CONTACT with status, expiration and the inventory task, compressed like the request', async () => {
    const res = await post('/front/inventory.php', deflateSync(Buffer.from(glpiContact)), {
      'glpi-agent-id': '3cfdf46a-ebc3-11f1-ad16-fce8309cc210',
    });
    expect(res.statusCode).toBe(200);
    const reply = JSON.parse(inflateSync(res.rawPayload).toString());
    expect(reply).toMatchObject({ status: 'ok', expiration: 24, tasks: { inventory: { server: 'glpi' } } });
  });

  it('merges a partial inventory: sections it leaves out are unchanged, not deleted', async () => {
    const full = {
      ...glpiJson,
      deviceid: 'glpi-host-2026',
      content: { ...glpiJson.content, hardware: { ...glpiJson.content.hardware, name: 'glpi-host' } },
    };
    const res = await post('/front/inventory.php', deflateSync(Buffer.from(JSON.stringify(full))), {
      authorization: `Bearer ${tokenA}`,
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(inflateSync(res.rawPayload).toString())).toMatchObject({ status: 'ok' });
    const device = await deviceNamed(adminA, 'glpi-host');
    const softwareBefore = json<{ items: unknown[] }>(
      await api(adminA, 'GET', `/assets/${device!.assetId}/software`),
    ).items.length;
    expect(softwareBefore).toBeGreaterThan(900);

    const partial = {
      action: 'inventory',
      deviceid: 'glpi-host-2026',
      itemtype: 'Computer',
      partial: true,
      content: {
        softwares: [
          ...glpiJson.content.softwares,
          { name: 'parc-test-tool', version: '1.0', publisher: 'Parc' },
        ],
      },
    };
    const res2 = await post('/front/inventory.php', gzipSync(Buffer.from(JSON.stringify(partial))), {
      authorization: `Bearer ${tokenA}`,
    });
    expect(res2.statusCode).toBe(200);
    const detail = json<{ inventory: { hardware?: { name?: string }; os?: { name?: string } } }>(
      await api(adminA, 'GET', `/inventory/devices/${device!.id}`),
    );
    expect(detail.inventory.hardware?.name).toBe('glpi-host');
    expect(detail.inventory.os?.name).toBe('Debian GNU/Linux');
    const software = json<{ items: Array<{ name: string; versionId: string; softwareId: string }> }>(
      await api(adminA, 'GET', `/assets/${device!.assetId}/software`),
    ).items;
    expect(software.length).toBe(softwareBefore + 1);
    // Where is it installed: from the installation index.
    const tool = software.find((s) => s.name === 'parc-test-tool')!;
    const where = json<{ items: Array<{ assetId: string; assetName: string }> }>(
      await api(adminA, 'GET', `/software/versions/${tool.versionId}/installations`),
    );
    expect(where.items).toEqual([
      expect.objectContaining({ assetId: device!.assetId, assetName: 'glpi-host' }),
    ]);
    const catalogue = json<{ versions: Array<{ version: string; installations: number }> }>(
      await api(adminA, 'GET', `/software/${tool.softwareId}`),
    );
    expect(catalogue.versions).toEqual([expect.objectContaining({ version: '1.0', installations: 1 })]);
  });
});

describe('organisation of an agent without a token', () => {
  it('waits in the queue to validate, then is filed where the administrator says', async () => {
    const res = await post('/ocsinventory', deflateSync(Buffer.from(fusionAs(4))));
    expect(res.statusCode).toBe(200);
    expect(await deviceNamed(adminA, 'host-4', true)).toBeUndefined();
    const waiting = await deviceNamed(admin, 'host-4', true);
    expect(waiting).toMatchObject({ status: 'pending', orgId: null, assetId: null });
    const validated = await api(admin, 'POST', `/inventory/devices/${waiting!.id}/validate`, {
      orgId: w.orgA.id,
    });
    expect(validated.statusCode).toBe(200);
    expect(json(validated)).toMatchObject({ status: 'active', orgId: w.orgA.id });
    const filed = await deviceNamed(adminA, 'host-4');
    expect(filed?.assetId).toBeTruthy();
  });

  it('follows the rules: agent tag, hostname pattern, IP range', async () => {
    const rule = await api(admin, 'POST', '/inventory/rules', {
      orgId: w.orgB.id,
      kind: 'hostname',
      pattern: 'host-5*',
    });
    expect(rule.statusCode).toBe(201);
    expect(
      (
        await api(admin, 'POST', '/inventory/rules', {
          orgId: w.orgB.id,
          kind: 'ip_range',
          pattern: '10.0.0/8',
        })
      ).statusCode,
    ).toBe(400);
    expect((await post('/ocsinventory', deflateSync(Buffer.from(fusionAs(5))))).statusCode).toBe(200);
    expect((await deviceNamed(admin, 'host-5'))?.orgId).toBe(w.orgB.id);
  });
});

describe('enrolment tokens', () => {
  it('a revoked token is refused with its own reason; its devices stay', async () => {
    const created = json<{ id: string; token: string }>(
      await api(adminA, 'POST', '/inventory/tokens', { orgId: w.orgA.id, name: 'Temporaire' }),
    );
    expect(
      (await post(`/ocsinventory?token=${created.token}`, deflateSync(Buffer.from(fusionAs(20))))).statusCode,
    ).toBe(200);
    expect((await api(adminA, 'DELETE', `/inventory/tokens/${created.id}`)).statusCode).toBe(204);
    const again = await post(
      `/ocsinventory?token=${created.token}`,
      deflateSync(Buffer.from(fusionAs(20, (x) => x.replace('<MEMORY>', '<MEMORY>1')))),
    );
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('révoqué');
    expect((await deviceNamed(adminA, 'host-20'))?.assetId).toBeTruthy();
    const errors = json<{ items: Array<{ reason: string }> }>(await api(admin, 'GET', '/inventory/errors'));
    expect(errors.items.map((e) => e.reason)).toContain('revoked_token');
    // Only the organisation's managers see and mint its tokens.
    expect((await api(adminB, 'POST', '/inventory/tokens', { orgId: w.orgA.id, name: 'x' })).statusCode).toBe(
      404,
    );
  });
});

describe('payload size', () => {
  it('refuses a body over the limit with 413 and counts it', async () => {
    const small = await testApp({ env: { PARC_INVENTORY_MAX_BYTES: '65536' } });
    try {
      const res = await small.app.inject({
        method: 'POST',
        url: '/ocsinventory',
        payload: Buffer.alloc(70_000, 0x41),
        headers: { 'content-type': 'application/x-compress-zlib' },
      });
      expect(res.statusCode).toBe(413);
      const rows = await small.ctx.db.selectFrom('inventory_error').select('reason').execute();
      expect(rows).toEqual([{ reason: 'too_large' }]);
      // Within the limit but inflating past it: stopped while inflating, same reason.
      const bomb = await small.app.inject({
        method: 'POST',
        url: '/ocsinventory',
        payload: deflateSync(Buffer.alloc(10_000_000, 0x20)),
        headers: { 'content-type': 'application/x-compress-zlib' },
      });
      expect(bomb.statusCode).toBe(413);
      expect(await small.ctx.db.selectFrom('inventory_error').select('reason').execute()).toHaveLength(2);
    } finally {
      await small.close();
    }
  });
});

describe('concurrency', () => {
  it('eight agents at once, one of them twice, lose nothing', async () => {
    const bodies = [10, 11, 12, 13, 14, 15, 16, 10].map((n) => deflateSync(Buffer.from(fusionAs(n))));
    const results = await Promise.all(bodies.map((b) => post(`/ocsinventory?token=${tokenA}`, b)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    for (const n of [10, 11, 12, 13, 14, 15, 16]) {
      const d = await deviceNamed(adminA, `host-${n}`);
      expect(d?.assetId, `host-${n}`).toBeTruthy();
    }
    const assets = json<{ items: unknown[] }>(await api(adminA, 'GET', '/assets?q=host-10'));
    expect(assets.items).toHaveLength(1);
  });
});
