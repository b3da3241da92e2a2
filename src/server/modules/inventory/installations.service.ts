import { uuidv7 } from 'uuidv7';
import { type Ctx, inTransaction } from '../../context.js';
import type { Inventory } from './formats/inventory.js';
import { type SoftwareItem, softwareOf } from './reconcile.js';
import * as repo from './software.repo.js';

/**
 * An asset's installed software and the index of "where is version X installed".
 *
 * Installations are keyed by (asset, version, arch): a new asset's thousand rows go in one place.
 * Indexed by version, they would go to a thousand scattered places per inventory. PostgreSQL takes
 * that well; on SQLite each is a dirty page written to the WAL and checkpointed (it cost more than
 * everything else an inventory writes), so there a sync queues the keys it touched and
 * `mergeSoftwareIndex` writes them for many inventories at once, each index page then touched once
 * per batch. Readers of the index merge the queue first, so they never see it behind.
 */

/** Queued syncs that make a batch worth writing; an ingest that reaches it merges after its commit. */
export const INDEX_BATCH = 128;
/** Queued syncs written per transaction (about a thousand entries each). */
const MERGE_CHUNK = 256;

/**
 * Version ids by organisation, match key and version, per database, only ids already committed:
 * software and versions are never deleted or re-keyed, so such an id stays right, and a fleet's
 * inventories mostly name software the catalogue knows.
 */
export type CatalogueCache = Map<string, Map<string, Map<string, string>>>;
/** Catalogue ids a transaction used: [match key, version, version id]. */
export type Learned = { orgId: string; ids: Array<[string, string, string]> };
const CACHE_LIMIT = 200_000;
const caches = new WeakMap<object, CatalogueCache>();
/** Entries in each cache, all organisations together. */
const cacheSizes = new WeakMap<CatalogueCache, number>();

/** The catalogue cache of the database `db` (not a transaction's: what it sees may roll back). */
export function catalogueCacheOf(db: Ctx['db']): CatalogueCache | undefined {
  if (db.isTransaction) return undefined;
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

/** Ids a transaction used, into the cache once it has committed. */
export function rememberCatalogue(cache: CatalogueCache | undefined, learned: Learned | undefined): void {
  if (!cache || !learned || learned.ids.length === 0) return;
  const size = (cacheSizes.get(cache) ?? 0) + learned.ids.length;
  if (size > CACHE_LIMIT) cache.clear();
  cacheSizes.set(cache, size > CACHE_LIMIT ? learned.ids.length : size);
  let keys = cache.get(learned.orgId);
  if (!keys) {
    keys = new Map();
    cache.set(learned.orgId, keys);
  }
  for (const [key, version, id] of learned.ids) {
    let versions = keys.get(key);
    if (!versions) {
      versions = new Map();
      keys.set(key, versions);
    }
    versions.set(version, id);
  }
}

const installKey = (versionId: string, arch: string) => `${versionId}\u0000${arch}`;

/**
 * The asset's installations follow the inventory's software list: added, removed, upgraded; the
 * catalogue gains the software and versions it did not know. Returns the catalogue ids it looked up
 * (for the cache, once committed) and whether the index queue has reached a batch (the caller merges
 * it after committing).
 */
export async function syncInstallations(
  tx: Ctx,
  r: {
    orgId: string;
    assetId: string;
    inventory: Inventory;
    /** `softwareOf(inventory)`, when already computed. */
    software?: Array<SoftwareItem & { key: string }> | undefined;
    /** The asset was created in this transaction: it has no installations yet. */
    newAsset?: boolean | undefined;
    cache?: CatalogueCache | undefined;
  },
): Promise<{ indexDue: boolean; learned: Learned }> {
  const now = tx.now.toISOString();
  const items = r.software ?? softwareOf(r.inventory);
  const { versionIds, learned } = await catalogueIds(tx, r, items, now);
  // softwareOf gives one item per (software, version, arch): one installation row each.
  const rows = items.map((s, i) => [versionIds[i]!, s.arch, s.installedOn ?? null] as const);
  const current = r.newAsset ? [] : await repo.installationsOf(tx, r.assetId);
  let added = rows;
  let removed: Array<[string, string]> = [];
  if (current.length > 0) {
    const wanted = new Set(rows.map(([versionId, arch]) => installKey(versionId, arch)));
    const have = new Set(current.map((c) => installKey(c.version_id, c.arch)));
    removed = current
      .filter((c) => !wanted.has(installKey(c.version_id, c.arch)))
      .map((c) => [c.version_id, c.arch]);
    added = rows.filter(([versionId, arch]) => !have.has(installKey(versionId, arch)));
  }
  if (removed.length === 0 && added.length === 0)
    return { indexDue: false, learned: { orgId: r.orgId, ids: learned } };
  await repo.deleteInstallations(tx, r.assetId, removed);
  await repo.insertInstallations(tx, { assetId: r.assetId, now, rows: added });
  if (!repo.indexDeferred(tx)) return { indexDue: false, learned: { orgId: r.orgId, ids: learned } };
  await repo.queueIndex(tx, {
    id: uuidv7(),
    assetId: r.assetId,
    // A first sync names no keys: the merge reads them all from the asset's installations.
    entries: current.length === 0 ? null : [...removed, ...added.map(([v, arch]) => [v, arch] as const)],
    at: now,
  });
  return {
    indexDue: (await repo.indexQueueLength(tx)) >= INDEX_BATCH,
    learned: { orgId: r.orgId, ids: learned },
  };
}

/** The version id of each item, created where missing; `learned`: those the cache did not have. */
async function catalogueIds(
  tx: Ctx,
  r: { orgId: string; cache?: CatalogueCache | undefined },
  items: Array<SoftwareItem & { key: string }>,
  now: string,
): Promise<{ versionIds: string[]; learned: Array<[string, string, string]> }> {
  const known = r.cache?.get(r.orgId);
  const versionIds: string[] = new Array(items.length);
  const wanted: number[] = [];
  items.forEach((s, i) => {
    const id = known?.get(s.key)?.get(s.version);
    if (id) versionIds[i] = id;
    else wanted.push(i);
  });
  if (wanted.length === 0) return { versionIds, learned: [] };
  const found = new Map<string, { softwareId: string; versions: Map<string, string> }>();
  const idOf = (i: number) => found.get(items[i]!.key)?.versions.get(items[i]!.version);
  const look = async (indexes: number[]) => {
    const hits = await repo.lookupCatalogue(
      tx,
      r.orgId,
      indexes.map((i) => [items[i]!.key, items[i]!.version] as const),
    );
    for (const h of hits) {
      let entry = found.get(h.match_key);
      if (!entry) {
        entry = { softwareId: h.software_id, versions: new Map() };
        found.set(h.match_key, entry);
      }
      if (h.version_id) entry.versions.set(h.version, h.version_id);
    }
  };
  const missing = () => wanted.filter((i) => !idOf(i));
  await look(wanted);
  if (missing().length > 0) {
    const newSoftware = new Map<string, readonly [string, string, string, string]>();
    for (const i of missing()) {
      const s = items[i]!;
      if (!found.has(s.key) && !newSoftware.has(s.key))
        newSoftware.set(s.key, [uuidv7(), s.publisher, s.name, s.key]);
    }
    await repo.insertSoftware(tx, r.orgId, [...newSoftware.values()], now);
    // Ids of the software just inserted (or inserted meanwhile by another writer).
    if (newSoftware.size > 0) await look(missing());
    const newVersions = new Map<string, readonly [string, string, string]>();
    for (const i of missing()) {
      const s = items[i]!;
      newVersions.set(`${s.key}\u0000${s.version}`, [uuidv7(), found.get(s.key)!.softwareId, s.version]);
    }
    await repo.insertVersions(tx, [...newVersions.values()]);
    await look(missing());
  }
  const learned: Array<[string, string, string]> = [];
  for (const i of wanted) {
    const id = idOf(i)!;
    versionIds[i] = id;
    learned.push([items[i]!.key, items[i]!.version, id]);
  }
  return { versionIds, learned };
}

/**
 * Writes queued syncs into the version index (SQLite; on PostgreSQL the index is always current).
 * Readers of the index call it first; an ingest calls it once a batch has queued.
 */
export async function mergeSoftwareIndex(ctx: Ctx): Promise<void> {
  if (!repo.indexDeferred(ctx)) return;
  for (;;) {
    const taken = await inTransaction(ctx, async (tx) => {
      const batch = await repo.takeIndexBatch(tx, MERGE_CHUNK);
      await repo.mergeIntoIndex(tx, batch);
      return batch.length;
    });
    if (taken < MERGE_CHUNK) return;
  }
}
