import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId } from '../../../shared/schemas/common.js';
import {
  ZCalendarToken,
  ZPlanning,
  ZPlanningConflict,
  ZPlanningQuery,
  ZPlanningSettings,
  ZSchedule,
  ZUnavailability,
  ZUnavailabilityCreate,
  ZUnavailabilityQuery,
} from '../../../shared/schemas/planning.js';
import { ZWorkOrderDetail } from '../../../shared/schemas/workorders.js';
import { systemPrincipal } from '../../context.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { getLocation } from '../assets/index.js';
import * as planning from './planning.service.js';

const IdParams = z.strictObject({ id: ZId });
const OrgParams = z.strictObject({ orgId: ZId });
const tags = ['planning'];

export const planningRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/planning',
    {
      schema: {
        tags,
        querystring: ZPlanningQuery,
        response: { 200: ZPlanning },
        description:
          "The organisation's technicians (technicianIds, else all technicians and supervisors) with " +
          'their work orders over [from, to) (62 days at most), the unavailable slots, the conflicts ' +
          'and the work orders not scheduled yet.',
      },
    },
    (req) => planning.getPlanning(ctxOf(req), req.query),
  );
  app.post(
    '/work-orders/:id/schedule',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZSchedule,
        response: { 200: ZWorkOrderDetail.extend({ conflicts: z.array(ZPlanningConflict) }) },
        description:
          'Schedules a draft or planned work order (If-Match). A double booking of the technician or ' +
          "an overlap with someone's unavailable slot is 409 planning.conflict listing `conflicts`, " +
          'unless override (then recorded in the audit). A draft becomes planned.',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await planning.scheduleWorkOrder(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.get(
    '/planning/settings/:orgId',
    { schema: { tags, params: OrgParams, response: { 200: ZPlanningSettings } } },
    (req) => planning.getPlanningSettings(ctxOf(req), req.params.orgId),
  );
  app.put(
    '/planning/settings/:orgId',
    {
      schema: {
        tags,
        params: OrgParams,
        body: ZPlanningSettings,
        response: { 200: ZPlanningSettings },
        description: 'How many hours before a work order its affected users are told (default 48).',
      },
    },
    (req) => planning.setPlanningSettings(ctxOf(req), req.params.orgId, req.body),
  );
  app.get(
    '/planning/unavailability',
    {
      schema: {
        tags,
        querystring: ZUnavailabilityQuery,
        response: { 200: z.object({ items: z.array(ZUnavailability) }) },
        description: "Staff see everyone's slots in the organisation; others their own.",
      },
    },
    (req) => planning.listUnavailability(ctxOf(req), req.query),
  );
  app.post(
    '/planning/unavailability',
    {
      schema: {
        tags,
        body: ZUnavailabilityCreate,
        response: { 201: ZUnavailability },
        description:
          'One declares their own slots; technicians and supervisors anyone’s of the organisation.',
      },
    },
    async (req, reply) => reply.status(201).send(await planning.createUnavailability(ctxOf(req), req.body)),
  );
  app.delete('/planning/unavailability/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await planning.deleteUnavailability(ctxOf(req), req.params.id);
    return reply.status(204).send();
  });
  app.post(
    '/me/calendar-token',
    {
      schema: {
        tags,
        response: { 201: ZCalendarToken },
        description: 'A new personal iCalendar feed URL, shown once; the previous one stops working.',
      },
    },
    async (req, reply) =>
      reply.status(201).send(await planning.createCalendarToken(ctxOf(req), req.server.deps.config.baseUrl)),
  );
  app.delete('/me/calendar-token', { schema: { tags } }, async (req, reply) => {
    await planning.revokeCalendarToken(ctxOf(req));
    return reply.status(204).send();
  });
  app.get(
    '/planning/ical/:token.ics',
    {
      config: { public: true },
      schema: {
        tags,
        params: z.strictObject({ token: z.string().min(20).max(100) }),
        description: "A technician's work orders as iCalendar (RFC 5545), by their personal feed token.",
      },
    },
    async (req, reply) => {
      const ctx = { ...ctxOf(req), actor: systemPrincipal('calendar') };
      const body = await planning.calendarFeed(ctx, req.params.token, (c, id) =>
        getLocation(c, id).then(
          (l) => l.name,
          () => '',
        ),
      );
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
};
