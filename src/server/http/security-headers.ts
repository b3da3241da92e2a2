import type { FastifyInstance } from 'fastify';

/**
 * Security headers, precomputed. Pages (the web app, its assets, the API docs) get the strict CSP and
 * isolation headers; the API gets the short set OWASP recommends for APIs. Header bytes are not free:
 * helmet's full set on every JSON answer cut throughput by more than half here (see bench/).
 * The choice goes by path, not content type: a 304 has no content type, yet the browser applies its
 * headers to the cached page.
 */
const API_PATHS = ['/api/v1/', '/api/openapi.json', '/healthz', '/readyz', '/metrics'];

export function isApiPath(url: string): boolean {
  return API_PATHS.some((p) => url.startsWith(p));
}

const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function installSecurityHeaders(app: FastifyInstance, opts: { hsts: boolean }): void {
  const common: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(opts.hsts && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  };
  const api = {
    ...common,
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  };
  const page = {
    ...common,
    'content-security-policy': STRICT_CSP,
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  app.addHook('onSend', (request, reply, payload, done) => {
    // A page that set its own policy (the API docs) keeps it.
    const own = reply.getHeader('content-security-policy');
    reply.headers(isApiPath(request.url) ? api : page);
    if (own) reply.header('content-security-policy', own);
    done(null, payload);
  });
}
