import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatDuration } from './util.js';

export type RunResult = { code: number; stdout: string; stderr: string };

/** A command that could not run, or ran past its time (it is killed then). */
export class CommandError extends Error {}

/**
 * Runs a program without a shell, in the C locale, and resolves with its exit code and output, whatever
 * the code (the caller decides what a non-zero code means: `firewall-cmd --state` answers 252 for "not
 * running", `dnf check-update` 100 for "updates available"). Rejects when it cannot start or times out.
 */
export function run(
  file: string,
  args: readonly string[],
  opts: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
        windowsHide: true,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...opts.env },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (e.killed) {
          return reject(
            new CommandError(`${path.basename(file)} timed out after ${formatDuration(opts.timeoutMs)}`),
          );
        }
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        reject(new CommandError(`${path.basename(file)}: ${e.message}`));
      },
    );
  });
}

const EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * The full path of a command, looked up in PATH and the sbin directories (a service's PATH may lack
 * them), or undefined when it is not installed. POSIX only.
 */
export function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of new Set(dirs)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * Runs a Windows PowerShell script (passed encoded, so no quoting issue) that prints JSON, and returns the
 * parsed value. The script's output is forced to UTF-8.
 */
export async function powershellJson(script: string, timeoutMs: number): Promise<unknown> {
  const full = `$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8\n${script}`;
  const encoded = Buffer.from(full, 'utf16le').toString('base64');
  const result = await run(
    'powershell.exe',
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded],
    { timeoutMs },
  );
  if (result.code !== 0) {
    const detail = result.stderr.trim().split(/\r?\n/)[0] ?? '';
    throw new CommandError(`powershell exited with code ${result.code}${detail ? `: ${detail}` : ''}`);
  }
  const text = result.stdout.replace(/^\uFEFF/, '').trim();
  return text === '' ? [] : JSON.parse(text);
}

/** PowerShell's ConvertTo-Json writes a lone object where one expects an array of one. */
export function asArray(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return list.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}
