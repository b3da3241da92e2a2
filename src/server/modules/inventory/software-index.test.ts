import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dialectUnderTest,
  json,
  login,
  type Session,
  type TestApp,
  testApp,
  world,
} from '../../test/harness.js';
import { INDEX_BATCH } from './installations.service.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let adminA: Session;
let admin: Session;
let tokenA: string;

type Sw = { name: string; version: string; publisher?: string; arch?: string };

/** A small GLPI agent inventory: a named machine and its software. */
function glpi(host: string, softwares: Sw[], extra: Record<string, unknown> = {}) {
  return gzipSync(
    JSON.stringify({
      action: 'inventory',
      deviceid: `${host}-2026-12-01-00-00-00`,
      itemtype: 'Computer',
      content: { hardware: { name: host }, softwares, ...extra },
    }),
  );
}

const send = (body: Buffer, token: string | null = tokenA) =>
  t.app.inject({
    method: 'POST',
    url: '/front/inventory.php',
    payload: body,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
  });

const api = (s: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload && { payload }) });

async function assetOf(host: string): Promise<string> {
  const res = await api(adminA, 'GET', `/inventory/devices?q=${host}`);
  return json<{ items: Array<{ hostname: string; assetId: string }> }>(res).items.find(
    (d) => d.hostname === host,
  )!.assetId;
}

/** The catalogue entry of a software by name, with its versions and how many assets have each. */
async function catalogue(name: string) {
  const list = json<{ items: Array<{ id: string; name: string }> }>(
    await api(adminA, 'GET', `/software?q=${encodeURIComponent(name)}&limit=50`),
  );
  const id = list.items.find((s) => s.name === name)!.id;
  return json<{ versions: Array<{ id: string; version: string; installations: number }> }>(
    await api(adminA, 'GET', `/software/${id}`),
  ).versions;
}

async function whereInstalled(versionId: string): Promise<string[]> {
  const res = await api(adminA, 'GET', `/software/versions/${versionId}/installations?limit=200`);
  expect(res.statusCode).toBe(200);
  return json<{ items: Array<{ assetId: string }> }>(res)
    .items.map((i) => i.assetId)
    .sort();
}

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  adminA = await login(t.app, w.adminA.email);
  admin = await login(t.app, w.admin.email);
  tokenA = json<{ token: string }>(
    await api(adminA, 'POST', '/inventory/tokens', { orgId: w.orgA.id, name: 'Agents' }),
  ).token;
});
afterAll(() => t.close());

describe('where is version X installed', () => {
  it('follows installs, upgrades, removals and a version coming back', async () => {
    const base: Sw[] = [
      { name: 'Firefox', version: '120.0', publisher: 'Mozilla' },
      { name: 'curl', version: '8.4.0', publisher: 'Debian', arch: 'amd64' },
      { name: 'curl', version: '8.4.0', publisher: 'Debian', arch: 'i386' },
    ];
    expect((await send(glpi('idx-a', base))).statusCode).toBe(200);
    expect((await send(glpi('idx-b', base))).statusCode).toBe(200);
    const [a, b] = [await assetOf('idx-a'), await assetOf('idx-b')];
    let firefox = await catalogue('Firefox');
    expect(firefox).toEqual([expect.objectContaining({ version: '120.0', installations: 2 })]);
    expect(await whereInstalled(firefox[0]!.id)).toEqual([a, b].sort());
    // One architecture of curl: one installation each, listed once per architecture.
    const curl = await catalogue('curl');
    expect(curl).toEqual([expect.objectContaining({ version: '8.4.0', installations: 4 })]);

    // a upgrades Firefox and drops curl's i386 build.
    expect((await send(glpi('idx-a', [{ ...base[0]!, version: '121.0' }, base[1]!]))).statusCode).toBe(200);
    firefox = await catalogue('Firefox');
    const v120 = firefox.find((v) => v.version === '120.0')!;
    const v121 = firefox.find((v) => v.version === '121.0')!;
    expect(await whereInstalled(v120.id)).toEqual([b]);
    expect(await whereInstalled(v121.id)).toEqual([a]);
    expect((await catalogue('curl'))[0]!.installations).toBe(3);

    // Back to 120 on a, and both versions on b (two installs of one software): nothing stale left.
    expect((await send(glpi('idx-a', base))).statusCode).toBe(200);
    expect((await send(glpi('idx-b', [...base, { ...base[0]!, version: '121.0' }]))).statusCode).toBe(200);
    expect(await whereInstalled(v120.id)).toEqual([a, b].sort());
    expect(await whereInstalled(v121.id)).toEqual([b]);
    expect((await catalogue('Firefox')).map((v) => [v.version, v.installations])).toEqual([
      ['120.0', 2],
      ['121.0', 1],
    ]);
  });

  it('pages the assets of a version in asset order', async () => {
    const hosts = ['idx-p1', 'idx-p2', 'idx-p3'];
    for (const h of hosts) await send(glpi(h, [{ name: 'Pager', version: '1' }]));
    const version = (await catalogue('Pager'))[0]!;
    const first = json<{ items: Array<{ assetId: string }>; nextCursor: string | null }>(
      await api(adminA, 'GET', `/software/versions/${version.id}/installations?limit=2`),
    );
    const second = json<{ items: Array<{ assetId: string }>; nextCursor: string | null }>(
      await api(
        adminA,
        'GET',
        `/software/versions/${version.id}/installations?limit=2&cursor=${first.nextCursor}`,
      ),
    );
    const all = [...first.items, ...second.items].map((i) => i.assetId);
    expect(all).toEqual((await Promise.all(hosts.map(assetOf))).sort());
    expect(second.nextCursor).toBeNull();
  });

  it.runIf(dialectUnderTest === 'sqlite')(
    'writes queued installations into the index by itself once a batch has queued',
    async () => {
      const queue = () =>
        t.ctx.db
          .selectFrom('software_index_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
      // Readers above emptied the queue; each new asset's first sync queues one row.
      expect(Number((await queue()).n)).toBe(0);
      for (let i = 0; i < INDEX_BATCH - 1; i++) {
        expect((await send(glpi(`batch-${i}`, [{ name: 'Batch tool', version: '2' }]))).statusCode).toBe(200);
      }
      expect(Number((await queue()).n)).toBe(INDEX_BATCH - 1);
      await send(glpi(`batch-${INDEX_BATCH}`, [{ name: 'Batch tool', version: '2' }]));
      expect(Number((await queue()).n)).toBe(0);
      const indexed = await t.ctx.db
        .selectFrom('software_version_asset')
        .innerJoin('software_version', 'software_version.id', 'software_version_asset.version_id')
        .innerJoin('software', 'software.id', 'software_version.software_id')
        .where('software.name', '=', 'Batch tool')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(indexed.n)).toBe(INDEX_BATCH);
    },
  );
});

describe('devices waiting for validation', () => {
  it('list what each runs and a summary of its hardware', async () => {
    const body = glpi('idx-pending', [{ name: 'vim', version: '9.0' }], {
      operatingsystem: { full_name: 'Debian GNU/Linux 12 (bookworm)', name: 'Debian GNU/Linux' },
      bios: { smanufacturer: 'Dell Inc.', smodel: 'OptiPlex 7090' },
      hardware: { name: 'idx-pending', memory: 16384 },
      cpus: [{ name: 'Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz' }],
      storages: [{ name: 'sda', disksize: 512000 }],
    });
    expect((await send(body, null)).statusCode).toBe(200);
    const pending = json<{ items: Array<Record<string, unknown>> }>(
      await api(admin, 'GET', '/inventory/devices?pending=true&q=idx-pending'),
    ).items;
    expect(pending).toEqual([
      expect.objectContaining({
        hostname: 'idx-pending',
        os: 'Debian GNU/Linux 12 (bookworm)',
        manufacturer: 'Dell Inc.',
        model: 'OptiPlex 7090',
        cpu: 'Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz',
        memoryMb: 16384,
        diskMb: 512000,
      }),
    ]);
  });
});
