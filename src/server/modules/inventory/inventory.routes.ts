import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  ZDevice,
  ZDeviceDetail,
  ZDeviceQuery,
  ZDeviceValidate,
  ZEnrolmentToken,
  ZEnrolmentTokenCreate,
  ZEnrolmentTokenCreated,
  ZEnrolmentTokenQuery,
  ZFleetStats,
  ZFleetStatsQuery,
  ZInstallation,
  ZInstalledSoftware,
  ZInventoryError,
  ZInventoryErrorQuery,
  ZInventoryRule,
  ZInventoryRuleCreate,
  ZSoftware,
  ZSoftwareDetail,
  ZSoftwareQuery,
} from '../../../shared/schemas/inventory.js';
import { ctxOf } from '../../http/context.js';
import { AppError } from '../../http/errors.js';
import { requestLocale, sendProblem } from '../../http/problem.js';
import { problemText } from '../../i18n/messages.js';
import * as devices from './devices.service.js';
import * as enrolment from './enrolment.service.js';
import {
  encodeGlpiReply,
  glpiContactReply,
  glpiErrorReply,
  glpiInventoryReply,
  ocsInventoryReply,
  ocsPrologReply,
  ocsReplyContentType,
} from './formats/replies.js';
import { type IngestResult, ingestBody, recordRefusal } from './ingest.service.js';
import * as software from './software.service.js';

const IdParams = z.strictObject({ id: ZId });
const tags = ['inventory'];
/** How often agents are asked to come back, in hours. */
const FREQUENCY_HOURS = 24;

/** The paths OCS, FusionInventory and GLPI agents are configured with, and parc-agent's own. */
export const AGENT_PATHS = [
  '/ocsinventory',
  '/ocsinventory/',
  '/front/inventory.php',
  '/plugins/fusioninventory/',
  '/plugins/fusioninventory/*',
  '/marketplace/glpiinventory/',
  '/marketplace/glpiinventory/*',
];

/** The enrolment token: Bearer, HTTP Basic password (OCS agents' --password), or ?token=. */
function tokenOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    if (password) return password;
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' && query.token ? query.token : undefined;
}

async function ingest(request: FastifyRequest): Promise<IngestResult> {
  const { inventory } = request.server.deps.config;
  return ingestBody(ctxOf(request), request.body as Buffer, {
    ip: request.ip,
    token: tokenOf(request),
    userAgent: request.headers['user-agent'],
    requireToken: inventory.requireToken,
    maxBytes: inventory.maxBytes,
  });
}

/** Agents read bodies, not problem details: OCS agents only the status, GLPI agents a JSON message. */
function sendAgentError(request: FastifyRequest, reply: FastifyReply, err: unknown, json: boolean) {
  if (!(err instanceof AppError)) throw err;
  const { title, detail } = problemText(requestLocale(request), err.code, err.params);
  const message = detail ? `${title}: ${detail}` : title;
  if (!json) return reply.status(err.status).type('text/plain; charset=utf-8').send(message);
  const { body, contentType } = encodeGlpiReply(glpiErrorReply(message));
  return reply.status(err.status).type(contentType).send(body);
}

/**
 * Routes whose body is an agent payload: raw bytes, compression and format read from the first bytes,
 * whatever Content-Type says (agents send zlib as application/x-compress-zlib, JSON gzip'd as JSON…).
 */
function rawBodies(app: Parameters<FastifyPluginAsync>[0]): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: app.deps.config.inventory.maxBytes },
    (_req, body, done) => done(null, body),
  );
  // A body over the limit never reaches the handler: count it with the other refusals, then answer as usual.
  app.addHook('onError', async (request, _reply, error) => {
    if ((error as { code?: string }).code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return;
    await recordRefusal(ctxOf(request), {
      reason: 'too_large',
      ip: request.ip,
      agent: request.headers['user-agent'],
      detail: `${request.headers['content-length'] ?? '?'} bytes, over ${app.deps.config.inventory.maxBytes}`,
    });
  });
}

/** The agents' endpoints: OCS/FusionInventory XML and GLPI agent JSON on the paths they expect. */
export const agentCompatRoutes: FastifyPluginAsync = async (app) => {
  rawBodies(app);
  for (const url of AGENT_PATHS) {
    app.post(url, { schema: { hide: true } }, async (request, reply) => {
      const looksJson = (request.body as Buffer | undefined)?.subarray(0, 2).includes(0x7b) ?? false;
      try {
        const result = await ingest(request);
        if (result.format === 'ocs-xml') {
          const bytes =
            result.kind === 'prolog'
              ? ocsPrologReply({ send: true, frequencyHours: FREQUENCY_HOURS }, result.compression)
              : ocsInventoryReply(result.compression);
          return reply.type(ocsReplyContentType(result.compression)).send(bytes);
        }
        const { body, contentType } = encodeGlpiReply(
          result.kind === 'contact'
            ? glpiContactReply({
                expirationHours: FREQUENCY_HOURS,
                inventory: true,
                enabledTasks: result.enabledTasks,
              })
            : glpiInventoryReply({ expirationHours: FREQUENCY_HOURS }),
          result.compression,
        );
        return reply.type(contentType).send(body);
      } catch (err) {
        return sendAgentError(request, reply, err, looksJson);
      }
    });
  }
};

/** parc-agent's endpoint under the API: GLPI agent JSON in, a JSON summary or problem details out. */
const agentApiRoutes: FastifyPluginAsync = async (app) => {
  rawBodies(app);
  app.post(
    '/inventory/agent',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Send an inventory (GLPI agent JSON or OCS XML, plain, gzip or zlib), as parc-agent does',
      },
    },
    async (request, reply) => {
      try {
        const result = await ingest(request);
        return reply.send({
          status: 'ok',
          deviceId: result.deviceId,
          ...(result.kind === 'inventory' && { outcome: result.outcome, assetId: result.assetId }),
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return sendProblem(reply, requestLocale(request), {
          status: err.status,
          code: err.code,
          params: err.params,
        });
      }
    },
  );
};

export const inventoryRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(agentApiRoutes);

  // --- fleet --------------------------------------------------------------------------------------
  app.get(
    '/inventory/devices',
    { schema: { tags, querystring: ZDeviceQuery, response: { 200: zPage(ZDevice) } } },
    async (req) => devices.listDevices(ctxOf(req), req.query),
  );
  app.get(
    '/inventory/devices/:id',
    { schema: { tags, params: IdParams, response: { 200: ZDeviceDetail } } },
    async (req) => devices.getDevice(ctxOf(req), req.params.id),
  );
  app.post(
    '/inventory/devices/:id/validate',
    { schema: { tags, params: IdParams, body: ZDeviceValidate, response: { 200: ZDevice } } },
    async (req) => devices.validateDevice(ctxOf(req), req.params.id, req.body.orgId),
  );
  app.delete('/inventory/devices/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await devices.rejectDevice(ctxOf(req), req.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/inventory/errors',
    { schema: { tags, querystring: ZInventoryErrorQuery, response: { 200: zPage(ZInventoryError) } } },
    async (req) => devices.listInventoryErrors(ctxOf(req), req.query, requestLocale(req)),
  );
  app.get(
    '/inventory/stats',
    { schema: { tags, querystring: ZFleetStatsQuery, response: { 200: ZFleetStats } } },
    async (req) => devices.fleetStats(ctxOf(req), req.query, requestLocale(req)),
  );
  app.get(
    '/assets/:id/inventory',
    { schema: { tags, params: IdParams, response: { 200: z.object({ device: ZDeviceDetail.nullable() }) } } },
    async (req) => ({ device: await devices.deviceOfAsset(ctxOf(req), req.params.id) }),
  );

  // --- enrolment ----------------------------------------------------------------------------------
  app.get(
    '/inventory/tokens',
    { schema: { tags, querystring: ZEnrolmentTokenQuery, response: { 200: zPage(ZEnrolmentToken) } } },
    async (req) => enrolment.listEnrolmentTokens(ctxOf(req), req.query),
  );
  app.post(
    '/inventory/tokens',
    { schema: { tags, body: ZEnrolmentTokenCreate, response: { 201: ZEnrolmentTokenCreated } } },
    async (req, reply) => reply.status(201).send(await enrolment.createEnrolmentToken(ctxOf(req), req.body)),
  );
  app.delete('/inventory/tokens/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await enrolment.revokeEnrolmentToken(ctxOf(req), req.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/inventory/rules',
    { schema: { tags, response: { 200: z.object({ items: z.array(ZInventoryRule) }) } } },
    async (req) => ({ items: await enrolment.listInventoryRules(ctxOf(req)) }),
  );
  app.post(
    '/inventory/rules',
    { schema: { tags, body: ZInventoryRuleCreate, response: { 201: ZInventoryRule } } },
    async (req, reply) => reply.status(201).send(await enrolment.createInventoryRule(ctxOf(req), req.body)),
  );
  app.delete('/inventory/rules/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await enrolment.deleteInventoryRule(ctxOf(req), req.params.id);
    return reply.status(204).send();
  });

  // --- software -----------------------------------------------------------------------------------
  app.get(
    '/software',
    { schema: { tags, querystring: ZSoftwareQuery, response: { 200: zPage(ZSoftware) } } },
    async (req) => software.listSoftware(ctxOf(req), req.query),
  );
  app.get(
    '/software/:id',
    { schema: { tags, params: IdParams, response: { 200: ZSoftwareDetail } } },
    async (req) => software.getSoftware(ctxOf(req), req.params.id),
  );
  app.get(
    '/software/versions/:id/installations',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
        }),
        response: { 200: zPage(ZInstallation) },
      },
    },
    async (req) => software.installationsOfVersion(ctxOf(req), req.params.id, req.query),
  );
  app.get(
    '/assets/:id/software',
    {
      schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(ZInstalledSoftware) }) } },
    },
    async (req) => ({ items: await software.softwareOfAsset(ctxOf(req), req.params.id) }),
  );
};
