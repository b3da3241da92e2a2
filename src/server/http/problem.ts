import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem, ProblemFieldError } from '../../shared/errors.js';
import { fieldText, type Locale, localeFrom, problemText } from '../i18n/messages.js';
import { AppError } from './errors.js';

const CONTEXT_PREFIX: Record<string, string> = {
  body: '',
  querystring: 'query.',
  params: 'params.',
  headers: 'headers.',
};

export function requestLocale(request: FastifyRequest): Locale {
  return localeFrom(request.headers['accept-language']);
}

function joinPath(prefix: string, parts: Array<string | number>): string {
  return `${prefix}${parts.join('.')}`.replace(/\.$/, '') || '(root)';
}

type ZodLikeIssue = {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
};

function fieldErrorsFromValidation(
  locale: Locale,
  context: string,
  issues: ZodLikeIssue[],
): ProblemFieldError[] {
  const prefix = CONTEXT_PREFIX[context] ?? `${context}.`;
  const out: ProblemFieldError[] = [];
  for (const issue of issues) {
    const parts = issue.instancePath.split('/').filter(Boolean);
    const params = issue.params;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
      for (const key of params.keys as string[]) {
        out.push({
          path: joinPath(prefix, [...parts, key]),
          code: 'unrecognized_keys',
          message: fieldText(locale, 'unrecognized_keys', {}),
        });
      }
      continue;
    }
    // zod reports a missing field as invalid_type with input undefined: say "required" instead.
    const code = issue.keyword === 'invalid_type' && params.input === undefined ? 'required' : issue.keyword;
    const custom = (params.params as { code?: string } | undefined)?.code;
    const values = Array.isArray(params.values) ? (params.values as unknown[]).join(', ') : undefined;
    out.push({
      path: joinPath(prefix, parts),
      code: custom ?? code,
      message: fieldText(locale, custom ?? code, { ...params, values }),
    });
  }
  return out;
}

export function sendProblem(
  reply: FastifyReply,
  locale: Locale,
  p: {
    status: number;
    code: string;
    params?: Record<string, unknown>;
    errors?: ProblemFieldError[];
    extra?: Record<string, unknown>;
  },
): FastifyReply {
  const { title, detail } = problemText(locale, p.code, { ...p.params, ...p.extra });
  const body: Problem = {
    type: `urn:parc:problem:${p.code}`,
    title,
    status: p.status,
    ...(detail && { detail }),
    code: p.code,
    ...(p.errors && p.errors.length > 0 && { errors: p.errors }),
    ...p.extra,
    requestId: String(reply.request.id),
  };
  if (typeof p.extra?.retryAfter === 'number') reply.header('retry-after', String(p.extra.retryAfter));
  return reply.status(p.status).type('application/problem+json; charset=utf-8').send(body);
}

/**
 * Every error leaves as RFC 9457 problem details. Validation lists every issue with its path; anything
 * unexpected is a bare 500 whose details go to the log only, tied to the request id.
 */
export function installProblemHandlers(app: FastifyInstance, opts: { bodyLimit: number }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const locale = requestLocale(request);
    if (error instanceof AppError) {
      const errors = error.fieldErrors.map((f) => ({
        ...f,
        message: f.message ?? fieldText(locale, f.code, {}),
      }));
      return sendProblem(reply, locale, {
        status: error.status,
        code: error.code,
        params: error.params,
        errors,
        extra: error.extra,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrorsFromValidation(
        locale,
        error.validationContext ?? 'body',
        error.validation as unknown as ZodLikeIssue[],
      );
      return sendProblem(reply, locale, { status: 400, code: 'validation.failed', errors });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, locale, { status: 400, code: 'request.malformed_json' });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, locale, {
          status: 413,
          code: 'request.too_large',
          params: { limit: opts.bodyLimit },
        });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, locale, { status: 415, code: 'request.unsupported_media_type' });
      default:
        break;
    }
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return sendProblem(reply, locale, { status: 400, code: 'request.malformed_json' });
    }
    if (error.statusCode === 429) {
      return sendProblem(reply, locale, {
        status: 429,
        code: 'request.rate_limited',
        extra: { retryAfter: 60 },
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, locale, { status: error.statusCode, code: 'validation.failed' });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, locale, {
      status: 500,
      code: 'server.error',
      params: { requestId: String(request.id) },
    });
  });
}
