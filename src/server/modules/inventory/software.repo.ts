import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import type { SoftwareInstallationTable } from './inventory.tables.js';

/**
 * The software catalogue, installations and the version index. An inventory writes about a thousand
 * installations: those statements bind their rows as one parameter per column (`rowSet`), so a
 * statement's text, and SQLite's prepared statement, is the same for any number of rows, and Kysely's
 * builder never walks thousands of values.
 */

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- catalogue -------------------------------------------------------------------------------------

export type CatalogueHit = {
  match_key: string;
  version: string;
  software_id: string;
  version_id: string | null;
};

/**
 * The catalogue ids of (match key, version) pairs: the software's when it exists, and its version's.
 * CROSS JOIN makes SQLite walk the pairs and probe the catalogue's keys, not the other way round.
 */
export async function lookupCatalogue(
  ctx: DbCtx,
  orgId: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<CatalogueHit[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<CatalogueHit>`
    SELECT p.c0 AS match_key, p.c1 AS version, s.id AS software_id, v.id AS version_id
    FROM ${ctx.dialect.rowSet(pairs, 2)} AS p
    CROSS JOIN software s
    LEFT JOIN software_version v ON v.software_id = s.id AND v.version = p.c1
    WHERE s.org_id = ${orgId} AND s.match_key = p.c0`.execute(ctx.db);
  return rows;
}

/** New catalogue entries [id, publisher, name, match key]; one another writer just added is kept. */
export async function insertSoftware(
  ctx: DbCtx,
  orgId: string,
  rows: ReadonlyArray<readonly [string, string, string, string]>,
  now: string,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO software (id, org_id, publisher, name, match_key, created_at)
    SELECT c0, ${orgId}, c1, c2, c3, ${ctx.dialect.timestampValue(now)} FROM ${ctx.dialect.rowSet(rows, 4)} AS p WHERE true
    ON CONFLICT (org_id, match_key) DO NOTHING`.execute(ctx.db);
}

/** New versions [id, software id, version]; one another writer just added is kept. */
export async function insertVersions(
  ctx: DbCtx,
  rows: ReadonlyArray<readonly [string, string, string]>,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO software_version (id, software_id, version)
    SELECT c0, c1, c2 FROM ${ctx.dialect.rowSet(rows, 3)} AS p WHERE true
    ON CONFLICT (software_id, version) DO NOTHING`.execute(ctx.db);
}

// --- installations ---------------------------------------------------------------------------------

export async function installationsOf(
  ctx: DbCtx,
  assetId: string,
): Promise<Array<Pick<SoftwareInstallationTable, 'version_id' | 'arch'>>> {
  return ctx.db
    .selectFrom('software_installation')
    .select(['version_id', 'arch'])
    .where('asset_id', '=', assetId)
    .execute();
}

/** Installations of one asset: [version id, arch, installed on], in key order (appended pages). */
export async function insertInstallations(
  ctx: DbCtx,
  r: { assetId: string; now: string; rows: ReadonlyArray<readonly [string, string, string | null]> },
): Promise<void> {
  if (r.rows.length === 0) return;
  await sql`
    INSERT INTO software_installation (asset_id, version_id, arch, installed_on, first_seen_at)
    SELECT ${r.assetId}, c0, c1, c2, ${ctx.dialect.timestampValue(r.now)} FROM ${ctx.dialect.rowSet(r.rows, 3)} AS p
    ORDER BY c0, c1`.execute(ctx.db);
}

/** Removes installations of one asset: [version id, arch]. */
export async function deleteInstallations(
  ctx: DbCtx,
  assetId: string,
  keys: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    DELETE FROM software_installation
    WHERE asset_id = ${assetId} AND (version_id, arch) IN (SELECT c0, c1 FROM ${ctx.dialect.rowSet(keys, 2)} AS p)`.execute(
    ctx.db,
  );
}

// --- the version index -----------------------------------------------------------------------------

/**
 * Whether software_version_asset is written in batches from software_index_queue (SQLite), or is a
 * view over the installations' own (version, asset) index (PostgreSQL). See migration 0014.
 */
export function indexDeferred(ctx: DbCtx): boolean {
  return ctx.dialect.name === 'sqlite';
}

/** Installations whose index entries are still to write: one row per software sync (SQLite). */
export async function queueIndex(
  ctx: DbCtx,
  row: { id: string; assetId: string; entries: Array<readonly [string, string]> | null; at: string },
): Promise<void> {
  await ctx.db
    .insertInto('software_index_queue')
    .values({
      id: row.id,
      asset_id: row.assetId,
      entries: row.entries && JSON.stringify(row.entries),
      queued_at: row.at,
    })
    .execute();
}

export async function indexQueueLength(ctx: DbCtx): Promise<number> {
  const row = await ctx.db
    .selectFrom('software_index_queue')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type QueuedSync = { asset_id: string; entries: string | null };

/**
 * Takes the oldest queued syncs off the queue (SQLite). Deleting first takes the write lock at once:
 * a merge in another process (`parc inventory import`) then waits instead of failing to upgrade a
 * read lock.
 */
export async function takeIndexBatch(ctx: DbCtx, limit: number): Promise<QueuedSync[]> {
  const { rows } = await sql<QueuedSync>`
    DELETE FROM software_index_queue
    WHERE id IN (SELECT id FROM software_index_queue ORDER BY id LIMIT ${limit})
    RETURNING asset_id, entries`.execute(ctx.db);
  return rows;
}

/**
 * Writes taken syncs into the version index (SQLite), in SQL: a first sync's installations as they
 * are now; each key a later sync touched, added if the asset has it now and removed if not, so the
 * order syncs are merged in does not matter. Rows go in index order, each index page then touched
 * once for the whole batch.
 */
export async function mergeIntoIndex(ctx: DbCtx, batch: QueuedSync[]): Promise<void> {
  if (batch.length === 0) return;
  // [[asset id, [[version id, arch], …] or null], …]
  const syncs = `[${batch.map((b) => `[${JSON.stringify(b.asset_id)},${b.entries ?? 'null'}]`).join(',')}]`;
  const installed = sql`EXISTS (SELECT 1 FROM software_installation i
    WHERE i.asset_id = b.value ->> 0 AND i.version_id = e.value ->> 0 AND i.arch = e.value ->> 1)`;
  const touched = sql`json_each(${syncs}) AS b CROSS JOIN json_each(b.value, '$[1]') AS e
    WHERE json_type(b.value, '$[1]') = 'array'`;
  await sql`
    DELETE FROM software_version_asset WHERE (version_id, asset_id, arch) IN (
      SELECT e.value ->> 0, b.value ->> 0, e.value ->> 1 FROM ${touched} AND NOT ${installed})`.execute(
    ctx.db,
  );
  await sql`
    INSERT INTO software_version_asset (version_id, asset_id, arch)
    SELECT version_id, asset_id, arch FROM (
      SELECT i.version_id, i.asset_id, i.arch
      FROM json_each(${syncs}) AS b CROSS JOIN software_installation i
      WHERE json_type(b.value, '$[1]') = 'null' AND i.asset_id = b.value ->> 0
      UNION
      SELECT e.value ->> 0, b.value ->> 0, e.value ->> 1 FROM ${touched} AND ${installed}
    ) WHERE true
    ORDER BY version_id, asset_id, arch
    ON CONFLICT (version_id, asset_id, arch) DO NOTHING`.execute(ctx.db);
}

// --- reading ---------------------------------------------------------------------------------------

export async function listSoftware(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    q?: string | undefined;
    after?: [string, string] | undefined;
    limit: number;
  },
) {
  let q = whereOrg(ctx.db.selectFrom('software').selectAll(), 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.q) q = q.where(ctx.dialect.containsInsensitive(sql.ref('match_key'), f.q));
  if (f.after) q = q.where(keysetAfter('name', 'id', f.after, 'asc'));
  return q.orderBy('name').orderBy('id').limit(f.limit).execute();
}

export async function findSoftware(ctx: DbCtx, id: string) {
  return ctx.db.selectFrom('software').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Each version of a software with the number of assets it is installed on, from the index. */
export async function versionsOf(ctx: DbCtx, softwareId: string) {
  return ctx.db
    .selectFrom('software_version as v')
    .leftJoin('software_version_asset as i', 'i.version_id', 'v.id')
    .select(['v.id', 'v.version', sql<number>`count(i.version_id)`.as('installations')])
    .where('v.software_id', '=', softwareId)
    .groupBy(['v.id', 'v.version'])
    .orderBy('v.version')
    .execute();
}

export async function findVersion(ctx: DbCtx, id: string) {
  return ctx.db
    .selectFrom('software_version as v')
    .innerJoin('software as s', 's.id', 'v.software_id')
    .select(['v.id', 'v.version', 's.id as software_id', 's.name', 's.publisher', 's.org_id'])
    .where('v.id', '=', id)
    .executeTakeFirst();
}

/** The assets a version is installed on, from the index, in asset id order. */
export async function installationsOfVersion(
  ctx: DbCtx,
  versionId: string,
  f: { after?: string | undefined; limit: number },
) {
  let q = ctx.db
    .selectFrom('software_version_asset as x')
    .innerJoin('software_installation as i', (j) =>
      j
        .onRef('i.asset_id', '=', 'x.asset_id')
        .onRef('i.version_id', '=', 'x.version_id')
        .onRef('i.arch', '=', 'x.arch'),
    )
    .select(['x.asset_id', 'x.arch', 'i.installed_on', 'i.first_seen_at'])
    .where('x.version_id', '=', versionId);
  if (f.after) q = q.where('x.asset_id', '>', f.after);
  return q.orderBy('x.asset_id').limit(f.limit).execute();
}

/** Installed software of an asset, with names, for its inventory tab. */
export async function softwareOfAsset(ctx: DbCtx, assetId: string) {
  return ctx.db
    .selectFrom('software_installation as i')
    .innerJoin('software_version as v', 'v.id', 'i.version_id')
    .innerJoin('software as s', 's.id', 'v.software_id')
    .select([
      's.id as software_id',
      's.name',
      's.publisher',
      'v.id as version_id',
      'v.version',
      'i.arch',
      'i.installed_on',
    ])
    .where('i.asset_id', '=', assetId)
    .orderBy('s.name')
    .execute();
}
