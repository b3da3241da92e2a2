import { can } from '../../../shared/policy.js';
import {
  DISPOSAL_CHANNELS,
  type DisposalChannel,
  type TDisposalReport,
  WIPE_METHODS,
} from '../../../shared/schemas/disposal.js';
import type { Ctx } from '../../context.js';
import { type CsvDialect, csvWriter } from '../../http/csv.js';
import { AppError, forbidden, notFound } from '../../http/errors.js';
import { listAssetTypes } from '../assets/index.js';
import * as repo from './disposal.repo.js';

/**
 * The environmental report: what left in the batches handed over between two days (both included),
 * counted and weighed per channel and per asset type, and how the storage media among them were wiped.
 */
export async function disposalReport(
  ctx: Ctx,
  q: { orgId: string; from: string; to: string },
): Promise<TDisposalReport> {
  const actor = ctx.actor;
  if (!actor) throw new Error('this operation needs an authenticated actor');
  if (!can(actor, 'org.read', { orgId: q.orgId })) throw notFound('org');
  if (!can(actor, 'disposal.read', { orgId: q.orgId })) throw forbidden();
  if (q.to < q.from) {
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'to', code: 'before_from' }]);
  }
  const [byType, batches, wipes] = await Promise.all([
    repo.handedOverByType(ctx, q.orgId, q.from, q.to),
    repo.batchesHandedOver(ctx, q.orgId, q.from, q.to),
    repo.wipeMethodsHandedOver(ctx, q.orgId, q.from, q.to),
  ]);
  const channels = DISPOSAL_CHANNELS.map((channel) => {
    const rows = byType.filter((r) => r.channel === channel);
    return {
      channel,
      batches: batches.get(channel) ?? 0,
      items: rows.reduce((s, r) => s + r.items, 0),
      weightKg: rows.reduce((s, r) => s + r.grams, 0) / 1000,
      unweighed: rows.reduce((s, r) => s + r.unweighed, 0),
    };
  });
  return {
    orgId: q.orgId,
    from: q.from,
    to: q.to,
    channels,
    byType: byType
      .map((r) => ({
        channel: r.channel as DisposalChannel,
        typeId: r.typeId,
        items: r.items,
        weightKg: r.grams / 1000,
      }))
      .sort(
        (a, b) => a.channel.localeCompare(b.channel) || b.items - a.items || a.typeId.localeCompare(b.typeId),
      ),
    dataBearing: byType.reduce((s, r) => s + r.dataBearing, 0),
    wipes: WIPE_METHODS.filter((m) => wipes.has(m)).map((method) => ({ method, items: wipes.get(method)! })),
    total: {
      items: channels.reduce((s, c) => s + c.items, 0),
      weightKg: channels.reduce((s, c) => s + c.weightKg, 0),
    },
  };
}

const CSV_LABELS = {
  fr: {
    header: ['Filière', 'Type', 'Équipements', 'Poids (kg)'],
    channels: { reuse: 'Réemploi', refurbish: 'Reconditionnement', recycle: 'Recyclage DEEE' },
    total: 'Total',
  },
  en: {
    header: ['Channel', 'Type', 'Items', 'Weight (kg)'],
    channels: { reuse: 'Reuse', refurbish: 'Refurbishment', recycle: 'WEEE recycling' },
    total: 'Total',
  },
} as const;

/** The report as CSV: one row per channel and asset type, then each channel's total. */
export async function disposalReportCsv(
  ctx: Ctx,
  r: TDisposalReport,
  dialect: CsvDialect,
  locale: 'fr' | 'en',
): Promise<string> {
  const labels = CSV_LABELS[locale];
  const types = new Map(
    (await listAssetTypes(ctx, { orgId: r.orgId })).items.map((t) => [t.id, t.name[locale]] as const),
  );
  const csv = csvWriter(dialect);
  let out = csv.preamble + csv.row([...labels.header]);
  for (const row of r.byType) {
    out += csv.row([
      labels.channels[row.channel],
      types.get(row.typeId) ?? row.typeId,
      row.items,
      row.weightKg,
    ]);
  }
  for (const c of r.channels) out += csv.row([labels.channels[c.channel], labels.total, c.items, c.weightKg]);
  return out;
}
