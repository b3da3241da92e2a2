import { type Expression, type SqlBool, sql } from 'kysely';
import type { DiagnosticStatus } from '../../../shared/schemas/diagnostics.js';
import type { Ctx } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { keysetAfter, type OrgScope } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type {
  DiagnosticNodeTable,
  DiagnosticTreeTable,
  DiagnosticTreeVersionTable,
} from './diagnostics.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

/** What a reader may list: every tree of the organisations in `manage`, the published ones of `publishedOnly`. */
export type TreeScope = { manage: OrgScope; publishedOnly: readonly string[] };

export type TreeFilter = {
  scope: TreeScope;
  orgId?: string | undefined;
  /** Left out: every status but archived. */
  status?: DiagnosticStatus | undefined;
  /** Folded. */
  q?: string | undefined;
  after?: readonly [string, string] | undefined;
  limit: number;
};

// --- trees ---------------------------------------------------------------------------------------

export async function findTree(ctx: DbCtx, id: string): Promise<DiagnosticTreeTable | undefined> {
  return ctx.db
    .selectFrom('diagnostic_tree')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertTree(ctx: DbCtx, row: DiagnosticTreeTable): Promise<void> {
  await ctx.db.insertInto('diagnostic_tree').values(row).execute();
}

export async function updateTree(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<DiagnosticTreeTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'diagnostic_tree', id, version, set);
}

/** A draft goes entirely: its nodes, then the tree (drafts have no published snapshot). */
export async function deleteTree(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('diagnostic_node').where('tree_id', '=', id).execute();
  await ctx.db.deleteFrom('diagnostic_tree_version').where('tree_id', '=', id).execute();
  await ctx.db.deleteFrom('diagnostic_tree').where('id', '=', id).execute();
}

/** By folded title, keyset-paged on (title_search, id). */
export async function listTrees(ctx: DbCtx, f: TreeFilter): Promise<DiagnosticTreeTable[]> {
  let q = ctx.db.selectFrom('diagnostic_tree').selectAll().where('deleted_at', 'is', null);
  const { manage, publishedOnly } = f.scope;
  if (manage !== 'all') {
    q = q.where((eb) => {
      const parts: Expression<SqlBool>[] = [];
      if (manage.length > 0) parts.push(eb('org_id', 'in', manage as string[]));
      if (publishedOnly.length > 0) {
        parts.push(eb.and([eb('org_id', 'in', publishedOnly as string[]), eb('status', '=', 'published')]));
      }
      return parts.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(parts);
    });
  }
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  q = f.status ? q.where('status', '=', f.status) : q.where('status', '!=', 'archived');
  if (f.q) q = q.where(ctx.dialect.containsInsensitive(sql.ref('title_search'), f.q));
  if (f.after) q = q.where(keysetAfter('title_search', 'id', f.after));
  return q.orderBy('title_search').orderBy('id').limit(f.limit).execute();
}

// --- nodes ---------------------------------------------------------------------------------------

export async function listNodes(ctx: DbCtx, treeId: string): Promise<DiagnosticNodeTable[]> {
  return ctx.db
    .selectFrom('diagnostic_node')
    .selectAll()
    .where('tree_id', '=', treeId)
    .orderBy('position')
    .execute();
}

/** The working document is saved as a whole: the old nodes go, the new ones come. */
export async function replaceNodes(ctx: DbCtx, treeId: string, rows: DiagnosticNodeTable[]): Promise<void> {
  await ctx.db.deleteFrom('diagnostic_node').where('tree_id', '=', treeId).execute();
  await inChunks(rows, (chunk) => ctx.db.insertInto('diagnostic_node').values(chunk).execute());
}

// --- published snapshots -------------------------------------------------------------------------

export async function insertVersion(ctx: DbCtx, row: DiagnosticTreeVersionTable): Promise<void> {
  await ctx.db.insertInto('diagnostic_tree_version').values(row).execute();
}

export async function findVersion(
  ctx: DbCtx,
  treeId: string,
  version: number,
): Promise<DiagnosticTreeVersionTable | undefined> {
  return ctx.db
    .selectFrom('diagnostic_tree_version')
    .selectAll()
    .where('tree_id', '=', treeId)
    .where('version', '=', version)
    .executeTakeFirst();
}
