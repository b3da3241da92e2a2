import { can } from '../../../shared/policy.js';
import {
  ASSET_STATUSES,
  type AssetStatus,
  type ImportField,
  type TAsset,
  type TAssetType,
  type TImportMapping,
  type TImportPreview,
  type TImportResult,
  type TImportRowError,
} from '../../../shared/schemas/assets.js';
import { foldText } from '../../../shared/text.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { AppError, forbidden, invalid, notFound } from '../../http/errors.js';
import { fieldText, type Locale } from '../../i18n/messages.js';
import { findUserIdByEmail, membersOf } from '../orgs/index.js';
import * as assetsRepo from './assets.repo.js';
import {
  type AssetInput,
  changeStatus,
  createAssets,
  type NewAsset,
  type ReferenceCache,
  updateAsset,
} from './assets.service.js';
import * as catalogueRepo from './catalogue.repo.js';
import {
  parseBoolean,
  parseDay,
  parseNumber,
  parseSpreadsheet,
  type SheetRow,
  suggestMapping,
} from './import.parse.js';
import * as locationsRepo from './locations.repo.js';

const SAMPLE_ROWS = 20;
const PAGE = 1000;

/** What the lifecycle labels read like in French and English files. */
const STATUS_LABELS: Record<AssetStatus, string[]> = {
  ordered: ['commande', 'ordered'],
  in_stock: ['en stock', 'stock', 'in stock'],
  deployed: ['deploye', 'en service', 'deployed', 'in use'],
  in_repair: ['en reparation', 'in repair'],
  loaned: ['prete', 'en pret', 'loaned'],
  retired: ['retire', 'retired'],
  awaiting_disposal: ['en attente de mise au rebut', 'a mettre au rebut', 'awaiting disposal'],
  disposed: ['mis au rebut', 'disposed'],
};
const STATUS_BY_NAME = new Map<string, AssetStatus>(
  ASSET_STATUSES.flatMap((s) => [[s, s] as const, ...STATUS_LABELS[s].map((l) => [l, s] as const)]),
);

/** The import's columns as asset fields, with the service's field names where they differ. */
const SERVICE_PATHS: Record<string, ImportField> = {
  typeId: 'type',
  modelId: 'model',
  locationId: 'location',
  assignedUserId: 'assignee',
  supplierId: 'supplier',
};

type Refs = Awaited<ReturnType<typeof loadReferences>>;
type RowError = Omit<TImportRowError, 'message'> & { params?: Record<string, unknown> };

function assertCanImport(ctx: Ctx, orgId: string): void {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'asset.manage', { orgId })) throw forbidden();
}

export async function previewImport(
  ctx: Ctx,
  input: { orgId: string; file: Buffer; mapping?: TImportMapping | undefined },
): Promise<TImportPreview> {
  assertCanImport(ctx, input.orgId);
  const sheet = await parseSpreadsheet(input.file);
  if (input.mapping) checkMapping(sheet.columns, input.mapping);
  const types = await catalogueRepo.listAssetTypes(ctx, { scope: [input.orgId], orgId: input.orgId });
  const customFields = types.flatMap((t) => catalogueRepo.toAssetType(t).customFields);
  return {
    columns: sheet.columns,
    suggestedMapping: suggestMapping(sheet.columns, customFields),
    sample: sheet.rows.slice(0, SAMPLE_ROWS).map(({ line, values }) => ({ line, values })),
    rowCount: sheet.rows.length,
    encoding: sheet.encoding,
    delimiter: sheet.delimiter,
  };
}

/** Columns the mapping names must be in the file, each field filled once, and something to import. */
function checkMapping(columns: string[], mapping: TImportMapping): void {
  const errors: Array<{ path: string; code: string }> = [];
  const fields = new Set<string>();
  for (const [column, field] of Object.entries(mapping)) {
    if (!columns.includes(column)) errors.push({ path: `mapping.${column}`, code: 'not_found' });
    if (fields.has(field)) errors.push({ path: `mapping.${column}`, code: 'duplicate' });
    fields.add(field);
  }
  if (errors.length > 0) throw invalid(errors);
  if (!['name', 'serial', 'assetTag'].some((f) => fields.has(f))) {
    // Nothing recognised: most often a file whose first line is data, or another kind of export.
    throw new AppError('import.bad_header', 400, { columns: '—' }, { reason: 'unrecognised' }, [
      { path: 'mapping', code: 'required' },
    ]);
  }
}

/**
 * Imports every row or none: each row is checked (values, references, custom fields, duplicates in
 * the file and in the inventory), then created, updated where it differs, or left alone when identical,
 * all in one transaction. A dry run, or any bad row, rolls it back, so the counts are always exact.
 */
export async function runImport(
  ctx: Ctx,
  input: {
    orgId: string;
    file: Buffer;
    mapping?: TImportMapping | undefined;
    dryRun: boolean;
    locale?: Locale | undefined;
  },
): Promise<TImportResult> {
  assertCanImport(ctx, input.orgId);
  const locale = input.locale ?? 'fr';
  const sheet = await parseSpreadsheet(input.file);
  const refs = await loadReferences(ctx, input.orgId);
  const customFields = [...refs.typesById.values()].flatMap((t) => t.customFields);
  const mapping = input.mapping ?? suggestMapping(sheet.columns, customFields);
  checkMapping(sheet.columns, mapping);
  const errors: RowError[] = [];
  const rows = await convertRows(ctx, { orgId: input.orgId, rows: sheet.rows, mapping, refs, errors });
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const finish = (): TImportResult => ({
    dryRun: input.dryRun,
    ...counts,
    errors: errors
      .sort((a, b) => a.line - b.line)
      .map(({ params, ...e }) => ({ ...e, message: fieldText(locale, e.code, params ?? {}) })),
  });
  const rollback = new Error('import rolled back');
  try {
    await inTransaction(ctx, async (tx) => {
      const w: Writer = {
        orgId: input.orgId,
        refs,
        errors,
        seen: new Map(),
        existing: await existingAssets(tx, input.orgId, rows),
        creates: [],
        cache: new Map(),
      };
      for (const row of rows) {
        const outcome = await writeRow(tx, w, row);
        if (outcome) counts[outcome]++;
      }
      const created = await createAssets(
        tx,
        input.orgId,
        w.creates.map((c) => c.input),
        { cache: w.cache },
      );
      created.forEach((result, i) => {
        if (result instanceof AppError) errors.push(...rowErrorsOf(w.creates[i]!.line, result));
        else counts.created++;
      });
      if (input.dryRun || errors.length > 0) throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  ctx.log.info(
    { orgId: input.orgId, rows: sheet.rows.length, ...counts, errors: errors.length },
    'asset import',
  );
  return finish();
}

// --- references: everything a row may name, loaded once --------------------------------------------

async function allPages<T extends { id: string; name: string }>(
  fetch: (after: [string, string] | undefined) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  let after: [string, string] | undefined;
  for (;;) {
    const page = await fetch(after);
    out.push(...page);
    if (page.length < PAGE) return out;
    const last = page[page.length - 1]!;
    after = [last.name, last.id];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function loadReferences(ctx: Ctx, orgId: string) {
  const scope = [orgId];
  const typeRows = await catalogueRepo.listAssetTypes(ctx, { scope, orgId });
  const types = new Map<string, TAssetType[]>();
  const typesById = new Map<string, TAssetType>();
  for (const t of typeRows.map(catalogueRepo.toAssetType)) {
    typesById.set(t.id, t);
    for (const name of new Set([t.code, foldText(t.name.fr), foldText(t.name.en)])) push(types, name, t);
  }
  const models = new Map<string, catalogueRepo.ModelRow[]>();
  const modelRows = await allPages((after) =>
    catalogueRepo.listModels(ctx, { scope, orgId, after, limit: PAGE }),
  );
  for (const m of modelRows) {
    push(models, foldText(m.name), m);
    push(models, foldText(`${m.manufacturer_name} ${m.name}`), m);
  }
  const suppliers = new Map<string, string[]>();
  const supplierRows = await allPages((after) =>
    catalogueRepo.listParties(ctx, 'supplier', { scope, orgId, after, limit: PAGE }),
  );
  for (const s of supplierRows) push(suppliers, foldText(s.name), s.id);
  const locationRows = await allPages((after) =>
    locationsRepo.listLocations(ctx, { scope, orgId, after, limit: PAGE }),
  );
  const nameById = new Map(locationRows.map((l) => [l.id, foldText(l.name)]));
  // Each location with its folded names from the site down, indexed by its own name.
  const locations = new Map<string, Array<{ id: string; crumbs: string[] }>>();
  for (const l of locationRows) {
    const crumbs = locationsRepo.pathIds(l.path).map((id) => nameById.get(id) ?? '');
    push(locations, foldText(l.name), { id: l.id, crumbs });
  }
  return { types, typesById, models, suppliers, locations, users: new Map<string, string | null>() };
}

/** One match, or the reason there is none. */
function single<T>(found: T[] | undefined): T | 'not_found' | 'ambiguous' {
  const unique = [...new Set(found ?? [])];
  if (unique.length === 0) return 'not_found';
  if (unique.length > 1) return 'ambiguous';
  return unique[0]!;
}

/** "Siège / Bâtiment A / Salle 12", or its last names when they are unique in the organisation. */
function findLocation(refs: Refs, text: string): string | 'not_found' | 'ambiguous' {
  const names = text
    .split(/\s*[/>]\s*/)
    .map(foldText)
    .filter(Boolean);
  const candidates = refs.locations.get(names[names.length - 1] ?? '') ?? [];
  const hit = candidates.filter((c) =>
    names.every((n, i) => c.crumbs[c.crumbs.length - names.length + i] === n),
  );
  return single(hit.map((c) => c.id));
}

// --- rows ------------------------------------------------------------------------------------------

const isCustomField = (field: ImportField): field is `custom.${string}` => field.startsWith('custom.');

type ConvertedRow = {
  line: number;
  /** The mapped standard fields, as the asset service takes them. */
  values: Partial<AssetInput> & { status?: AssetStatus };
  /** Custom values still as text: their type decides how to read them. */
  custom: Record<string, string>;
};

const DAY_FIELDS = {
  purchaseDate: 'purchaseDate',
  warrantyEnd: 'warrantyEnd',
  contractEnd: 'contractEnd',
} as const;
const LIMITS = { name: 200, assetTag: 100, serial: 100, notes: 10_000 } as const;

/** Reads every row's cells into asset values; every problem of every row goes to `errors`. */
async function convertRows(
  ctx: Ctx,
  p: { orgId: string; rows: SheetRow[]; mapping: TImportMapping; refs: Refs; errors: RowError[] },
): Promise<ConvertedRow[]> {
  const { refs, errors } = p;
  await resolveAssignees(ctx, p);
  const firstLine = { serial: new Map<string, number>(), assetTag: new Map<string, number>() };
  const out: ConvertedRow[] = [];
  for (const row of p.rows) {
    const rowErrors: RowError[] = [];
    const fail = (field: string | undefined, code: string, params?: Record<string, unknown>) =>
      rowErrors.push({ line: row.line, ...(field && { field }), code, ...(params && { params }) });
    if (row.overflow) fail(undefined, 'too_many_values');
    const converted: ConvertedRow = { line: row.line, values: {}, custom: {} };
    const v = converted.values;
    for (const [column, field] of Object.entries(p.mapping)) {
      const text = row.values[column] ?? '';
      if (isCustomField(field)) {
        converted.custom[field.slice('custom.'.length)] = text;
        continue;
      }
      const lookup = <T>(found: T | 'not_found' | 'ambiguous', set: (value: T) => void) => {
        if (found === 'not_found' || found === 'ambiguous') fail(field, found as string, { value: text });
        else set(found);
      };
      switch (field) {
        case 'name':
        case 'notes':
        case 'assetTag':
        case 'serial': {
          if (text.length > LIMITS[field]) fail(field, 'too_big', { maximum: LIMITS[field] });
          if (field === 'name' || field === 'notes') v[field] = text;
          else v[field] = text || null;
          break;
        }
        case 'type':
          if (text) lookup(single(refs.types.get(foldText(text))), (t) => (v.typeId = t.id));
          break;
        case 'model':
          if (!text) v.modelId = null;
          else lookup(single(refs.models.get(foldText(text))), (m) => (v.modelId = m.id));
          break;
        case 'status':
          if (text) lookup(STATUS_BY_NAME.get(foldText(text)) ?? 'not_found', (s) => (v.status = s));
          break;
        case 'location':
          if (!text) v.locationId = null;
          else lookup(findLocation(refs, text), (id) => (v.locationId = id));
          break;
        case 'supplier':
          if (!text) v.supplierId = null;
          else lookup(single(refs.suppliers.get(foldText(text))), (id) => (v.supplierId = id));
          break;
        case 'assignee':
          if (!text) v.assignedUserId = null;
          else lookup(refs.users.get(text.toLowerCase()) ?? 'not_found', (id) => (v.assignedUserId = id));
          break;
        default: {
          const day = text ? parseDay(text) : null;
          if (day === undefined) fail(field, 'bad_date', { value: text });
          else v[DAY_FIELDS[field]] = day;
        }
      }
    }
    for (const field of ['serial', 'assetTag'] as const) {
      const value = v[field];
      if (!value) continue;
      const first = firstLine[field].get(value);
      if (first !== undefined) fail(field, 'duplicate_in_file', { line: first, value });
      else firstLine[field].set(value, row.line);
    }
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else out.push(converted);
  }
  return out;
}

/** E-mail → user id of a member of the organisation, for every distinct address in the file. */
async function resolveAssignees(
  ctx: Ctx,
  p: { orgId: string; rows: SheetRow[]; mapping: TImportMapping; refs: Refs },
): Promise<void> {
  const column = Object.entries(p.mapping).find(([, f]) => f === 'assignee')?.[0];
  if (!column) return;
  const emails = new Set(p.rows.map((r) => (r.values[column] ?? '').toLowerCase()).filter(Boolean));
  const ids = new Map<string, string>();
  for (const email of emails) {
    const id = await findUserIdByEmail(ctx, email);
    if (id) ids.set(email, id);
  }
  const members = await membersOf(ctx, p.orgId, [...ids.values()]);
  for (const [email, id] of ids) if (members.has(id)) p.refs.users.set(email, id);
}

/** The state of one import's write pass. */
type Writer = {
  orgId: string;
  refs: Refs;
  errors: RowError[];
  /** Asset id → the first line that named it. */
  seen: Map<string, number>;
  existing: { serial: Map<string, TAsset>; assetTag: Map<string, TAsset> };
  /** New assets, created together at the end of the pass. */
  creates: Array<{ line: number; input: NewAsset }>;
  cache: ReferenceCache;
};

/** The live assets the file's serials and tags name, fetched in a few queries. */
async function existingAssets(ctx: Ctx, orgId: string, rows: ConvertedRow[]): Promise<Writer['existing']> {
  const out: Writer['existing'] = { serial: new Map(), assetTag: new Map() };
  for (const [field, column] of [
    ['serial', 'serial'],
    ['assetTag', 'asset_tag'],
  ] as const) {
    const values = [...new Set(rows.flatMap((r) => (r.values[field] ? [r.values[field]] : [])))];
    for (const row of await assetsRepo.findByIdentifiers(ctx, orgId, column, values)) {
      out[field].set(row[column]!, assetsRepo.toAsset(row));
    }
  }
  return out;
}

/** The live asset with the row's serial, or else with its asset tag. */
function matchAsset(w: Writer, v: ConvertedRow['values']): TAsset | undefined {
  return (
    (v.serial && w.existing.serial.get(v.serial)) ||
    (v.assetTag && w.existing.assetTag.get(v.assetTag)) ||
    undefined
  );
}

/** Custom values read by their field's type: French decimal commas, French dates, oui/non. */
function readCustom(
  type: TAssetType,
  texts: Record<string, string>,
  fail: (field: string, code: string, params?: Record<string, unknown>) => void,
): TAsset['custom'] {
  const out: TAsset['custom'] = {};
  for (const [key, text] of Object.entries(texts)) {
    const field = type.customFields.find((f) => f.key === key);
    const path = `custom.${key}`;
    // A column for one type's field is left blank on the rows of other types.
    if (!field && text === '') continue;
    if (!field) {
      fail(path, 'unrecognized_keys');
      continue;
    }
    if (text === '') {
      out[key] = null;
      continue;
    }
    const value =
      field.type === 'number'
        ? parseNumber(text)
        : field.type === 'date'
          ? parseDay(text)
          : field.type === 'boolean'
            ? parseBoolean(text)
            : field.type === 'list'
              ? field.options?.find((o) => foldText(o) === foldText(text))
              : text;
    if (value !== undefined) out[key] = value;
    else if (field.type === 'list') fail(path, 'invalid_value', { values: field.options?.join(', ') });
    else fail(path, `bad_${field.type}`, { value: text });
  }
  return out;
}

/** The fields of an update that differ from the asset; undefined when none does. */
function changedFields(
  before: TAsset,
  values: Partial<AssetInput>,
  custom: TAsset['custom'],
): Partial<AssetInput> | undefined {
  const patch: Partial<AssetInput> = {};
  for (const [key, value] of Object.entries(values) as Array<[keyof AssetInput, unknown]>) {
    if (key !== 'custom' && before[key] !== value) Object.assign(patch, { [key]: value });
  }
  const customChanged = Object.entries(custom).some(([k, v]) => (before.custom[k] ?? null) !== v);
  if (customChanged) {
    const merged = { ...before.custom, ...custom };
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    patch.custom = merged;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** The asset service's refusals, as row errors named by import field. */
function rowErrorsOf(line: number, err: AppError): RowError[] {
  if (err.code === 'asset.duplicate') {
    const field = String(err.params.field);
    return [{ line, field, code: 'duplicate_asset', params: { name: err.params.name } }];
  }
  if (err.code === 'asset.bad_transition') {
    return [{ line, field: 'status', code: 'bad_transition', params: err.params }];
  }
  if (err.fieldErrors.length === 0) return [{ line, code: err.code, params: err.params }];
  return err.fieldErrors.map((f) => ({ line, field: SERVICE_PATHS[f.path] ?? f.path, code: f.code }));
}

/** Updates the row's asset where it differs, or queues its creation; undefined when the row fails. */
async function writeRow(tx: Ctx, w: Writer, row: ConvertedRow): Promise<'updated' | 'unchanged' | undefined> {
  const { status, ...values } = row.values;
  const rowErrors: RowError[] = [];
  const fail = (field: string, code: string, params?: Record<string, unknown>) =>
    rowErrors.push({ line: row.line, field, code, ...(params && { params }) });
  const existing = matchAsset(w, row.values);
  if (existing) {
    // Two rows of the file naming one asset, one by serial and the other by tag.
    const first = w.seen.get(existing.id);
    if (first !== undefined)
      fail(values.serial ? 'serial' : 'assetTag', 'duplicate_in_file', { line: first });
    w.seen.set(existing.id, row.line);
  } else {
    if (!values.name) fail('name', 'required');
    if (!values.typeId) fail('type', 'required');
  }
  const type = w.refs.typesById.get(values.typeId ?? existing?.typeId ?? '');
  const custom = type ? readCustom(type, row.custom, fail) : {};
  if (rowErrors.length > 0) {
    w.errors.push(...rowErrors);
    return undefined;
  }
  if (!existing) {
    w.creates.push({
      line: row.line,
      input: {
        orgId: w.orgId,
        typeId: values.typeId!,
        modelId: null,
        name: values.name!,
        assetTag: null,
        serial: null,
        locationId: null,
        assignedUserId: null,
        supplierId: null,
        purchaseDate: null,
        warrantyEnd: null,
        contractEnd: null,
        notes: '',
        ...values,
        custom,
        status: status ?? 'in_stock',
      },
    });
    return undefined;
  }
  try {
    const patch = changedFields(existing, values, custom);
    const statusChanged = status !== undefined && status !== existing.status;
    if (!patch && !statusChanged) return 'unchanged';
    let version = existing.version;
    if (patch) version = (await updateAsset(tx, existing.id, version, patch, { cache: w.cache })).version;
    if (statusChanged) await changeStatus(tx, existing.id, version, { status });
    return 'updated';
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    w.errors.push(...rowErrorsOf(row.line, err));
    return undefined;
  }
}
