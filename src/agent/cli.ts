import fs from 'node:fs';
import path from 'node:path';
import { type CollectResult, collectInventory, SECTIONS, type Section } from './inventory.js';
import { DEFAULT_PATH, SendError, sendInventory } from './send.js';
import { defaultStatePath, StateError } from './state.js';
import { errorMessage, formatDuration, parseDuration, sleep } from './util.js';
import { AGENT_VERSION } from './version.js';

/** Exit codes, documented in docs/agent.md. */
export const EXIT = {
  ok: 0,
  /** Collection could not start (state file), an output file could not be written. */
  failed: 1,
  usage: 2,
  /** The server refused the inventory (4xx). */
  rejected: 3,
  /** The server could not be reached, or kept answering 5xx/429. */
  unavailable: 4,
} as const;

export type AgentOptions = {
  server?: string | undefined;
  token?: string | undefined;
  tag?: string | undefined;
  mode: 'once' | 'daemon';
  intervalMs: number;
  dryRun: boolean;
  output?: string | undefined;
  statePath: string;
  timeoutMs: number;
  path: string;
  retries: number;
  skip: Section[];
  logFile?: string | undefined;
};

export type ParsedArgs = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: AgentOptions };

/** A bad command line: one line saying what is wrong and how to fix it. */
export class UsageError extends Error {}

export const HELP = `parc-agent ${AGENT_VERSION}: sends this computer's inventory to a Parc server.

Usage:
  parc-agent --server URL [--token TOKEN] [--tag TAG] [--once]
  parc-agent --server URL --daemon [--interval 6h]
  parc-agent --dry-run                       print the inventory, send nothing
  parc-agent --output FILE                   write the inventory to FILE (for parc inventory import)

Options:
  --server URL       Parc's address, e.g. https://parc.example.com (env PARC_AGENT_SERVER)
  --token TOKEN      enrolment token, sent as "Authorization: Bearer" (env PARC_AGENT_TOKEN)
  --tag TAG          tag for the server's rules, e.g. a site or an organisation (env PARC_AGENT_TAG)
  --once             collect and send once, then exit (the default)
  --daemon           keep running, sending every --interval
  --interval DUR     time between two inventories in daemon mode (default 6h; e.g. 30m, 12h, 1d)
  --dry-run          print the inventory as JSON on stdout and send nothing
  --output FILE      also write the inventory as JSON to FILE; without --server, sends nothing
  --state FILE       the file keeping the device id (default ${defaultStatePath()})
  --timeout DUR      time limit of one request to the server (default 30s)
  --retries N        retries after a network error, 429 or 5xx (default 5)
  --path PATH        the server's inventory endpoint (default ${DEFAULT_PATH})
  --skip SECTIONS    sections not to collect, comma-separated: ${SECTIONS.join(', ')}
  --log FILE         append the agent's messages to FILE as well as stderr
  --version          print the version
  --help             print this help

Exit status: 0 sent (or printed/written), 1 failure, 2 bad arguments, 3 refused by the server (4xx),
4 server unreachable or failing after the retries.`;

const VALUE_OPTIONS = new Set([
  'server',
  'token',
  'tag',
  'interval',
  'output',
  'state',
  'timeout',
  'path',
  'retries',
  'skip',
  'log',
]);
const FLAG_OPTIONS = new Set(['once', 'daemon', 'dry-run', 'help', 'version']);

const EXAMPLES: Record<string, string> = {
  server: '--server https://parc.example.com',
  token: '--token parc_…',
  tag: '--tag paris',
  interval: '--interval 6h',
  output: '--output inventory.json',
  state: '--state /var/lib/parc-agent/state.json',
  timeout: '--timeout 30s',
  path: `--path ${DEFAULT_PATH}`,
  retries: '--retries 5',
  skip: '--skip updates,softwares',
  log: '--log /var/log/parc-agent.log',
};

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function checkServer(server: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(
      `${origin} must be an http(s) URL such as https://parc.example.com (got "${server}")`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${origin} must start with https:// or http:// (got "${server}")`);
  }
  return server;
}

function duration(name: string, value: string, minMs: number, minText: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new UsageError(`--${name} needs a duration such as 90s, 30m, 6h or 1d (got "${value}")`);
  }
  if (ms < minMs) throw new UsageError(`--${name} must be at least ${minText} (got "${value}")`);
  return ms;
}

/** Parses the command line and the PARC_AGENT_* variables; options win over the environment. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h') return { kind: 'help' };
    if (arg === '-v' || arg === '-V') return { kind: 'version' };
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument "${arg}": options start with -- (see parc-agent --help)`);
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (FLAG_OPTIONS.has(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value (got "${arg}")`);
      if (name === 'help') return { kind: 'help' };
      if (name === 'version') return { kind: 'version' };
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option --${name} (see parc-agent --help)`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`--${name} needs a value, e.g. ${EXAMPLES[name] ?? `--${name} VALUE`}`);
      }
      i++;
    }
    if (value.trim() === '') throw new UsageError(`--${name} needs a value, e.g. ${EXAMPLES[name]}`);
    if (values.has(name)) throw new UsageError(`--${name} is given twice: keep one`);
    values.set(name, value);
  }

  if (flags.has('once') && flags.has('daemon')) {
    throw new UsageError('--once and --daemon exclude each other: keep one');
  }
  const daemon = flags.has('daemon');
  const dryRun = flags.has('dry-run');
  if (daemon && dryRun) throw new UsageError('--dry-run runs once: drop --daemon');
  if (values.has('interval') && !daemon) throw new UsageError('--interval only applies with --daemon');

  let server = values.get('server');
  if (server !== undefined) checkServer(server, '--server');
  else {
    server = envValue(env, 'PARC_AGENT_SERVER');
    if (server !== undefined) checkServer(server, 'PARC_AGENT_SERVER');
  }
  const output = values.get('output');
  if (!server && !dryRun && !output) {
    throw new UsageError(
      'no server: pass --server URL or set PARC_AGENT_SERVER (or --dry-run to print the inventory, --output FILE to save it)',
    );
  }

  const apiPath = values.get('path') ?? DEFAULT_PATH;
  if (!apiPath.startsWith('/')) throw new UsageError(`--path must start with / (got "${apiPath}")`);

  let retries = 5;
  const retriesText = values.get('retries');
  if (retriesText !== undefined) {
    if (!/^\d+$/.test(retriesText) || Number(retriesText) > 20) {
      throw new UsageError(`--retries needs a whole number from 0 to 20 (got "${retriesText}")`);
    }
    retries = Number(retriesText);
  }

  const skip: Section[] = [];
  for (const name of (values.get('skip') ?? '').split(',').map((s) => s.trim())) {
    if (!name) continue;
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new UsageError(`--skip: unknown section "${name}"; sections are ${SECTIONS.join(', ')}`);
    }
    skip.push(name as Section);
  }

  const intervalText = values.get('interval');
  const timeoutText = values.get('timeout');
  return {
    kind: 'run',
    options: {
      server,
      token: values.get('token') ?? envValue(env, 'PARC_AGENT_TOKEN'),
      tag: values.get('tag') ?? envValue(env, 'PARC_AGENT_TAG'),
      mode: daemon ? 'daemon' : 'once',
      intervalMs: intervalText ? duration('interval', intervalText, 60_000, '1m') : 6 * 3_600_000,
      dryRun,
      output,
      statePath: path.resolve(values.get('state') ?? defaultStatePath()),
      timeoutMs: timeoutText ? duration('timeout', timeoutText, 1_000, '1s') : 30_000,
      path: apiPath,
      retries,
      skip,
      logFile: values.get('log'),
    },
  };
}

export type Io = {
  /** Resolves once written (stdout is asynchronous on pipes: exiting before would cut it). */
  stdout: (text: string) => Promise<void>;
  stderr: (line: string) => void;
};

const processIo: Io = {
  stdout: (text) => new Promise((resolve) => process.stdout.write(text, () => resolve())),
  stderr: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

function summary(result: CollectResult): string {
  const c = result.inventory.content;
  const parts = [
    c.softwares ? `${c.softwares.length} software` : undefined,
    c.updates ? `${c.updates.length} pending update${c.updates.length === 1 ? '' : 's'}` : undefined,
    c.networks ? `${c.networks.length} network address${c.networks.length === 1 ? '' : 'es'}` : undefined,
  ].filter(Boolean);
  return `inventory of ${result.inventory.deviceid} collected in ${formatDuration(result.durationMs)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** One inventory: collect, then print, write and/or send. Returns the exit code. */
export async function runOnce(
  options: AgentOptions,
  io: Io,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  let result: CollectResult;
  try {
    result = await collectInventory({
      statePath: options.statePath,
      tag: options.tag,
      skip: options.skip,
      persistState: !options.dryRun,
    });
  } catch (error) {
    log(error instanceof StateError ? error.message : `collection failed: ${errorMessage(error)}`);
    return EXIT.failed;
  }
  if (result.stateWarning)
    log(`warning: ${result.stateWarning}; this dry run uses a device id it does not keep`);
  if (result.newDevice && !result.stateWarning) {
    log(`new device id ${result.inventory.deviceid}, kept in ${options.statePath}`);
  }
  log(summary(result));
  if (result.errors.length > 0) log(`sections left out: ${JSON.stringify({ errors: result.errors })}`);

  const json = JSON.stringify(result.inventory, null, 2);
  if (options.output) {
    try {
      fs.writeFileSync(options.output, `${json}\n`);
      log(`inventory written to ${options.output}`);
    } catch (error) {
      log(`cannot write --output ${options.output}: ${errorMessage(error)}`);
      return EXIT.failed;
    }
  }
  if (options.dryRun) {
    await io.stdout(`${json}\n`);
    return EXIT.ok;
  }
  if (!options.server) return EXIT.ok;
  try {
    const url = new URL(options.server);
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol === 'http:' && options.token && !local) {
      log('warning: the token is sent over plain http; use an https:// server address');
    }
    const sent = await sendInventory(result.inventory, {
      server: options.server,
      path: options.path,
      token: options.token,
      timeoutMs: options.timeoutMs,
      attempts: options.retries + 1,
      log,
      signal,
    });
    log(
      `inventory sent to ${sent.url} (HTTP ${sent.status}${sent.attempts > 1 ? `, attempt ${sent.attempts}` : ''})`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SendError) {
      log(error.message);
      return error.kind === 'rejected'
        ? EXIT.rejected
        : error.kind === 'aborted'
          ? EXIT.ok
          : EXIT.unavailable;
    }
    log(`sending failed: ${errorMessage(error)}`);
    return EXIT.unavailable;
  }
}

/** Runs the agent with these arguments; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = processIo,
): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`parc-agent: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
  if (parsed.kind === 'help') {
    await io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'version') {
    await io.stdout(`parc-agent ${AGENT_VERSION}\n`);
    return EXIT.ok;
  }
  const options = parsed.options;
  const log = (line: string) => {
    io.stderr(`parc-agent: ${line}`);
    if (options.logFile) {
      try {
        fs.appendFileSync(options.logFile, `${new Date().toISOString()} ${line}\n`);
      } catch {
        // the log file is a convenience; stderr has the line
      }
    }
  };
  if (options.mode === 'once') return runOnce(options, io, log);

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log(`daemon started: an inventory every ${formatDuration(options.intervalMs)}`);
  try {
    while (!controller.signal.aborted) {
      await runOnce(options, io, log, controller.signal);
      if (controller.signal.aborted) break;
      // Up to 10% more, so that machines started together drift apart.
      const wait = Math.round(options.intervalMs * (1 + Math.random() * 0.1));
      log(`next inventory in ${formatDuration(wait)}`);
      await sleep(wait, controller.signal);
    }
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
  log('daemon stopped');
  return EXIT.ok;
}
