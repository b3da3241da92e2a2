import type { AssetStatus, TAsset } from '../../../shared/schemas/assets.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { type AssetInput, changeStatus, getAsset, updateAsset } from './assets.service.js';

export type BulkPatch = Partial<
  Pick<AssetInput, 'locationId' | 'assignedUserId' | 'supplierId' | 'warrantyEnd' | 'contractEnd' | 'notes'>
> & { status?: AssetStatus | undefined };

/**
 * One change applied to a selection, all or nothing: each asset goes through the same rules, history
 * and audit as a single edit. Every asset that cannot take the change is listed (`ids.<i>`), and then
 * nothing is written.
 */
export async function bulkUpdateAssets(
  ctx: Ctx,
  ids: string[],
  patch: BulkPatch,
): Promise<{ updated: number; unchanged: number }> {
  const { status, ...fields } = patch;
  return inTransaction(ctx, async (tx) => {
    const failures: Array<{ path: string; code: string; message?: string }> = [];
    let updated = 0;
    let unchanged = 0;
    for (const [i, id] of [...new Set(ids)].entries()) {
      try {
        let asset: TAsset = await getAsset(tx, id);
        const before = asset.version;
        // Assets moved to another location leave their rack slot (a bulk edit never places in a rack).
        const moved = fields.locationId !== undefined && fields.locationId !== asset.locationId;
        const change = moved ? { ...fields, rackPosition: null, rackHeight: null } : fields;
        if (Object.keys(fields).length > 0) asset = await updateAsset(tx, id, asset.version, change);
        if (status && status !== asset.status)
          asset = await changeStatus(tx, id, asset.version, { status, note: 'bulk edit' });
        if (asset.version === before) unchanged++;
        else updated++;
      } catch (err) {
        // Service rules fail before any statement runs, so the transaction is still usable.
        if (!(err instanceof AppError)) throw err;
        const reason = err.fieldErrors[0]?.code ?? err.code;
        failures.push({ path: `ids.${i}`, code: reason });
      }
    }
    if (failures.length > 0)
      throw new AppError('asset.bulk_failed', 422, { count: failures.length }, {}, failures);
    return { updated, unchanged };
  });
}
