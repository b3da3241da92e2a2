import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAsset,
  ZAssetCreate,
  ZAssetListQuery,
  ZAssetStatusChange,
  ZAssetUpdate,
  ZHistoryEntry,
  ZRelation,
  ZRelationCreate,
} from '../../../shared/schemas/assets.js';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as assets from './assets.service.js';
import * as relations from './relations.service.js';

const IdParams = z.strictObject({ id: ZId });
const ZImpactItem = z.object({
  id: ZId,
  name: z.string(),
  status: z.string(),
  typeId: ZId,
  depth: z.number().int(),
  via: z.string(),
});

export const assetsRoutes: FastifyPluginAsyncZod = async (app) => {
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
