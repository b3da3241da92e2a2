import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery, zPatch } from './common.js';

export const ZDay = z.iso.date();

// --- locations -----------------------------------------------------------------------------------

export const LOCATION_KINDS = ['site', 'building', 'floor', 'room', 'rack'] as const;
export const ZLocationKind = z.enum(LOCATION_KINDS);

export const ZLocation = z.object({
  id: ZId,
  orgId: ZId,
  parentId: ZId.nullable(),
  kind: ZLocationKind,
  name: z.string(),
  /** Names from the site down to this location. */
  breadcrumb: z.array(z.object({ id: ZId, name: z.string(), kind: ZLocationKind })),
  address: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  rackUnits: z.number().int().nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TLocation = z.infer<typeof ZLocation>;

export const ZLocationCreate = z.strictObject({
  orgId: ZId,
  parentId: ZId.nullable().default(null),
  kind: ZLocationKind,
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().max(500).nullable().default(null),
  latitude: z.number().min(-90).max(90).nullable().default(null),
  longitude: z.number().min(-180).max(180).nullable().default(null),
  rackUnits: z.number().int().min(1).max(60).nullable().default(null),
});
export const ZLocationUpdate = zPatch(
  ZLocationCreate.omit({ orgId: true, parentId: true, kind: true }),
).extend({
  parentId: ZId.nullable().optional(),
});
export const ZLocationContents = z.object({ children: z.array(ZLocation), assetCount: z.number().int() });
/** What a rack holds, U by U: each placed asset from its lowest U (1 at the bottom) up `height` U. */
export const ZRackSlot = z.object({
  assetId: ZId,
  name: z.string(),
  assetTag: z.string().nullable(),
  typeId: ZId,
  position: z.number().int(),
  height: z.number().int(),
});
export const ZRackContents = z.object({
  /** The rack's height in U; null when it was never given. */
  rackUnits: z.number().int().nullable(),
  /** Lowest position first. */
  slots: z.array(ZRackSlot),
});
export type TRackContents = z.infer<typeof ZRackContents>;

export const ZLocationListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  /** Children of this location; "root" for sites. */
  parentId: z.union([ZId, z.literal('root')]).optional(),
  q: z.string().trim().max(200).optional(),
});

// --- catalogue -----------------------------------------------------------------------------------

export const ZParty = z.object({
  id: ZId,
  orgId: ZId,
  name: z.string(),
  website: z.string().nullable(),
  contactEmail: z.string().nullable(),
  phone: z.string().nullable(),
  notes: z.string(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TParty = z.infer<typeof ZParty>;
export const ZPartyCreate = z.strictObject({
  orgId: ZId,
  name: z.string().trim().min(1).max(200),
  website: z.url().max(500).nullable().default(null),
  contactEmail: z.email().max(254).nullable().default(null),
  phone: z.string().trim().max(50).nullable().default(null),
  notes: z.string().trim().max(5000).default(''),
});
export const ZPartyUpdate = zPatch(ZPartyCreate.omit({ orgId: true }));
export const ZCatalogueListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  q: z.string().trim().max(200).optional(),
});

export const ZModel = z.object({
  id: ZId,
  orgId: ZId,
  manufacturerId: ZId,
  manufacturerName: z.string(),
  typeId: ZId,
  name: z.string(),
  partNumber: z.string().nullable(),
  specs: z.record(z.string(), z.string()),
  lifetimeMonths: z.number().int().nullable(),
  powerWatts: z.number().nullable(),
  boxContents: z.array(z.string()),
  /** Installation steps, copied into the checklist of each work order installing the model. */
  installSteps: z.array(z.string()),
  /** The manufacturer's installation notice (PDF), when attached. */
  notice: z.object({ name: z.string(), sha256: z.string() }).nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TModel = z.infer<typeof ZModel>;
export const ZModelCreate = z.strictObject({
  orgId: ZId,
  manufacturerId: ZId,
  typeId: ZId,
  name: z.string().trim().min(1).max(200),
  partNumber: z.string().trim().max(100).nullable().default(null),
  specs: z.record(z.string().max(100), z.string().max(500)).default({}),
  lifetimeMonths: z.number().int().min(1).max(600).nullable().default(null),
  powerWatts: z.number().min(0).max(100_000).nullable().default(null),
  boxContents: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  installSteps: z.array(z.string().trim().min(1).max(500)).max(100).default([]),
});
export const ZModelUpdate = zPatch(ZModelCreate.omit({ orgId: true }));
export const ZModelListQuery = ZCatalogueListQuery.extend({
  manufacturerId: ZId.optional(),
  typeId: ZId.optional(),
});

// --- asset types and custom fields -----------------------------------------------------------------

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'list'] as const;
export const ZCustomField = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: z.string().trim().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  required: z.boolean().default(false),
  options: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
});
export type TCustomField = z.infer<typeof ZCustomField>;

export const ASSET_CATEGORIES = [
  'computer',
  'server',
  'printer',
  'scanner',
  'monitor',
  'phone',
  'network',
  'peripheral',
  'component',
] as const;

export const ZAssetType = z.object({
  id: ZId,
  orgId: ZId.nullable(),
  code: z.string(),
  category: z.enum(ASSET_CATEGORIES),
  name: z.object({ fr: z.string(), en: z.string() }),
  customFields: z.array(ZCustomField),
  builtIn: z.boolean(),
  version: z.number().int(),
});
export type TAssetType = z.infer<typeof ZAssetType>;

const ZAssetTypeName = z.strictObject({
  fr: z.string().trim().min(1).max(100),
  en: z.string().trim().min(1).max(100),
});
export const ZAssetTypeCreate = z.strictObject({
  orgId: ZId,
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  category: z.enum(ASSET_CATEGORIES),
  name: ZAssetTypeName,
  customFields: z.array(ZCustomField).max(100).default([]),
});
export const ZAssetTypeUpdate = zPatch(ZAssetTypeCreate.omit({ orgId: true, code: true }));
export const ZAssetTypeListQuery = z.strictObject({ orgId: ZId.optional() });

// --- assets --------------------------------------------------------------------------------------

/** The lifecycle, in order. */
export const ASSET_STATUSES = [
  'ordered',
  'in_stock',
  'deployed',
  'in_repair',
  'loaned',
  'retired',
  'awaiting_disposal',
  'disposed',
] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export const ZAssetStatus = z.enum(ASSET_STATUSES);

/** Allowed moves between statuses; anything else is refused with the list of what is allowed. */
export const STATUS_TRANSITIONS: Record<AssetStatus, readonly AssetStatus[]> = {
  ordered: ['in_stock', 'retired'],
  in_stock: ['deployed', 'loaned', 'in_repair', 'retired', 'awaiting_disposal'],
  deployed: ['in_stock', 'in_repair', 'loaned', 'retired', 'awaiting_disposal'],
  in_repair: ['in_stock', 'deployed', 'retired', 'awaiting_disposal'],
  loaned: ['in_stock', 'deployed', 'in_repair'],
  retired: ['in_stock', 'awaiting_disposal'],
  awaiting_disposal: ['in_stock', 'disposed'],
  disposed: [],
};

/** One U of a rack: racks are 1 to 60 U high. */
export const ZRackUnit = z.number().int().min(1).max(60);

export const ZCustomValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const ZAsset = z.object({
  id: ZId,
  orgId: ZId,
  typeId: ZId,
  modelId: ZId.nullable(),
  name: z.string(),
  assetTag: z.string().nullable(),
  serial: z.string().nullable(),
  status: ZAssetStatus,
  locationId: ZId.nullable(),
  /** Lowest U occupied in a rack location (1 at the bottom); null when not placed. */
  rackPosition: z.number().int().nullable(),
  /** U occupied from rackPosition up; null counts as 1. */
  rackHeight: z.number().int().nullable(),
  assignedUserId: ZId.nullable(),
  supplierId: ZId.nullable(),
  purchaseDate: ZDay.nullable(),
  warrantyEnd: ZDay.nullable(),
  contractEnd: ZDay.nullable(),
  custom: ZCustomValues,
  notes: z.string(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TAsset = z.infer<typeof ZAsset>;

export const ZAssetCreate = z.strictObject({
  orgId: ZId,
  typeId: ZId,
  modelId: ZId.nullable().default(null),
  name: z.string().trim().min(1).max(200),
  assetTag: z.string().trim().min(1).max(100).nullable().default(null),
  serial: z.string().trim().min(1).max(100).nullable().default(null),
  status: ZAssetStatus.default('in_stock'),
  locationId: ZId.nullable().default(null),
  /** Only in a location of kind 'rack'; moving the asset elsewhere clears it. */
  rackPosition: ZRackUnit.nullable().optional(),
  rackHeight: ZRackUnit.nullable().optional(),
  assignedUserId: ZId.nullable().default(null),
  supplierId: ZId.nullable().default(null),
  purchaseDate: ZDay.nullable().default(null),
  warrantyEnd: ZDay.nullable().default(null),
  contractEnd: ZDay.nullable().default(null),
  custom: ZCustomValues.default({}),
  notes: z.string().max(10_000).default(''),
});
export type TAssetCreate = z.input<typeof ZAssetCreate>;
// zPatch, not .partial(): a field left out of a PATCH keeps its value instead of taking the default.
export const ZAssetUpdate = zPatch(ZAssetCreate.omit({ orgId: true, status: true }));
export const ZAssetStatusChange = z.strictObject({
  status: ZAssetStatus,
  note: z.string().trim().max(2000).optional(),
});

export const ZAssetListQuery = ZListQuery.extend({
  q: z.string().trim().max(200).optional(),
  orgId: ZId.optional(),
  typeId: ZId.optional(),
  status: ZAssetStatus.optional(),
  /** Everything in this location and below it. */
  locationId: ZId.optional(),
  assignedUserId: ZId.optional(),
  warrantyBefore: ZDay.optional(),
  sort: z.enum(['name', 'createdAt', 'updatedAt']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const RELATION_KINDS = ['installed_in', 'connected_to', 'port_link', 'depends_on'] as const;
export const ZRelation = z.object({
  id: ZId,
  kind: z.enum(RELATION_KINDS),
  fromAssetId: ZId,
  toAssetId: ZId,
  fromPort: z.string().nullable(),
  toPort: z.string().nullable(),
  createdAt: ZIsoDate,
});
export const ZRelationCreate = z.strictObject({
  kind: z.enum(RELATION_KINDS),
  toAssetId: ZId,
  fromPort: z.string().trim().max(50).nullable().default(null),
  toPort: z.string().trim().max(50).nullable().default(null),
});

export const ZImpactItem = z.object({
  id: ZId,
  name: z.string(),
  status: ZAssetStatus,
  typeId: ZId,
  /** 1: relies on the asset directly; 2: through one other asset… */
  depth: z.number().int(),
  /** The relation kind through which it relies on the previous level. */
  via: z.enum(RELATION_KINDS),
});
export type TImpactItem = z.infer<typeof ZImpactItem>;

export const ZHistoryEntry = z.object({
  id: ZId,
  at: ZIsoDate,
  actorId: ZId.nullable(),
  /** The author's e-mail (or the system actor's label) at the time of the change. */
  actorLabel: z.string(),
  /** The author's current display name; null for the system or an unknown account. */
  authorName: z.string().nullable(),
  kind: z.string(),
  /**
   * Field-by-field diff. Relations are `relation.<kind>` on the asset the relation starts from and
   * `relation.<kind>.inverse` on the asset it points to, with the other asset as `{ assetId, name }`.
   */
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  note: z.string().nullable(),
});
export type THistoryEntry = z.infer<typeof ZHistoryEntry>;

// --- import --------------------------------------------------------------------------------------

/** Asset fields a spreadsheet column can fill; custom fields are `custom.<key>`. */
export const IMPORT_FIELDS = [
  'name',
  'assetTag',
  'serial',
  'type',
  'model',
  'status',
  'location',
  'assignee',
  'supplier',
  'purchaseDate',
  'warrantyEnd',
  'contractEnd',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number] | `custom.${string}`;
export const ZImportField = z.union([
  z.enum(IMPORT_FIELDS),
  z.templateLiteral(['custom.', z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)]),
]);
/** File column name → asset field; columns left out are ignored. */
export const ZImportMapping = z.record(z.string().min(1).max(200), ZImportField);
export type TImportMapping = z.infer<typeof ZImportMapping>;

/** The file is the raw request body; these travel in the query string. */
export const ZImportQuery = z.strictObject({
  orgId: ZId,
  /** JSON of ZImportMapping, url-encoded; the suggested mapping when absent. */
  mapping: z.string().max(20_000).optional(),
  dryRun: z.enum(['true', 'false', '1', '0']).default('false'),
});
export const ZImportPreviewQuery = ZImportQuery.omit({ dryRun: true });

export const ZImportRow = z.object({ line: z.number().int(), values: z.record(z.string(), z.string()) });
export const ZImportPreview = z.object({
  columns: z.array(z.string()),
  suggestedMapping: z.record(z.string(), z.string()),
  sample: z.array(ZImportRow),
  rowCount: z.number().int(),
  encoding: z.string(),
  /** null for XLSX. */
  delimiter: z.string().nullable(),
});
export type TImportPreview = z.infer<typeof ZImportPreview>;

export const ZImportRowError = z.object({
  line: z.number().int(),
  field: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type TImportRowError = z.infer<typeof ZImportRowError>;
export const ZImportResult = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Every bad row; when not empty nothing was written, and the counts are those of the good rows. */
  errors: z.array(ZImportRowError),
});
export type TImportResult = z.infer<typeof ZImportResult>;
