import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  MAIL_LOCALES,
  ZMailTemplate,
  ZMailTemplateKey,
  ZMailTemplateUpdate,
  ZOutgoingMail,
  ZOutgoingMailQuery,
} from '../../../shared/schemas/channels.js';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { listOutgoingMail } from './outgoing.service.js';
import * as templates from './templates.service.js';

const tags = ['mail'];
const OrgParams = z.strictObject({ orgId: ZId });
const TemplateParams = z.strictObject({ orgId: ZId, key: ZMailTemplateKey, locale: z.enum(MAIL_LOCALES) });

export const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/mail/templates/:orgId',
    { schema: { tags, params: OrgParams, response: { 200: z.object({ items: z.array(ZMailTemplate) }) } } },
    async (req) => ({ items: await templates.listMailTemplates(ctxOf(req), req.params.orgId) }),
  );
  app.get(
    '/mail/templates/:orgId/:key/:locale',
    { schema: { tags, params: TemplateParams, response: { 200: ZMailTemplate } } },
    async (req, reply) =>
      withEtag(
        reply,
        await templates.getMailTemplate(ctxOf(req), req.params.orgId, req.params.key, req.params.locale),
      ),
  );
  app.put(
    '/mail/templates/:orgId/:key/:locale',
    { schema: { tags, params: TemplateParams, body: ZMailTemplateUpdate, response: { 200: ZMailTemplate } } },
    async (req, reply) =>
      withEtag(
        reply,
        await templates.putMailTemplate(
          ctxOf(req),
          req.params.orgId,
          req.params.key,
          req.params.locale,
          expectedVersion(req),
          req.body,
        ),
      ),
  );
  app.delete(
    '/mail/templates/:orgId/:key/:locale',
    { schema: { tags, params: TemplateParams } },
    async (req, reply) => {
      await templates.resetMailTemplate(ctxOf(req), req.params.orgId, req.params.key, req.params.locale);
      return reply.status(204).send();
    },
  );
  app.get(
    '/mail/outgoing',
    { schema: { tags, querystring: ZOutgoingMailQuery, response: { 200: zPage(ZOutgoingMail) } } },
    async (req) => listOutgoingMail(ctxOf(req), req.query),
  );
};
