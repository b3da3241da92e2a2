import type { Ctx } from '../../context.js';
import { inTransaction } from '../../context.js';
import { publish } from '../../jobs/outbox.js';

/** How long before a warranty or contract ends its asset is announced. */
export const EXPIRY_NOTICE_DAYS = 30;

const COLUMN = { warranty: 'warranty_end', contract: 'contract_end' } as const;

/**
 * Daily: every live asset whose warranty or support contract ends within the notice period gets one
 * `asset.warranty_expiring` / `asset.contract_expiring` event (the notify module turns them into mail
 * and alerts). A notice row per asset, kind and end date makes the check idempotent; a changed end
 * date is announced again.
 */
export async function announceExpiries(ctx: Ctx): Promise<number> {
  const today = ctx.now.toISOString().slice(0, 10);
  const horizon = new Date(ctx.now.getTime() + EXPIRY_NOTICE_DAYS * 86_400_000).toISOString().slice(0, 10);
  let announced = 0;
  for (const kind of ['warranty', 'contract'] as const) {
    const column = COLUMN[kind];
    const due = await ctx.db
      .selectFrom('asset')
      .leftJoin('asset_expiry_notice as n', (join) =>
        join
          .onRef('n.asset_id', '=', 'asset.id')
          .on('n.kind', '=', kind)
          .onRef('n.end_date', '=', `asset.${column}`),
      )
      .select(['asset.id', 'asset.org_id', 'asset.name', `asset.${column} as end_date`])
      .where('asset.deleted_at', 'is', null)
      .where('asset.status', 'not in', ['retired', 'awaiting_disposal', 'disposed'])
      .where(`asset.${column}`, '>=', today)
      .where(`asset.${column}`, '<=', horizon)
      .where('n.asset_id', 'is', null)
      .limit(5000)
      .execute();
    for (const row of due) {
      const endDate = row.end_date as string;
      await inTransaction(ctx, async (tx) => {
        await tx.db
          .insertInto('asset_expiry_notice')
          .values({ asset_id: row.id, kind, end_date: endDate, notified_at: tx.now.toISOString() })
          .execute();
        await publish(tx, {
          type: `asset.${kind}_expiring`,
          orgId: row.org_id,
          payload: {
            assetId: row.id,
            name: row.name,
            endDate,
            daysLeft: Math.round((Date.parse(endDate) - Date.parse(today)) / 86_400_000),
          },
        });
      });
      announced++;
    }
  }
  return announced;
}
