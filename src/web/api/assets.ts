import { z } from 'zod';
import {
  type AssetStatus,
  type TImpactItem,
  type TImportPreview,
  type TImportResult,
  ZAsset,
  type ZAssetCreate,
  type ZAssetListQuery,
  ZAssetType,
  type ZAssetTypeCreate,
  type ZAssetTypeUpdate,
  type ZAssetUpdate,
  ZHistoryEntry,
  ZImpactItem,
  ZImportPreview,
  ZImportResult,
  ZLocation,
  ZLocationContents,
  type ZLocationCreate,
  type ZLocationUpdate,
  ZModel,
  type ZModelCreate,
  type ZModelUpdate,
  ZParty,
  type ZPartyCreate,
  type ZPartyUpdate,
  ZRackContents,
  ZRelation,
  type ZRelationCreate,
} from '../../shared/schemas/assets.js';
import { zPage } from '../../shared/schemas/common.js';
import { type ApiResult, request, requestRaw, toApiError } from './client.js';

export type Asset = z.infer<typeof ZAsset>;
export type AssetCreate = z.input<typeof ZAssetCreate>;
export type AssetUpdate = z.input<typeof ZAssetUpdate>;
export type AssetListQuery = Partial<Omit<z.input<typeof ZAssetListQuery>, 'limit'>> & { limit?: number };
export type AssetType = z.infer<typeof ZAssetType>;
export type AssetTypeCreate = z.input<typeof ZAssetTypeCreate>;
export type AssetTypeUpdate = z.input<typeof ZAssetTypeUpdate>;
export type HistoryEntry = z.infer<typeof ZHistoryEntry>;
export type Relation = z.infer<typeof ZRelation>;
export type RelationCreate = z.input<typeof ZRelationCreate>;
export type Location = z.infer<typeof ZLocation>;
export type LocationCreate = z.input<typeof ZLocationCreate>;
export type LocationUpdate = z.input<typeof ZLocationUpdate>;
export type Party = z.infer<typeof ZParty>;
export type PartyCreate = z.input<typeof ZPartyCreate>;
export type PartyUpdate = z.input<typeof ZPartyUpdate>;
export type Model = z.infer<typeof ZModel>;
export type ModelCreate = z.input<typeof ZModelCreate>;
export type ModelUpdate = z.input<typeof ZModelUpdate>;

export type ImpactItem = TImpactItem;

const ZAssetPage = zPage(ZAsset);
const ZHistoryPage = zPage(ZHistoryEntry);
const ZLocationPage = zPage(ZLocation);
const ZPartyPage = zPage(ZParty);
const ZModelPage = zPage(ZModel);
const ZTypes = z.object({ items: z.array(ZAssetType) });
const ZRelations = z.object({ items: z.array(ZRelation) });
const ZImpact = z.object({ items: z.array(ZImpactItem) });

const id = (value: string) => encodeURIComponent(value);

// Assets
export async function listAssets(query: AssetListQuery & { cursor?: string }) {
  return (await request('GET', '/assets', { query: { limit: 50, ...query }, schema: ZAssetPage })).data;
}
export async function getAsset(assetId: string): Promise<ApiResult<Asset>> {
  return request('GET', `/assets/${id(assetId)}`, { schema: ZAsset });
}
export async function createAsset(input: AssetCreate): Promise<Asset> {
  return (await request('POST', '/assets', { body: input, schema: ZAsset })).data;
}
export async function updateAsset(assetId: string, input: AssetUpdate, etag: string | null) {
  return (await request('PATCH', `/assets/${id(assetId)}`, { body: input, ifMatch: etag, schema: ZAsset }))
    .data;
}
export async function deleteAsset(assetId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/assets/${id(assetId)}`, { ifMatch: etag });
}
export async function changeAssetStatus(
  assetId: string,
  input: { status: AssetStatus; note?: string },
  etag: string | null,
): Promise<ApiResult<Asset>> {
  return request('POST', `/assets/${id(assetId)}/status`, { body: input, ifMatch: etag, schema: ZAsset });
}
export async function listAssetHistory(assetId: string, cursor?: string) {
  return (
    await request('GET', `/assets/${id(assetId)}/history`, {
      query: { limit: 20, cursor },
      schema: ZHistoryPage,
    })
  ).data;
}
export async function listRelations(assetId: string): Promise<Relation[]> {
  return (await request('GET', `/assets/${id(assetId)}/relations`, { schema: ZRelations })).data.items;
}
export async function addRelation(assetId: string, input: RelationCreate): Promise<Relation> {
  return (await request('POST', `/assets/${id(assetId)}/relations`, { body: input, schema: ZRelation })).data;
}
export async function removeRelation(assetId: string, relationId: string): Promise<void> {
  await request('DELETE', `/assets/${id(assetId)}/relations/${id(relationId)}`);
}
export async function getImpact(assetId: string): Promise<ImpactItem[]> {
  return (await request('GET', `/assets/${id(assetId)}/impact`, { schema: ZImpact })).data.items;
}

// Locations
export async function listLocations(query: {
  orgId?: string;
  parentId?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}) {
  return (await request('GET', '/locations', { query: { limit: 50, ...query }, schema: ZLocationPage })).data;
}
export async function getLocation(locationId: string): Promise<ApiResult<Location>> {
  return request('GET', `/locations/${id(locationId)}`, { schema: ZLocation });
}
export async function getLocationContents(locationId: string) {
  return (await request('GET', `/locations/${id(locationId)}/contents`, { schema: ZLocationContents })).data;
}
export type RackContents = z.infer<typeof ZRackContents>;
/** The assets placed in a rack, lowest first (422 for any other kind of location). */
export async function getRackContents(locationId: string): Promise<RackContents> {
  return (await request('GET', `/locations/${id(locationId)}/rack`, { schema: ZRackContents })).data;
}
export async function createLocation(input: LocationCreate): Promise<Location> {
  return (await request('POST', '/locations', { body: input, schema: ZLocation })).data;
}
export async function updateLocation(locationId: string, input: LocationUpdate, etag: string | null) {
  return (
    await request('PATCH', `/locations/${id(locationId)}`, { body: input, ifMatch: etag, schema: ZLocation })
  ).data;
}
export async function deleteLocation(locationId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/locations/${id(locationId)}`, { ifMatch: etag });
}

// Catalogue: manufacturers and suppliers share one shape.
export type PartyKind = 'manufacturers' | 'suppliers';
export async function listParties(
  kind: PartyKind,
  query: { orgId?: string; q?: string; cursor?: string; limit?: number },
) {
  return (await request('GET', `/${kind}`, { query: { limit: 50, ...query }, schema: ZPartyPage })).data;
}
export async function getParty(kind: PartyKind, partyId: string): Promise<ApiResult<Party>> {
  return request('GET', `/${kind}/${id(partyId)}`, { schema: ZParty });
}
export async function createParty(kind: PartyKind, input: PartyCreate): Promise<Party> {
  return (await request('POST', `/${kind}`, { body: input, schema: ZParty })).data;
}
export async function updateParty(kind: PartyKind, partyId: string, input: PartyUpdate, etag: string | null) {
  return (await request('PATCH', `/${kind}/${id(partyId)}`, { body: input, ifMatch: etag, schema: ZParty }))
    .data;
}
export async function deleteParty(kind: PartyKind, partyId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/${kind}/${id(partyId)}`, { ifMatch: etag });
}

export async function listModels(query: {
  orgId?: string;
  q?: string;
  manufacturerId?: string;
  typeId?: string;
  cursor?: string;
  limit?: number;
}) {
  return (await request('GET', '/models', { query: { limit: 50, ...query }, schema: ZModelPage })).data;
}
export async function getModel(modelId: string): Promise<ApiResult<Model>> {
  return request('GET', `/models/${id(modelId)}`, { schema: ZModel });
}
export async function createModel(input: ModelCreate): Promise<Model> {
  return (await request('POST', '/models', { body: input, schema: ZModel })).data;
}
export async function updateModel(modelId: string, input: ModelUpdate, etag: string | null): Promise<Model> {
  return (await request('PATCH', `/models/${id(modelId)}`, { body: input, ifMatch: etag, schema: ZModel }))
    .data;
}
export async function deleteModel(modelId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/models/${id(modelId)}`, { ifMatch: etag });
}

export async function listAssetTypes(orgId?: string): Promise<AssetType[]> {
  return (await request('GET', '/asset-types', { query: { orgId }, schema: ZTypes })).data.items;
}
export async function getAssetType(typeId: string): Promise<ApiResult<AssetType>> {
  return request('GET', `/asset-types/${id(typeId)}`, { schema: ZAssetType });
}
export async function createAssetType(input: AssetTypeCreate): Promise<AssetType> {
  return (await request('POST', '/asset-types', { body: input, schema: ZAssetType })).data;
}
export async function updateAssetType(typeId: string, input: AssetTypeUpdate, etag: string | null) {
  return (
    await request('PATCH', `/asset-types/${id(typeId)}`, { body: input, ifMatch: etag, schema: ZAssetType })
  ).data;
}

// Export, labels, bulk edit
/**
 * The CSV export of the list with these filters. Read through the API client rather than followed as a
 * plain link, so the file's headers, types and statuses come in the interface language (a link would
 * carry the browser's Accept-Language).
 */
export async function assetExportCsv(
  filters: Omit<AssetListQuery, 'limit'>,
): Promise<{ blob: Blob; filename: string }> {
  const response = await requestRaw('GET', '/assets/export', {
    query: { ...filters, dialect: 'excel-fr' },
    accept: 'text/csv',
  });
  if (!response.ok) throw await toApiError(response);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'assets.csv';
  return { blob: await response.blob(), filename };
}
export async function assetLabelsPdf(ids: string[]): Promise<Blob> {
  const response = await requestRaw('POST', '/assets/labels', {
    body: JSON.stringify({ ids }),
    contentType: 'application/json',
    accept: 'application/pdf',
  });
  if (!response.ok) throw await toApiError(response);
  return response.blob();
}
export type BulkPatch = { status?: AssetStatus; locationId?: string | null; assignedUserId?: string | null };
const ZBulkResult = z.object({ updated: z.number().int(), unchanged: z.number().int() });
export async function bulkUpdateAssets(ids: string[], patch: BulkPatch) {
  return (await request('POST', '/assets/bulk', { body: { ids, patch }, schema: ZBulkResult })).data;
}

// Import
export type ImportPreview = TImportPreview;
export type ImportResult = TImportResult;
export const IMPORT_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
const fileType = (file: File): string =>
  file.name.toLowerCase().endsWith('.xlsx') ? IMPORT_TYPES.xlsx : IMPORT_TYPES.csv;

export async function previewImport(orgId: string, file: File): Promise<ImportPreview> {
  const response = await requestRaw('POST', '/assets/import/preview', {
    query: { orgId },
    body: file,
    contentType: fileType(file),
  });
  if (!response.ok) throw await toApiError(response);
  return ZImportPreview.parse(await response.json());
}
/** A dry run or the import itself; bad rows (422) come back as a result with its errors, not thrown. */
export async function runImport(
  orgId: string,
  file: File,
  mapping: Record<string, string>,
  dryRun: boolean,
): Promise<ImportResult> {
  const response = await requestRaw('POST', '/assets/import', {
    query: { orgId, dryRun, mapping: JSON.stringify(mapping) },
    body: file,
    contentType: fileType(file),
  });
  if (response.ok) return ZImportResult.parse(await response.json());
  if (response.status === 422) {
    const parsed = ZImportResult.safeParse(
      await response
        .clone()
        .json()
        .catch(() => null),
    );
    if (parsed.success) return parsed.data;
  }
  throw await toApiError(response);
}
