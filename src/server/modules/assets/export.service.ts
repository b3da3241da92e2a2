import type { TAsset } from '../../../shared/schemas/assets.js';
import type { Ctx } from '../../context.js';
import { type CsvDialect, csvWriter } from '../../http/csv.js';
import { getUser } from '../orgs/index.js';
import { listAssets } from './assets.service.js';
import { findAssetType } from './catalogue.service.js';
import { getLocation } from './locations.service.js';

type ListQuery = Parameters<typeof listAssets>[1];

const HEADERS = {
  fr: [
    'Identifiant',
    'Nom',
    'N° d’inventaire',
    'N° de série',
    'Type',
    'Statut',
    'Emplacement',
    'Utilisateur',
    'Achat',
    'Fin de garantie',
    'Fin de contrat',
    'Notes',
  ],
  en: [
    'Id',
    'Name',
    'Asset tag',
    'Serial',
    'Type',
    'Status',
    'Location',
    'User',
    'Purchased',
    'Warranty end',
    'Contract end',
    'Notes',
  ],
};

/**
 * The asset list of the current view (same filters and order) as CSV, page by page, so a whole
 * fleet exports without loading it at once. Names replace ids; lookups are cached per export.
 */
export async function* exportAssetsCsv(
  ctx: Ctx,
  query: Omit<ListQuery, 'limit' | 'cursor'>,
  opts: { dialect: CsvDialect; locale: 'fr' | 'en' },
): AsyncGenerator<string> {
  const csv = csvWriter(opts.dialect);
  const cache = new Map<string, Promise<string>>();
  const cached = (key: string, load: () => Promise<string>) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = load().catch(() => '');
      cache.set(key, hit);
    }
    return hit;
  };
  const typeName = (a: TAsset) =>
    cached(
      `t:${a.orgId}:${a.typeId}`,
      async () => (await findAssetType(ctx, a.orgId, a.typeId))?.name[opts.locale] ?? a.typeId,
    );
  const locationName = (id: string | null) =>
    id
      ? cached(`l:${id}`, async () => (await getLocation(ctx, id)).breadcrumb.map((c) => c.name).join(' / '))
      : Promise.resolve('');
  const userEmail = (id: string | null) =>
    id ? cached(`u:${id}`, async () => (await getUser(ctx, id)).email) : Promise.resolve('');

  yield csv.preamble + csv.row(HEADERS[opts.locale]);
  let cursor: string | undefined;
  do {
    const page = await listAssets(ctx, { ...query, limit: 200, cursor });
    let chunk = '';
    for (const a of page.items) {
      chunk += csv.row([
        a.id,
        a.name,
        a.assetTag,
        a.serial,
        await typeName(a),
        a.status,
        await locationName(a.locationId),
        await userEmail(a.assignedUserId),
        a.purchaseDate,
        a.warrantyEnd,
        a.contractEnd,
        a.notes,
      ]);
    }
    yield chunk;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
