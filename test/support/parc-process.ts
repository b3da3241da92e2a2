import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the real `parc serve` (bin/parc.mjs) in a child process: for tests of the process, browser tests and benchmarks. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type ParcProcess = {
  child: ChildProcess;
  port: number;
  url: string;
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Resolves when /readyz answers 200; rejects with the output if the process dies or times out. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, wait for exit, and (unless keepData) remove the data folder. Returns the exit code. */
  stop(opts?: { keepData?: boolean }): Promise<number | null>;
};

export async function startParc(
  opts: { env?: NodeJS.ProcessEnv; dataDir?: string; entry?: string; port?: number } = {},
): Promise<ParcProcess> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parc-proc-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PARC_PORT: String(port),
    PARC_HOST: '127.0.0.1',
    PARC_DATA_DIR: dataDir,
    PARC_LOG_LEVEL: 'warn',
    // Several servers run at once in the tests: none takes the default syslog port unless asked.
    PARC_SYSLOG_PORT: '0',
    ...opts.env,
  };
  const child = spawn(process.execPath, [opts.entry ?? path.join(ROOT, 'bin/parc.mjs'), 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    port,
    url,
    dataDir,
    output: () => log,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`parc serve exited with ${child.exitCode}:\n${log}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`parc serve not ready after ${timeoutMs} ms:\n${log}`);
    },
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (!keepData && !opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}
