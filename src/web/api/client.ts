import type { z } from 'zod';
import type { Problem, ProblemFieldError } from '../../shared/errors.js';

/**
 * The one HTTP client of the web app. It speaks the Parc API contract: same-origin cookies, the
 * interface language in Accept-Language, the CSRF proof on state-changing requests, ETags, and RFC 9457
 * problem details turned into ApiError.
 */

const BASE = '/api/v1';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
  /** Field errors keyed by their first path segment (`roles.0` -> `roles`) and by their full path. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const full = normalisePath(e);
      const first = full.split('.')[0] ?? full;
      out[full] ??= e.message;
      out[first] ??= e.message;
    }
    return out;
  }
}

function normalisePath(e: ProblemFieldError): string {
  return String(e.path ?? '')
    .replace(/^\/+/, '')
    .replace(/^body[./]/, '')
    .replace(/\//g, '.');
}

let csrfToken: string | null = null;
let currentLanguage: () => string = () => 'fr';

/** Remember the CSRF proof given by GET /me or the login response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Tell the client which language to ask the server for (server-side messages follow it). */
export function setLanguageSource(source: () => string): void {
  currentLanguage = source;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions<S extends z.ZodType | undefined> = {
  query?: Query;
  body?: unknown;
  /** The ETag read with the record; required by the server on PATCH and DELETE of versioned records. */
  ifMatch?: string | null;
  /** The shared zod schema of the answer: used for the type, and checked at run time. */
  schema?: S;
};

export type ApiResult<T> = { data: T; etag: string | null };

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

function baseHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': currentLanguage(),
  };
  if (MUTATING.has(method)) {
    const token = csrfToken ?? readCookie('parc_csrf');
    if (token) headers['X-CSRF-Token'] = token;
  }
  return headers;
}

/**
 * A request whose body or answer is not JSON (a file sent, a PDF read back), with the same headers as
 * `request`. Answers the Response as is, whatever its status; `toApiError` explains a failed one.
 */
export async function requestRaw(
  method: string,
  path: string,
  options: { query?: Query; body?: BodyInit; contentType?: string; accept?: string } = {},
): Promise<Response> {
  const headers = baseHeaders(method);
  if (options.contentType) headers['Content-Type'] = options.contentType;
  if (options.accept) headers.Accept = `${options.accept}, application/problem+json`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body,
    });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network.error' });
  }
}

export async function request<S extends z.ZodType | undefined = undefined>(
  method: string,
  path: string,
  options: RequestOptions<S> = {},
): Promise<ApiResult<S extends z.ZodType ? z.infer<S> : undefined>> {
  const headers = baseHeaders(method);
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network.error' });
  }

  if (!response.ok) throw await toApiError(response);
  const etag = response.headers.get('ETag');
  if (response.status === 204 || !options.schema) {
    return { data: undefined as never, etag };
  }
  const json: unknown = await response.json();
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    // A contract drift between server and web: keep working with what came back, but say so loudly.
    console.error(`Parc API: ${method} ${path} answered outside its schema`, parsed.error.issues);
    return { data: json as never, etag };
  }
  return { data: parsed.data as never, etag };
}

export async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('Content-Type') ?? '';
  let problem: Problem | null = null;
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      problem = {
        ...body,
        type: body.type ?? 'about:blank',
        title: body.title ?? response.statusText,
        status: body.status ?? response.status,
        code: body.code ?? `http.${response.status}`,
      };
    } catch {
      problem = null;
    }
  }
  problem ??= {
    type: 'about:blank',
    title: response.statusText,
    status: response.status,
    code: `http.${response.status}`,
  };
  const retryAfter = response.headers.get('Retry-After');
  if (problem.retryAfter === undefined && retryAfter && /^\d+$/.test(retryAfter)) {
    problem.retryAfter = Number(retryAfter);
  }
  return new ApiError(problem);
}

export const isApiError = (err: unknown, code?: string): err is ApiError =>
  err instanceof ApiError && (code === undefined || err.code === code);
