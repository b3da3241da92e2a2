import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAuditEntry, ZAuditListQuery } from '../../../shared/schemas/audit.js';
import { zPage } from '../../../shared/schemas/common.js';
import { ctxOf } from '../../http/context.js';
import { listAuditEntries } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    { schema: { tags: ['audit'], querystring: ZAuditListQuery, response: { 200: zPage(ZAuditEntry) } } },
    (req) => listAuditEntries(ctxOf(req), req.query),
  );
};
