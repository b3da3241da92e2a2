import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type { DataWipeTable, DisposalBatchTable, DisposalItemTable } from './disposal.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- batches ---------------------------------------------------------------------------------------

export type BatchRow = DisposalBatchTable & { item_count: number; weight_grams: number };

const batchWithTotals = (ctx: DbCtx) =>
  ctx.db
    .selectFrom('disposal_batch as b')
    .selectAll('b')
    .select((eb) => [
      eb
        .selectFrom('disposal_item as i')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('i.batch_id', '=', 'b.id')
        .as('item_count'),
      eb
        .selectFrom('disposal_item as i')
        .select(sql<number>`COALESCE(SUM(i.weight_grams), 0)`.as('g'))
        .whereRef('i.batch_id', '=', 'b.id')
        .as('weight_grams'),
    ]);

export async function findBatch(ctx: DbCtx, id: string): Promise<BatchRow | undefined> {
  const row = await batchWithTotals(ctx).where('b.id', '=', id).executeTakeFirst();
  return row as BatchRow | undefined;
}

export async function listBatches(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    status?: string | undefined;
    channel?: string | undefined;
    q?: string | undefined;
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<BatchRow[]> {
  let q = whereOrg(batchWithTotals(ctx), 'b.org_id', f.scope);
  if (f.orgId) q = q.where('b.org_id', '=', f.orgId);
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.channel) q = q.where('b.channel', '=', f.channel);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([
        ctx.dialect.containsInsensitive(eb.ref('b.reference'), needle),
        ctx.dialect.containsInsensitive(eb.ref('b.recipient'), needle),
      ]),
    );
  }
  if (f.after) q = q.where(keysetAfter('b.created_at', 'b.id', f.after, 'desc'));
  const rows = await q.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(f.limit).execute();
  return rows as BatchRow[];
}

export async function insertBatch(ctx: DbCtx, row: DisposalBatchTable): Promise<void> {
  await ctx.db.insertInto('disposal_batch').values(row).execute();
}

export async function updateBatch(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<DisposalBatchTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'disposal_batch', id, version, set);
}

// --- items -----------------------------------------------------------------------------------------

export async function itemsOf(ctx: DbCtx, batchId: string): Promise<DisposalItemTable[]> {
  return ctx.db
    .selectFrom('disposal_item')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('added_at')
    .orderBy('asset_id')
    .execute();
}

/** The batches (reference, status) holding any of these assets. */
export async function batchesOfAssets(
  ctx: DbCtx,
  assetIds: string[],
): Promise<Array<{ asset_id: string; reference: string; batch_id: string }>> {
  if (assetIds.length === 0) return [];
  return ctx.db
    .selectFrom('disposal_item as i')
    .innerJoin('disposal_batch as b', 'b.id', 'i.batch_id')
    .select(['i.asset_id', 'b.reference', 'b.id as batch_id'])
    .where('i.asset_id', 'in', assetIds)
    .execute();
}

export async function insertItems(ctx: DbCtx, rows: DisposalItemTable[]): Promise<void> {
  if (rows.length > 0) await ctx.db.insertInto('disposal_item').values(rows).execute();
}

export async function updateItem(
  ctx: DbCtx,
  batchId: string,
  assetId: string,
  set: Partial<Pick<DisposalItemTable, 'weight_grams' | 'holds_data'>>,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('disposal_item')
    .set(set)
    .where('batch_id', '=', batchId)
    .where('asset_id', '=', assetId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteItems(ctx: DbCtx, batchId: string, assetIds?: string[]): Promise<void> {
  let q = ctx.db.deleteFrom('disposal_item').where('batch_id', '=', batchId);
  if (assetIds) q = q.where('asset_id', 'in', assetIds);
  await q.execute();
}

// --- wipes -----------------------------------------------------------------------------------------

export async function insertWipe(ctx: DbCtx, row: DataWipeTable): Promise<void> {
  await ctx.db.insertInto('data_wipe').values(row).execute();
}

/** Each asset's last successful wipe. */
export async function lastWipes(ctx: DbCtx, assetIds: string[]): Promise<Map<string, DataWipeTable>> {
  if (assetIds.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('data_wipe')
    .selectAll()
    .where('asset_id', 'in', assetIds)
    .where('result', '=', 'success')
    .orderBy('performed_at')
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.asset_id, r]));
}

export async function listWipes(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    assetId?: string | undefined;
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<DataWipeTable[]> {
  let q = whereOrg(ctx.db.selectFrom('data_wipe').selectAll(), 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.assetId) q = q.where('asset_id', '=', f.assetId);
  if (f.after) q = q.where(keysetAfter('recorded_at', 'id', f.after, 'desc'));
  return q.orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

// --- the environmental report ----------------------------------------------------------------------

/** Items of the batches handed over in [from, to] (days), by channel and asset type. */
export async function handedOverByType(ctx: DbCtx, orgId: string, from: string, to: string) {
  const rows = await ctx.db
    .selectFrom('disposal_item as i')
    .innerJoin('disposal_batch as b', 'b.id', 'i.batch_id')
    .select((eb) => [
      'b.channel',
      'i.type_id',
      eb.fn.countAll<number>().as('items'),
      sql<number>`COUNT(DISTINCT b.id)`.as('batches'),
      sql<number>`COALESCE(SUM(i.weight_grams), 0)`.as('grams'),
      sql<number>`SUM(CASE WHEN i.weight_grams IS NULL THEN 1 ELSE 0 END)`.as('unweighed'),
      sql<number>`SUM(CASE WHEN ${sql.ref('i.holds_data')} = ${ctx.dialect.bool(true)} THEN 1 ELSE 0 END)`.as(
        'data_bearing',
      ),
    ])
    .where('b.org_id', '=', orgId)
    .where('b.status', '=', 'closed')
    .where('b.handed_over_on', '>=', from)
    .where('b.handed_over_on', '<=', to)
    .groupBy(['b.channel', 'i.type_id'])
    .execute();
  return rows.map((r) => ({
    channel: r.channel,
    typeId: r.type_id,
    items: Number(r.items),
    grams: Number(r.grams),
    unweighed: Number(r.unweighed),
    dataBearing: Number(r.data_bearing),
  }));
}

/** Batches handed over in [from, to] per channel (a batch counts once whatever its types). */
export async function batchesHandedOver(ctx: DbCtx, orgId: string, from: string, to: string) {
  const rows = await ctx.db
    .selectFrom('disposal_batch')
    .select((eb) => ['channel', eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('status', '=', 'closed')
    .where('handed_over_on', '>=', from)
    .where('handed_over_on', '<=', to)
    .groupBy('channel')
    .execute();
  return new Map(rows.map((r) => [r.channel, Number(r.n)]));
}

/** How the data-bearing items handed over in [from, to] were wiped (their last successful wipe). */
export async function wipeMethodsHandedOver(ctx: DbCtx, orgId: string, from: string, to: string) {
  const rows = await ctx.db
    .selectFrom('disposal_item as i')
    .innerJoin('disposal_batch as b', 'b.id', 'i.batch_id')
    .innerJoin('data_wipe as w', 'w.asset_id', 'i.asset_id')
    .select(['w.asset_id', 'w.method', 'w.performed_at', 'w.id'])
    .where('b.org_id', '=', orgId)
    .where('b.status', '=', 'closed')
    .where('b.handed_over_on', '>=', from)
    .where('b.handed_over_on', '<=', to)
    .where('i.holds_data', '=', ctx.dialect.bool(true))
    .where('w.result', '=', 'success')
    .orderBy('w.performed_at')
    .orderBy('w.id')
    .execute();
  const last = new Map(rows.map((r) => [r.asset_id, r.method]));
  const counts = new Map<string, number>();
  for (const method of last.values()) counts.set(method, (counts.get(method) ?? 0) + 1);
  return counts;
}
