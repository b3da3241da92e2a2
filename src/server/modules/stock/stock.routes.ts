import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  ZStockArticle,
  ZStockArticleCreate,
  ZStockArticleListQuery,
  ZStockArticleUpdate,
  ZStockLevel,
  ZStockLevelListQuery,
  ZStockLevelMinimum,
  ZStockLocation,
  ZStockLocationCreate,
  ZStockLocationListQuery,
  ZStockLocationUpdate,
  ZStockMatrix,
  ZStockMatrixQuery,
  ZStockMovement,
  ZStockMovementCreate,
  ZStockMovementListQuery,
  ZStockReservation,
  ZStockReservationCreate,
  ZStockReservationListQuery,
  ZStockTake,
  ZStockTakeCounts,
  ZStockTakeCreate,
  ZStockTakeDetail,
  ZStockTakeListQuery,
} from '../../../shared/schemas/stock.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as articles from './articles.service.js';
import * as levels from './levels.service.js';
import * as locations from './locations.service.js';
import * as movements from './movements.service.js';
import * as reservations from './reservations.service.js';
import * as takes from './takes.service.js';

const IdParams = z.strictObject({ id: ZId });
const LevelParams = z.strictObject({ articleId: ZId, stockLocationId: ZId });
const ZReasonBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).nullish();
const tags = ['stock'];

export const stockRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- stock locations ---
  app.get(
    '/stock/locations',
    { schema: { tags, querystring: ZStockLocationListQuery, response: { 200: zPage(ZStockLocation) } } },
    (req) => locations.listStockLocations(ctxOf(req), req.query),
  );
  app.post(
    '/stock/locations',
    { schema: { tags, body: ZStockLocationCreate, response: { 201: ZStockLocation } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await locations.createStockLocation(ctxOf(req), req.body))),
  );
  app.get(
    '/stock/locations/:id',
    { schema: { tags, params: IdParams, response: { 200: ZStockLocation } } },
    async (req, reply) => withEtag(reply, await locations.getStockLocation(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/stock/locations/:id',
    { schema: { tags, params: IdParams, body: ZStockLocationUpdate, response: { 200: ZStockLocation } } },
    async (req, reply) =>
      withEtag(
        reply,
        await locations.updateStockLocation(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.delete(
    '/stock/locations/:id',
    { schema: { tags, params: IdParams, description: 'Only an empty stock location (If-Match).' } },
    async (req, reply) => {
      await locations.deleteStockLocation(ctxOf(req), req.params.id, expectedVersion(req));
      return reply.status(204).send();
    },
  );

  // --- articles ---
  app.get(
    '/stock/articles',
    { schema: { tags, querystring: ZStockArticleListQuery, response: { 200: zPage(ZStockArticle) } } },
    (req) => articles.listArticles(ctxOf(req), req.query),
  );
  app.post(
    '/stock/articles',
    { schema: { tags, body: ZStockArticleCreate, response: { 201: ZStockArticle } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await articles.createArticle(ctxOf(req), req.body))),
  );
  app.get(
    '/stock/articles/:id',
    { schema: { tags, params: IdParams, response: { 200: ZStockArticle } } },
    async (req, reply) => withEtag(reply, await articles.getArticle(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/stock/articles/:id',
    { schema: { tags, params: IdParams, body: ZStockArticleUpdate, response: { 200: ZStockArticle } } },
    async (req, reply) =>
      withEtag(
        reply,
        await articles.updateArticle(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.delete(
    '/stock/articles/:id',
    {
      schema: {
        tags,
        params: IdParams,
        description: 'Only an article neither on hand nor on order (If-Match).',
      },
    },
    async (req, reply) => {
      await articles.deleteArticle(ctxOf(req), req.params.id, expectedVersion(req));
      return reply.status(204).send();
    },
  );

  // --- levels ---
  app.get(
    '/stock/levels',
    {
      schema: {
        tags,
        querystring: ZStockLevelListQuery,
        response: { 200: zPage(ZStockLevel) },
        description: 'Quantity on hand, reserved and available per article and stock location.',
      },
    },
    (req) => levels.listLevels(ctxOf(req), req.query),
  );
  app.get(
    '/stock/levels/matrix',
    {
      schema: {
        tags,
        querystring: ZStockMatrixQuery,
        response: { 200: ZStockMatrix },
        description: 'Every level of an organisation in one compact answer (capped).',
      },
    },
    (req) => levels.levelMatrix(ctxOf(req), req.query.orgId),
  );
  app.get(
    '/stock/levels/:articleId/:stockLocationId',
    { schema: { tags, params: LevelParams, response: { 200: ZStockLevel } } },
    async (req, reply) =>
      withEtag(reply, await levels.getLevel(ctxOf(req), req.params.articleId, req.params.stockLocationId)),
  );
  app.put(
    '/stock/levels/:articleId/:stockLocationId/minimum',
    {
      schema: {
        tags,
        params: LevelParams,
        body: ZStockLevelMinimum,
        response: { 200: ZStockLevel },
        description: 'The reorder point (If-Match; "v0" for a level never stocked).',
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await levels.setMinimum(
          ctxOf(req),
          req.params.articleId,
          req.params.stockLocationId,
          expectedVersion(req),
          req.body.minQuantity,
        ),
      ),
  );

  // --- movements ---
  app.get(
    '/stock/movements',
    { schema: { tags, querystring: ZStockMovementListQuery, response: { 200: zPage(ZStockMovement) } } },
    (req) => movements.listMovements(ctxOf(req), req.query),
  );
  app.post(
    '/stock/movements',
    {
      schema: {
        tags,
        body: ZStockMovementCreate,
        response: { 201: ZStockMovement },
        description: 'In, out, transfer or adjustment. Not enough available: 409 with the figures.',
      },
    },
    async (req, reply) => reply.status(201).send(await movements.createMovement(ctxOf(req), req.body)),
  );

  // --- reservations ---
  app.get(
    '/stock/reservations',
    {
      schema: { tags, querystring: ZStockReservationListQuery, response: { 200: zPage(ZStockReservation) } },
    },
    (req) => reservations.listReservations(ctxOf(req), req.query),
  );
  app.post(
    '/stock/reservations',
    {
      schema: {
        tags,
        body: ZStockReservationCreate,
        response: { 201: ZStockReservation },
        description: 'Not enough available: 409 with the quantity available and the lead time.',
      },
    },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await reservations.reserveStock(ctxOf(req), req.body))),
  );
  app.get(
    '/stock/reservations/:id',
    { schema: { tags, params: IdParams, response: { 200: ZStockReservation } } },
    async (req, reply) => withEtag(reply, await reservations.getReservation(ctxOf(req), req.params.id)),
  );
  for (const outcome of ['release', 'consume'] as const) {
    app.post(
      `/stock/reservations/:id/${outcome}`,
      { schema: { tags, params: IdParams, body: ZReasonBody, response: { 200: ZStockReservation } } },
      async (req, reply) =>
        withEtag(
          reply,
          await reservations.closeReservation(ctxOf(req), req.params.id, outcome, {
            expectedVersion: expectedVersion(req),
            reason: req.body?.reason,
          }),
        ),
    );
  }

  // --- stock-takings ---
  app.get(
    '/stock/takes',
    { schema: { tags, querystring: ZStockTakeListQuery, response: { 200: zPage(ZStockTake) } } },
    (req) => takes.listTakes(ctxOf(req), req.query),
  );
  app.post(
    '/stock/takes',
    { schema: { tags, body: ZStockTakeCreate, response: { 201: ZStockTakeDetail } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await takes.createTake(ctxOf(req), req.body))),
  );
  app.get(
    '/stock/takes/:id',
    { schema: { tags, params: IdParams, response: { 200: ZStockTakeDetail } } },
    async (req, reply) => withEtag(reply, await takes.getTake(ctxOf(req), req.params.id)),
  );
  app.put(
    '/stock/takes/:id/counts',
    { schema: { tags, params: IdParams, body: ZStockTakeCounts, response: { 200: ZStockTakeDetail } } },
    async (req, reply) =>
      withEtag(
        reply,
        await takes.setCounts(ctxOf(req), req.params.id, expectedVersion(req), req.body.counts),
      ),
  );
  app.post(
    '/stock/takes/:id/book',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: ZStockTakeDetail },
        description: 'Books each discrepancy as an adjustment (If-Match).',
      },
    },
    async (req, reply) =>
      withEtag(reply, await takes.bookTake(ctxOf(req), req.params.id, expectedVersion(req))),
  );
  app.post(
    '/stock/takes/:id/cancel',
    { schema: { tags, params: IdParams, response: { 200: ZStockTakeDetail } } },
    async (req, reply) =>
      withEtag(reply, await takes.cancelTake(ctxOf(req), req.params.id, expectedVersion(req))),
  );
};
