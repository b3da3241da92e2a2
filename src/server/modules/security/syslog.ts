/**
 * The syslog listener: UDP and TCP (newline or octet-counted framing, RFC 6587; TLS when a certificate
 * and key are configured, RFC 5425) on one port. A sender is a source found by its address; an unknown
 * one is recorded for triage (its lines counted, not stored). TCP is read as fast as the pipeline
 * writes: while the writer's queue is full the socket is not read, so the sender is held back by TCP
 * itself; UDP cannot wait, so what arrives then is dropped and counted.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';
import { type Ctx, systemPrincipal } from '../../context.js';
import type { SecretBox } from '../../crypto.js';
import type { DbHandle } from '../../db/database.js';
import { newCounters } from './formats/event.js';
import { LogParser } from './formats/reader.js';
import type { IngestTarget, SecurityPipeline } from './pipeline.js';
import { sourceOfSender } from './sources.service.js';

export type SyslogOptions = {
  handle: DbHandle;
  secrets: SecretBox;
  log: FastifyBaseLogger;
  pipeline: SecurityPipeline;
  host: string;
  /** 0: an ephemeral port for each protocol (tests). */
  port: number;
  tls?: { cert: string; key: string } | null;
  /** How long a sender's source is cached before it is looked up again (a new mapping takes effect). */
  sourceTtlMs?: number;
};

export type SyslogListener = {
  udpPort: number;
  tcpPort: number;
  /** `tcpWaits`: times a connection stopped reading until the writer caught up (back-pressure). */
  stats: { datagrams: number; udpDropped: number; connections: number; tcpWaits: number };
  close(): Promise<void>;
};

/** Events one chunk may hold at most (64 KiB of the shortest lines). */
const EVENTS_PER_CHUNK = 8192;
/** A parser's clock is moved on every minute (year inference, future stamps). */
const CLOCK_MS = 60_000;

type Sender = { target: IngestTarget; at: number };

export async function startSyslogListener(opts: SyslogOptions): Promise<SyslogListener> {
  const { pipeline, log } = opts;
  const ttl = opts.sourceTtlMs ?? 10_000;
  const stats = { datagrams: 0, udpDropped: 0, connections: 0, tcpWaits: 0 };
  const senders = new Map<string, Promise<Sender>>();
  const ctx = (): Ctx => ({
    db: opts.handle.db,
    dialect: opts.handle.dialect,
    actor: systemPrincipal('syslog'),
    now: new Date(),
    log,
    secrets: opts.secrets,
  });

  async function senderOf(ip: string): Promise<IngestTarget> {
    let p = senders.get(ip);
    if (p) {
      const s = await p;
      if (Date.now() - s.at < ttl) return s.target;
    }
    p = sourceOfSender(ctx(), ip).then((target) => ({ target, at: Date.now() }));
    senders.set(ip, p);
    p.catch(() => senders.delete(ip));
    return (await p).target;
  }

  function parserFor(target: () => IngestTarget) {
    const parser = new LogParser({
      reference: Date.now(),
      now: Date.now(),
      onEvent: (ev) => pipeline.accept(target(), ev, true, parser.placeOf(ev)),
    });
    return { parser, seen: newCounters(), clock: Date.now() };
  }

  // --- UDP: one parser per sender (a datagram is one message, so no framing state between them) ---
  type UdpParser = ReturnType<typeof parserFor> & { target: IngestTarget };
  const udpParsers = new Map<string, UdpParser>();
  let udpChain: Promise<void> = Promise.resolve();
  const udp = dgram.createSocket({ type: net.isIPv6(opts.host) ? 'udp6' : 'udp4', reuseAddr: false });
  udp.on('message', (msg, rinfo) => {
    stats.datagrams++;
    // In arrival order; the chain only waits when a sender or an id block must be looked up.
    udpChain = udpChain
      .then(async () => {
        const target = await senderOf(rinfo.address);
        // Under load, a flooding sender is refused before the queue is full, so the others still get in.
        const refused = pipeline.saturated
          ? 'queue_full'
          : pipeline.flooding(target.sourceId)
            ? 'flood'
            : null;
        if (refused) {
          stats.udpDropped++;
          pipeline.count(target.sourceId, 'received');
          pipeline.count(target.sourceId, `dropped:${refused}`);
          return;
        }
        await pipeline.prepare(target.orgId, EVENTS_PER_CHUNK);
        let p: UdpParser | undefined = udpParsers.get(rinfo.address);
        if (!p || p.target !== target) {
          const fixed = target;
          p = { ...parserFor(() => fixed), target };
          udpParsers.set(rinfo.address, p);
        }
        if (Date.now() - p.clock > CLOCK_MS) {
          p.clock = Date.now();
          p.parser.setNow(p.clock);
        }
        p.parser.push(msg);
        p.parser.push(NEWLINE);
        pipeline.countParsed(target.sourceId, p.parser.counters, p.seen);
      })
      .catch((err) => log.warn({ err, from: rinfo.address }, 'syslog datagram not handled'));
  });
  udp.on('error', (err) => log.error({ err }, 'syslog UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(opts.port, opts.host, () => {
      udp.off('error', reject);
      resolve();
    });
  });

  // --- TCP (or TLS): one parser per connection, read only as fast as the writer keeps up ---
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    void readConnection(socket).catch((err) => {
      log.warn({ err, from: socket.remoteAddress }, 'syslog connection failed');
      socket.destroy();
    });
  };
  async function readConnection(socket: net.Socket) {
    const ip = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    let target = await senderOf(ip);
    const state = parserFor(() => target);
    for await (const chunk of socket as AsyncIterable<Buffer>) {
      if (pipeline.saturated) {
        stats.tcpWaits++;
        while (pipeline.saturated) await pipeline.settle();
      }
      if (Date.now() - state.clock > CLOCK_MS) {
        state.clock = Date.now();
        state.parser.setNow(state.clock);
        target = await senderOf(ip);
      }
      await pipeline.prepare(target.orgId, EVENTS_PER_CHUNK);
      for (let i = 0; i < chunk.length; i += 65_536) {
        if (i > 0) {
          while (pipeline.saturated) await pipeline.settle();
          await pipeline.prepare(target.orgId, EVENTS_PER_CHUNK);
        }
        state.parser.push(chunk.subarray(i, i + 65_536));
      }
      pipeline.countParsed(target.sourceId, state.parser.counters, state.seen);
    }
    await pipeline.prepare(target.orgId, 1);
    state.parser.end();
    pipeline.countParsed(target.sourceId, state.parser.counters, state.seen);
  }
  const server = opts.tls
    ? tls.createServer(
        { cert: fs.readFileSync(opts.tls.cert), key: fs.readFileSync(opts.tls.key) },
        onConnection,
      )
    : net.createServer(onConnection);
  const tcpPort = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
  const udpPort = udp.address().port;
  log.info({ udpPort, tcpPort, tls: !!opts.tls }, 'syslog listener ready');

  return {
    udpPort,
    tcpPort,
    stats,
    async close() {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.end();
      setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 2000).unref();
      await closed;
      await udpChain;
      await pipeline.settle();
    },
  };
}

const NEWLINE = Buffer.from('\n');
