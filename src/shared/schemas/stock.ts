import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery, zPatch } from './common.js';

/** Stock: store rooms and cabinets, consumables by quantity, the movement ledger, orders, counts. */

export const STOCK_LOCATION_KINDS = ['store_room', 'cabinet'] as const;
export const ZStockLocationKind = z.enum(STOCK_LOCATION_KINDS);

/** Movements a person books by hand; receptions, counts and reservations write their own. */
export const MANUAL_MOVEMENT_KINDS = ['in', 'out', 'transfer', 'adjustment'] as const;
export const MOVEMENT_KINDS = [...MANUAL_MOVEMENT_KINDS, 'reservation', 'release'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const ZMovementKind = z.enum(MOVEMENT_KINDS);

export const RESERVATION_STATUSES = ['active', 'consumed', 'released'] as const;
export const PURCHASE_ORDER_STATUSES = ['ordered', 'partly_received', 'received', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];
export const STOCK_TAKE_STATUSES = ['open', 'booked', 'cancelled'] as const;

export const STOCK_LIMITS = { quantity: 1_000_000, leadTimeDays: 365, lines: 200, serials: 1000 } as const;

const ZQuantity = z.number().int().min(1).max(STOCK_LIMITS.quantity);
const ZDay = z.iso.date();
const ZReason = z.string().trim().max(500);

// --- stock locations -----------------------------------------------------------------------------

export const ZStockLocation = z.object({
  id: ZId,
  orgId: ZId,
  /** The CMDB location it is in. */
  locationId: ZId,
  /** That location's names from the site down. */
  locationPath: z.string(),
  kind: ZStockLocationKind,
  name: z.string(),
  notes: z.string(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TStockLocation = z.infer<typeof ZStockLocation>;

export const ZStockLocationCreate = z.strictObject({
  orgId: ZId,
  locationId: ZId,
  kind: ZStockLocationKind.default('store_room'),
  name: z.string().trim().min(1).max(200),
  notes: z.string().trim().max(5000).default(''),
});
export type TStockLocationInput = z.output<typeof ZStockLocationCreate>;
export const ZStockLocationUpdate = zPatch(ZStockLocationCreate.omit({ orgId: true }));
export const ZStockLocationListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  q: z.string().trim().max(200).optional(),
});

// --- articles ------------------------------------------------------------------------------------

export const ZStockArticle = z.object({
  id: ZId,
  orgId: ZId,
  name: z.string(),
  reference: z.string().nullable(),
  unit: z.string(),
  modelId: ZId.nullable(),
  supplierId: ZId.nullable(),
  /** Days between ordering and delivery at the default supplier. */
  leadTimeDays: z.number().int(),
  notes: z.string(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TStockArticle = z.infer<typeof ZStockArticle>;

export const ZStockArticleCreate = z.strictObject({
  orgId: ZId,
  name: z.string().trim().min(1).max(200),
  reference: z.string().trim().min(1).max(100).nullable().default(null),
  unit: z.string().trim().min(1).max(30).default('pcs'),
  modelId: ZId.nullable().default(null),
  supplierId: ZId.nullable().default(null),
  leadTimeDays: z.number().int().min(0).max(STOCK_LIMITS.leadTimeDays).default(0),
  notes: z.string().trim().max(5000).default(''),
});
export type TStockArticleInput = z.output<typeof ZStockArticleCreate>;
export const ZStockArticleUpdate = zPatch(ZStockArticleCreate.omit({ orgId: true }));
export const ZStockArticleListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  q: z.string().trim().max(200).optional(),
});

// --- levels --------------------------------------------------------------------------------------

export const ZStockLevel = z.object({
  articleId: ZId,
  articleName: z.string(),
  reference: z.string().nullable(),
  unit: z.string(),
  stockLocationId: ZId,
  stockLocationName: z.string(),
  orgId: ZId,
  quantity: z.number().int(),
  reserved: z.number().int(),
  /** quantity - reserved: what may still be taken or reserved. */
  available: z.number().int(),
  minQuantity: z.number().int(),
  /** A minimum is set and the available quantity is at or below it. */
  toReorder: z.boolean(),
  leadTimeDays: z.number().int(),
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TStockLevel = z.infer<typeof ZStockLevel>;

export const LEVEL_SORTS = ['article', 'location', 'available'] as const;
export const ZStockLevelListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  stockLocationId: ZId.optional(),
  articleId: ZId.optional(),
  /** Words of the article's name or reference (accents and case ignored). */
  q: z.string().trim().max(200).optional(),
  toReorder: z.stringbool().optional(),
  sort: z.enum(LEVEL_SORTS).default('article'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

/** Every level of an organisation at once, compactly: one row per (article, location) holding stock. */
export const ZStockMatrix = z.object({
  locations: z.array(z.object({ id: ZId, name: z.string() })),
  articles: z.array(z.object({ id: ZId, name: z.string(), unit: z.string() })),
  /** [article index, location index, quantity, reserved, minimum]. */
  cells: z.array(
    z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  ),
});
export const ZStockMatrixQuery = z.strictObject({ orgId: ZId });
export const STOCK_MATRIX_MAX_CELLS = 100_000;

export const ZStockLevelMinimum = z.strictObject({
  minQuantity: z.number().int().min(0).max(STOCK_LIMITS.quantity),
});

// --- movements -----------------------------------------------------------------------------------

export const ZStockDocument = z.object({ kind: z.string(), id: z.string() });

export const ZStockMovement = z.object({
  id: ZId,
  orgId: ZId,
  articleId: ZId,
  articleName: z.string(),
  kind: ZMovementKind,
  fromLocationId: ZId.nullable(),
  toLocationId: ZId.nullable(),
  quantity: z.number().int(),
  reason: z.string(),
  document: ZStockDocument.nullable(),
  authorId: ZId.nullable(),
  authorLabel: z.string(),
  at: ZIsoDate,
});
export type TStockMovement = z.infer<typeof ZStockMovement>;

const movementBase = { articleId: ZId, reason: ZReason.default('') };
export const ZStockMovementCreate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('in'), ...movementBase, toLocationId: ZId, quantity: ZQuantity }),
  z.strictObject({ kind: z.literal('out'), ...movementBase, fromLocationId: ZId, quantity: ZQuantity }),
  z.strictObject({
    kind: z.literal('transfer'),
    ...movementBase,
    fromLocationId: ZId,
    toLocationId: ZId,
    quantity: ZQuantity,
  }),
  /** A correction: `delta` items found (positive) or lost (negative); a reason is required. */
  z.strictObject({
    kind: z.literal('adjustment'),
    articleId: ZId,
    stockLocationId: ZId,
    delta: z
      .number()
      .int()
      .min(-STOCK_LIMITS.quantity)
      .max(STOCK_LIMITS.quantity)
      .refine((n) => n !== 0, { message: 'Not zero', params: { code: 'not_zero' } }),
    reason: z.string().trim().min(1).max(500),
  }),
]);
export type TStockMovementCreate = z.output<typeof ZStockMovementCreate>;

export const ZStockMovementListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  articleId: ZId.optional(),
  /** Movements leaving or entering this stock location. */
  stockLocationId: ZId.optional(),
  kind: ZMovementKind.optional(),
  documentKind: z.string().trim().min(1).max(50).optional(),
  documentId: z.string().trim().min(1).max(100).optional(),
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
});

// --- reservations --------------------------------------------------------------------------------

/** Who holds a reservation: a work order, later anything else, kept generic. */
export const ZStockOwner = z.strictObject({
  kind: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/),
  id: z.string().trim().min(1).max(100),
});

export const ZStockReservation = z.object({
  id: ZId,
  orgId: ZId,
  articleId: ZId,
  articleName: z.string(),
  stockLocationId: ZId,
  quantity: z.number().int(),
  owner: ZStockOwner,
  status: z.enum(RESERVATION_STATUSES),
  note: z.string(),
  createdBy: ZId.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TStockReservation = z.infer<typeof ZStockReservation>;

export const ZStockReservationCreate = z.strictObject({
  articleId: ZId,
  stockLocationId: ZId,
  quantity: ZQuantity,
  owner: ZStockOwner,
  note: z.string().trim().max(500).default(''),
});
export type TStockReservationInput = z.output<typeof ZStockReservationCreate>;

export const ZStockReservationListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  articleId: ZId.optional(),
  ownerKind: z.string().trim().max(40).optional(),
  ownerId: z.string().trim().max(100).optional(),
  status: z.enum(RESERVATION_STATUSES).optional(),
});

// --- purchase orders -----------------------------------------------------------------------------

export const ZPurchaseOrderLine = z.object({
  id: ZId,
  articleId: ZId.nullable(),
  modelId: ZId.nullable(),
  /** The article's or the model's name. */
  label: z.string(),
  /** A model's units are serialised: each received one becomes a CMDB asset. */
  serialised: z.boolean(),
  quantity: z.number().int(),
  receivedQuantity: z.number().int(),
});

export const ZPurchaseOrder = z.object({
  id: ZId,
  orgId: ZId,
  reference: z.string(),
  supplierId: ZId,
  supplierName: z.string(),
  stockLocationId: ZId,
  status: z.enum(PURCHASE_ORDER_STATUSES),
  orderedAt: ZIsoDate,
  expectedDate: ZDay,
  notes: z.string(),
  lines: z.array(ZPurchaseOrderLine),
  createdBy: ZId.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TPurchaseOrder = z.infer<typeof ZPurchaseOrder>;

export const ZPurchaseOrderSummary = ZPurchaseOrder.omit({ lines: true }).extend({
  lineCount: z.number().int(),
});
export type TPurchaseOrderSummary = z.infer<typeof ZPurchaseOrderSummary>;

/** A consumable article or a CMDB model, with the quantity ordered. */
export const ZPurchaseOrderLineInput = z
  .strictObject({ articleId: ZId.optional(), modelId: ZId.optional(), quantity: ZQuantity })
  .refine((l) => (l.articleId === undefined) !== (l.modelId === undefined), {
    message: 'An article or a model',
    path: ['articleId'],
    params: { code: 'article_or_model' },
  });

export const ZPurchaseOrderCreate = z.strictObject({
  orgId: ZId,
  supplierId: ZId,
  stockLocationId: ZId,
  lines: z.array(ZPurchaseOrderLineInput).min(1).max(STOCK_LIMITS.lines),
  /** Left out: the order day plus the longest lead time of its articles. */
  expectedDate: ZDay.optional(),
  notes: z.string().trim().max(5000).default(''),
});
export type TPurchaseOrderInput = z.output<typeof ZPurchaseOrderCreate>;

/** Lines may change only while nothing is received. */
export const ZPurchaseOrderUpdate = zPatch(ZPurchaseOrderCreate.omit({ orgId: true }));

export const ZPurchaseOrderListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
  supplierId: ZId.optional(),
  q: z.string().trim().max(100).optional(),
});

/** One delivery: quantities per line; a serialised line names each unit's serial number. */
export const ZPurchaseOrderReception = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        lineId: ZId,
        quantity: ZQuantity,
        serials: z.array(z.string().trim().min(1).max(100)).max(STOCK_LIMITS.serials).optional(),
      }),
    )
    .min(1)
    .max(STOCK_LIMITS.lines),
  /** Receive more than ordered on purpose (a bonus unit, a bigger pack). */
  confirmOverReceipt: z.boolean().default(false),
  note: z.string().trim().max(500).default(''),
});
export type TPurchaseOrderReception = z.output<typeof ZPurchaseOrderReception>;

export const ZPurchaseOrderReceived = z.object({
  order: ZPurchaseOrder,
  /** The CMDB assets created for the serialised lines. */
  assetIds: z.array(ZId),
});

// --- stock-takings -------------------------------------------------------------------------------

export const ZStockTakeLine = z.object({
  articleId: ZId,
  articleName: z.string(),
  reference: z.string().nullable(),
  unit: z.string(),
  /** On hand when the count started; once booked, on hand at that moment. */
  expected: z.number().int(),
  counted: z.number().int().nullable(),
  /** counted - expected; null until counted. */
  discrepancy: z.number().int().nullable(),
});

export const ZStockTake = z.object({
  id: ZId,
  orgId: ZId,
  stockLocationId: ZId,
  stockLocationName: z.string(),
  status: z.enum(STOCK_TAKE_STATUSES),
  notes: z.string(),
  createdBy: ZId.nullable(),
  bookedBy: ZId.nullable(),
  bookedAt: ZIsoDate.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TStockTake = z.infer<typeof ZStockTake>;
export const ZStockTakeDetail = ZStockTake.extend({ lines: z.array(ZStockTakeLine) });
export type TStockTakeDetail = z.infer<typeof ZStockTakeDetail>;

export const ZStockTakeCreate = z.strictObject({
  stockLocationId: ZId,
  notes: z.string().trim().max(5000).default(''),
});
export const ZStockTakeCounts = z.strictObject({
  /** An article not listed yet (found on the shelf) is added; null clears a count. */
  counts: z
    .array(
      z.strictObject({
        articleId: ZId,
        counted: z.number().int().min(0).max(STOCK_LIMITS.quantity).nullable(),
      }),
    )
    .min(1)
    .max(5000),
});
export const ZStockTakeListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  stockLocationId: ZId.optional(),
  status: z.enum(STOCK_TAKE_STATUSES).optional(),
});
