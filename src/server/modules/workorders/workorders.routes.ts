import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import {
  ZCheckItem,
  ZCheckTick,
  ZTestResultReport,
  ZTestRun,
  ZTestsRun,
  ZValidationTest,
  ZValidationTestCreate,
  ZWorkOrder,
  ZWorkOrderComplete,
  ZWorkOrderCreate,
  ZWorkOrderDetail,
  ZWorkOrderFail,
  ZWorkOrderListQuery,
  ZWorkOrderMissing,
  ZWorkOrderTransition,
  ZWorkOrderUpdate,
} from '../../../shared/schemas/workorders.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { requestLocale } from '../../http/problem.js';
import * as checks from './checks.service.js';
import * as completion from './completion.service.js';
import { workOrderReport } from './report.js';
import * as workOrders from './workorders.service.js';

const IdParams = z.strictObject({ id: ZId });
const CheckParams = z.strictObject({ id: ZId, checkId: ZId });
const TestParams = z.strictObject({ id: ZId, testId: ZId });
const tags = ['work orders'];

export const workOrdersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/work-orders',
    { schema: { tags, querystring: ZWorkOrderListQuery, response: { 200: zPage(ZWorkOrder) } } },
    (req) => workOrders.listWorkOrders(ctxOf(req), req.query),
  );
  app.post(
    '/work-orders',
    {
      schema: {
        tags,
        body: ZWorkOrderCreate,
        response: { 201: ZWorkOrderDetail },
        description:
          'Creates a draft and reserves its articles from stockLocationId: more than available is 409 ' +
          'stock.insufficient with the quantity available and the lead time (nothing is created).',
      },
    },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await workOrders.createWorkOrder(ctxOf(req), req.body))),
  );
  app.get(
    '/work-orders/:id',
    { schema: { tags, params: IdParams, response: { 200: ZWorkOrderDetail } } },
    async (req, reply) => withEtag(reply, await workOrders.getWorkOrder(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/work-orders/:id',
    { schema: { tags, params: IdParams, body: ZWorkOrderUpdate, response: { 200: ZWorkOrderDetail } } },
    async (req, reply) =>
      withEtag(
        reply,
        await workOrders.updateWorkOrder(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.post(
    '/work-orders/:id/transition',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZWorkOrderTransition,
        response: { 200: ZWorkOrderDetail },
        description:
          'draft ⇄ planned → in_progress; cancelled from any open status releases the stock (If-Match).',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await workOrders.transitionWorkOrder(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.post(
    '/work-orders/:id/checklist/:checkId',
    { schema: { tags, params: CheckParams, body: ZCheckTick, response: { 200: ZCheckItem } } },
    (req) => checks.tickCheck(ctxOf(req), req.params.id, req.params.checkId, req.body.done),
  );
  app.post(
    '/work-orders/:id/tests',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZValidationTestCreate,
        response: { 201: ZValidationTest },
        description: 'Adds a validation test (and its mandatory checklist item) to an open work order.',
      },
    },
    async (req, reply) => reply.status(201).send(await checks.addTest(ctxOf(req), req.params.id, req.body)),
  );
  app.post(
    '/work-orders/:id/tests/run',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZTestsRun,
        response: { 200: z.object({ items: z.array(ZValidationTest) }) },
        description: 'Runs the tests (all, or testIds) from the server, concurrently, each with a timeout.',
      },
    },
    (req) => checks.runTests(ctxOf(req), req.params.id, req.body?.testIds),
  );
  app.post(
    '/work-orders/:id/tests/:testId/result',
    {
      schema: {
        tags,
        params: TestParams,
        body: ZTestResultReport,
        response: { 201: ZTestRun },
        description: 'A result reported by an agent or a script (Authorization: Bearer API token).',
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await checks.reportTestResult(ctxOf(req), req.params.id, req.params.testId, req.body)),
  );
  app.get(
    '/work-orders/:id/tests/:testId/runs',
    { schema: { tags, params: TestParams, querystring: ZListQuery, response: { 200: zPage(ZTestRun) } } },
    (req) => checks.listTestRuns(ctxOf(req), req.params.id, req.params.testId, req.query),
  );
  app.post(
    '/work-orders/:id/complete',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZWorkOrderComplete,
        response: { 200: ZWorkOrderDetail },
        description:
          'Unchecked mandatory checklist items: 422 listing them. Consumes the reservations, deploys and ' +
          'assigns the units (If-Match).',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await completion.completeWorkOrder(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.post(
    '/work-orders/:id/fail',
    { schema: { tags, params: IdParams, body: ZWorkOrderFail, response: { 200: ZWorkOrderDetail } } },
    async (req, reply) =>
      withEtag(
        reply,
        await completion.failWorkOrder(ctxOf(req), req.params.id, expectedVersion(req), req.body.reason),
      ),
  );
  app.post(
    '/work-orders/:id/missing',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZWorkOrderMissing,
        response: { 200: ZWorkOrderDetail },
        description:
          'Items missing or a box incomplete: the supervisors are alerted and the users told the new date by mail.',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await completion.reportMissing(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.get(
    '/work-orders/:id/report.pdf',
    {
      schema: {
        tags,
        params: IdParams,
        description: "A completed work order's intervention report (PDF) in the caller's language.",
      },
    },
    async (req, reply) => {
      const lang = req.actor?.locale ?? requestLocale(req);
      const { filename, content } = await workOrderReport(ctxOf(req), req.params.id, lang);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(content);
    },
  );
};
