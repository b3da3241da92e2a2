import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, type TestApp, testApp } from '../../test/harness.js';
import { listEvents } from './events.repo.js';
import { SecurityPipeline } from './pipeline.js';
import { orgRules } from './rules.service.js';
import { createSource, mapSource } from './sources.service.js';
import { type SyslogListener, startSyslogListener } from './syslog.js';

let t: TestApp;
let orgId: string;
let pipeline: SecurityPipeline;
let listener: SyslogListener;

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await what();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return what();
}

async function counters(sourceId: string) {
  const rows = await t.ctx.db
    .selectFrom('security_source_counter')
    .selectAll()
    .where('source_id', '=', sourceId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.count)]));
}

/** The stored events of one source, oldest first. */
async function eventsFrom(sourceId: string) {
  const all = await listEvents(t.ctx, { scope: 'all', limit: 100_000 });
  return all.filter((e) => e.sourceId === sourceId).reverse();
}

async function storedFrom(sourceId: string) {
  return (await eventsFrom(sourceId)).length;
}

beforeAll(async () => {
  t = await testApp();
  orgId = (await makeOrg(t.ctx)).id;
  pipeline = new SecurityPipeline({
    handle: t.db.handle,
    secrets: t.ctx.secrets,
    log: pino({ level: 'silent' }),
    rulesOf: orgRules,
    flushMs: 10,
  });
  listener = await startSyslogListener({
    handle: t.db.handle,
    secrets: t.ctx.secrets,
    log: pino({ level: 'silent' }),
    pipeline,
    host: '127.0.0.1',
    port: 0,
  });
});
afterAll(async () => {
  await listener?.close();
  await t?.close();
});

function logger(args: string[]) {
  const r = spawnSync('/usr/bin/logger', ['--server', '127.0.0.1', '-t', 'sshd', ...args], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(r.status, r.stderr).toBe(0);
}

describe('syslog listener', () => {
  let local: string;

  it('takes RFC 5424 and RFC 3164 lines from util-linux logger over UDP and TCP, and opens the brute-force incident', async () => {
    local = (await createSource(t.ctx, { orgId, name: 'loopback', kind: 'syslog', ip: '127.0.0.1' })).id;
    const line = (n: number) => `Failed password for root from 198.51.100.7 port ${4000 + n} ssh2`;
    logger(['--port', String(listener.tcpPort), '--tcp', '--rfc5424', line(1)]);
    logger(['--port', String(listener.tcpPort), '--tcp', '--rfc3164', line(2)]);
    logger(['--port', String(listener.tcpPort), '--tcp', '--octet-count', '--rfc5424', line(3)]);
    logger(['--port', String(listener.udpPort), '--udp', '--rfc5424', line(4)]);
    logger(['--port', String(listener.udpPort), '--udp', '--rfc3164', line(5)]);
    expect(
      await until(
        () => storedFrom(local),
        (n) => n === 5,
      ),
    ).toBe(5);
    const events = (await eventsFrom(local)).sort((a, b) => (a.srcPort ?? 0) - (b.srcPort ?? 0));
    expect(events.map((e) => [e.program, e.action, e.outcome, e.user, e.srcIp, e.srcPort])).toEqual(
      [1, 2, 3, 4, 5].map((n) => ['sshd', 'login', 'failure', 'root', '198.51.100.7', 4000 + n]),
    );
    const incidents = await until(
      () => t.ctx.db.selectFrom('security_incident').selectAll().where('org_id', '=', orgId).execute(),
      (rows) => rows.length > 0,
    );
    expect(incidents.map((i) => i.rule_id)).toEqual(['ssh-brute-force']);
    // A long-running pipeline forgets the detections it wrote (memory follows the open ones only).
    await pipeline.settle();
    expect(pipeline.detections(orgId)).toEqual([]);
    expect(await counters(local)).toMatchObject({ received: 5, stored: 5 });
  });

  it('records an unknown sender for triage, stores nothing of it until it is mapped', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.2', r));
    const send = (msg: string) =>
      new Promise<void>((r) => sock.send(msg, listener.udpPort, '127.0.0.1', () => r()));
    await send(
      '<38>Mar  3 10:00:00 stranger sshd[9]: Accepted password for bob from 192.0.2.10 port 50000 ssh2',
    );
    const unknown = await until(
      () =>
        t.ctx.db.selectFrom('security_source').selectAll().where('ip', '=', '127.0.0.2').executeTakeFirst(),
      (r) => !!r,
    );
    expect(unknown!.org_id).toBeNull();
    expect(
      await until(
        () => counters(unknown!.id),
        (c) => c['rejected:unknown_source'] === 1,
      ),
    ).toMatchObject({ received: 1, 'rejected:unknown_source': 1 });
    expect(await storedFrom(unknown!.id)).toBe(0);
    await mapSource(t.ctx, unknown!.id, unknown!.version, { orgId, name: 'stranger' });
    // The listener looks the sender up again after its cache time (10 s by default): a fresh listener does at once.
    const fresh = await startSyslogListener({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      pipeline,
      host: '127.0.0.1',
      port: 0,
    });
    await new Promise<void>((r) =>
      sock.send(
        '<38>1 2026-03-03T10:00:01Z stranger sshd 9 - - Accepted password for bob from 192.0.2.10 port 50001 ssh2',
        fresh.udpPort,
        '127.0.0.1',
        () => r(),
      ),
    );
    expect(
      await until(
        () => storedFrom(unknown!.id),
        (n) => n === 1,
      ),
    ).toBe(1);
    sock.close();
    await fresh.close();
  });

  it('counts over-long lines, invalid UTF-8 and garbage on TCP by reason and keeps reading', async () => {
    const before = await counters(local);
    const storedBefore = await storedFrom(local);
    const socket = net.connect(listener.tcpPort, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(`<38>Mar  3 10:05:00 web1 sshd[1]: ${'A'.repeat(70_000)}\n`);
    socket.write(
      Buffer.concat([
        Buffer.from('<38>Mar  3 10:05:01 web1 sshd[1]: Invalid user caf'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from(' from 203.0.113.5 port 1 \n'),
      ]),
    );
    socket.write('\u0000\u0001 garbage garbage\n');
    socket.write(
      '<38>Mar  3 10:05:02 web1 sshd[1]: Failed password for alice from 203.0.113.6 port 2 ssh2\n',
    );
    socket.end();
    const after = await until(
      () => counters(local),
      (c) => c.received === (before.received ?? 0) + 4,
    );
    expect((after.received ?? 0) - (before.received ?? 0)).toBe(4);
    expect((after['rejected:too_long'] ?? 0) - (before['rejected:too_long'] ?? 0)).toBe(1);
    expect((after['rejected:unparseable'] ?? 0) - (before['rejected:unparseable'] ?? 0)).toBe(1);
    expect((after['recovered:invalid_utf8'] ?? 0) - (before['recovered:invalid_utf8'] ?? 0)).toBe(1);
    expect(
      await until(
        () => storedFrom(local),
        (n) => n === storedBefore + 2,
      ),
    ).toBe(storedBefore + 2);
  });
});

describe('syslog under load', () => {
  it('holds a TCP sender back while the writer is full, and loses nothing', async () => {
    const small = new SecurityPipeline({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      rulesOf: orgRules,
      maxQueue: 200,
      batchSize: 100,
    });
    const l = await startSyslogListener({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      pipeline: small,
      host: '127.0.0.1',
      port: 0,
    });
    const src = await t.ctx.db
      .selectFrom('security_source')
      .select('id')
      .where('name', '=', 'loopback')
      .executeTakeFirstOrThrow();
    const before = await storedFrom(src.id);
    const socket = net.connect(l.tcpPort, '127.0.0.1');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++)
      lines.push(
        `<86>Mar  3 11:00:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/true ${i}\n`,
      );
    socket.end(lines.join(''));
    await new Promise<void>((r) => socket.once('close', () => r()));
    expect(
      await until(
        () => storedFrom(src.id),
        (n) => n === before + 20_000,
      ),
    ).toBe(before + 20_000);
    // On PostgreSQL the writer is slower than the socket and the connection waits (tcpWaits > 0); on
    // SQLite in memory each write completes before the next read: saturation itself is tested below.
    expect(l.stats.connections).toBe(1);
    await l.close();
    await small.close();
  });

  it('the pipeline says it is saturated while more than its bound waits, and drains', async () => {
    const p = new SecurityPipeline({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      rulesOf: orgRules,
      maxQueue: 50,
      batchSize: 10_000,
      flushMs: 10_000,
    });
    const src = await t.ctx.db
      .selectFrom('security_source')
      .select('id')
      .where('name', '=', 'loopback')
      .executeTakeFirstOrThrow();
    let drained = 0;
    p.onDrain(() => drained++);
    await p.prepare(orgId, 100);
    const target = { orgId, sourceId: src.id, assetId: null };
    for (let i = 0; i < 60; i++)
      p.accept(target, {
        time: Date.parse('2026-03-03T12:00:00Z'),
        host: 'h',
        program: 'sudo',
        pid: 1,
        user: 'alice',
        srcIp: null,
        srcPort: null,
        action: 'sudo',
        outcome: 'success',
        targetUser: 'root',
        group: null,
        method: null,
        detail: '/bin/true',
        eventId: null,
        repeat: 1,
        ref: 0,
        raw: `line ${i}`,
      });
    expect(p.saturated).toBe(true);
    expect(p.queued).toBe(60);
    await p.settle();
    expect(p.saturated).toBe(false);
    expect(drained).toBeGreaterThan(0);
    expect(p.totals.stored).toBe(60);
    await p.close();
  });

  it('counts the UDP datagrams it drops while the writer is full', async () => {
    const tiny = new SecurityPipeline({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      rulesOf: orgRules,
      maxQueue: 5,
      batchSize: 1000,
      flushMs: 1000,
    });
    const l = await startSyslogListener({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      pipeline: tiny,
      host: '127.0.0.1',
      port: 0,
    });
    const sock = dgram.createSocket('udp4');
    for (let i = 0; i < 50; i++)
      await new Promise<void>((r) =>
        sock.send(
          `<86>Mar  3 11:00:00 web1 su: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000) ${i}`,
          l.udpPort,
          '127.0.0.1',
          () => r(),
        ),
      );
    await until(
      async () => l.stats.datagrams,
      (n) => n === 50,
    );
    await l.close();
    await tiny.close();
    expect(l.stats.udpDropped).toBeGreaterThan(0);
    const src = await t.ctx.db
      .selectFrom('security_source')
      .select('id')
      .where('name', '=', 'loopback')
      .executeTakeFirstOrThrow();
    const c = await counters(src.id);
    // One sender alone: refused as a flood once it holds a quarter of the queue, or when the queue is full.
    expect((c['dropped:queue_full'] ?? 0) + (c['dropped:flood'] ?? 0)).toBe(l.stats.udpDropped);
    sock.close();
  });

  it('refuses a flooding UDP sender before the queue is full, so another sender still gets in', async () => {
    const p = new SecurityPipeline({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      rulesOf: orgRules,
      maxQueue: 40,
      batchSize: 1000,
      flushMs: 60_000,
    });
    const l = await startSyslogListener({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      pipeline: p,
      host: '127.0.0.1',
      port: 0,
    });
    const quiet = (await createSource(t.ctx, { orgId, name: 'quiet', kind: 'syslog', ip: '127.0.0.3' })).id;
    const loud = (
      await t.ctx.db
        .selectFrom('security_source')
        .select('id')
        .where('name', '=', 'loopback')
        .executeTakeFirstOrThrow()
    ).id;
    const loudBefore = await counters(loud);
    const storedBefore = await storedFrom(loud);
    const send = async (bind: string, n: number) => {
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.bind(0, bind, r));
      for (let i = 0; i < n; i++)
        await new Promise<void>((r) =>
          sock.send(
            `<86>Mar  3 12:00:00 h sudo:    alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/true ${i}`,
            l.udpPort,
            '127.0.0.1',
            () => r(),
          ),
        );
      sock.close();
    };
    await send('127.0.0.1', 60);
    await until(
      async () => l.stats.datagrams,
      (n) => n === 60,
    );
    await send('127.0.0.3', 5);
    await until(
      async () => l.stats.datagrams,
      (n) => n === 65,
    );
    await l.close();
    await p.close();
    expect(await storedFrom(quiet)).toBe(5);
    const loudAfter = await counters(loud);
    const flood = (loudAfter['dropped:flood'] ?? 0) - (loudBefore['dropped:flood'] ?? 0);
    expect(flood).toBeGreaterThan(0);
    expect((await storedFrom(loud)) - storedBefore + flood).toBe(60);
  });
});

describe('syslog over TLS', () => {
  it('reads RFC 5425 frames (octet counting) over TLS with the configured certificate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-syslog-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const l = await startSyslogListener({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: pino({ level: 'silent' }),
      pipeline,
      host: '127.0.0.1',
      port: 0,
      tls: { cert, key },
    });
    const src = (
      await t.ctx.db
        .selectFrom('security_source')
        .select('id')
        .where('name', '=', 'loopback')
        .executeTakeFirstOrThrow()
    ).id;
    const before = await storedFrom(src);
    const msg =
      '<38>1 2026-03-03T13:00:00Z web1 sshd 7 - - Failed password for carol from 198.51.100.20 port 6000 ssh2';
    const socket = tls.connect({
      port: l.tcpPort,
      host: '127.0.0.1',
      ca: fs.readFileSync(cert),
      servername: 'localhost',
    });
    await new Promise<void>((r) => socket.once('secureConnect', () => r()));
    socket.end(`${Buffer.byteLength(msg)} ${msg}`);
    expect(
      await until(
        () => storedFrom(src),
        (n) => n === before + 1,
      ),
    ).toBe(before + 1);
    const [row] = await listEvents(t.ctx, { scope: 'all', srcIp: '198.51.100.20', limit: 10 });
    expect([row?.user, row?.outcome, row?.srcPort]).toEqual(['carol', 'failure', 6000]);
    await l.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
