import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import {
  ZFollowupCreate,
  ZHelpdeskSettings,
  ZHelpdeskSettingsRead,
  ZTaskCreate,
  ZTaskUpdate,
  ZTicket,
  ZTicketAssign,
  ZTicketCategory,
  ZTicketCategoryCreate,
  ZTicketCategoryUpdate,
  ZTicketCreate,
  ZTicketEscalate,
  ZTicketEvent,
  ZTicketKbDraft,
  ZTicketListQuery,
  ZTicketMerge,
  ZTicketPlan,
  ZTicketRate,
  ZTicketReopen,
  ZTicketSla,
  ZTicketSolve,
  ZTicketStatusChange,
  ZTicketTask,
  ZTicketUpdate,
} from '../../../shared/schemas/helpdesk.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as settings from './settings.service.js';
import * as tasks from './tasks.service.js';
import * as tickets from './tickets.service.js';

const IdParams = z.strictObject({ id: ZId });
const OrgParams = z.strictObject({ orgId: ZId });
const tags = ['helpdesk'];

export const helpdeskRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- tickets ------------------------------------------------------------------------------------
  app.get(
    '/tickets',
    { schema: { tags, querystring: ZTicketListQuery, response: { 200: zPage(ZTicket) } } },
    async (req) => tickets.listTickets(ctxOf(req), req.query),
  );
  app.post(
    '/tickets',
    { schema: { tags, body: ZTicketCreate, response: { 201: ZTicket } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await tickets.createTicket(ctxOf(req), req.body))),
  );
  app.get(
    '/tickets/:id',
    { schema: { tags, params: IdParams, response: { 200: ZTicket } } },
    async (req, reply) => withEtag(reply, await tickets.getTicket(ctxOf(req), req.params.id)),
  );
  app.get('/tickets/:id/sla', { schema: { tags, params: IdParams, response: { 200: ZTicketSla } } }, (req) =>
    tickets.ticketSla(ctxOf(req), req.params.id),
  );
  app.patch(
    '/tickets/:id',
    { schema: { tags, params: IdParams, body: ZTicketUpdate, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(reply, await tickets.updateTicket(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/tickets/:id/status',
    { schema: { tags, params: IdParams, body: ZTicketStatusChange, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(reply, await tickets.changeStatus(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/tickets/:id/assign',
    { schema: { tags, params: IdParams, body: ZTicketAssign, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(reply, await tickets.assignTicket(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/tickets/:id/plan',
    { schema: { tags, params: IdParams, body: ZTicketPlan, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(reply, await tickets.planTicket(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/tickets/:id/escalate',
    { schema: { tags, params: IdParams, body: ZTicketEscalate, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(
        reply,
        await tickets.escalateTicket(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.post(
    '/tickets/:id/solve',
    { schema: { tags, params: IdParams, body: ZTicketSolve, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(
        reply,
        await tickets.solveTicket(
          ctxOf(req),
          req.params.id,
          expectedVersion(req),
          req.body.solution,
          req.body.note,
        ),
      ),
  );
  app.post(
    '/tickets/:id/reopen',
    { schema: { tags, params: IdParams, body: ZTicketReopen, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(
        reply,
        await tickets.reopenTicket(ctxOf(req), req.params.id, expectedVersion(req), req.body.reason),
      ),
  );
  app.post(
    '/tickets/:id/merge',
    { schema: { tags, params: IdParams, body: ZTicketMerge, response: { 200: ZTicket } } },
    async (req, reply) =>
      withEtag(
        reply,
        await tickets.mergeTicket(ctxOf(req), req.params.id, expectedVersion(req), req.body.intoId),
      ),
  );
  app.post(
    '/tickets/:id/rating',
    { schema: { tags, params: IdParams, body: ZTicketRate, response: { 200: ZTicket } } },
    async (req, reply) => withEtag(reply, await tickets.rateTicket(ctxOf(req), req.params.id, req.body)),
  );
  app.get(
    '/tickets/:id/events',
    { schema: { tags, params: IdParams, querystring: ZListQuery, response: { 200: zPage(ZTicketEvent) } } },
    async (req) => tickets.listEvents(ctxOf(req), req.params.id, req.query),
  );
  app.post(
    '/tickets/:id/followups',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZFollowupCreate,
        response: { 201: z.object({ ticket: ZTicket, reopened: z.boolean() }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await tickets.addFollowup(ctxOf(req), req.params.id, req.body)),
  );
  app.get(
    '/tickets/:id/kb-draft',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: ZTicketKbDraft },
        description:
          'A knowledge-base procedure pre-filled from the ticket, not saved (kb.manage): the body of POST /kb/articles.',
      },
    },
    async (req) => tickets.kbDraftOfTicket(ctxOf(req), req.params.id),
  );
  app.get(
    '/tickets/:id/related',
    {
      schema: {
        tags,
        params: IdParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: ZId,
                reference: z.string(),
                title: z.string(),
                status: z.string(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await tickets.relatedTickets(ctxOf(req), req.params.id) }),
  );
  app.get(
    '/assets/:id/tickets',
    { schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(ZTicket) }) } } },
    async (req) => ({ items: await tickets.ticketsOfAsset(ctxOf(req), req.params.id) }),
  );

  // --- tasks --------------------------------------------------------------------------------------
  app.get(
    '/tickets/:id/tasks',
    { schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(ZTicketTask) }) } } },
    async (req) => ({ items: await tasks.listTasks(ctxOf(req), req.params.id) }),
  );
  app.post(
    '/tickets/:id/tasks',
    { schema: { tags, params: IdParams, body: ZTaskCreate, response: { 201: ZTicketTask } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await tasks.createTask(ctxOf(req), req.params.id, req.body))),
  );
  app.patch(
    '/tasks/:id',
    { schema: { tags, params: IdParams, body: ZTaskUpdate, response: { 200: ZTicketTask } } },
    async (req, reply) =>
      withEtag(reply, await tasks.updateTask(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.delete('/tasks/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await tasks.deleteTask(ctxOf(req), req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });

  // --- configuration ------------------------------------------------------------------------------
  app.get(
    '/ticket-categories',
    { schema: { tags, response: { 200: z.object({ items: z.array(ZTicketCategory) }) } } },
    async (req) => ({ items: await settings.listCategories(ctxOf(req)) }),
  );
  app.post(
    '/ticket-categories',
    { schema: { tags, body: ZTicketCategoryCreate, response: { 201: ZTicketCategory } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await settings.createCategory(ctxOf(req), req.body))),
  );
  app.patch(
    '/ticket-categories/:id',
    { schema: { tags, params: IdParams, body: ZTicketCategoryUpdate, response: { 200: ZTicketCategory } } },
    async (req, reply) =>
      withEtag(
        reply,
        await settings.updateCategory(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.get(
    '/helpdesk/settings/:orgId',
    { schema: { tags, params: OrgParams, response: { 200: ZHelpdeskSettingsRead } } },
    async (req, reply) => withEtag(reply, await settings.getSettings(ctxOf(req), req.params.orgId)),
  );
  app.put(
    '/helpdesk/settings/:orgId',
    {
      schema: { tags, params: OrgParams, body: ZHelpdeskSettings, response: { 200: ZHelpdeskSettingsRead } },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await settings.updateSettings(ctxOf(req), req.params.orgId, expectedVersion(req), req.body),
      ),
  );
};
