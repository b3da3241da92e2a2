import { sql } from 'kysely';
import type { TAssetType, TCustomField, TModel, TParty } from '../../../shared/schemas/assets.js';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { fromJson, toBool } from '../../db/values.js';
import { updateVersioned } from '../../db/versioned.js';
import type { AssetModelTable, AssetTypeTable, PartyTable } from './assets.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;
type Cursor = Array<string | number | null> | undefined;

/** Manufacturers and suppliers share one shape and one set of queries. */
export type PartyKind = 'manufacturer' | 'supplier';

// --- manufacturers and suppliers -----------------------------------------------------------------

export function toParty(row: PartyTable): TParty {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    website: row.website,
    contactEmail: row.contact_email,
    phone: row.phone,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

// Both tables have the PartyTable type; naming one of them keeps Kysely's types simple.
const partyTable = (kind: PartyKind) => kind as 'manufacturer';

export async function findParty(ctx: DbCtx, kind: PartyKind, id: string): Promise<PartyTable | undefined> {
  return ctx.db
    .selectFrom(partyTable(kind))
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A live record of the organisation with this name, whatever its case. */
export async function findPartyByName(
  ctx: DbCtx,
  kind: PartyKind,
  orgId: string,
  name: string,
): Promise<PartyTable | undefined> {
  return ctx.db
    .selectFrom(partyTable(kind))
    .selectAll()
    .where('org_id', '=', orgId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listParties(
  ctx: DbCtx,
  kind: PartyKind,
  f: { scope: OrgScope; orgId?: string | undefined; q?: string | undefined; after: Cursor; limit: number },
): Promise<PartyTable[]> {
  let qb = ctx.db.selectFrom(partyTable(kind)).selectAll().where('deleted_at', 'is', null);
  qb = whereOrg(qb, 'org_id', f.scope);
  if (f.orgId) qb = qb.where('org_id', '=', f.orgId);
  if (f.q) {
    const q = f.q;
    qb = qb.where((eb) => ctx.dialect.containsInsensitive(eb.ref('name'), q));
  }
  if (f.after) qb = qb.where(keysetAfter('name', 'id', f.after as [string, string]));
  return qb.orderBy('name').orderBy('id').limit(f.limit).execute();
}

export async function insertParty(ctx: DbCtx, kind: PartyKind, row: PartyTable): Promise<void> {
  await ctx.db.insertInto(partyTable(kind)).values(row).execute();
}

export async function updateParty(
  ctx: DbCtx,
  kind: PartyKind,
  id: string,
  version: number,
  set: Partial<Omit<PartyTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, partyTable(kind), id, version, set);
}

/** Live records still pointing at a manufacturer (models) or a supplier (assets). */
export async function countPartyUses(ctx: DbCtx, kind: PartyKind, id: string): Promise<number> {
  const row =
    kind === 'manufacturer'
      ? await ctx.db
          .selectFrom('asset_model')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('manufacturer_id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow()
      : await ctx.db
          .selectFrom('asset')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('supplier_id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- models --------------------------------------------------------------------------------------

export type ModelRow = AssetModelTable & { manufacturer_name: string };

export function toModel(row: ModelRow): TModel {
  return {
    id: row.id,
    orgId: row.org_id,
    manufacturerId: row.manufacturer_id,
    manufacturerName: row.manufacturer_name,
    typeId: row.type_id,
    name: row.name,
    partNumber: row.part_number,
    specs: fromJson<Record<string, string>>(row.specs) ?? {},
    lifetimeMonths: row.lifetime_months,
    powerWatts: row.power_watts,
    boxContents: fromJson<string[]>(row.box_contents) ?? [],
    installSteps: fromJson<string[]>(row.install_steps) ?? [],
    notice: row.notice_sha256 ? { name: row.notice_name ?? 'notice.pdf', sha256: row.notice_sha256 } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function selectModels(ctx: DbCtx) {
  return ctx.db
    .selectFrom('asset_model')
    .innerJoin('manufacturer', 'manufacturer.id', 'asset_model.manufacturer_id')
    .selectAll('asset_model')
    .select('manufacturer.name as manufacturer_name')
    .where('asset_model.deleted_at', 'is', null);
}

export async function findModel(ctx: DbCtx, id: string): Promise<ModelRow | undefined> {
  return selectModels(ctx).where('asset_model.id', '=', id).executeTakeFirst();
}

export async function findModelByName(
  ctx: DbCtx,
  f: { orgId: string; manufacturerId: string; name: string },
): Promise<ModelRow | undefined> {
  return selectModels(ctx)
    .where('asset_model.org_id', '=', f.orgId)
    .where('asset_model.manufacturer_id', '=', f.manufacturerId)
    .where(sql`lower(asset_model.name)`, '=', f.name.toLowerCase())
    .executeTakeFirst();
}

export async function listModels(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    manufacturerId?: string | undefined;
    typeId?: string | undefined;
    q?: string | undefined;
    after: Cursor;
    limit: number;
  },
): Promise<ModelRow[]> {
  let qb = whereOrg(selectModels(ctx), 'asset_model.org_id', f.scope);
  if (f.orgId) qb = qb.where('asset_model.org_id', '=', f.orgId);
  if (f.manufacturerId) qb = qb.where('asset_model.manufacturer_id', '=', f.manufacturerId);
  if (f.typeId) qb = qb.where('asset_model.type_id', '=', f.typeId);
  if (f.q) {
    const q = f.q;
    qb = qb.where((eb) =>
      eb.or([
        ctx.dialect.containsInsensitive(eb.ref('asset_model.name'), q),
        ctx.dialect.containsInsensitive(eb.ref('asset_model.part_number'), q),
        ctx.dialect.containsInsensitive(eb.ref('manufacturer.name'), q),
      ]),
    );
  }
  if (f.after) qb = qb.where(keysetAfter('asset_model.name', 'asset_model.id', f.after as [string, string]));
  return qb.orderBy('asset_model.name').orderBy('asset_model.id').limit(f.limit).execute();
}

export async function insertModel(ctx: DbCtx, row: AssetModelTable): Promise<void> {
  await ctx.db.insertInto('asset_model').values(row).execute();
}

export async function updateModel(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<AssetModelTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'asset_model', id, version, set);
}

export async function countModelUses(ctx: DbCtx, id: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('asset')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('model_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- asset types ---------------------------------------------------------------------------------

export function toAssetType(row: AssetTypeTable): TAssetType {
  return {
    id: row.id,
    orgId: row.org_id,
    code: row.code,
    category: row.category as TAssetType['category'],
    name: { fr: row.name_fr, en: row.name_en },
    customFields: fromJson<TCustomField[]>(row.custom_fields) ?? [],
    builtIn: toBool(row.built_in),
    version: row.version,
  };
}

export async function findAssetType(ctx: DbCtx, id: string): Promise<AssetTypeTable | undefined> {
  return ctx.db
    .selectFrom('asset_type')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Built-in types plus those of the organisations in scope (or of one of them). */
export async function listAssetTypes(
  ctx: DbCtx,
  f: { scope: OrgScope; orgId?: string | undefined },
): Promise<AssetTypeTable[]> {
  let own = ctx.db.selectFrom('asset_type').select('id').where('org_id', 'is not', null);
  own = whereOrg(own, 'org_id', f.scope);
  if (f.orgId) own = own.where('org_id', '=', f.orgId);
  return ctx.db
    .selectFrom('asset_type')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('org_id', 'is', null), eb('id', 'in', own)]))
    .orderBy('built_in', 'desc')
    .orderBy('code')
    .execute();
}

/** A live type with this code that `orgId` would see (built-in or its own). */
export async function findAssetTypeByCode(
  ctx: DbCtx,
  orgId: string,
  code: string,
): Promise<AssetTypeTable | undefined> {
  return ctx.db
    .selectFrom('asset_type')
    .selectAll()
    .where('code', '=', code)
    .where((eb) => eb.or([eb('org_id', 'is', null), eb('org_id', '=', orgId)]))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertAssetType(ctx: DbCtx, row: AssetTypeTable): Promise<void> {
  await ctx.db.insertInto('asset_type').values(row).execute();
}

export async function updateAssetType(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<AssetTypeTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'asset_type', id, version, set);
}
