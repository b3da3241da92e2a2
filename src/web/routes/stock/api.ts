import type { z } from 'zod';
import { zPage } from '../../../shared/schemas/common.js';
import {
  ZPurchaseOrder,
  type ZPurchaseOrderCreate,
  type ZPurchaseOrderListQuery,
  ZPurchaseOrderReceived,
  type ZPurchaseOrderReception,
  ZPurchaseOrderSummary,
  ZStockArticle,
  type ZStockArticleCreate,
  type ZStockArticleUpdate,
  ZStockLevel,
  type ZStockLevelListQuery,
  ZStockLocation,
  type ZStockLocationCreate,
  type ZStockLocationUpdate,
  ZStockMovement,
  type ZStockMovementCreate,
  type ZStockMovementListQuery,
  ZStockTake,
  ZStockTakeDetail,
  type ZStockTakeListQuery,
} from '../../../shared/schemas/stock.js';
import { type ApiResult, request } from '../../api/client.js';

/** The web client of /api/v1/stock and /api/v1/purchase-orders, typed by the shared schemas. */

export type StockLocation = z.infer<typeof ZStockLocation>;
export type StockArticle = z.infer<typeof ZStockArticle>;
export type StockLevel = z.infer<typeof ZStockLevel>;
export type StockMovement = z.infer<typeof ZStockMovement>;
export type PurchaseOrder = z.infer<typeof ZPurchaseOrder>;
export type PurchaseOrderSummary = z.infer<typeof ZPurchaseOrderSummary>;
export type StockTake = z.infer<typeof ZStockTake>;
export type StockTakeDetail = z.infer<typeof ZStockTakeDetail>;
export type MovementInput = z.input<typeof ZStockMovementCreate>;
export type ReceptionInput = z.input<typeof ZPurchaseOrderReception>;

type ListOf<S extends z.ZodType> = Partial<Omit<z.input<S>, 'limit'>> & { limit?: number; cursor?: string };
const id = (value: string) => encodeURIComponent(value);

// --- stock locations ---
export async function listStockLocations(query: {
  q?: string;
  orgId?: string;
  limit?: number;
  cursor?: string;
}) {
  return (
    await request('GET', '/stock/locations', {
      query: { limit: 50, ...query },
      schema: zPage(ZStockLocation),
    })
  ).data;
}
export const getStockLocation = (locationId: string): Promise<ApiResult<StockLocation>> =>
  request('GET', `/stock/locations/${id(locationId)}`, { schema: ZStockLocation });
export async function createStockLocation(input: z.input<typeof ZStockLocationCreate>) {
  return (await request('POST', '/stock/locations', { body: input, schema: ZStockLocation })).data;
}
export const updateStockLocation = (
  locationId: string,
  input: z.input<typeof ZStockLocationUpdate>,
  etag: string | null,
) =>
  request('PATCH', `/stock/locations/${id(locationId)}`, {
    body: input,
    ifMatch: etag,
    schema: ZStockLocation,
  });
export async function deleteStockLocation(locationId: string, etag: string | null) {
  await request('DELETE', `/stock/locations/${id(locationId)}`, { ifMatch: etag });
}

// --- articles ---
export async function listArticles(query: { q?: string; orgId?: string; limit?: number; cursor?: string }) {
  return (
    await request('GET', '/stock/articles', { query: { limit: 50, ...query }, schema: zPage(ZStockArticle) })
  ).data;
}
export const getArticle = (articleId: string): Promise<ApiResult<StockArticle>> =>
  request('GET', `/stock/articles/${id(articleId)}`, { schema: ZStockArticle });
export async function createArticle(input: z.input<typeof ZStockArticleCreate>) {
  return (await request('POST', '/stock/articles', { body: input, schema: ZStockArticle })).data;
}
export const updateArticle = (
  articleId: string,
  input: z.input<typeof ZStockArticleUpdate>,
  etag: string | null,
) =>
  request('PATCH', `/stock/articles/${id(articleId)}`, { body: input, ifMatch: etag, schema: ZStockArticle });

// --- levels and movements ---
export async function listLevels(query: ListOf<typeof ZStockLevelListQuery>) {
  return (
    await request('GET', '/stock/levels', { query: { limit: 50, ...query }, schema: zPage(ZStockLevel) })
  ).data;
}
export const getLevel = (articleId: string, stockLocationId: string): Promise<ApiResult<StockLevel>> =>
  request('GET', `/stock/levels/${id(articleId)}/${id(stockLocationId)}`, { schema: ZStockLevel });
export const setMinimum = (
  articleId: string,
  stockLocationId: string,
  minQuantity: number,
  etag: string | null,
) =>
  request('PUT', `/stock/levels/${id(articleId)}/${id(stockLocationId)}/minimum`, {
    body: { minQuantity },
    ifMatch: etag,
    schema: ZStockLevel,
  });
export async function listMovements(query: ListOf<typeof ZStockMovementListQuery>) {
  return (
    await request('GET', '/stock/movements', {
      query: { limit: 50, ...query },
      schema: zPage(ZStockMovement),
    })
  ).data;
}
export async function createMovement(input: MovementInput) {
  return (await request('POST', '/stock/movements', { body: input, schema: ZStockMovement })).data;
}

// --- purchase orders ---
export async function listOrders(query: ListOf<typeof ZPurchaseOrderListQuery>) {
  return (
    await request('GET', '/purchase-orders', {
      query: { limit: 50, ...query },
      schema: zPage(ZPurchaseOrderSummary),
    })
  ).data;
}
export const getOrder = (orderId: string): Promise<ApiResult<PurchaseOrder>> =>
  request('GET', `/purchase-orders/${id(orderId)}`, { schema: ZPurchaseOrder });
export async function createOrder(input: z.input<typeof ZPurchaseOrderCreate>) {
  return (await request('POST', '/purchase-orders', { body: input, schema: ZPurchaseOrder })).data;
}
export const cancelOrder = (orderId: string, etag: string | null) =>
  request('POST', `/purchase-orders/${id(orderId)}/cancel`, { ifMatch: etag, schema: ZPurchaseOrder });
export async function receiveOrder(orderId: string, input: ReceptionInput) {
  return (
    await request('POST', `/purchase-orders/${id(orderId)}/receptions`, {
      body: input,
      schema: ZPurchaseOrderReceived,
    })
  ).data;
}

// --- stock-takings ---
export async function listTakes(query: ListOf<typeof ZStockTakeListQuery>) {
  return (await request('GET', '/stock/takes', { query: { limit: 50, ...query }, schema: zPage(ZStockTake) }))
    .data;
}
export const getTake = (takeId: string): Promise<ApiResult<StockTakeDetail>> =>
  request('GET', `/stock/takes/${id(takeId)}`, { schema: ZStockTakeDetail });
export async function createTake(input: { stockLocationId: string; notes?: string }) {
  return (await request('POST', '/stock/takes', { body: input, schema: ZStockTakeDetail })).data;
}
export const setCounts = (
  takeId: string,
  counts: Array<{ articleId: string; counted: number | null }>,
  etag: string | null,
) =>
  request('PUT', `/stock/takes/${id(takeId)}/counts`, {
    body: { counts },
    ifMatch: etag,
    schema: ZStockTakeDetail,
  });
export const bookTake = (takeId: string, etag: string | null) =>
  request('POST', `/stock/takes/${id(takeId)}/book`, { ifMatch: etag, schema: ZStockTakeDetail });
export const cancelTake = (takeId: string, etag: string | null) =>
  request('POST', `/stock/takes/${id(takeId)}/cancel`, { ifMatch: etag, schema: ZStockTakeDetail });
