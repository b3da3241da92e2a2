import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../shared/policy.js';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import {
  ZEventHistogram,
  ZEventHistogramQuery,
  ZEventListQuery,
  ZIncidentLinks,
  ZIncidentListQuery,
  ZIncidentTransition,
  ZIngestResult,
  ZRuleCreate,
  ZRuleListQuery,
  ZRuleTest,
  ZRuleTestResult,
  ZRuleUpdate,
  ZSecurityEvent,
  ZSecurityIncident,
  ZSecurityIncidentDetail,
  ZSecurityNotification,
  ZSecurityRule,
  ZSecuritySettings,
  ZSecuritySettingsUpdate,
  ZSecuritySource,
  ZSourceCreate,
  ZSourceListQuery,
  ZSourceMap,
} from '../../../shared/schemas/security.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { AppError } from '../../http/errors.js';
import { requestLocale, sendProblem } from '../../http/problem.js';
import { setAssetCriticality } from '../assets/index.js';
import * as eventsService from './events.service.js';
import * as incidents from './incidents.service.js';
import { ingestStream } from './ingest.js';
import * as notifications from './notifications.service.js';
import * as rules from './rules.service.js';
import { acquirePipeline, releasePipeline } from './service.js';
import * as settings from './settings.service.js';
import * as sources from './sources.service.js';

const tags = ['security'];
const IdParams = z.strictObject({ id: ZId });
const OrgParams = z.strictObject({ orgId: ZId });
const RuleParams = z.strictObject({ orgId: ZId, ruleId: z.string().min(1).max(200) });
const ZLevel = z.number().int().min(1).max(4).nullable();

/** The organisation of each authenticated ingest request, found before its body is read. */
const ingestOrgs = new WeakMap<FastifyRequest, string>();

/** The largest ingest body, compressed or not. */
const INGEST_MAX_BYTES = 64 * 1_048_576;

/** The organisation an ingest request writes to: its ingest token's, or the API caller's (security.manage). */
async function ingestOrg(req: FastifyRequest, orgId: string | undefined): Promise<string | null> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (token?.startsWith(settings.INGEST_TOKEN_PREFIX)) return settings.orgOfIngestToken(ctxOf(req), token);
  if (req.actor && orgId && can(req.actor, 'security.manage', { orgId })) return orgId;
  return null;
}

export const securityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { handle, secrets } = app.deps;
  const pipeline = acquirePipeline(handle, secrets, app.log);
  app.addHook('onClose', () => releasePipeline(handle));

  // --- ingest ---
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: INGEST_MAX_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    raw.post(
      '/security/ingest',
      {
        config: { public: true },
        // The token is checked before the body is read: a stranger cannot make Parc take in 64 MiB.
        onRequest: async (req, reply) => {
          const orgId = await ingestOrg(req, (req.query as { orgId?: string }).orgId);
          if (!orgId) {
            reply.header('www-authenticate', 'Bearer realm="parc-security"');
            return sendProblem(reply, requestLocale(req), { status: 401, code: 'security.bad_ingest_token' });
          }
          ingestOrgs.set(req, orgId);
        },
        schema: {
          tags,
          querystring: z.strictObject({
            orgId: ZId.optional(),
            source: z.string().trim().min(1).max(200).default('http'),
          }),
          response: { 200: ZIngestResult },
          security: [{ bearer: [] }],
          description:
            'Log lines for the organisation of the ingest token (Bearer psec_…), or of `orgId` with an API token that may manage security: JSON lines (winlogbeat, NXLog, {"message": "<syslog line>"}), syslog lines or EVTX-XML; gzip told by its first bytes. Refused lines are counted by reason, never fatal.',
        },
      },
      async (req) => {
        const query = req.query as { orgId?: string; source: string };
        const orgId = ingestOrgs.get(req)!;
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const ctx = ctxOf(req);
        const target = await sources.sourceByName(ctx, orgId, query.source, 'http');
        const now = Date.now();
        const before = pipeline.totals.stored;
        try {
          const s = await ingestStream(pipeline, target, Readable.from([body]), { reference: now, now });
          return {
            lines: s.lines,
            rejected: s.rejected as Record<string, number>,
            stored: pipeline.totals.stored - before,
          };
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR')
            throw new AppError('security.bad_gzip', 400, {}, {}, [{ path: 'body', code: 'invalid_gzip' }]);
          throw err;
        }
      },
    );
  });
  app.post(
    '/security/ingest-tokens',
    {
      schema: {
        tags,
        body: OrgParams,
        response: { 201: z.object({ orgId: ZId, token: z.string(), ingestPath: z.string() }) },
        description: 'A new ingest token for the organisation (the previous one stops working); shown once.',
      },
    },
    async (req, reply) =>
      reply.status(201).send(await settings.createIngestToken(ctxOf(req), req.body.orgId)),
  );

  // --- settings ---
  app.get(
    '/security/settings/:orgId',
    { schema: { tags, params: OrgParams, response: { 200: ZSecuritySettings } } },
    async (req, reply) => withEtag(reply, await settings.getSettings(ctxOf(req), req.params.orgId)),
  );
  app.patch(
    '/security/settings/:orgId',
    {
      schema: {
        tags,
        params: OrgParams,
        body: ZSecuritySettingsUpdate,
        response: { 200: ZSecuritySettings },
        description:
          'Retention and alert webhook (If-Match; "v0" before the first save). The secret is sealed and never returned.',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await settings.updateSettings(ctxOf(req), req.params.orgId, expectedVersion(req), req.body),
      ),
  );

  // --- events ---
  app.get(
    '/security/events',
    { schema: { tags, querystring: ZEventListQuery, response: { 200: zPage(ZSecurityEvent) } } },
    (req) => eventsService.listEvents(ctxOf(req), req.query),
  );
  app.get(
    '/security/events/histogram',
    { schema: { tags, querystring: ZEventHistogramQuery, response: { 200: ZEventHistogram } } },
    (req) => eventsService.eventHistogram(ctxOf(req), req.query),
  );

  // --- rules ---
  app.get(
    '/security/rules',
    {
      schema: {
        tags,
        querystring: ZRuleListQuery,
        response: { 200: z.object({ items: z.array(ZSecurityRule) }) },
      },
    },
    (req) => rules.listRules(ctxOf(req), req.query.orgId),
  );
  app.post(
    '/security/rules',
    {
      schema: {
        tags,
        body: ZRuleCreate,
        response: { 201: ZSecurityRule },
        description:
          'A rule in the YAML format of rules/README.md; a problem is a 422 with each line and column.',
      },
    },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await rules.createRule(ctxOf(req), req.body))),
  );
  app.patch(
    '/security/rules/:orgId/:ruleId',
    {
      schema: {
        tags,
        params: RuleParams,
        body: ZRuleUpdate,
        response: { 200: ZSecurityRule },
        description:
          'Edit a custom rule or turn a rule on or off (If-Match; "v0" for a built-in rule never changed).',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await rules.updateRule(
          ctxOf(req),
          req.params.orgId,
          req.params.ruleId,
          expectedVersion(req),
          req.body,
        ),
      ),
  );
  app.post(
    '/security/rules/test',
    {
      schema: {
        tags,
        body: ZRuleTest,
        response: { 200: ZRuleTestResult },
        description: 'Runs a rule, unsaved, over the stored events of a period or over a log text.',
      },
    },
    (req) => rules.testRule(ctxOf(req), req.body),
  );

  // --- incidents ---
  app.get(
    '/security/incidents',
    { schema: { tags, querystring: ZIncidentListQuery, response: { 200: zPage(ZSecurityIncident) } } },
    (req) => incidents.listIncidents(ctxOf(req), req.query),
  );
  app.get(
    '/security/incidents/:id',
    { schema: { tags, params: IdParams, response: { 200: ZSecurityIncidentDetail } } },
    async (req, reply) => withEtag(reply, await incidents.getIncident(ctxOf(req), req.params.id)),
  );
  app.post(
    '/security/incidents/:id/transition',
    { schema: { tags, params: IdParams, body: ZIncidentTransition, response: { 200: ZSecurityIncident } } },
    async (req, reply) =>
      withEtag(
        reply,
        await incidents.transitionIncident(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.patch(
    '/security/incidents/:id/links',
    { schema: { tags, params: IdParams, body: ZIncidentLinks, response: { 200: ZSecurityIncident } } },
    async (req, reply) =>
      withEtag(
        reply,
        await incidents.linkIncident(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );

  // --- sources ---
  app.get(
    '/security/sources',
    { schema: { tags, querystring: ZSourceListQuery, response: { 200: zPage(ZSecuritySource) } } },
    (req) => sources.listSources(ctxOf(req), req.query),
  );
  app.post(
    '/security/sources',
    { schema: { tags, body: ZSourceCreate, response: { 201: ZSecuritySource } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await sources.createSource(ctxOf(req), req.body))),
  );
  app.post(
    '/security/sources/:id/map',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZSourceMap,
        response: { 200: ZSecuritySource },
        description: 'Maps a source (an unknown syslog sender) to an organisation and an asset (If-Match).',
      },
    },
    async (req, reply) =>
      withEtag(reply, await sources.mapSource(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );

  // --- the criticality of assets (assets module) ---
  app.put(
    '/security/assets/:id/criticality',
    {
      schema: {
        tags,
        params: IdParams,
        body: z.strictObject({ confidentiality: ZLevel, integrity: ZLevel, availability: ZLevel }),
        response: {
          200: z.object({
            id: ZId,
            version: z.number().int(),
            confidentiality: ZLevel,
            integrity: ZLevel,
            availability: ZLevel,
          }),
        },
        description:
          "An asset's confidentiality, integrity and availability, 1 to 4 (If-Match with the asset's version).",
      },
    },
    async (req, reply) =>
      withEtag(reply, await setAssetCriticality(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );

  // --- notifications ---
  app.get(
    '/security/notifications',
    {
      schema: {
        tags,
        querystring: ZListQuery.extend({ unread: z.enum(['true', 'false']).optional() }),
        response: { 200: zPage(ZSecurityNotification).extend({ unread: z.number().int() }) },
      },
    },
    (req) => notifications.listNotifications(ctxOf(req), req.query),
  );
  app.post('/security/notifications/:id/read', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await notifications.markNotificationRead(ctxOf(req), req.params.id);
    return reply.status(204).send();
  });
};
