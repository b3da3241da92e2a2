import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  ZDisposalBatch,
  ZDisposalBatchClose,
  ZDisposalBatchCreate,
  ZDisposalBatchDetail,
  ZDisposalBatchListQuery,
  ZDisposalBatchPatch,
  ZDisposalItemPatch,
  ZDisposalItemsAdd,
  ZDisposalReport,
  ZDisposalReportQuery,
  ZWipe,
  ZWipeCreate,
  ZWipeListQuery,
} from '../../../shared/schemas/disposal.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { fileReply } from '../../http/download.js';
import { requestLocale } from '../../http/problem.js';
import * as batches from './disposal.service.js';
import { disposalReport, disposalReportCsv } from './report.service.js';

const IdParams = z.strictObject({ id: ZId });
const ItemParams = z.strictObject({ id: ZId, assetId: ZId });
const tags = ['disposal'];

export const disposalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/disposal/batches',
    { schema: { tags, querystring: ZDisposalBatchListQuery, response: { 200: zPage(ZDisposalBatch) } } },
    (req) => batches.listBatches(ctxOf(req), req.query),
  );
  app.post(
    '/disposal/batches',
    { schema: { tags, body: ZDisposalBatchCreate, response: { 201: ZDisposalBatchDetail } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await batches.createBatch(ctxOf(req), req.body))),
  );
  app.get(
    '/disposal/batches/:id',
    { schema: { tags, params: IdParams, response: { 200: ZDisposalBatchDetail } } },
    async (req, reply) => withEtag(reply, await batches.getBatch(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/disposal/batches/:id',
    {
      schema: { tags, params: IdParams, body: ZDisposalBatchPatch, response: { 200: ZDisposalBatchDetail } },
    },
    async (req, reply) =>
      withEtag(reply, await batches.updateBatch(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/disposal/batches/:id/items',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZDisposalItemsAdd,
        response: { 200: ZDisposalBatchDetail },
        description: 'Adds assets to an open batch; they become awaiting_disposal.',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await batches.addItems(ctxOf(req), req.params.id, expectedVersion(req), req.body.items),
      ),
  );
  app.patch(
    '/disposal/batches/:id/items/:assetId',
    {
      schema: { tags, params: ItemParams, body: ZDisposalItemPatch, response: { 200: ZDisposalBatchDetail } },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await batches.updateItem(
          ctxOf(req),
          req.params.id,
          expectedVersion(req),
          req.params.assetId,
          req.body,
        ),
      ),
  );
  app.delete(
    '/disposal/batches/:id/items/:assetId',
    {
      schema: {
        tags,
        params: ItemParams,
        response: { 200: ZDisposalBatchDetail },
        description: 'Takes an asset out of an open batch; it goes back in stock.',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await batches.removeItem(ctxOf(req), req.params.id, expectedVersion(req), req.params.assetId),
      ),
  );
  app.post(
    '/disposal/batches/:id/close',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZDisposalBatchClose,
        response: { 200: ZDisposalBatchDetail },
        description:
          'The batch is handed over: every data-bearing item needs a successful wipe (422 naming the others); its assets become disposed.',
      },
    },
    async (req, reply) =>
      withEtag(reply, await batches.closeBatch(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/disposal/batches/:id/cancel',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: ZDisposalBatchDetail },
        description: 'Cancels an open batch; its assets go back in stock.',
      },
    },
    async (req, reply) =>
      withEtag(reply, await batches.cancelBatch(ctxOf(req), req.params.id, expectedVersion(req))),
  );

  app.get(
    '/disposal/wipes',
    { schema: { tags, querystring: ZWipeListQuery, response: { 200: zPage(ZWipe) } } },
    (req) => batches.listWipes(ctxOf(req), req.query),
  );
  app.post(
    '/disposal/wipes',
    {
      schema: {
        tags,
        body: ZWipeCreate,
        response: { 201: ZWipe },
        description:
          'Records a data wipe (GDPR evidence); records are never changed, a second pass is a new one.',
      },
    },
    async (req, reply) => reply.status(201).send(await batches.recordWipe(ctxOf(req), req.body)),
  );

  app.get(
    '/disposal/report',
    { schema: { tags, querystring: ZDisposalReportQuery, response: { 200: ZDisposalReport } } },
    (req) => disposalReport(ctxOf(req), req.query),
  );
  app.get(
    '/disposal/report.csv',
    {
      schema: {
        tags,
        querystring: ZDisposalReportQuery.extend({
          dialect: z.enum(['rfc4180', 'excel-fr']).default('excel-fr'),
          locale: z.enum(['fr', 'en']).optional(),
        }),
      },
    },
    async (req, reply) => {
      const { dialect, locale, ...q } = req.query;
      const ctx = ctxOf(req);
      const lang = locale ?? req.actor?.locale ?? requestLocale(req);
      const report = await disposalReport(ctx, q);
      const body = await disposalReportCsv(ctx, report, dialect, lang);
      const name = lang === 'fr' ? 'rapport-environnemental' : 'environmental-report';
      return fileReply(reply, {
        type: 'text/csv; charset=utf-8',
        filename: `${name}-${q.from}-${q.to}.csv`,
      }).send(body);
    },
  );
};
