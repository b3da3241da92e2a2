import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPing, runProbe } from './probes.js';

const spec = { host: null, port: null, url: null, expectedStatus: null, expectedAddress: null };
let tcp: Server;
let hanging: HttpServer;
let tcpPort = 0;
let hangingPort = 0;

beforeAll(async () => {
  tcp = createServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as { port: number }).port;
  // Accepts the request and never answers.
  hanging = createHttpServer(() => {});
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingPort = (hanging.address() as { port: number }).port;
});
afterAll(() => {
  tcp.close();
  hanging.closeAllConnections();
  hanging.close();
});

describe('validation probes (loopback only)', () => {
  it('connects to a TCP port that listens', async () => {
    const r = await runProbe({ ...spec, kind: 'tcp', host: '127.0.0.1', port: tcpPort });
    expect(r).toMatchObject({ outcome: 'passed', detail: `127.0.0.1:${tcpPort}` });
  });

  it('gives up on an HTTP server that never answers, after its timeout', async () => {
    const r = await runProbe(
      { ...spec, kind: 'http', url: `http://127.0.0.1:${hangingPort}/`, expectedStatus: 200 },
      300,
    );
    expect(r).toMatchObject({ outcome: 'failed', detail: '> 300 ms' });
  });

  it('resolves localhost and checks the expected address', async () => {
    const r = await runProbe({ ...spec, kind: 'dns', host: 'localhost' });
    expect(r.outcome).toBe('passed');
    expect(r.detail).toMatch(/127\.0\.0\.1|::1/);
    const wrong = await runProbe({ ...spec, kind: 'dns', host: 'localhost', expectedAddress: '192.0.2.1' });
    expect(wrong.outcome).toBe('failed');
  });

  it('says ICMP is unavailable when no ping is installed, instead of inventing a result', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(findPing()).toBeNull();
      const r = await runProbe({ ...spec, kind: 'icmp', host: '127.0.0.1' });
      expect(r).toMatchObject({ outcome: 'unavailable', detail: 'ping: ENOENT' });
    } finally {
      process.env.PATH = saved;
    }
  });

  it('pings loopback with the system ping when it is installed and allowed', async () => {
    const r = await runProbe({ ...spec, kind: 'icmp', host: '127.0.0.1' });
    if (!findPing()) expect(r.outcome).toBe('unavailable');
    // Some containers forbid raw sockets: then ping says so and the outcome is "unavailable".
    else expect(['passed', 'unavailable']).toContain(r.outcome);
    if (r.outcome === 'passed') expect(r.detail).toMatch(/ms$/);
  });
});
