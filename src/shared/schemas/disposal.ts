import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery, zPatch } from './common.js';

/**
 * End of life: replaced or retired hardware leaves in disposal batches, each through one channel
 * (reuse: given or sold for use as it is; refurbish: repaired by a refurbisher; recycle: a WEEE
 * channel). A storage medium leaves only with a data-wiping record (GDPR evidence).
 */

export const DISPOSAL_CHANNELS = ['reuse', 'refurbish', 'recycle'] as const;
export type DisposalChannel = (typeof DISPOSAL_CHANNELS)[number];
export const ZDisposalChannel = z.enum(DISPOSAL_CHANNELS);

export const DISPOSAL_BATCH_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type DisposalBatchStatus = (typeof DISPOSAL_BATCH_STATUSES)[number];

/** Wiping methods, from NIST SP 800-88 (clear, purge, destroy) and the tools technicians use. */
export const WIPE_METHODS = [
  'overwrite_single_pass',
  'overwrite_multi_pass',
  'secure_erase',
  'crypto_erase',
  'degauss',
  'physical_destruction',
] as const;
export type WipeMethod = (typeof WIPE_METHODS)[number];
export const WIPE_RESULTS = ['success', 'failed'] as const;

/** The asset statuses a batch may take an asset from (the CMDB allows them to awaiting_disposal). */
export const DISPOSABLE_STATUSES = [
  'in_stock',
  'deployed',
  'in_repair',
  'retired',
  'awaiting_disposal',
] as const;

export const DISPOSAL_LIMITS = { itemsPerCall: 500, weightKg: 10_000 } as const;

const ZDay = z.iso.date();
const ZWeightKg = z.number().min(0).max(DISPOSAL_LIMITS.weightKg);

export const ZWipe = z.object({
  id: ZId,
  orgId: ZId,
  assetId: ZId,
  method: z.enum(WIPE_METHODS),
  result: z.enum(WIPE_RESULTS),
  performedAt: ZIsoDate,
  /** Who wiped: a technician of Parc or a provider's operator. */
  operator: z.string(),
  tool: z.string(),
  /** The medium's own serial, when it is not the asset's (a disk taken out of a laptop). */
  mediaSerial: z.string(),
  certificateRef: z.string(),
  notes: z.string(),
  recordedBy: ZId.nullable(),
  recordedAt: ZIsoDate,
});
export type TWipe = z.infer<typeof ZWipe>;

export const ZWipeCreate = z.strictObject({
  assetId: ZId,
  method: z.enum(WIPE_METHODS),
  result: z.enum(WIPE_RESULTS).default('success'),
  performedAt: ZIsoDate,
  operator: z.string().trim().min(1).max(200),
  tool: z.string().trim().max(200).default(''),
  mediaSerial: z.string().trim().max(200).default(''),
  certificateRef: z.string().trim().max(200).default(''),
  notes: z.string().trim().max(5000).default(''),
});

export const ZWipeListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  assetId: ZId.optional(),
});

export const ZDisposalItem = z.object({
  assetId: ZId,
  assetName: z.string(),
  assetTag: z.string().nullable(),
  serial: z.string().nullable(),
  typeId: ZId,
  weightKg: z.number().nullable(),
  holdsData: z.boolean(),
  /** The last successful wipe of the asset, if any. */
  wipe: ZWipe.nullable(),
  addedAt: ZIsoDate,
});
export type TDisposalItem = z.infer<typeof ZDisposalItem>;

export const ZDisposalBatch = z.object({
  id: ZId,
  orgId: ZId,
  reference: z.string(),
  channel: ZDisposalChannel,
  status: z.enum(DISPOSAL_BATCH_STATUSES),
  /** The eco-organism, refurbisher, association or buyer taking the batch. */
  recipient: z.string(),
  notes: z.string(),
  itemCount: z.number().int(),
  weightKg: z.number(),
  handedOverOn: ZDay.nullable(),
  /** The waste tracking slip, donation or destruction certificate number. */
  certificateRef: z.string(),
  createdBy: ZId.nullable(),
  closedBy: ZId.nullable(),
  closedAt: ZIsoDate.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TDisposalBatch = z.infer<typeof ZDisposalBatch>;

export const ZDisposalBatchDetail = ZDisposalBatch.extend({ items: z.array(ZDisposalItem) });
export type TDisposalBatchDetail = z.infer<typeof ZDisposalBatchDetail>;

const ZBatchFields = z.strictObject({
  channel: ZDisposalChannel,
  recipient: z.string().trim().max(200).default(''),
  notes: z.string().trim().max(5000).default(''),
});
export const ZDisposalBatchCreate = ZBatchFields.extend({ orgId: ZId });
export const ZDisposalBatchPatch = zPatch(ZBatchFields);

export const ZDisposalBatchListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  status: z.enum(DISPOSAL_BATCH_STATUSES).optional(),
  channel: ZDisposalChannel.optional(),
  /** Reference or recipient contains. */
  q: z.string().trim().max(200).optional(),
});

export const ZDisposalItemsAdd = z.strictObject({
  items: z
    .array(
      z.strictObject({
        assetId: ZId,
        weightKg: ZWeightKg.nullable().optional(),
        /** Defaults from the asset's type: computers, servers, phones and disks hold data. */
        holdsData: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(DISPOSAL_LIMITS.itemsPerCall),
});
export const ZDisposalItemPatch = z.strictObject({
  weightKg: ZWeightKg.nullable().optional(),
  holdsData: z.boolean().optional(),
});

export const ZDisposalBatchClose = z.strictObject({
  handedOverOn: ZDay,
  certificateRef: z.string().trim().max(200).default(''),
  recipient: z.string().trim().min(1).max(200).optional(),
});

export const ZDisposalReportQuery = z.strictObject({
  orgId: ZId,
  /** Batches handed over from this day to this day, both included. */
  from: ZDay,
  to: ZDay,
});

const ZChannelFigures = z.object({
  channel: ZDisposalChannel,
  batches: z.number().int(),
  items: z.number().int(),
  weightKg: z.number(),
  /** Items whose weight was not recorded (not in weightKg). */
  unweighed: z.number().int(),
});
export const ZDisposalReport = z.object({
  orgId: ZId,
  from: ZDay,
  to: ZDay,
  channels: z.array(ZChannelFigures),
  byType: z.array(
    z.object({ channel: ZDisposalChannel, typeId: ZId, items: z.number().int(), weightKg: z.number() }),
  ),
  /** Storage media that left in the period, and how they were wiped. */
  dataBearing: z.number().int(),
  wipes: z.array(z.object({ method: z.enum(WIPE_METHODS), items: z.number().int() })),
  total: z.object({ items: z.number().int(), weightKg: z.number() }),
});
export type TDisposalReport = z.infer<typeof ZDisposalReport>;
