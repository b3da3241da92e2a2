import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAsset,
  ZAssetCreate,
  ZAssetListQuery,
  ZAssetStatus,
  ZAssetStatusChange,
  ZAssetUpdate,
  ZHistoryEntry,
  ZImpactItem,
  ZRelation,
  ZRelationCreate,
} from '../../../shared/schemas/assets.js';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { fileReply } from '../../http/download.js';
import { requestLocale } from '../../http/problem.js';
import * as assets from './assets.service.js';
import { bulkUpdateAssets } from './bulk.service.js';
import { exportAssetsCsv } from './export.service.js';
import { assetLabelsPdf } from './labels.service.js';
import * as relations from './relations.service.js';

const IdParams = z.strictObject({ id: ZId });

const ZExportQuery = ZAssetListQuery.omit({ limit: true, cursor: true }).extend({
  dialect: z.enum(['rfc4180', 'excel-fr']).default('excel-fr'),
});

const ZBulkUpdate = z.strictObject({
  ids: z.array(ZId).min(1).max(500),
  patch: ZAssetUpdate.pick({
    locationId: true,
    assignedUserId: true,
    supplierId: true,
    warrantyEnd: true,
    contractEnd: true,
    notes: true,
  }).extend({ status: ZAssetStatus.optional() }),
});

export const assetsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/assets/labels',
    {
      schema: {
        tags: ['assets'],
        body: z.strictObject({ ids: z.array(ZId).min(1).max(1000) }),
        description: 'A4 PDF sheet of labels (3 x 7, 63.5 x 38.1 mm) with a QR code opening each asset.',
      },
    },
    async (req, reply) => {
      const pdf = await assetLabelsPdf(ctxOf(req), req.body.ids, app.deps.config.baseUrl);
      return fileReply(reply, {
        type: 'application/pdf',
        filename: 'asset-labels.pdf',
        disposition: 'inline',
      }).send(pdf);
    },
  );
  app.post(
    '/assets/bulk',
    {
      schema: {
        tags: ['assets'],
        body: ZBulkUpdate,
        response: { 200: z.object({ updated: z.number().int(), unchanged: z.number().int() }) },
      },
    },
    (req) => bulkUpdateAssets(ctxOf(req), req.body.ids, req.body.patch),
  );
  app.get(
    '/assets/export',
    {
      schema: {
        tags: ['assets'],
        querystring: ZExportQuery,
        description:
          'The asset list with the same filters and order, as CSV (excel-fr: semicolons and a BOM).',
      },
    },
    async (req, reply) => {
      const { dialect, ...query } = req.query;
      const ctx = ctxOf(req);
      // Checks permissions and filters before the first byte leaves, so errors are still problem documents.
      await assets.listAssets(ctx, { ...query, limit: 1 });
      const stamp = new Date().toISOString().slice(0, 10);
      fileReply(reply, { type: 'text/csv; charset=utf-8', filename: `assets-${stamp}.csv` });
      return reply.send(Readable.from(exportAssetsCsv(ctx, query, { dialect, locale: requestLocale(req) })));
    },
  );
  app.get(
    '/assets',
    { schema: { tags: ['assets'], querystring: ZAssetListQuery, response: { 200: zPage(ZAsset) } } },
    (req) => assets.listAssets(ctxOf(req), req.query),
  );
  app.post(
    '/assets',
    { schema: { tags: ['assets'], body: ZAssetCreate, response: { 201: ZAsset } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await assets.createAsset(ctxOf(req), req.body))),
  );
  app.get(
    '/assets/:id',
    { schema: { tags: ['assets'], params: IdParams, response: { 200: ZAsset } } },
    async (req, reply) => withEtag(reply, await assets.getAsset(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/assets/:id',
    { schema: { tags: ['assets'], params: IdParams, body: ZAssetUpdate, response: { 200: ZAsset } } },
    async (req, reply) =>
      withEtag(reply, await assets.updateAsset(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.delete('/assets/:id', { schema: { tags: ['assets'], params: IdParams } }, async (req, reply) => {
    await assets.deleteAsset(ctxOf(req), req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });
  app.post(
    '/assets/:id/status',
    { schema: { tags: ['assets'], params: IdParams, body: ZAssetStatusChange, response: { 200: ZAsset } } },
    async (req, reply) =>
      withEtag(reply, await assets.changeStatus(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.get(
    '/assets/:id/history',
    {
      schema: {
        tags: ['assets'],
        params: IdParams,
        querystring: ZListQuery,
        response: { 200: zPage(ZHistoryEntry) },
      },
    },
    (req) => assets.assetHistory(ctxOf(req), req.params.id, req.query),
  );
  app.get(
    '/assets/:id/relations',
    {
      schema: {
        tags: ['assets'],
        params: IdParams,
        response: { 200: z.object({ items: z.array(ZRelation) }) },
      },
    },
    async (req) => ({ items: await relations.listRelations(ctxOf(req), req.params.id) }),
  );
  app.post(
    '/assets/:id/relations',
    { schema: { tags: ['assets'], params: IdParams, body: ZRelationCreate, response: { 201: ZRelation } } },
    async (req, reply) =>
      reply.status(201).send(await relations.addRelation(ctxOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/assets/:id/relations/:relationId',
    { schema: { tags: ['assets'], params: z.strictObject({ id: ZId, relationId: ZId }) } },
    async (req, reply) => {
      await relations.removeRelation(ctxOf(req), req.params.id, req.params.relationId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/assets/:id/impact',
    {
      schema: {
        tags: ['assets'],
        params: IdParams,
        response: { 200: z.object({ items: z.array(ZImpactItem) }) },
      },
    },
    async (req) => ({ items: await relations.impactOf(ctxOf(req), req.params.id) }),
  );
};
