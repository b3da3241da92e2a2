import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import {
  OPEN_STATUSES,
  TICKET_TRANSITIONS,
  type TicketStatus,
  type TTicket,
  type TTicketSla,
} from '../../../shared/schemas/helpdesk.js';
import { type Ctx, inTransaction, type Principal, requireActor } from '../../context.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { publish } from '../../jobs/outbox.js';
import { assetNames } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { draftFromTicket } from '../kb/index.js';
import { findGroupInOrg, groupIdsOfUser, membersOf, nextReference, userDisplayNames } from '../orgs/index.js';
import { addBusinessMinutes, businessMinutesBetween, isBusinessTime } from './calendar.js';
import type { TicketEventTable, TicketTable } from './helpdesk.tables.js';
import { calendarOf, categoryById, type Settings, settingsOf } from './settings.service.js';
import * as repo from './tickets.repo.js';

const DAY_MS = 24 * 3600_000;

export type TicketCreateInput = {
  orgId: string;
  kind: 'incident' | 'request';
  title: string;
  description: string;
  categoryId: string | null;
  requesterId?: string | null | undefined;
  locationId: string | null;
  assetIds: string[];
  impact: TTicket['impact'];
  urgency: TTicket['urgency'];
  source: TTicket['source'];
  assigneeId: string | null;
  groupId: string | null;
  diagnosticPath: Array<{ question: string; answer: string }> | null;
  /** A channel's own key: an alert fingerprint, a message id. */
  externalKey?: string | undefined;
};

export function toTicket(row: TicketTable, assetIds: string[] = []): TTicket {
  return {
    id: row.id,
    orgId: row.org_id,
    reference: row.reference,
    kind: row.kind as TTicket['kind'],
    title: row.title,
    description: row.description,
    categoryId: row.category_id,
    typology: row.typology as TTicket['typology'],
    requesterId: row.requester_id,
    locationId: row.location_id,
    assetIds,
    impact: row.impact as TTicket['impact'],
    urgency: row.urgency as TTicket['urgency'],
    priority: row.priority,
    status: row.status as TicketStatus,
    waitingFor: row.waiting_for as TTicket['waitingFor'],
    waitingUntil: row.waiting_until,
    assigneeId: row.assignee_id,
    groupId: row.group_id,
    recurring: toBool(row.recurring),
    source: row.source as TTicket['source'],
    ownDueAt: row.own_due_at,
    resolveDueAt: row.resolve_due_at,
    ownedAt: row.owned_at,
    plannedAt: row.planned_at ?? null,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    ownMinutes: row.own_minutes,
    resolveMinutes: row.resolve_minutes,
    slaState: row.sla_state as TTicket['slaState'],
    solution: row.solution,
    satisfaction: row.satisfaction,
    satisfactionComment: row.satisfaction_comment,
    mergedIntoId: row.merged_into_id,
    diagnosticPath: fromJson<TTicket['diagnosticPath']>(row.diagnostic_path as string),
    interventionNote: fromJson<TTicket['interventionNote']>((row.intervention_note ?? null) as string),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function withAssets(ctx: Ctx, rows: TicketTable[]): Promise<TTicket[]> {
  const assets = await repo.assetsOfTickets(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toTicket(r, assets.get(r.id) ?? []));
}

/** How the caller sees a ticket: as staff of its organisation, as its requester, or not at all (404). */
type View = 'staff' | 'requester';

function viewOf(actor: Principal, row: TicketTable): View | null {
  if (can(actor, 'ticket.read', { orgId: row.org_id })) return 'staff';
  if (row.requester_id === actor.userId && can(actor, 'ticket.create', { orgId: row.org_id }))
    return 'requester';
  return null;
}

async function visibleTicket(ctx: Ctx, id: string): Promise<{ row: TicketTable; view: View }> {
  const actor = requireActor(ctx);
  const row = await repo.findTicket(ctx, id);
  const view = row ? viewOf(actor, row) : null;
  if (!row || !view) throw notFound('ticket');
  return { row, view };
}

function assertManage(actor: Principal, row: TicketTable): void {
  if (!can(actor, 'ticket.manage', { orgId: row.org_id })) throw forbidden();
}

/**
 * The common frame of a technician's change to a ticket: in one transaction, the ticket as the caller
 * sees it (404 otherwise), their right to work it (403), the version they read (412); `change` returns
 * the row after.
 */
async function managedChange(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  change: (tx: Ctx, row: TicketTable) => Promise<TicketTable>,
): Promise<TTicket> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row } = await visibleTicket(tx, id);
    assertManage(actor, row);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    return (await withAssets(tx, [await change(tx, row)]))[0]!;
  });
}

// --- SLA -------------------------------------------------------------------------------------------

/** Deadlines from `from` for a priority: to own, to resolve, and the warning before breach. */
export function deadlines(settings: Settings, priority: number, from: Date, pausedMinutes = 0) {
  const cal = calendarOf(settings);
  const target = settings.sla[String(priority) as keyof Settings['sla']];
  const resolve = target.resolveMinutes + pausedMinutes;
  return {
    own_due_at: addBusinessMinutes(cal, from, target.ownMinutes + pausedMinutes).toISOString(),
    resolve_due_at: addBusinessMinutes(cal, from, resolve).toISOString(),
    warn_at: addBusinessMinutes(
      cal,
      from,
      Math.floor((target.resolveMinutes * settings.warnPercent) / 100) + pausedMinutes,
    ).toISOString(),
  };
}

/** Business minutes from the ticket's creation to `at`, without the time it waited for the user. */
function elapsed(settings: Settings, row: TicketTable, at: Date): number {
  const cal = calendarOf(settings);
  return Math.max(0, businessMinutesBetween(cal, new Date(row.created_at), at) - row.paused_minutes);
}

export function priorityOf(settings: Settings, impact: string, urgency: string): number {
  const row = settings.matrix[impact as keyof Settings['matrix']];
  return row?.[urgency as keyof typeof row] ?? 3;
}

// --- events ----------------------------------------------------------------------------------------

type NewEvent = { kind: string; public: boolean; body?: string; data?: Record<string, unknown> | null };

async function addEvent(tx: Ctx, row: Pick<TicketTable, 'id' | 'org_id'>, e: NewEvent): Promise<void> {
  await repo.insertEvent(tx, eventRow(tx, row, e));
}

function eventRow(tx: Ctx, row: Pick<TicketTable, 'id' | 'org_id'>, e: NewEvent): TicketEventTable {
  const actor = requireActor(tx);
  return {
    id: uuidv7(),
    ticket_id: row.id,
    org_id: row.org_id,
    at: tx.now.toISOString(),
    author_id: actor.via === 'system' ? null : actor.userId,
    author_label: actor.via === 'system' ? actor.email : actor.displayName,
    kind: e.kind,
    public: e.public,
    body: e.body ?? '',
    data: e.data ? toJson(e.data) : null,
  };
}

/** Writes a change of a ticket: the conditional update, its audit record and its domain event. */
async function saveChange(
  tx: Ctx,
  row: TicketTable,
  set: Partial<TicketTable>,
  action: string,
): Promise<TicketTable> {
  const after: TicketTable = { ...row, ...set, updated_at: tx.now.toISOString(), version: row.version + 1 };
  const { id: _id, version: _v, org_id: _o, ...changes } = { ...set, updated_at: after.updated_at };
  if (!(await repo.updateTicket(tx, row.id, row.version, changes))) throw preconditionFailed(row.version);
  await recordAudit(tx, {
    orgId: row.org_id,
    action: `ticket.${action}`,
    entityType: 'ticket',
    entityId: row.id,
    before: toTicket(row),
    after: toTicket(after),
  });
  await publish(tx, { type: `ticket.${action}`, orgId: row.org_id, payload: { ticketId: row.id } });
  return after;
}

// --- references ------------------------------------------------------------------------------------

async function checkPeople(
  ctx: Ctx,
  orgId: string,
  p: { requesterId?: string | null; assigneeId?: string | null; groupId?: string | null },
  errors: Array<{ path: string; code: string }>,
): Promise<void> {
  const users = [p.requesterId, p.assigneeId].filter((u): u is string => !!u);
  const members = users.length > 0 ? await membersOf(ctx, orgId, users) : new Set<string>();
  if (p.requesterId && !members.has(p.requesterId)) errors.push({ path: 'requesterId', code: 'not_found' });
  if (p.assigneeId && !members.has(p.assigneeId)) errors.push({ path: 'assigneeId', code: 'not_found' });
  if (p.groupId && !(await findGroupInOrg(ctx, orgId, p.groupId)))
    errors.push({ path: 'groupId', code: 'not_found' });
}

async function checkCategoryAndAssets(
  ctx: Ctx,
  orgId: string,
  p: { categoryId?: string | null; assetIds?: string[] },
  errors: Array<{ path: string; code: string }>,
): Promise<string | null | undefined> {
  let typology: string | null | undefined;
  if (p.categoryId) {
    const category = await categoryById(ctx, p.categoryId);
    if (!category || (category.org_id !== null && category.org_id !== orgId) || !toBool(category.active)) {
      errors.push({ path: 'categoryId', code: 'not_found' });
    } else typology = category.typology;
  } else if (p.categoryId === null) typology = null;
  if (p.assetIds && p.assetIds.length > 0) {
    const names = await assetNames(ctx, p.assetIds);
    p.assetIds.forEach((id, i) => {
      if (!names.has(id)) errors.push({ path: `assetIds.${i}`, code: 'not_found' });
    });
  }
  return typology;
}

function invalid(errors: Array<{ path: string; code: string }>): void {
  if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
}

// --- create, read, list ----------------------------------------------------------------------------

export async function createTicket(ctx: Ctx, input: TicketCreateInput): Promise<TTicket> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId }) && actor.via !== 'system') throw notFound('org');
  if (!can(actor, 'ticket.create', { orgId: input.orgId })) throw forbidden();
  const staff = can(actor, 'ticket.manage', { orgId: input.orgId });
  // A requester files for themselves, and leaves assignment to the helpdesk.
  const requesterId =
    input.requesterId !== undefined && staff
      ? input.requesterId
      : actor.via === 'system'
        ? null
        : actor.userId;
  const assigneeId = staff ? input.assigneeId : null;
  const groupId = staff ? input.groupId : null;
  const errors: Array<{ path: string; code: string }> = [];
  await checkPeople(
    ctx,
    input.orgId,
    { requesterId: input.requesterId && staff ? requesterId : null, assigneeId, groupId },
    errors,
  );
  const typology = await checkCategoryAndAssets(ctx, input.orgId, input, errors);
  invalid(errors);
  const settings = await settingsOf(ctx, input.orgId);
  return inTransaction(ctx, async (tx) => {
    const now = tx.now;
    const priority = priorityOf(settings, input.impact, input.urgency);
    // Recurring from the third: only that many earlier tickets need finding.
    const related = await repo.recentRelated(tx, {
      orgId: input.orgId,
      since: new Date(now.getTime() - settings.recurring.days * DAY_MS).toISOString(),
      assetIds: input.assetIds,
      categoryId: input.categoryId,
      limit: settings.recurring.count - 1,
    });
    const assigned = !!(assigneeId || groupId);
    const row: TicketTable = {
      id: uuidv7(),
      org_id: input.orgId,
      reference: await nextReference(tx, input.orgId, 'ticket', 'T'),
      kind: input.kind,
      title: input.title,
      description: input.description,
      category_id: input.categoryId,
      typology: typology ?? null,
      requester_id: requesterId,
      location_id: input.locationId,
      impact: input.impact,
      urgency: input.urgency,
      priority,
      status: assigned ? 'assigned' : 'new',
      is_open: true,
      waiting_for: null,
      waiting_until: null,
      assignee_id: assigneeId,
      group_id: groupId,
      recurring: related.length + 1 >= settings.recurring.count,
      source: input.source,
      ...deadlines(settings, priority, now),
      owned_at: assigneeId ? now.toISOString() : null,
      resolved_at: null,
      closed_at: null,
      paused_since: null,
      paused_minutes: 0,
      own_minutes: assigneeId ? 0 : null,
      resolve_minutes: null,
      sla_state: 'ok',
      solution: null,
      satisfaction: null,
      satisfaction_comment: null,
      merged_into_id: null,
      diagnostic_path: input.diagnosticPath ? toJson(input.diagnosticPath) : null,
      external_key: input.externalKey ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      version: 1,
    };
    // The group it starts with is part of its story (first-contact resolution counts the groups).
    const created = eventRow(tx, row, {
      kind: 'created',
      public: true,
      body: '',
      data: row.group_id ? { groupId: row.group_id } : undefined,
    });
    await repo.insertTicket(tx, row, created);
    if (input.assetIds.length > 0) await repo.setTicketAssets(tx, row.id, input.assetIds, row.created_at);
    const ticket = toTicket(row, input.assetIds);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'ticket.created',
      entityType: 'ticket',
      entityId: row.id,
      after: ticket,
    });
    await publish(tx, { type: 'ticket.created', orgId: row.org_id, payload: { ticketId: row.id } });
    return ticket;
  });
}

/** The ticket's SLA progress in business minutes, for its page's bars. */
export async function ticketSla(ctx: Ctx, id: string): Promise<TTicketSla> {
  const { row } = await visibleTicket(ctx, id);
  const settings = await settingsOf(ctx, row.org_id);
  const target = settings.sla[String(row.priority) as keyof Settings['sla']];
  const now = ctx.now;
  // While waiting for the user, the clock stopped when the wait began.
  const paused = !!row.paused_since;
  const until = row.resolved_at ? new Date(row.resolved_at) : paused ? new Date(row.paused_since!) : now;
  return {
    at: now.toISOString(),
    elapsedMinutes: elapsed(settings, row, until),
    ownTargetMinutes: target.ownMinutes,
    resolveTargetMinutes: target.resolveMinutes,
    paused,
    businessTime: isBusinessTime(calendarOf(settings), now),
  };
}

export async function getTicket(ctx: Ctx, id: string): Promise<TTicket> {
  const { row } = await visibleTicket(ctx, id);
  return (await withAssets(ctx, [row]))[0]!;
}

export async function listTickets(
  ctx: Ctx,
  q: {
    view: 'queue' | 'requested' | 'all';
    orgId?: string | undefined;
    status?: TicketStatus | undefined;
    open?: boolean | undefined;
    assigneeId?: string | undefined;
    groupId?: string | undefined;
    categoryId?: string | undefined;
    priority?: number | undefined;
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TTicket>> {
  const actor = requireActor(ctx);
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  if (q.view === 'queue') {
    if (!can(actor, 'ticket.manage')) throw forbidden();
    const rows = await repo.queue(ctx, {
      status: q.status,
      categoryId: q.categoryId,
      priority: q.priority,
      q: q.q,
      userId: actor.userId,
      groupIds: await groupIdsOfUser(ctx, actor.userId),
      scope: orgsWhere(actor, 'ticket.manage'),
      after,
      limit: q.limit + 1,
    });
    const page = toPage(
      rows,
      q.limit,
      (r) => r,
      (r) => [r.resolve_due_at, r.id],
    );
    return { items: await withAssets(ctx, page.items), nextCursor: page.nextCursor };
  }
  const requested = q.view === 'requested' || !can(actor, 'ticket.read');
  const rows = await repo.listTickets(ctx, {
    ...q,
    scope: requested ? orgsWhere(actor, 'ticket.create') : orgsWhere(actor, 'ticket.read'),
    requesterId: requested ? actor.userId : undefined,
    after,
    limit: q.limit + 1,
  });
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.created_at, r.id],
  );
  return { items: await withAssets(ctx, page.items), nextCursor: page.nextCursor };
}

/** Tickets of the same asset or category in the recurrence window: why a ticket is recurring. */
export async function relatedTickets(ctx: Ctx, id: string) {
  const { row, view } = await visibleTicket(ctx, id);
  if (view !== 'staff') throw forbidden();
  const settings = await settingsOf(ctx, row.org_id);
  const assets = (await repo.assetsOfTickets(ctx, [row.id])).get(row.id) ?? [];
  const since = new Date(new Date(row.created_at).getTime() - settings.recurring.days * DAY_MS).toISOString();
  const rows = await repo.recentRelated(ctx, {
    orgId: row.org_id,
    since,
    assetIds: assets,
    categoryId: row.category_id,
    excludeId: row.id,
  });
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    title: r.title,
    status: r.status,
    createdAt: r.created_at,
  }));
}

// --- edits -----------------------------------------------------------------------------------------

export async function updateTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<
    Pick<
      TicketCreateInput,
      | 'kind'
      | 'title'
      | 'description'
      | 'categoryId'
      | 'locationId'
      | 'assetIds'
      | 'impact'
      | 'urgency'
      | 'diagnosticPath'
    >
  >,
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    const errors: Array<{ path: string; code: string }> = [];
    const typology = await checkCategoryAndAssets(tx, row.org_id, patch, errors);
    invalid(errors);
    const settings = await settingsOf(tx, row.org_id);
    const impact = patch.impact ?? row.impact;
    const urgency = patch.urgency ?? row.urgency;
    const priority = priorityOf(settings, impact, urgency);
    const set: Partial<TicketTable> = {
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.categoryId !== undefined && { category_id: patch.categoryId, typology: typology ?? null }),
      ...(patch.locationId !== undefined && { location_id: patch.locationId }),
      ...(patch.diagnosticPath !== undefined && {
        diagnostic_path: patch.diagnosticPath ? toJson(patch.diagnosticPath) : null,
      }),
      impact,
      urgency,
      priority,
      // A new priority moves the deadlines, counted from the creation as if it had always had it.
      ...(priority !== row.priority &&
        toBool(row.is_open) &&
        deadlines(settings, priority, new Date(row.created_at), row.paused_minutes)),
    };
    const after = await saveChange(tx, row, set, 'updated');
    if (patch.assetIds) await repo.setTicketAssets(tx, row.id, patch.assetIds, tx.now.toISOString());
    if (priority !== row.priority) {
      await addEvent(tx, row, {
        kind: 'priority',
        public: false,
        data: { from: row.priority, to: priority },
      });
    }
    return after;
  });
}

/** Moves a ticket along its workflow; a forbidden move gets 422 with the allowed ones. */
export async function changeStatus(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: {
    status: TicketStatus;
    waitingFor?: string | undefined;
    waitingUntil?: string | undefined;
    note?: string | undefined;
  },
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    const from = row.status as TicketStatus;
    const allowed = TICKET_TRANSITIONS[from];
    if (!allowed.includes(input.status) || (input.status === 'resolved' && !row.solution)) {
      throw new AppError(
        input.status === 'resolved' && allowed.includes('resolved')
          ? 'ticket.solution_required'
          : 'ticket.bad_transition',
        422,
        { from, to: input.status, allowed: allowed.join(', ') || '—' },
        { allowed },
        [
          {
            path: 'status',
            code:
              input.status === 'resolved' && allowed.includes('resolved')
                ? 'solution_required'
                : 'bad_transition',
          },
        ],
      );
    }
    const settings = await settingsOf(tx, row.org_id);
    const set = transitionSet(tx, settings, row, input.status, input);
    const after = await saveChange(tx, row, set, 'status_changed');
    await addEvent(tx, row, {
      kind: 'status',
      public: true,
      body: input.note ?? '',
      data: {
        from,
        to: input.status,
        ...(input.waitingFor && { waitingFor: input.waitingFor }),
        ...(input.waitingUntil && { waitingUntil: input.waitingUntil }),
      },
    });
    return after;
  });
}

/** The columns a move to `to` sets: SLA clock pause and resume, owning, resolution and closing times. */
function transitionSet(
  tx: Ctx,
  settings: Settings,
  row: TicketTable,
  to: TicketStatus,
  input: { waitingFor?: string | undefined; waitingUntil?: string | undefined },
): Partial<TicketTable> {
  const now = tx.now;
  const set: Partial<TicketTable> = { status: to, is_open: OPEN_STATUSES.includes(to) };
  // Waiting for the user stops the clock; leaving that wait moves the deadlines by the time it stood.
  const pausing = to === 'waiting' && input.waitingFor === 'user';
  if (row.paused_since && !pausing) {
    const paused = businessMinutesBetween(calendarOf(settings), new Date(row.paused_since), now);
    Object.assign(set, {
      paused_since: null,
      paused_minutes: row.paused_minutes + paused,
      ...deadlines(settings, row.priority, new Date(row.created_at), row.paused_minutes + paused),
    });
  } else if (pausing && !row.paused_since) set.paused_since = now.toISOString();
  set.waiting_for = to === 'waiting' ? (input.waitingFor ?? null) : null;
  set.waiting_until = to === 'waiting' ? (input.waitingUntil ?? null) : null;
  if (to === 'in_progress' && !row.owned_at) {
    set.owned_at = now.toISOString();
    set.own_minutes = elapsed(settings, row, now);
  }
  if (to === 'resolved' || to === 'closed') {
    if (!row.resolved_at) {
      set.resolved_at = now.toISOString();
      set.resolve_minutes = elapsed(settings, { ...row, ...set } as TicketTable, now);
    }
    if (to === 'closed') set.closed_at = now.toISOString();
  }
  if (to === 'in_progress' && (row.status === 'resolved' || row.status === 'closed')) {
    // Reopened: the resolution no longer counts.
    Object.assign(set, { resolved_at: null, closed_at: null, resolve_minutes: null });
  }
  return set;
}

export async function assignTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { assigneeId: string | null; groupId: string | null },
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    const errors: Array<{ path: string; code: string }> = [];
    await checkPeople(tx, row.org_id, input, errors);
    invalid(errors);
    const settings = await settingsOf(tx, row.org_id);
    const now = tx.now;
    const set: Partial<TicketTable> = { assignee_id: input.assigneeId, group_id: input.groupId };
    if (row.status === 'new' && (input.assigneeId || input.groupId)) set.status = 'assigned';
    // Owned: a technician has it (the time to own stops).
    if (input.assigneeId && !row.owned_at) {
      set.owned_at = now.toISOString();
      set.own_minutes = elapsed(settings, row, now);
    }
    const after = await saveChange(tx, row, set, 'assigned');
    const group = input.groupId ? await findGroupInOrg(tx, row.org_id, input.groupId) : undefined;
    const names = await userDisplayNames(tx, input.assigneeId ? [input.assigneeId] : []);
    await addEvent(tx, row, {
      kind: 'assignment',
      public: true,
      data: {
        assigneeId: input.assigneeId,
        assigneeName: input.assigneeId ? (names.get(input.assigneeId) ?? null) : null,
        groupId: input.groupId,
        groupName: group?.name ?? null,
      },
    });
    return after;
  });
}

/** Plans (or cancels) an intervention: the requester is told when, and what will happen. */
export async function planTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { at: string | null; note: string },
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    if (!toBool(row.is_open)) {
      throw new AppError(
        'ticket.bad_transition',
        422,
        { from: row.status, to: 'planned', allowed: '—' },
        {},
        [{ path: 'at', code: 'bad_transition' }],
      );
    }
    if (input.at && input.at < tx.now.toISOString()) invalid([{ path: 'at', code: 'in_the_past' }]);
    const after = await saveChange(tx, row, { planned_at: input.at }, 'planned');
    await addEvent(tx, row, { kind: 'planned', public: true, body: input.note, data: { at: input.at } });
    return after;
  });
}

/** Hands a ticket to a specialist group, with the reason the specialists and the audit will read. */
export async function escalateTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { groupId: string; reason: string },
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    const group = await findGroupInOrg(tx, row.org_id, input.groupId);
    if (!group) invalid([{ path: 'groupId', code: 'not_found' }]);
    const after = await saveChange(
      tx,
      row,
      { group_id: input.groupId, assignee_id: null, status: row.status === 'new' ? 'assigned' : row.status },
      'escalated',
    );
    await addEvent(tx, row, {
      kind: 'escalation',
      public: false,
      body: input.reason,
      data: { fromGroupId: row.group_id, toGroupId: input.groupId, groupName: group!.name },
    });
    return after;
  });
}

/** The solution (the requester reads it), and the ticket resolved. */
export async function solveTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  solution: string,
  note?: TTicket['interventionNote'],
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    if (!toBool(row.is_open)) {
      throw new AppError(
        'ticket.bad_transition',
        422,
        { from: row.status, to: 'resolved', allowed: '—' },
        {},
        [{ path: 'status', code: 'bad_transition' }],
      );
    }
    const settings = await settingsOf(tx, row.org_id);
    const set = {
      ...transitionSet(tx, settings, row, 'resolved', {}),
      solution,
      intervention_note: note ? toJson(note) : null,
    };
    if (!row.owned_at)
      Object.assign(set, { owned_at: tx.now.toISOString(), own_minutes: elapsed(settings, row, tx.now) });
    const after = await saveChange(tx, row, set, 'resolved');
    await addEvent(tx, row, { kind: 'solution', public: true, body: solution });
    return after;
  });
}

/**
 * A procedure pre-filled from a ticket, not saved (for technicians who write the knowledge base): its
 * title, the description as symptoms, the cause and what was done from the intervention note, else the
 * solution.
 */
export async function kbDraftOfTicket(ctx: Ctx, id: string) {
  const actor = requireActor(ctx);
  const { row } = await visibleTicket(ctx, id);
  if (!can(actor, 'kb.manage', { orgId: row.org_id })) throw forbidden();
  const note = fromJson<TTicket['interventionNote']>((row.intervention_note ?? null) as string);
  return draftFromTicket({
    orgId: row.org_id,
    title: row.title,
    symptoms: row.description,
    cause: note?.cause ?? '',
    resolution: note?.action || row.solution || '',
    sourceTicketId: row.id,
  });
}

/** The requester (or staff) reopens a resolved ticket within the organisation's delay. */
export async function reopenTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  reason: string,
): Promise<TTicket> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row, view } = await visibleTicket(tx, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const settings = await settingsOf(tx, row.org_id);
    if (row.status !== 'resolved' && row.status !== 'closed') {
      throw new AppError(
        'ticket.bad_transition',
        422,
        { from: row.status, to: 'in_progress', allowed: '—' },
        {},
        [{ path: 'status', code: 'bad_transition' }],
      );
    }
    if (view === 'requester') {
      const limit = new Date(row.resolved_at ?? row.updated_at).getTime() + settings.reopenDays * DAY_MS;
      if (row.status === 'closed' || tx.now.getTime() > limit) {
        throw new AppError('ticket.reopen_expired', 422, { days: settings.reopenDays }, {}, [
          { path: 'status', code: 'reopen_expired' },
        ]);
      }
    } else assertManage(actor, row);
    const after = await saveChange(tx, row, transitionSet(tx, settings, row, 'in_progress', {}), 'reopened');
    await addEvent(tx, row, { kind: 'reopened', public: true, body: reason });
    return (await withAssets(tx, [after]))[0]!;
  });
}

/** A follow-up: public (the requester reads it) or private (technicians only). */
export async function addFollowup(
  ctx: Ctx,
  id: string,
  input: { body: string; public: boolean },
): Promise<{ ticket: TTicket; reopened: boolean }> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row, view } = await visibleTicket(tx, id);
    const isPublic = view === 'requester' ? true : input.public;
    if (
      view === 'staff' &&
      !can(actor, 'ticket.manage', { orgId: row.org_id }) &&
      row.requester_id !== actor.userId
    )
      throw forbidden();
    let current = row;
    let reopened = false;
    if (row.status === 'closed' || (row.status === 'resolved' && view === 'requester')) {
      const settings = await settingsOf(tx, row.org_id);
      if (row.status === 'closed' && settings.followupOnClosed === 'refuse') {
        throw new AppError('ticket.closed', 409, { reference: row.reference }, {}, []);
      }
      // The requester answering a solution, or anyone writing on a closed ticket: the ticket opens again.
      current = await saveChange(tx, row, transitionSet(tx, settings, row, 'in_progress', {}), 'reopened');
      await addEvent(tx, row, { kind: 'reopened', public: true, body: '' });
      reopened = true;
    } else if (row.status === 'waiting' && row.waiting_for === 'user' && view === 'requester') {
      // The user answered: the clock runs again.
      const settings = await settingsOf(tx, row.org_id);
      current = await saveChange(
        tx,
        row,
        transitionSet(tx, settings, row, 'in_progress', {}),
        'status_changed',
      );
      await addEvent(tx, row, {
        kind: 'status',
        public: true,
        data: { from: row.status, to: 'in_progress' },
      });
    } else {
      current = await saveChange(tx, row, {}, 'followup');
    }
    await addEvent(tx, row, { kind: 'followup', public: isPublic, body: input.body });
    return { ticket: (await withAssets(tx, [current]))[0]!, reopened };
  });
}

export async function listEvents(ctx: Ctx, id: string, q: { limit: number; cursor?: string | undefined }) {
  const { view } = await visibleTicket(ctx, id);
  const rows = await repo.listEvents(ctx, id, {
    publicOnly: view === 'requester',
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(
    rows,
    q.limit,
    (r) => ({
      id: r.id,
      at: r.at,
      authorId: r.author_id,
      authorName: r.author_label,
      kind: r.kind,
      public: toBool(r.public),
      body: r.body,
      data: fromJson<Record<string, unknown> | null>(r.data as string),
    }),
    (r) => [r.at, r.id],
  );
}

/** The requester's rating once the ticket is resolved: 1 to 5, with a comment. */
export async function rateTicket(
  ctx: Ctx,
  id: string,
  input: { rating: number; comment: string },
): Promise<TTicket> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row } = await visibleTicket(tx, id);
    if (row.requester_id !== actor.userId) throw forbidden();
    if (row.status !== 'resolved' && row.status !== 'closed') {
      throw new AppError('ticket.not_resolved', 422, {}, {}, [{ path: 'rating', code: 'not_resolved' }]);
    }
    const after = await saveChange(
      tx,
      row,
      { satisfaction: input.rating, satisfaction_comment: input.comment || null },
      'rated',
    );
    await addEvent(tx, row, {
      kind: 'satisfaction',
      public: true,
      body: input.comment,
      data: { rating: input.rating },
    });
    return (await withAssets(tx, [after]))[0]!;
  });
}

/** A duplicate goes into the ticket it repeats: closed, pointing there, its requester told. */
export async function mergeTicket(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  intoId: string,
): Promise<TTicket> {
  return managedChange(ctx, id, expectedVersion, async (tx, row) => {
    const target = await repo.findTicket(tx, intoId);
    if (!target || target.org_id !== row.org_id || target.id === row.id || target.merged_into_id) {
      invalid([{ path: 'intoId', code: 'not_found' }]);
    }
    const settings = await settingsOf(tx, row.org_id);
    const after = await saveChange(
      tx,
      row,
      { ...transitionSet(tx, settings, row, 'closed', {}), merged_into_id: intoId },
      'merged',
    );
    await addEvent(tx, row, {
      kind: 'merged',
      public: true,
      data: { intoId, intoReference: target!.reference },
    });
    await addEvent(tx, target!, {
      kind: 'merged_from',
      public: false,
      body: row.title,
      data: { fromId: row.id, fromReference: row.reference },
    });
    return after;
  });
}

/** Tickets that touched an asset, newest first: for the asset's timeline. */
export async function ticketsOfAsset(ctx: Ctx, assetId: string, limit = 50): Promise<TTicket[]> {
  const actor = requireActor(ctx);
  const rows = (await repo.ticketsOfAsset(ctx, assetId, limit)).filter((r) => viewOf(actor, r) === 'staff');
  return withAssets(ctx, rows);
}

// --- SLA watch -------------------------------------------------------------------------------------

/**
 * Warns before a breach and escalates on it: an SLA event on the ticket, a domain event for the
 * notifications, and on breach the organisation's escalation group takes the ticket when it has one.
 */
export async function watchSla(ctx: Ctx, limit = 500): Promise<{ warned: number; breached: number }> {
  const counts = { warned: 0, breached: 0 };
  const now = ctx.now.toISOString();
  const rows = await repo.slaCandidates(ctx, now, limit);
  for (const candidate of rows) {
    await inTransaction(ctx, async (tx) => {
      const row = await repo.findTicket(tx, candidate.id);
      if (!row || !toBool(row.is_open) || row.paused_since) return;
      const breach = row.resolve_due_at !== null && row.resolve_due_at <= now && row.sla_state !== 'breached';
      const warn = !breach && row.sla_state === 'ok' && row.warn_at !== null && row.warn_at <= now;
      if (!breach && !warn) return;
      const settings = await settingsOf(tx, row.org_id);
      const escalate = breach && settings.escalationGroupId && row.group_id !== settings.escalationGroupId;
      const set: Partial<TicketTable> = {
        sla_state: breach ? 'breached' : 'warned',
        ...(escalate && { group_id: settings.escalationGroupId }),
      };
      try {
        await saveChange(tx, row, set, breach ? 'sla_breached' : 'sla_warning');
      } catch (err) {
        // Someone changed the ticket meanwhile: the next round looks again.
        if (err instanceof AppError && err.status === 412) return;
        throw err;
      }
      await addEvent(tx, row, {
        kind: 'sla',
        public: false,
        data: {
          state: breach ? 'breached' : 'warned',
          dueAt: row.resolve_due_at,
          escalatedTo: escalate ? settings.escalationGroupId : null,
        },
      });
      counts[breach ? 'breached' : 'warned']++;
    });
  }
  return counts;
}
