import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { THelpdeskSettings, TTicketCategory } from '../../../shared/schemas/helpdesk.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import { findGroupInOrg } from '../orgs/index.js';
import { type BusinessCalendar, DEFAULT_CALENDAR, validateCalendar } from './calendar.js';
import type { TicketCategoryTable } from './helpdesk.tables.js';
import * as repo from './tickets.repo.js';

/** What an organisation gets until it changes anything: ITIL-like targets in business minutes. */
export const DEFAULT_SETTINGS: THelpdeskSettings = {
  matrix: {
    user: { low: 5, medium: 4, high: 3, critical: 2 },
    team: { low: 4, medium: 3, high: 2, critical: 2 },
    site: { low: 3, medium: 2, high: 2, critical: 1 },
    organisation: { low: 3, medium: 2, high: 1, critical: 1 },
  },
  sla: {
    '1': { ownMinutes: 30, resolveMinutes: 240 },
    '2': { ownMinutes: 60, resolveMinutes: 480 },
    '3': { ownMinutes: 120, resolveMinutes: 1440 },
    '4': { ownMinutes: 240, resolveMinutes: 2400 },
    '5': { ownMinutes: 480, resolveMinutes: 4800 },
  },
  warnPercent: 75,
  calendar: DEFAULT_CALENDAR as THelpdeskSettings['calendar'],
  recurring: { count: 3, days: 30 },
  reopenDays: 7,
  followupOnClosed: 'reopen',
  escalationGroupId: null,
};

export type Settings = THelpdeskSettings & { version: number };

/**
 * Settings read on every ticket write, kept for a few seconds: a change is seen at once by the
 * instance that made it and within SETTINGS_TTL_MS by the others.
 */
const SETTINGS_TTL_MS = 5000;
const settingsCache = new Map<string, { settings: Settings; until: number }>();

/** Categories, read on every ticket creation, kept like the settings (a change is rare). */
const categoryCache = new Map<string, { row: TicketCategoryTable | undefined; until: number }>();
const CATEGORY_CACHE_MAX = 10_000;

/** A category by id, built-in or any organisation's, without permission checks. */
export async function categoryById(ctx: Ctx, id: string): Promise<TicketCategoryTable | undefined> {
  const hit = categoryCache.get(id);
  if (hit && hit.until > Date.now()) return hit.row;
  const row = await repo.findCategory(ctx, id);
  if (!ctx.db.isTransaction) {
    if (categoryCache.size >= CATEGORY_CACHE_MAX) categoryCache.clear();
    categoryCache.set(id, { row, until: Date.now() + SETTINGS_TTL_MS });
  }
  return row;
}

/** An organisation's settings (the defaults until it saves its own), without permission checks. */
export async function settingsOf(ctx: Ctx, orgId: string): Promise<Settings> {
  const hit = settingsCache.get(orgId);
  if (hit && hit.until > Date.now()) return hit.settings;
  const row = await repo.findSettings(ctx, orgId);
  const settings = row
    ? { ...DEFAULT_SETTINGS, ...fromJson<Partial<THelpdeskSettings>>(row.settings), version: row.version }
    : { ...DEFAULT_SETTINGS, version: 0 };
  if (!ctx.db.isTransaction) settingsCache.set(orgId, { settings, until: Date.now() + SETTINGS_TTL_MS });
  return settings;
}

export function calendarOf(settings: THelpdeskSettings): BusinessCalendar {
  return settings.calendar as unknown as BusinessCalendar;
}

export async function getSettings(ctx: Ctx, orgId: string): Promise<Settings & { orgId: string }> {
  const actor = requireActor(ctx);
  if (!can(actor, 'ticket.read', { orgId })) throw notFound('org');
  return { ...(await settingsOf(ctx, orgId)), orgId };
}

export async function updateSettings(
  ctx: Ctx,
  orgId: string,
  expectedVersion: number,
  input: THelpdeskSettings,
): Promise<Settings & { orgId: string }> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'helpdesk.configure', { orgId })) throw forbidden();
  const errors: Array<{ path: string; code: string }> = [];
  const calendar = validateCalendar(input.calendar);
  if (!calendar.ok)
    errors.push(...calendar.errors.map((e) => ({ path: `calendar.${e.path}`, code: e.code })));
  for (const [p, t] of Object.entries(input.sla)) {
    if (t.ownMinutes > t.resolveMinutes)
      errors.push({ path: `sla.${p}.ownMinutes`, code: 'own_after_resolve' });
  }
  if (input.escalationGroupId && !(await findGroupInOrg(ctx, orgId, input.escalationGroupId))) {
    errors.push({ path: 'escalationGroupId', code: 'not_found' });
  }
  if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
  settingsCache.delete(orgId);
  return inTransaction(ctx, async (tx) => {
    const before = await settingsOf(tx, orgId);
    if (before.version !== expectedVersion) throw preconditionFailed(before.version);
    const now = tx.now.toISOString();
    const saved = await repo.saveSettings(tx, orgId, expectedVersion, {
      settings: toJson(input),
      updated_at: now,
    });
    if (!saved) throw preconditionFailed(before.version);
    await recordAudit(tx, {
      orgId,
      action: 'helpdesk.settings_updated',
      entityType: 'helpdesk_settings',
      entityId: orgId,
      before,
      after: input,
    });
    settingsCache.delete(orgId);
    return { ...input, version: expectedVersion + 1, orgId };
  });
}

// --- categories ------------------------------------------------------------------------------------

function toCategory(row: TicketCategoryTable): TTicketCategory {
  return {
    id: row.id,
    orgId: row.org_id,
    typology: row.typology as TTicketCategory['typology'],
    name: { fr: row.name_fr, en: row.name_en },
    active: toBool(row.active),
    version: row.version,
  };
}

/** The built-in categories and those of the caller's organisations. */
export async function listCategories(ctx: Ctx): Promise<TTicketCategory[]> {
  const actor = requireActor(ctx);
  if (!can(actor, 'ticket.create')) throw forbidden();
  return (await repo.listCategories(ctx, orgsWhere(actor, 'ticket.create'))).map(toCategory);
}

export async function createCategory(
  ctx: Ctx,
  input: { orgId: string; typology: TTicketCategory['typology']; name: { fr: string; en: string } },
): Promise<TTicketCategory> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'helpdesk.configure', { orgId: input.orgId })) throw forbidden();
  const now = ctx.now.toISOString();
  const row: TicketCategoryTable = {
    id: uuidv7(),
    org_id: input.orgId,
    typology: input.typology,
    name_fr: input.name.fr,
    name_en: input.name.en,
    active: true,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await inTransaction(ctx, async (tx) => {
    await repo.insertCategory(tx, row);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'ticket_category.created',
      entityType: 'ticket_category',
      entityId: row.id,
      after: toCategory(row),
    });
  });
  return toCategory(row);
}

export async function updateCategory(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: { name?: { fr: string; en: string } | undefined; active?: boolean | undefined },
): Promise<TTicketCategory> {
  const actor = requireActor(ctx);
  const row = await repo.findCategory(ctx, id);
  if (!row || (row.org_id && !can(actor, 'org.read', { orgId: row.org_id })))
    throw notFound('ticket_category');
  // Built-in categories belong to every organisation: only a global administrator changes them.
  if (row.org_id ? !can(actor, 'helpdesk.configure', { orgId: row.org_id }) : !actor.globalAdmin)
    throw forbidden();
  if (row.version !== expectedVersion) throw preconditionFailed(row.version);
  const set = {
    ...(patch.name && { name_fr: patch.name.fr, name_en: patch.name.en }),
    ...(patch.active !== undefined && { active: patch.active }),
    updated_at: ctx.now.toISOString(),
  };
  categoryCache.delete(id);
  const updated = await inTransaction(ctx, async (tx) => {
    if (!(await repo.updateCategory(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = toCategory({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'ticket_category.updated',
      entityType: 'ticket_category',
      entityId: id,
      before: toCategory(row),
      after,
    });
    return after;
  });
  // Again once committed: a reader between the first delete and the commit cached the old row.
  categoryCache.delete(id);
  return updated;
}
