import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  ZPurchaseOrder,
  ZPurchaseOrderCreate,
  ZPurchaseOrderListQuery,
  ZPurchaseOrderReceived,
  ZPurchaseOrderReception,
  ZPurchaseOrderSummary,
  ZPurchaseOrderUpdate,
} from '../../../shared/schemas/stock.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as orders from './orders.service.js';
import { receiveOrder } from './reception.service.js';

const IdParams = z.strictObject({ id: ZId });
const tags = ['purchase orders'];

export const purchaseOrdersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/purchase-orders',
    {
      schema: { tags, querystring: ZPurchaseOrderListQuery, response: { 200: zPage(ZPurchaseOrderSummary) } },
    },
    (req) => orders.listOrders(ctxOf(req), req.query),
  );
  app.post(
    '/purchase-orders',
    {
      schema: {
        tags,
        body: ZPurchaseOrderCreate,
        response: { 201: ZPurchaseOrder },
        description: 'Without expectedDate: the order day plus the longest lead time of its articles.',
      },
    },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await orders.createOrder(ctxOf(req), req.body))),
  );
  app.get(
    '/purchase-orders/:id',
    { schema: { tags, params: IdParams, response: { 200: ZPurchaseOrder } } },
    async (req, reply) => withEtag(reply, await orders.getOrder(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/purchase-orders/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZPurchaseOrderUpdate,
        response: { 200: ZPurchaseOrder },
        description: 'Supplier, store and lines only while nothing is received (If-Match).',
      },
    },
    async (req, reply) =>
      withEtag(reply, await orders.updateOrder(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.post(
    '/purchase-orders/:id/cancel',
    { schema: { tags, params: IdParams, response: { 200: ZPurchaseOrder } } },
    async (req, reply) =>
      withEtag(reply, await orders.cancelOrder(ctxOf(req), req.params.id, expectedVersion(req))),
  );
  app.post(
    '/purchase-orders/:id/receptions',
    {
      schema: {
        tags,
        params: IdParams,
        body: ZPurchaseOrderReception,
        response: { 200: ZPurchaseOrderReceived },
        description:
          'Receives quantities (serial numbers for serialised lines: one CMDB asset each). More than ordered: ' +
          '409 with the figures unless confirmOverReceipt.',
      },
    },
    async (req) => receiveOrder(ctxOf(req), req.params.id, req.body),
  );
};
