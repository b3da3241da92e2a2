import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAlertmanagerPayload,
  ZAlertResult,
  ZAlertToken,
  ZAlertTokenCreate,
  ZAlertTokenStatus,
  ZMailbox,
  ZMailboxUpdate,
  ZMailMessage,
  ZTicketAttachment,
} from '../../../../shared/schemas/channels.js';
import { ZId } from '../../../../shared/schemas/common.js';
import { ctxOf, expectedVersion, withEtag } from '../../../http/context.js';
import { fileReply } from '../../../http/download.js';
import { requestLocale, sendProblem } from '../../../http/problem.js';
import { receiveAlerts } from './alerts.service.js';
import { interventionNoteOfTicket } from './intervention-note.js';
import * as mailboxes from './mailboxes.service.js';

const tags = ['helpdesk'];
const OrgParams = z.strictObject({ orgId: ZId });
const IdParams = z.strictObject({ id: ZId });

/** The Alertmanager webhook's Bearer token, checked before the body is even validated. */
async function alertToken(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { orgId } = request.params as { orgId?: string };
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const ok =
    !!orgId &&
    ZId.safeParse(orgId).success &&
    (await mailboxes.checkAlertToken(ctxOf(request), orgId, token));
  if (!ok) {
    reply.header('www-authenticate', 'Bearer realm="parc-alerts"');
    return sendProblem(reply, requestLocale(request), { status: 401, code: 'alerts.bad_token' });
  }
}

export const channelsRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- e-mail intake ------------------------------------------------------------------------------
  app.get(
    '/helpdesk/mailboxes/:orgId',
    { schema: { tags, params: OrgParams, response: { 200: ZMailbox } } },
    async (req, reply) => withEtag(reply, await mailboxes.getMailbox(ctxOf(req), req.params.orgId)),
  );
  app.put(
    '/helpdesk/mailboxes/:orgId',
    {
      schema: {
        tags,
        params: OrgParams,
        body: ZMailboxUpdate,
        response: { 200: ZMailbox },
        description:
          'Creates (If-Match: "v0") or changes the intake mailbox; the password is never returned.',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await mailboxes.putMailbox(ctxOf(req), req.params.orgId, expectedVersion(req), req.body),
      ),
  );
  app.get(
    '/helpdesk/mailboxes/:orgId/messages',
    {
      schema: {
        tags,
        params: OrgParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(ZMailMessage) }) },
      },
    },
    async (req) => ({
      items: await mailboxes.listMailMessages(ctxOf(req), req.params.orgId, req.query.limit),
    }),
  );

  // --- Alertmanager -------------------------------------------------------------------------------
  app.post(
    '/helpdesk/alert-tokens',
    { schema: { tags, body: ZAlertTokenCreate, response: { 201: ZAlertToken } } },
    async (req, reply) =>
      reply.status(201).send(await mailboxes.createAlertToken(ctxOf(req), req.body.orgId)),
  );
  app.get(
    '/helpdesk/alert-tokens/:orgId',
    { schema: { tags, params: OrgParams, response: { 200: ZAlertTokenStatus } } },
    async (req) => mailboxes.alertTokenStatus(ctxOf(req), req.params.orgId),
  );
  app.post(
    '/helpdesk/alerts/:orgId',
    {
      config: { public: true },
      onRequest: alertToken,
      schema: {
        tags,
        params: OrgParams,
        body: ZAlertmanagerPayload,
        response: { 200: ZAlertResult },
        security: [{ bearer: [] }],
        description:
          'Alertmanager webhook (payload version 4), authenticated by the organisation webhook token (Bearer palrt_…).',
      },
    },
    async (req) => receiveAlerts(ctxOf(req), req.params.orgId, req.body),
  );

  // --- what the channels add to a ticket -------------------------------------------------------
  app.get(
    '/tickets/:id/intervention-note.pdf',
    {
      schema: {
        tags,
        params: IdParams,
        description: 'The intervention note of a resolved ticket as a PDF (its requester or staff).',
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const lang = req.actor?.locale ?? requestLocale(req);
      const { filename, content } = await interventionNoteOfTicket(ctx, req.params.id, lang);
      return fileReply(reply, { type: 'application/pdf', filename, disposition: 'inline' }).send(content);
    },
  );
  app.get(
    '/tickets/:id/attachments',
    {
      schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(ZTicketAttachment) }) } },
    },
    async (req) => ({ items: await mailboxes.listTicketAttachments(ctxOf(req), req.params.id) }),
  );
  // Uploads: the raw file as the body (any Content-Type), its name in ?filename=.
  await app.register(async (upload) => {
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: upload.deps.config.mail.maxAttachmentBytes },
      (_req, body, done) => done(null, body),
    );
    upload.post(
      '/tickets/:id/attachments',
      {
        schema: {
          tags,
          params: IdParams,
          querystring: z.strictObject({ filename: z.string().trim().min(1).max(200) }),
          response: { 201: ZTicketAttachment },
        },
      },
      async (req, reply) => {
        const body = req.body as Buffer | undefined;
        const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const mediaType = String(req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!;
        return reply.status(201).send(
          await mailboxes.attachToTicket(ctxOf(req), (req.params as { id: string }).id, {
            filename: (req.query as { filename: string }).filename,
            mediaType,
            content,
          }),
        );
      },
    );
  });
  app.get(
    '/tickets/:id/attachments/:attachmentId',
    { schema: { tags, params: z.strictObject({ id: ZId, attachmentId: ZId }) } },
    async (req, reply) => {
      const file = await mailboxes.readTicketAttachment(ctxOf(req), req.params.id, req.params.attachmentId);
      // Never rendered by the browser in Parc's origin, whatever the sender called it.
      return fileReply(reply, { type: 'application/octet-stream', filename: file.filename })
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    },
  );
};
