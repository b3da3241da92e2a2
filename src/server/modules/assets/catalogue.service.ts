import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { TAssetType, TCustomField, TModel, TParty } from '../../../shared/schemas/assets.js';
import type { Page } from '../../../shared/schemas/common.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { toJson } from '../../db/values.js';
import { AppError, forbidden, invalid, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { readFile, storeFile } from '../files/index.js';
import { getOrganisation } from '../orgs/index.js';
import type { AssetModelTable, AssetTypeTable, PartyTable } from './assets.tables.js';
import type { PartyKind } from './catalogue.repo.js';
import * as repo from './catalogue.repo.js';

type ListQuery = {
  orgId?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

function duplicate(field: string): AppError {
  return new AppError('conflict.duplicate', 409, { field }, {}, [{ path: field, code: 'duplicate' }]);
}

/** Who may write in `orgId`: 404 when the organisation is not theirs to see, 403 when read-only. */
async function assertCanWrite(ctx: Ctx, orgId: string, action: 'catalogue.manage' | 'asset_type.manage') {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, action, { orgId })) throw forbidden();
  await getOrganisation(ctx, orgId);
}

// --- manufacturers and suppliers -----------------------------------------------------------------

export type PartyInput = {
  orgId: string;
  name: string;
  website: string | null;
  contactEmail: string | null;
  phone: string | null;
  notes: string;
};
export type PartyPatch = Partial<Omit<PartyInput, 'orgId'>>;

async function visibleParty(ctx: Ctx, kind: PartyKind, id: string): Promise<PartyTable> {
  const actor = requireActor(ctx);
  const row = await repo.findParty(ctx, kind, id);
  if (!row || !can(actor, 'asset.read', { orgId: row.org_id })) throw notFound(kind);
  return row;
}

export async function listParties(ctx: Ctx, kind: PartyKind, q: ListQuery): Promise<Page<TParty>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  const rows = await repo.listParties(ctx, kind, {
    scope: orgsWhere(actor, 'asset.read'),
    orgId: q.orgId,
    q: q.q,
    after: decodeCursor(q.cursor, 2),
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, repo.toParty, (r) => [r.name, r.id]);
}

export async function getParty(ctx: Ctx, kind: PartyKind, id: string): Promise<TParty> {
  return repo.toParty(await visibleParty(ctx, kind, id));
}

export async function createParty(ctx: Ctx, kind: PartyKind, input: PartyInput): Promise<TParty> {
  return inTransaction(ctx, async (tx) => {
    await assertCanWrite(tx, input.orgId, 'catalogue.manage');
    if (await repo.findPartyByName(tx, kind, input.orgId, input.name)) throw duplicate('name');
    const now = tx.now.toISOString();
    const row: PartyTable = {
      id: uuidv7(),
      org_id: input.orgId,
      name: input.name,
      website: input.website,
      contact_email: input.contactEmail,
      phone: input.phone,
      notes: input.notes,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertParty(tx, kind, row);
    const party = repo.toParty(row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: `${kind}.created`,
      entityType: kind,
      entityId: row.id,
      after: party,
    });
    return party;
  });
}

export async function updateParty(
  ctx: Ctx,
  kind: PartyKind,
  id: string,
  expectedVersion: number,
  patch: PartyPatch,
): Promise<TParty> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleParty(tx, kind, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.name !== undefined) {
      const same = await repo.findPartyByName(tx, kind, row.org_id, patch.name);
      if (same && same.id !== id) throw duplicate('name');
    }
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.website !== undefined && { website: patch.website }),
      ...(patch.contactEmail !== undefined && { contact_email: patch.contactEmail }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.notes !== undefined && { notes: patch.notes }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateParty(tx, kind, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = repo.toParty({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: `${kind}.updated`,
      entityType: kind,
      entityId: id,
      before: repo.toParty(row),
      after,
    });
    return after;
  });
}

/** Soft delete, refused while live models (of a manufacturer) or assets (of a supplier) point at it. */
export async function deleteParty(
  ctx: Ctx,
  kind: PartyKind,
  id: string,
  expectedVersion: number,
): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await visibleParty(tx, kind, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const uses = await repo.countPartyUses(tx, kind, id);
    if (uses > 0) throw new AppError(`${kind}.in_use`, 409, { uses }, { uses });
    const now = tx.now.toISOString();
    if (!(await repo.updateParty(tx, kind, id, expectedVersion, { deleted_at: now, updated_at: now }))) {
      throw preconditionFailed(row.version);
    }
    await recordAudit(tx, {
      orgId: row.org_id,
      action: `${kind}.deleted`,
      entityType: kind,
      entityId: id,
      before: repo.toParty(row),
    });
  });
}

// --- models --------------------------------------------------------------------------------------

export type ModelInput = {
  orgId: string;
  manufacturerId: string;
  typeId: string;
  name: string;
  partNumber: string | null;
  specs: Record<string, string>;
  lifetimeMonths: number | null;
  powerWatts: number | null;
  boxContents: string[];
  /** The installation steps a work order's checklist copies. */
  installSteps?: string[] | undefined;
};
export type ModelPatch = Partial<Omit<ModelInput, 'orgId'>>;

async function visibleModel(ctx: Ctx, id: string): Promise<repo.ModelRow> {
  const actor = requireActor(ctx);
  const row = await repo.findModel(ctx, id);
  if (!row || !can(actor, 'asset.read', { orgId: row.org_id })) throw notFound('model');
  return row;
}

/** The manufacturer and type of a model must be ones its organisation sees; both are checked at once. */
async function modelReferences(
  ctx: Ctx,
  orgId: string,
  ref: { manufacturerId?: string | undefined; typeId?: string | undefined },
): Promise<string | undefined> {
  const errors: Array<{ path: string; code: string }> = [];
  let manufacturerName: string | undefined;
  if (ref.manufacturerId !== undefined) {
    const m = await repo.findParty(ctx, 'manufacturer', ref.manufacturerId);
    if (m?.org_id === orgId) manufacturerName = m.name;
    else errors.push({ path: 'manufacturerId', code: 'not_found' });
  }
  if (ref.typeId !== undefined && !(await findAssetType(ctx, orgId, ref.typeId))) {
    errors.push({ path: 'typeId', code: 'not_found' });
  }
  if (errors.length > 0) throw new AppError('model.bad_reference', 422, {}, {}, errors);
  return manufacturerName;
}

export async function listModels(
  ctx: Ctx,
  q: ListQuery & { manufacturerId?: string | undefined; typeId?: string | undefined },
): Promise<Page<TModel>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  const rows = await repo.listModels(ctx, {
    scope: orgsWhere(actor, 'asset.read'),
    orgId: q.orgId,
    manufacturerId: q.manufacturerId,
    typeId: q.typeId,
    q: q.q,
    after: decodeCursor(q.cursor, 2),
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, repo.toModel, (r) => [r.name, r.id]);
}

export async function getModel(ctx: Ctx, id: string): Promise<TModel> {
  return repo.toModel(await visibleModel(ctx, id));
}

export async function createModel(ctx: Ctx, input: ModelInput): Promise<TModel> {
  return inTransaction(ctx, async (tx) => {
    await assertCanWrite(tx, input.orgId, 'catalogue.manage');
    const manufacturerName = (await modelReferences(tx, input.orgId, input)) ?? '';
    if (await repo.findModelByName(tx, input)) throw duplicate('name');
    const now = tx.now.toISOString();
    const row: AssetModelTable = {
      id: uuidv7(),
      org_id: input.orgId,
      manufacturer_id: input.manufacturerId,
      type_id: input.typeId,
      name: input.name,
      part_number: input.partNumber,
      specs: toJson(input.specs),
      lifetime_months: input.lifetimeMonths,
      power_watts: input.powerWatts,
      box_contents: toJson(input.boxContents),
      install_steps: toJson(input.installSteps ?? []),
      notice_sha256: null,
      notice_name: null,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertModel(tx, row);
    const model = repo.toModel({ ...row, manufacturer_name: manufacturerName });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'model.created',
      entityType: 'model',
      entityId: row.id,
      after: model,
    });
    return model;
  });
}

export async function updateModel(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: ModelPatch,
): Promise<TModel> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleModel(tx, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const manufacturerName = (await modelReferences(tx, row.org_id, patch)) ?? row.manufacturer_name;
    if (patch.name !== undefined || patch.manufacturerId !== undefined) {
      const same = await repo.findModelByName(tx, {
        orgId: row.org_id,
        manufacturerId: patch.manufacturerId ?? row.manufacturer_id,
        name: patch.name ?? row.name,
      });
      if (same && same.id !== id) throw duplicate('name');
    }
    const set = {
      ...(patch.manufacturerId !== undefined && { manufacturer_id: patch.manufacturerId }),
      ...(patch.typeId !== undefined && { type_id: patch.typeId }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.partNumber !== undefined && { part_number: patch.partNumber }),
      ...(patch.specs !== undefined && { specs: toJson(patch.specs) }),
      ...(patch.lifetimeMonths !== undefined && { lifetime_months: patch.lifetimeMonths }),
      ...(patch.powerWatts !== undefined && { power_watts: patch.powerWatts }),
      ...(patch.boxContents !== undefined && { box_contents: toJson(patch.boxContents) }),
      ...(patch.installSteps !== undefined && { install_steps: toJson(patch.installSteps) }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateModel(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = repo.toModel({
      ...row,
      ...set,
      manufacturer_name: manufacturerName,
      version: row.version + 1,
    });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'model.updated',
      entityType: 'model',
      entityId: id,
      before: repo.toModel(row),
      after,
    });
    return after;
  });
}

export async function deleteModel(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await visibleModel(tx, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const uses = await repo.countModelUses(tx, id);
    if (uses > 0) throw new AppError('model.in_use', 409, { uses }, { uses });
    const now = tx.now.toISOString();
    if (!(await repo.updateModel(tx, id, expectedVersion, { deleted_at: now, updated_at: now }))) {
      throw preconditionFailed(row.version);
    }
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'model.deleted',
      entityType: 'model',
      entityId: id,
      before: repo.toModel(row),
    });
  });
}

// --- asset types ---------------------------------------------------------------------------------

export type AssetTypeInput = {
  orgId: string;
  code: string;
  category: TAssetType['category'];
  name: { fr: string; en: string };
  customFields: TCustomField[];
};
export type AssetTypePatch = Partial<Pick<AssetTypeInput, 'category' | 'name' | 'customFields'>>;

/** Rules zod cannot express field by field: unique keys, and options exactly for lists. All at once. */
function assertCustomFields(fields: TCustomField[]): void {
  const errors: Array<{ path: string; code: string }> = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f.key)) errors.push({ path: `customFields.${i}.key`, code: 'duplicate' });
    seen.add(f.key);
    if (f.type === 'list' && !f.options?.length)
      errors.push({ path: `customFields.${i}.options`, code: 'required' });
    if (f.type !== 'list' && f.options !== undefined) {
      errors.push({ path: `customFields.${i}.options`, code: 'not_allowed' });
    }
  });
  if (errors.length > 0) throw invalid(errors);
}

async function visibleAssetType(ctx: Ctx, id: string): Promise<AssetTypeTable> {
  const actor = requireActor(ctx);
  const row = await repo.findAssetType(ctx, id);
  const visible =
    row && (row.org_id === null ? can(actor, 'asset.read') : can(actor, 'asset.read', { orgId: row.org_id }));
  if (!row || !visible) throw notFound('asset_type');
  return row;
}

/** Built-in types, which every organisation sees, and the organisations' own. */
export async function listAssetTypes(
  ctx: Ctx,
  q: { orgId?: string | undefined },
): Promise<{ items: TAssetType[] }> {
  const actor = requireActor(ctx);
  if (q.orgId ? !can(actor, 'asset.read', { orgId: q.orgId }) : !can(actor, 'asset.read')) throw forbidden();
  const rows = await repo.listAssetTypes(ctx, { scope: orgsWhere(actor, 'asset.read'), orgId: q.orgId });
  return { items: rows.map(repo.toAssetType) };
}

export async function getAssetType(ctx: Ctx, id: string): Promise<TAssetType> {
  return repo.toAssetType(await visibleAssetType(ctx, id));
}

export async function createAssetType(ctx: Ctx, input: AssetTypeInput): Promise<TAssetType> {
  return inTransaction(ctx, async (tx) => {
    await assertCanWrite(tx, input.orgId, 'asset_type.manage');
    assertCustomFields(input.customFields);
    if (await repo.findAssetTypeByCode(tx, input.orgId, input.code)) throw duplicate('code');
    const now = tx.now.toISOString();
    const row: AssetTypeTable = {
      id: uuidv7(),
      org_id: input.orgId,
      code: input.code,
      category: input.category,
      name_fr: input.name.fr,
      name_en: input.name.en,
      custom_fields: toJson(input.customFields),
      built_in: false,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertAssetType(tx, row);
    const type = repo.toAssetType(row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset_type.created',
      entityType: 'asset_type',
      entityId: row.id,
      after: type,
    });
    return type;
  });
}

/** Edits an organisation's own type; built-in types are shared by every organisation and stay as shipped. */
export async function updateAssetType(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: AssetTypePatch,
): Promise<TAssetType> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleAssetType(tx, id);
    if (!can(actor, 'asset_type.manage', row.org_id ? { orgId: row.org_id } : {})) throw forbidden();
    if (row.org_id === null) throw new AppError('asset_type.built_in', 422);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.customFields) assertCustomFields(patch.customFields);
    const set = {
      ...(patch.category !== undefined && { category: patch.category }),
      ...(patch.name !== undefined && { name_fr: patch.name.fr, name_en: patch.name.en }),
      ...(patch.customFields !== undefined && { custom_fields: toJson(patch.customFields) }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateAssetType(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = repo.toAssetType({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset_type.updated',
      entityType: 'asset_type',
      entityId: id,
      before: repo.toAssetType(row),
      after,
    });
    return after;
  });
}

// --- for the assets service: no permission check, the caller checks ---------------------------------

/** A live type `orgId` may use: built-in or its own. */
export async function findAssetType(
  ctx: Ctx,
  orgId: string,
  typeId: string,
): Promise<TAssetType | undefined> {
  const row = await repo.findAssetType(ctx, typeId);
  return row && (row.org_id === null || row.org_id === orgId) ? repo.toAssetType(row) : undefined;
}

export async function findModel(ctx: Ctx, orgId: string, modelId: string): Promise<TModel | undefined> {
  const row = await repo.findModel(ctx, modelId);
  return row?.org_id === orgId ? repo.toModel(row) : undefined;
}

export async function findSupplier(ctx: Ctx, orgId: string, supplierId: string): Promise<TParty | undefined> {
  const row = await repo.findParty(ctx, 'supplier', supplierId);
  return row?.org_id === orgId ? repo.toParty(row) : undefined;
}

/** The largest installation notice accepted. */
export const NOTICE_MAX_BYTES = 20 * 1024 * 1024;

/** Attaches the manufacturer's installation notice (PDF) to a model; stored once by content. */
export async function attachModelNotice(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  file: { content: Buffer; name: string },
): Promise<TModel> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleModel(tx, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const stored = await storeFile(tx, file.content, {
      mediaType: 'application/pdf',
      maxBytes: NOTICE_MAX_BYTES,
    });
    const set = { notice_sha256: stored.sha256, notice_name: file.name, updated_at: tx.now.toISOString() };
    if (!(await repo.updateModel(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const before = repo.toModel(row);
    const after = repo.toModel({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'model.notice_attached',
      entityType: 'asset_model',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function modelNotice(ctx: Ctx, id: string): Promise<{ name: string; content: Buffer }> {
  const row = await visibleModel(ctx, id);
  const file = row.notice_sha256 ? await readFile(ctx, row.notice_sha256) : undefined;
  if (!file) throw new AppError('model.no_notice', 404);
  return { name: row.notice_name ?? 'notice.pdf', content: file.content };
}
