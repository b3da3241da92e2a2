import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from './util.js';

/**
 * The agent's state file keeps the device id, generated on the first run: the server recognises the
 * machine by it, across runs, renames and hardware changes.
 */
export type AgentState = { deviceid: string; createdAt: string };

/** A state file the agent cannot read or write: the message says how to fix it. */
export class StateError extends Error {}

export function defaultStatePath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return path.win32.join(process.env.ProgramData ?? 'C:\\ProgramData', 'parc-agent', 'state.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/parc-agent/state.json';
  return '/var/lib/parc-agent/state.json';
}

/** The short host name, reduced to letters, digits, "-" and "_". */
export function shortHostname(hostname = os.hostname()): string {
  const short = (hostname.split('.')[0] ?? '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return short || 'host';
}

/** The GLPI agent's device id: `<host name>-<YYYY-MM-DD-hh-mm-ss of the first run>`. */
export function newDeviceId(hostname: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = [
    now.getFullYear(),
    pad(now.getMonth() + 1),
    pad(now.getDate()),
    pad(now.getHours()),
    pad(now.getMinutes()),
    pad(now.getSeconds()),
  ].join('-');
  return `${shortHostname(hostname)}-${stamp}`;
}

function parseState(text: string, file: string): AgentState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StateError(
      `state file ${file} is not valid JSON: repair it, or delete it to get a new device id (the server then sees a new device)`,
    );
  }
  const state = value as Partial<AgentState> | null;
  if (!state || typeof state.deviceid !== 'string' || state.deviceid.trim() === '') {
    throw new StateError(
      `state file ${file} has no "deviceid": repair it, or delete it to get a new device id (the server then sees a new device)`,
    );
  }
  return { deviceid: state.deviceid, createdAt: typeof state.createdAt === 'string' ? state.createdAt : '' };
}

/**
 * Creates the missing directories above the file one by one (Node's recursive mkdir can loop forever
 * under /proc).
 */
async function ensureDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      await fs.stat(current);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      if (path.dirname(current) === current) break;
    }
  }
  for (const d of missing.reverse()) {
    await fs.mkdir(d, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

async function writeState(file: string, state: AgentState): Promise<void> {
  await ensureDirectory(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
  await fs.rename(tmp, file);
}

/**
 * Reads the state file, or creates it with a new device id. With `persist: false` (dry runs) a state
 * that cannot be written is still returned, flagged `saved: false`, instead of failing.
 */
export async function loadOrCreateState(
  file: string,
  opts: { hostname?: string; now?: Date; persist?: boolean } = {},
): Promise<{ state: AgentState; created: boolean; saved: boolean; warning?: string }> {
  let text: string | undefined;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StateError(
        `cannot read state file ${file} (${errorMessage(error)}): run as root/Administrator, or pass --state FILE`,
      );
    }
  }
  if (text !== undefined) return { state: parseState(text, file), created: false, saved: true };

  const now = opts.now ?? new Date();
  const state: AgentState = {
    deviceid: newDeviceId(opts.hostname ?? os.hostname(), now),
    createdAt: now.toISOString(),
  };
  try {
    await writeState(file, state);
    return { state, created: true, saved: true };
  } catch (error) {
    const message = `cannot write state file ${file} (${errorMessage(error)}): run as root/Administrator, or pass --state FILE`;
    if (opts.persist === false) return { state, created: true, saved: false, warning: message };
    throw new StateError(message);
  }
}
