import { gzipSync } from 'node:zlib';
import type { GlpiInventory } from './glpi.js';
import { errorMessage, formatDuration, sleep } from './util.js';
import { VERSION_CLIENT } from './version.js';

export const DEFAULT_PATH = '/api/v1/inventory/agent';

/** The server's RFC 9457 answer to a refused request. */
export type Problem = { title?: string; detail?: string; code?: string; status?: number };

/**
 * The inventory was not delivered. `rejected`: the server refused it (4xx, a redirect), sending it
 * again would not help. `unavailable`: network errors, time-outs or 5xx/429 until the attempts ran out.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: 'rejected' | 'unavailable' | 'aborted',
    readonly status?: number,
    readonly problem?: Problem,
  ) {
    super(message);
  }
}

export type SendOptions = {
  /** The server's base URL, e.g. https://parc.example.com (a sub-path is kept). */
  server: string;
  /** The endpoint's path; default /api/v1/inventory/agent. */
  path?: string | undefined;
  /** The enrolment token, sent as `Authorization: Bearer`. */
  token?: string | undefined;
  /** Per request. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Attempts in all, the first included. Default 6. */
  attempts?: number | undefined;
  /** First back-off delay, doubled at each retry, with jitter. Default 2 s. */
  baseDelayMs?: number | undefined;
  /** Longest back-off delay, and longest Retry-After honoured. Default 5 min. */
  maxDelayMs?: number | undefined;
  /** Progress lines (retries). */
  log?: ((line: string) => void) | undefined;
  /** Stops waiting and sending (daemon shutdown). */
  signal?: AbortSignal | undefined;
};

export type SendResult = { status: number; attempts: number; url: string; body: string };

/** `<server>` + `<path>`, keeping a sub-path of the server ("https://host/parc" + path). */
export function inventoryUrl(server: string, path: string = DEFAULT_PATH): URL {
  const base = new URL(server);
  const suffix = path.startsWith('/') ? path : `/${path}`;
  if (base.pathname.replace(/\/+$/, '').endsWith(suffix.replace(/\/+$/, ''))) return base;
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${suffix}`;
  return base;
}

/** The server's Retry-After (seconds or an HTTP date), in milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential back-off with "equal jitter": between half and all of base × 2^(retry-1), capped. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function parseProblem(body: string): Problem | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, unknown>;
    const text = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
    return {
      title: text(v.title),
      detail: text(v.detail),
      code: text(v.code),
      status: typeof v.status === 'number' ? v.status : undefined,
    };
  } catch {
    return undefined;
  }
}

function refusal(status: number, statusText: string, body: string): SendError {
  const problem = parseProblem(body);
  const said = problem
    ? [problem.title, problem.detail].filter(Boolean).join(': ')
    : body.trim().replace(/\s+/g, ' ').slice(0, 200);
  let hint = '';
  if (status === 401) hint = ' (check the enrolment token: --token or PARC_AGENT_TOKEN)';
  else if (status === 403)
    hint = ' (the token is not allowed to send inventories: ask for an enrolment token)';
  else if (status === 404) hint = ' (check --server and --path: this is not a Parc inventory endpoint)';
  else if (status === 413) hint = ' (the inventory is larger than the server accepts)';
  const reason = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  return new SendError(
    `server refused the inventory (${reason})${said ? `: ${said}` : ''}${hint}`,
    'rejected',
    status,
    problem,
  );
}

/** The cause of a fetch failure: "ECONNREFUSED", "certificate has expired", "timed out after 30 s". */
function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${formatDuration(timeoutMs)}`;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const c = cause as { code?: unknown; message?: unknown };
    if (typeof c.code === 'string' && typeof c.message === 'string') return `${c.code}: ${c.message}`;
    if (typeof c.message === 'string') return c.message;
  }
  return errorMessage(error);
}

/**
 * POSTs the inventory, gzip-compressed, as `Content-Type: application/json` (the server sniffs the
 * gzip magic bytes), with `Authorization: Bearer <token>` when given. Retries network errors, time-outs,
 * 429 and 5xx with exponential back-off and jitter, honouring Retry-After; a 4xx or a redirect is
 * final.
 */
export async function sendInventory(
  inventory: GlpiInventory | string,
  opts: SendOptions,
): Promise<SendResult> {
  const url = inventoryUrl(opts.server, opts.path);
  const json = typeof inventory === 'string' ? inventory : JSON.stringify(inventory);
  const body = gzipSync(Buffer.from(json, 'utf8'));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const attempts = Math.max(1, opts.attempts ?? 6);
  const baseDelayMs = opts.baseDelayMs ?? 2_000;
  const maxDelayMs = opts.maxDelayMs ?? 300_000;
  const log = opts.log ?? (() => {});
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': VERSION_CLIENT,
    Accept: 'application/json, application/problem+json',
  };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;

  let lastReason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (opts.signal?.aborted) throw new SendError('sending stopped', 'aborted');
    let retryAfterMs: number | undefined;
    try {
      const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any(signals),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, attempts: attempt, url: url.href, body: text };
      }
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        throw new SendError(
          `server answered HTTP ${response.status} (redirect${location ? ` to ${location}` : ''}): put the final address in --server`,
          'rejected',
          response.status,
        );
      }
      if (response.status !== 429 && response.status < 500) {
        throw refusal(response.status, response.statusText, text);
      }
      const problem = parseProblem(text);
      lastReason = `HTTP ${response.status}${problem?.title ? ` (${problem.title})` : ''}`;
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    } catch (error) {
      if (error instanceof SendError) throw error;
      if (opts.signal?.aborted) throw new SendError('sending stopped', 'aborted');
      lastReason = networkReason(error, timeoutMs);
    }
    if (attempt === attempts) break;
    const delay =
      retryAfterMs !== undefined
        ? Math.min(retryAfterMs, maxDelayMs)
        : backoffDelay(attempt, baseDelayMs, maxDelayMs);
    log(
      `${lastReason} from ${url.origin}; retrying in ${formatDuration(delay)} (attempt ${attempt + 1}/${attempts})`,
    );
    await sleep(delay, opts.signal);
  }
  throw new SendError(
    `could not deliver the inventory to ${url.href} after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${lastReason}`,
    'unavailable',
  );
}
