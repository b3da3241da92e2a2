import type { z } from 'zod';
import { zPage } from '../../../shared/schemas/common.js';
import {
  ZDisposalBatch,
  type ZDisposalBatchClose,
  type ZDisposalBatchCreate,
  ZDisposalBatchDetail,
  type ZDisposalBatchListQuery,
  type ZDisposalItemPatch,
  type ZDisposalItemsAdd,
  ZDisposalReport,
  ZWipe,
  type ZWipeCreate,
  type ZWipeListQuery,
} from '../../../shared/schemas/disposal.js';
import { type ApiResult, buildUrl, request } from '../../api/client.js';

/** The web client of /api/v1/disposal, typed by the shared schemas. */

export type DisposalBatch = z.infer<typeof ZDisposalBatch>;
export type DisposalBatchDetail = z.infer<typeof ZDisposalBatchDetail>;
export type Wipe = z.infer<typeof ZWipe>;
export type DisposalReport = z.infer<typeof ZDisposalReport>;

type ListOf<S extends z.ZodType> = Partial<Omit<z.input<S>, 'limit'>> & { limit?: number; cursor?: string };
const id = (value: string) => encodeURIComponent(value);
type Detail = Promise<ApiResult<DisposalBatchDetail>>;

export async function listBatches(query: ListOf<typeof ZDisposalBatchListQuery>) {
  return (
    await request('GET', '/disposal/batches', {
      query: { limit: 50, ...query },
      schema: zPage(ZDisposalBatch),
    })
  ).data;
}
export const getBatch = (batchId: string): Detail =>
  request('GET', `/disposal/batches/${id(batchId)}`, { schema: ZDisposalBatchDetail });
export async function createBatch(input: z.input<typeof ZDisposalBatchCreate>) {
  return (await request('POST', '/disposal/batches', { body: input, schema: ZDisposalBatchDetail })).data;
}
export const addItems = (
  batchId: string,
  items: z.input<typeof ZDisposalItemsAdd>['items'],
  etag: string | null,
): Detail =>
  request('POST', `/disposal/batches/${id(batchId)}/items`, {
    body: { items },
    ifMatch: etag,
    schema: ZDisposalBatchDetail,
  });
export const updateItem = (
  batchId: string,
  assetId: string,
  patch: z.input<typeof ZDisposalItemPatch>,
  etag: string | null,
): Detail =>
  request('PATCH', `/disposal/batches/${id(batchId)}/items/${id(assetId)}`, {
    body: patch,
    ifMatch: etag,
    schema: ZDisposalBatchDetail,
  });
export const removeItem = (batchId: string, assetId: string, etag: string | null): Detail =>
  request('DELETE', `/disposal/batches/${id(batchId)}/items/${id(assetId)}`, {
    ifMatch: etag,
    schema: ZDisposalBatchDetail,
  });
export const closeBatch = (
  batchId: string,
  input: z.input<typeof ZDisposalBatchClose>,
  etag: string | null,
): Detail =>
  request('POST', `/disposal/batches/${id(batchId)}/close`, {
    body: input,
    ifMatch: etag,
    schema: ZDisposalBatchDetail,
  });
export const cancelBatch = (batchId: string, etag: string | null): Detail =>
  request('POST', `/disposal/batches/${id(batchId)}/cancel`, { ifMatch: etag, schema: ZDisposalBatchDetail });

export async function listWipes(query: ListOf<typeof ZWipeListQuery>) {
  return (await request('GET', '/disposal/wipes', { query: { limit: 50, ...query }, schema: zPage(ZWipe) }))
    .data;
}
export async function recordWipe(input: z.input<typeof ZWipeCreate>) {
  return (await request('POST', '/disposal/wipes', { body: input, schema: ZWipe })).data;
}

export async function getReport(query: { orgId: string; from: string; to: string }) {
  return (await request('GET', '/disposal/report', { query, schema: ZDisposalReport })).data;
}
export const reportCsvUrl = (query: { orgId: string; from: string; to: string; locale: string }) =>
  buildUrl('/disposal/report.csv', query);
