import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp, world } from '../../../test/harness.js';
import { assetCandidates, hostOfInstance } from './alerts.service.js';

/** The Alertmanager webhook: one ticket per alert fingerprint, updated, resolved, never duplicated. */
const SERVER = '00000000-0000-7000-8000-000000000003';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let admin: Session;
let tech: Session;
let token: string;
let dbAsset: string;

type Result = {
  received: number;
  items: Array<{ fingerprint: string; action: string; ticketId: string | null; reference: string | null }>;
};

const alert = (
  fingerprint: string | undefined,
  labels: Record<string, string>,
  extra: Record<string, unknown> = {},
) => ({
  status: 'firing',
  labels,
  annotations: { summary: 'Host unreachable', description: 'node_exporter does not answer.' },
  startsAt: '2026-01-05T10:00:00.000Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus.local/graph?g0.expr=up%3D%3D0',
  ...(fingerprint && { fingerprint }),
  ...extra,
});

const webhook = (alerts: object[]) => ({
  version: '4',
  groupKey: '{}:{alertname="NodeDown"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'parc',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.local',
  alerts,
});

async function post(body: unknown, opts: { token?: string | null; orgId?: string } = {}) {
  const bearer = opts.token === undefined ? token : opts.token;
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/helpdesk/alerts/${opts.orgId ?? w.orgA.id}`,
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
    payload: body as object,
  });
}

async function send(alerts: object[]): Promise<Result> {
  const res = await post(webhook(alerts));
  if (res.statusCode !== 200) throw new Error(`webhook: ${res.statusCode} ${res.body}`);
  return json<Result>(res);
}

async function ticket(id: string) {
  return t.db.handle.db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function counts() {
  const tickets = await t.db.handle.db.selectFrom('ticket').select('id').execute();
  const alerts = await t.db.handle.db.selectFrom('helpdesk_alert').select('fingerprint').execute();
  const events = await t.db.handle.db.selectFrom('ticket_event').select('id').execute();
  return { tickets: tickets.length, alerts: alerts.length, events: events.length };
}

async function followups(ticketId: string) {
  return (
    await t.db.handle.db
      .selectFrom('ticket_event')
      .select(['body', 'kind'])
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', 'followup')
      .orderBy('at')
      .orderBy('id')
      .execute()
  ).map((e) => e.body);
}

beforeAll(async () => {
  t = await testApp({ logLevel: 'info' });
  w = await world(t.ctx);
  admin = await login(t.app, w.adminA.email);
  tech = await login(t.app, w.techA.email);
  const asset = await t.app.inject({
    method: 'POST',
    url: '/api/v1/assets',
    headers: tech.headers,
    payload: { orgId: w.orgA.id, typeId: SERVER, name: 'SRV-DB01' },
  });
  dbAsset = json<{ id: string }>(asset).id;
});
afterAll(() => t.close());

describe('instance and asset names', () => {
  it('strips ports, schemes and paths, and tries short names', () => {
    expect(hostOfInstance('srv-db01:9100')).toBe('srv-db01');
    expect(hostOfInstance('https://srv-web.example.com:8443/metrics')).toBe('srv-web.example.com');
    expect(hostOfInstance('[2001:db8::1]:9100')).toBe('2001:db8::1');
    expect(hostOfInstance('10.0.0.5')).toBe('10.0.0.5');
    expect(assetCandidates({ instance: 'srv-db01.corp.local:9100', hostname: 'SRV-DB01' })).toEqual([
      'srv-db01',
      'srv-db01.corp.local',
    ]);
    expect(assetCandidates({ asset: 'PRN-01', instance: '10.0.0.5:9100' })).toEqual(['prn-01', '10.0.0.5']);
  });
});

describe('Alertmanager webhook', () => {
  it('needs the organisation’s webhook token, which staff with helpdesk.configure create', async () => {
    expect((await post(webhook([alert('f0', {})]), { token: null })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/helpdesk/alert-tokens',
          headers: tech.headers,
          payload: { orgId: w.orgA.id },
        })
      ).statusCode,
    ).toBe(403);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/helpdesk/alert-tokens',
      headers: admin.headers,
      payload: { orgId: w.orgA.id },
    });
    expect(created.statusCode).toBe(201);
    token = json<{ token: string; webhookPath: string }>(created).token;
    expect(token).toMatch(/^palrt_/);
    expect(json(created)).toMatchObject({ webhookPath: `/api/v1/helpdesk/alerts/${w.orgA.id}` });
    const status = await t.app.inject({
      method: 'GET',
      url: `/api/v1/helpdesk/alert-tokens/${w.orgA.id}`,
      headers: admin.headers,
    });
    expect(json(status)).toMatchObject({ exists: true });
    expect(JSON.stringify(json(status))).not.toContain(token);
  });

  it('refuses a wrong token with 401 before reading the body, and writes nothing', async () => {
    const before = await counts();
    const wrong = await post(webhook([alert('f1', { alertname: 'NodeDown' })]), { token: 'palrt_wrong' });
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong)).toMatchObject({ code: 'alerts.bad_token' });
    expect(wrong.headers['www-authenticate']).toContain('Bearer');
    // Organisation A's token does not open organisation B's webhook.
    expect((await post(webhook([alert('f1', {})]), { orgId: w.orgB.id })).statusCode).toBe(401);
    // A parc_ API token is not a webhook token either.
    expect((await post({ alerts: 'garbage' }, { token: 'parc_x' })).statusCode).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('answers a malformed payload with 400 problem details, and writes nothing', async () => {
    const before = await counts();
    const notJson = await t.app.inject({
      method: 'POST',
      url: `/api/v1/helpdesk/alerts/${w.orgA.id}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"alerts": [',
    });
    expect(notJson.statusCode).toBe(400);
    const bad = await post({ version: '4', alerts: [{ status: 'burning', labels: { a: 1 } }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(
      json<{ code: string; errors: Array<{ path: string }> }>(bad)
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['alerts.0.labels.a', 'alerts.0.status']);
    expect((await post({ alerts: [] })).statusCode).toBe(400);
    expect((await post({ receiver: 'parc' })).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  let nodeDown: string;
  let diskFull: string;

  it('opens one ticket per fingerprint, on the asset named by the instance, with urgency from severity', async () => {
    const res = await send([
      alert('aaa111', {
        alertname: 'NodeDown',
        severity: 'critical',
        instance: 'srv-db01:9100',
        job: 'node',
      }),
      alert('bbb222', { alertname: 'DiskFull', severity: 'warning', hostname: 'unknown-host' }),
    ]);
    expect(res.items.map((i) => [i.fingerprint, i.action])).toEqual([
      ['aaa111', 'created'],
      ['bbb222', 'created'],
    ]);
    nodeDown = res.items[0]!.ticketId!;
    diskFull = res.items[1]!.ticketId!;
    const a = await ticket(nodeDown);
    expect(a).toMatchObject({
      source: 'monitoring',
      urgency: 'critical',
      external_key: 'alert:aaa111',
      title: 'NodeDown — srv-db01 : Host unreachable',
      requester_id: null,
    });
    expect(a.description).toContain('node_exporter does not answer.');
    expect(a.description).toContain('http://prometheus.local/graph');
    const assets = await t.db.handle.db
      .selectFrom('ticket_asset')
      .select('asset_id')
      .where('ticket_id', '=', nodeDown)
      .execute();
    expect(assets.map((x) => x.asset_id)).toEqual([dbAsset]);
    expect(await ticket(diskFull)).toMatchObject({ urgency: 'high', external_key: 'alert:bbb222' });
  });

  it('takes repeated firings as updates of the same ticket, never duplicates', async () => {
    const before = await counts();
    const again = await send([
      alert('aaa111', {
        alertname: 'NodeDown',
        severity: 'critical',
        instance: 'srv-db01:9100',
        job: 'node',
      }),
      alert('bbb222', { alertname: 'DiskFull', severity: 'warning', hostname: 'unknown-host' }),
    ]);
    expect(again.items.map((i) => [i.action, i.ticketId])).toEqual([
      ['unchanged', nodeDown],
      ['unchanged', diskFull],
    ]);
    expect(await counts()).toEqual(before);
    // Worse now: the urgency rises, the technicians read why.
    const worse = await send([
      alert('bbb222', { alertname: 'DiskFull', severity: 'critical', hostname: 'unknown-host' }),
    ]);
    expect(worse.items[0]).toMatchObject({ action: 'updated', ticketId: diskFull });
    expect(await ticket(diskFull)).toMatchObject({ urgency: 'critical' });
    expect(await followups(diskFull)).toEqual(['Sévérité de l’alerte : warning → critical.']);
    // The same alert posted twice at once still makes one ticket.
    const [x, y] = await Promise.all([
      send([alert('ccc333', { alertname: 'Burst', severity: 'info' })]),
      send([alert('ccc333', { alertname: 'Burst', severity: 'info' })]),
    ]);
    const burst = await t.db.handle.db
      .selectFrom('ticket')
      .select(['id', 'urgency'])
      .where('external_key', '=', 'alert:ccc333')
      .execute();
    expect(burst).toHaveLength(1);
    expect(burst[0]!.urgency).toBe('low');
    expect([x.items[0]!.action, y.items[0]!.action].sort()).toEqual(['created', 'unchanged']);
  });

  it('adds "alert resolved" on resolution (once), and "firing again" when it comes back', async () => {
    const resolved = alert(
      'aaa111',
      { alertname: 'NodeDown', severity: 'critical', instance: 'srv-db01:9100' },
      { status: 'resolved', endsAt: '2026-01-05T10:30:00.000Z' },
    );
    const first = await send([resolved]);
    expect(first.items[0]).toMatchObject({ action: 'resolved', ticketId: nodeDown });
    expect((await send([resolved])).items[0]).toMatchObject({ action: 'ignored' });
    expect(await followups(nodeDown)).toEqual(['Alerte résolue (fin : 2026-01-05T10:30:00.000Z).']);
    // The ticket stays open for the technicians: the alert fires again on it.
    const back = await send([
      alert(
        'aaa111',
        { alertname: 'NodeDown', severity: 'critical', instance: 'srv-db01:9100' },
        { startsAt: '2026-01-05T11:00:00.000Z' },
      ),
    ]);
    expect(back.items[0]).toMatchObject({ action: 'updated', ticketId: nodeDown });
    expect((await followups(nodeDown))[1]).toBe('Alerte de nouveau active depuis 2026-01-05T11:00:00.000Z.');
    // A resolved alert nobody opened a ticket for changes nothing.
    const stray = await send([alert('zzz999', { alertname: 'Gone' }, { status: 'resolved' })]);
    expect(stray.items[0]).toMatchObject({ action: 'ignored', ticketId: null });
  });

  it('opens a new ticket when the alert fires after its ticket was closed', async () => {
    const tk = json<{ version: number }>(
      await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${diskFull}`, headers: tech.headers }),
    );
    const solved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${diskFull}/solve`,
      headers: { ...tech.headers, 'if-match': `"v${tk.version}"` },
      payload: { solution: 'Logs purgés, rotation ajoutée.' },
    });
    expect(solved.statusCode).toBe(200);
    const res = await send([
      alert(
        'bbb222',
        { alertname: 'DiskFull', severity: 'warning', hostname: 'unknown-host' },
        { startsAt: '2026-02-01T08:00:00.000Z' },
      ),
    ]);
    expect(res.items[0]!.action).toBe('created');
    expect(res.items[0]!.ticketId).not.toBe(diskFull);
  });

  it('opens a ticket anyway when labels are missing, and logs why', async () => {
    const res = await send([
      { status: 'firing', labels: {}, annotations: {}, startsAt: '2026-01-05T12:00:00Z' },
      { status: 'firing', labels: { alertname: 'Lonely' } },
    ]);
    expect(res.items.map((i) => i.action)).toEqual(['created', 'created']);
    // Without a fingerprint, the labels make one: the same labels are the same alert.
    expect(res.items[0]!.fingerprint).toMatch(/^h[0-9a-f]{16}$/);
    const bare = await ticket(res.items[0]!.ticketId!);
    expect(bare).toMatchObject({ title: 'Alerte', urgency: 'medium', source: 'monitoring' });
    expect(bare.description).toContain('Libellés manquants : alertname, severity, instance');
    expect((await send([{ status: 'firing', labels: { alertname: 'Lonely' } }])).items[0]!.action).toBe(
      'unchanged',
    );
    expect(t.logs.join('')).toMatch(/alert with missing labels/);
  });
});
