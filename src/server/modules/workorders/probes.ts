import { spawn } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { accessSync, constants } from 'node:fs';
import { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import type { TestOutcome } from '../../../shared/schemas/workorders.js';

/**
 * The validation tests Parc runs itself: ICMP (through the system's `ping`, when installed), TCP
 * connect, HTTP(S) GET and DNS resolution. Each has a timeout and never throws: the outcome says
 * what happened. Details are technical and language-neutral (`HTTP 500 ≠ 200`, `> 5000 ms`,
 * `ECONNREFUSED`); screens and reports translate the outcome. No database here.
 */

export type ProbeSpec = {
  kind: string;
  host: string | null;
  port: number | null;
  url: string | null;
  expectedStatus: number | null;
  expectedAddress: string | null;
};
export type ProbeResult = { outcome: TestOutcome; detail: string; durationMs: number };

export const PROBE_TIMEOUT_MS = 5000;

/** The path of the `ping` binary, or null when none is installed here. */
export function findPing(): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const path = join(dir, 'ping');
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

function icmp(host: string, timeoutMs: number): Promise<Omit<ProbeResult, 'durationMs'>> {
  const ping = findPing();
  if (!ping) return Promise.resolve({ outcome: 'unavailable', detail: 'ping: ENOENT' });
  // One echo request, two seconds for its reply; the whole run is bounded by timeoutMs.
  const seconds = String(Math.min(2, Math.max(1, Math.floor(timeoutMs / 1000))));
  return new Promise((resolve) => {
    // `--` so a host can never be read as an option.
    const child = spawn(ping, ['-c', '1', '-W', seconds, '--', host], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ outcome: 'unavailable', detail: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) {
        resolve({ outcome: 'failed', detail: `> ${timeoutMs} ms` });
        return;
      }
      const rtt = /time[=<]([\d.]+ ?ms)/.exec(out)?.[1];
      // Exit status 2 with "Operation not permitted": no raw socket allowed to this process.
      if (/not permitted|permission denied/i.test(out))
        resolve({ outcome: 'unavailable', detail: out.trim().slice(0, 300) });
      else if (code === 0) resolve({ outcome: 'passed', detail: rtt ?? 'ICMP echo reply' });
      else
        resolve({
          outcome: 'failed',
          detail: out.trim().split('\n').slice(-2).join(' ').slice(0, 300) || `exit ${code}`,
        });
    });
  });
}

function tcp(host: string, port: number, timeoutMs: number): Promise<Omit<ProbeResult, 'durationMs'>> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (r: Omit<ProbeResult, 'durationMs'>) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => done({ outcome: 'passed', detail: `${host}:${port}` }));
    socket.once('timeout', () => done({ outcome: 'failed', detail: `> ${timeoutMs} ms` }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ outcome: 'failed', detail: err.code ?? err.message }),
    );
    socket.connect(port, host);
  });
}

async function http(
  url: string,
  expected: number,
  timeoutMs: number,
): Promise<Omit<ProbeResult, 'durationMs'>> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === expected
      ? { outcome: 'passed', detail: `HTTP ${res.status}` }
      : { outcome: 'failed', detail: `HTTP ${res.status} ≠ ${expected}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `> ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { outcome: 'failed', detail: why };
  }
}

async function resolve(
  host: string,
  expected: string | null,
  timeoutMs: number,
): Promise<Omit<ProbeResult, 'durationMs'>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`> ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const found = await Promise.race([dns.lookup(host, { all: true }), timeout]);
    const addresses = found.map((a) => a.address);
    if (expected && !addresses.includes(expected))
      return { outcome: 'failed', detail: `${addresses.join(', ')} ≠ ${expected}` };
    return { outcome: 'passed', detail: addresses.join(', ') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { outcome: 'failed', detail: e.code ?? e.message };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one probe; the duration is measured around it. */
export async function runProbe(spec: ProbeSpec, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const started = performance.now();
  let r: Omit<ProbeResult, 'durationMs'>;
  switch (spec.kind) {
    case 'icmp':
      r = await icmp(spec.host ?? '', timeoutMs);
      break;
    case 'tcp':
      r = await tcp(spec.host ?? '', spec.port ?? 0, timeoutMs);
      break;
    case 'http':
      r = await http(spec.url ?? '', spec.expectedStatus ?? 200, timeoutMs);
      break;
    default:
      r = await resolve(spec.host ?? '', spec.expectedAddress, timeoutMs);
  }
  return { ...r, durationMs: Math.round(performance.now() - started) };
}
