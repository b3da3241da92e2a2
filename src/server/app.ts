import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { authPlugin } from './http/auth.js';
import type { AppDeps } from './http/context.js';
import { installHealth } from './http/health.js';
import { RequestLogController, requestIdGenerator } from './http/logging.js';
import { installMetrics } from './http/metrics.js';
import { installProblemHandlers, requestLocale, sendProblem } from './http/problem.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { responseSerializerCompiler } from './http/serializer.js';
import { accountRoutes } from './modules/account/index.js';
import { assetsRoutes, catalogueRoutes, importRoutes, locationsRoutes } from './modules/assets/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { diagnosticsRoutes } from './modules/diagnostics/index.js';
import { disposalRoutes } from './modules/disposal/index.js';
import { channelsRoutes, helpdeskRoutes } from './modules/helpdesk/index.js';
import { agentCompatRoutes, inventoryRoutes } from './modules/inventory/index.js';
import { kbRoutes } from './modules/kb/index.js';
import { mailRoutes } from './modules/mail/index.js';
import { orgsRoutes } from './modules/orgs/index.js';
import { reportsRoutes } from './modules/reports/index.js';
import { searchesRoutes } from './modules/searches/index.js';
import { securityRoutes } from './modules/security/index.js';
import { purchaseOrdersRoutes, stockRoutes } from './modules/stock/index.js';
import { planningRoutes, workOrdersRoutes } from './modules/workorders/index.js';

/** The folder holding package.json above this file: the same from src/ (tests) and dist/ (the bundle). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
export const DEFAULT_WEB_DIR = path.join(packageRoot(), 'dist', 'web');

export type BuildOptions = {
  /** Where the built web app is; not served when the folder has no index.html. */
  webDir?: string;
  /** Log destination (tests capture it to prove secrets never reach the log). */
  logStream?: DestinationStream;
};

/** Never logged, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.otp',
];

/** The Fastify app without listen(): main.ts listens, tests use inject(). */
export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(opts.logStream && { stream: opts.logStream }),
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: requestIdGenerator(),
    requestIdHeader: false,
    return503OnClosing: true,
    logController: new RequestLogController(),
  });
  app.decorate('deps', deps);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  installProblemHandlers(app, { bodyLimit: config.bodyLimit });

  installSecurityHeaders(app, { hsts: config.secureCookies });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parc API',
        version: '1',
        description: 'IT maintenance platform API. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (parc_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'parc_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
    staticCSP: true,
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  installMetrics(app);
  installHealth(app);
  await app.register(authPlugin);
  await app.register(
    async (api) => {
      await api.register(accountRoutes);
      await api.register(orgsRoutes);
      await api.register(auditRoutes);
      await api.register(locationsRoutes);
      await api.register(catalogueRoutes);
      await api.register(importRoutes);
      await api.register(assetsRoutes);
      await api.register(searchesRoutes);
      await api.register(inventoryRoutes);
      await api.register(helpdeskRoutes);
      await api.register(channelsRoutes);
      await api.register(mailRoutes);
      await api.register(kbRoutes);
      await api.register(diagnosticsRoutes);
      await api.register(stockRoutes);
      await api.register(purchaseOrdersRoutes);
      await api.register(disposalRoutes);
      await api.register(workOrdersRoutes);
      await api.register(planningRoutes);
      await api.register(reportsRoutes);
      await api.register(securityRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(agentCompatRoutes);

  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    // Built assets carry a content hash in their names: cached for a year. The page itself is
    // revalidated on every load, so a new version is picked up at once.
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (reply: { header(name: string, value: string): unknown }, file: string) => {
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/', { config: { public: true }, schema: { hide: true } }, (_req, reply) =>
      reply.sendFile('index.html'),
    );
  }
  // Deep links of the web app (/admin/users) get its page; everything else a problem document.
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      request.headers.accept?.includes('text/html');
    if (hasWeb && wantsPage) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, requestLocale(request), {
      status: 404,
      code: 'request.not_found',
      params: { method: request.method, url: request.url.split('?')[0] },
    });
  });
  return app;
}
