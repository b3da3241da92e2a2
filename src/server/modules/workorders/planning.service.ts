import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type {
  TPlannedWorkOrder,
  TPlanning,
  TPlanningConflict,
  TPlanningQuery,
  TScheduleInput,
  TUnavailability,
  TUnavailabilityInput,
} from '../../../shared/schemas/planning.js';
import type { TWorkOrderDetail, WorkOrderKind, WorkOrderStatus } from '../../../shared/schemas/workorders.js';
import { type Ctx, inTransaction, type Principal } from '../../context.js';
import { randomToken, sha256 } from '../../crypto.js';
import { fromJson } from '../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import { contactsOf, loadPrincipal, membersOf } from '../orgs/index.js';
import { actorOf, closedError, sortDayOf, unprocessable, visibleWorkOrder } from './access.js';
import type { PlannedRow } from './planning.repo.js';
import * as repo from './planning.repo.js';
import { DEFAULT_REMINDER_HOURS, setReminder } from './reminder-due.js';
import * as woRepo from './workorders.repo.js';
import { detailOf } from './workorders.service.js';
import type { UserUnavailabilityTable, WorkOrderTable } from './workorders.tables.js';

const HOUR_MS = 3600_000;
const PLANNER_ROLES = ['technician', 'supervisor'] as const;

/** One spelling of instants, so that stored strings compare as instants on both databases. */
const iso = (s: string) => new Date(s).toISOString();

/** Another organisation answers 404 (as if absent); one's own without the action, 403. */
function assertOrg(actor: Principal, action: 'workorder.read' | 'workorder.manage', orgId: string): void {
  if (!can(actor, 'org.read', { orgId }) && !can(actor, 'workorder.read', { orgId })) throw notFound('org');
  if (!can(actor, action, { orgId })) throw forbidden();
}

export function toPlanned(r: PlannedRow): TPlannedWorkOrder {
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind as WorkOrderKind,
    title: r.title,
    status: r.status as WorkOrderStatus,
    technicianId: r.technician_id,
    scheduledStart: r.scheduled_start,
    scheduledEnd: r.scheduled_end,
    earliestDate: r.earliest_date,
    latestDate: r.latest_date,
    affectedUserIds: fromJson<string[]>(r.affected_user_ids) ?? [],
    version: r.version,
  };
}

export function toUnavailability(r: UserUnavailabilityTable): TUnavailability {
  return {
    id: r.id,
    orgId: r.org_id,
    userId: r.user_id,
    start: r.start_at,
    end: r.end_at,
    reason: r.reason,
    createdAt: r.created_at,
  };
}

const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) =>
  a.start < b.end && b.start < a.end;

/**
 * The conflicts of one booking (a technician over [start, end), for these affected users): the
 * technician's other work orders overlapping it, and the slots where the technician or an affected
 * user declared themselves unavailable.
 */
function conflictsOf(
  booking: { id: string; technicianId: string; start: string; end: string; affected: string[] },
  others: PlannedRow[],
  slots: UserUnavailabilityTable[],
): TPlanningConflict[] {
  const out: TPlanningConflict[] = [];
  for (const o of others) {
    if (o.id === booking.id || o.technician_id !== booking.technicianId) continue;
    if (!o.scheduled_start || !o.scheduled_end) continue;
    if (!overlaps(booking, { start: o.scheduled_start, end: o.scheduled_end })) continue;
    out.push({
      kind: 'double_booking',
      userId: booking.technicianId,
      start: o.scheduled_start,
      end: o.scheduled_end,
      workOrderId: o.id,
      reference: o.reference,
      unavailabilityId: null,
      reason: null,
    });
  }
  const people = new Set([booking.technicianId, ...booking.affected]);
  for (const s of slots) {
    if (!people.has(s.user_id) || !overlaps(booking, { start: s.start_at, end: s.end_at })) continue;
    out.push({
      kind: 'unavailable',
      userId: s.user_id,
      start: s.start_at,
      end: s.end_at,
      workOrderId: null,
      reference: null,
      unavailabilityId: s.id,
      reason: s.reason,
    });
  }
  return out;
}

/**
 * The conflicts of booking a technician over [start, end) for a work order, under a lock on the
 * technician: of two schedulers of one technician, the second reads the first's booking once it is
 * committed. Scheduling and editing a work order's time both go through it.
 */
export async function bookingConflicts(
  tx: Ctx,
  booking: { id: string; technicianId: string; start: string; end: string; affected: string[] },
): Promise<TPlanningConflict[]> {
  await repo.lockTechnician(tx, booking.technicianId);
  const { id, technicianId, start, end, affected } = booking;
  const [others, slots] = await Promise.all([
    repo.scheduledIn(tx, { technicianIds: [technicianId], from: start, to: end, excludeId: id }),
    repo.unavailabilityIn(tx, { userIds: [technicianId, ...affected], from: start, to: end }),
  ]);
  return conflictsOf(booking, others, slots);
}

/**
 * The planning of an organisation over [from, to): its technicians (those given, else every person
 * holding the technician or supervisor role there) with their work orders, the slots declared
 * unavailable by anyone of the organisation, the conflicts, and the work orders still to schedule.
 */
export async function getPlanning(ctx: Ctx, q: TPlanningQuery): Promise<TPlanning> {
  assertOrg(actorOf(ctx), 'workorder.read', q.orgId);
  const from = iso(q.from);
  const to = iso(q.to);
  const staff = await contactsOf(ctx, { orgId: q.orgId, roles: [...PLANNER_ROLES] });
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  const technicianIds = q.technicianIds ? [...new Set(q.technicianIds)] : staff.map((s) => s.id);
  const [rows, slots, waiting] = await Promise.all([
    repo.scheduledIn(ctx, { orgId: q.orgId, technicianIds, from, to }),
    repo.unavailabilityIn(ctx, { orgId: q.orgId, from, to }),
    repo.unscheduled(ctx, q.orgId, 200),
  ]);
  const byTech = new Map<string, PlannedRow[]>(technicianIds.map((id) => [id, []]));
  for (const r of rows) byTech.get(r.technician_id ?? '')?.push(r);
  const slotsByUser = new Map<string, UserUnavailabilityTable[]>();
  for (const s of slots) slotsByUser.set(s.user_id, [...(slotsByUser.get(s.user_id) ?? []), s]);
  const conflicts: TPlanning['conflicts'] = [];
  for (const [techId, list] of byTech) {
    // Sorted by start: a work order can only overlap those starting before its end.
    for (const [i, r] of list.entries()) {
      const start = r.scheduled_start ?? '';
      const end = r.scheduled_end ?? '';
      const affected = fromJson<string[]>(r.affected_user_ids) ?? [];
      const near: PlannedRow[] = [];
      for (let j = i - 1; j >= 0; j--) if ((list[j]!.scheduled_end ?? '') > start) near.push(list[j]!);
      for (let j = i + 1; j < list.length && (list[j]!.scheduled_start ?? '') < end; j++) near.push(list[j]!);
      const mine = [techId, ...affected].flatMap((u) => slotsByUser.get(u) ?? []);
      for (const c of conflictsOf({ id: r.id, technicianId: techId, start, end, affected }, near, mine))
        conflicts.push({ ...c, concerns: r.id });
    }
  }
  return {
    from,
    to,
    technicians: technicianIds.map((id) => ({
      id,
      displayName: names.get(id) ?? '',
      workOrders: (byTech.get(id) ?? []).map(toPlanned),
    })),
    unavailability: slots.map(toUnavailability),
    conflicts,
    unscheduled: waiting.map(toPlanned),
  };
}

/**
 * Schedules a work order (If-Match): a technician of its organisation over [start, end). A double
 * booking of the technician, or an overlap with a slot where the technician or an affected user is
 * unavailable, is a 409 listing the conflicts, unless `override` (the conflicts go to the audit).
 * A draft becomes planned; the affected users' reminder is (re)set for the new start.
 */
export async function scheduleWorkOrder(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: TScheduleInput,
): Promise<TWorkOrderDetail & { conflicts: TPlanningConflict[] }> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (row.status !== 'draft' && row.status !== 'planned') throw closedError(row.status);
    const staff = await contactsOf(tx, { orgId: row.org_id, roles: [...PLANNER_ROLES] });
    if (!staff.some((s) => s.id === input.technicianId))
      throw unprocessable([{ path: 'technicianId', code: 'not_found' }]);
    const start = iso(input.start);
    const end = iso(input.end);
    const affected = fromJson<string[]>(row.affected_user_ids) ?? [];
    const conflicts = await bookingConflicts(tx, {
      id,
      technicianId: input.technicianId,
      start,
      end,
      affected,
    });
    if (conflicts.length > 0 && !input.override)
      throw new AppError('planning.conflict', 409, { count: conflicts.length }, { conflicts });
    const set: Partial<WorkOrderTable> = {
      technician_id: input.technicianId,
      scheduled_start: start,
      scheduled_end: end,
      status: 'planned',
      updated_at: tx.now.toISOString(),
    };
    set.sort_day = sortDayOf({ scheduled_start: start, earliest_date: row.earliest_date });
    if (!(await woRepo.updateWorkOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    await setReminder(tx, { id, orgId: row.org_id, start });
    const updated = { ...row, ...set, version: row.version + 1 };
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.scheduled',
      entityType: 'work_order',
      entityId: id,
      before: {
        status: row.status,
        technicianId: row.technician_id,
        start: row.scheduled_start,
        end: row.scheduled_end,
      },
      after: {
        status: 'planned',
        technicianId: input.technicianId,
        start,
        end,
        ...(conflicts.length > 0 && { override: true, conflicts }),
      },
    });
    return { ...(await detailOf(tx, updated)), conflicts };
  });
}

export async function getPlanningSettings(ctx: Ctx, orgId: string): Promise<{ reminderHours: number }> {
  assertOrg(actorOf(ctx), 'workorder.read', orgId);
  return { reminderHours: (await repo.reminderHours(ctx, orgId)) ?? DEFAULT_REMINDER_HOURS };
}

/** How many hours ahead the organisation's users are told (supervisors and administrators). */
export async function setPlanningSettings(
  ctx: Ctx,
  orgId: string,
  input: { reminderHours: number },
): Promise<{ reminderHours: number }> {
  const actor = actorOf(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'helpdesk.configure', { orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    const before = (await repo.reminderHours(tx, orgId)) ?? DEFAULT_REMINDER_HOURS;
    await repo.setReminderHours(tx, orgId, input.reminderHours, tx.now.toISOString());
    await recordAudit(tx, {
      orgId,
      action: 'planning.settings_updated',
      entityType: 'organisation',
      entityId: orgId,
      before: { reminderHours: before },
      after: input,
    });
    return input;
  });
}

// --- unavailability ------------------------------------------------------------------------------

/** Whether the actor may declare or remove this person's slots: their own, or staff for anyone. */
function mayEditSlots(actor: Principal, orgId: string, userId: string): boolean {
  return can(actor, 'workorder.manage', { orgId }) || (actor.userId === userId && actor.via !== 'system');
}

export async function listUnavailability(
  ctx: Ctx,
  q: { orgId: string; from: string; to: string; userId?: string | undefined },
): Promise<{ items: TUnavailability[] }> {
  const actor = actorOf(ctx);
  if (!can(actor, 'org.read', { orgId: q.orgId })) throw notFound('org');
  // Staff see everyone's slots; others their own.
  const userId = can(actor, 'workorder.read', { orgId: q.orgId }) ? q.userId : actor.userId;
  const rows = await repo.unavailabilityIn(ctx, {
    orgId: q.orgId,
    ...(userId && { userIds: [userId] }),
    from: iso(q.from),
    to: iso(q.to),
  });
  return { items: rows.map(toUnavailability) };
}

export async function createUnavailability(ctx: Ctx, input: TUnavailabilityInput): Promise<TUnavailability> {
  const actor = actorOf(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!mayEditSlots(actor, input.orgId, input.userId)) throw forbidden();
  const members = await membersOf(ctx, input.orgId, [input.userId]);
  if (!members.has(input.userId)) throw unprocessable([{ path: 'userId', code: 'not_found' }]);
  return inTransaction(ctx, async (tx) => {
    const row: UserUnavailabilityTable = {
      id: uuidv7(),
      org_id: input.orgId,
      user_id: input.userId,
      start_at: iso(input.start),
      end_at: iso(input.end),
      reason: input.reason,
      created_by: actor.via === 'system' ? null : actor.userId,
      created_at: tx.now.toISOString(),
    };
    await repo.insertUnavailability(tx, row);
    const out = toUnavailability(row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'unavailability.created',
      entityType: 'user_unavailability',
      entityId: row.id,
      after: out,
    });
    return out;
  });
}

export async function deleteUnavailability(ctx: Ctx, id: string): Promise<void> {
  const actor = actorOf(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await repo.findUnavailability(tx, id);
    if (!row || !can(actor, 'org.read', { orgId: row.org_id })) throw notFound('unavailability');
    if (!mayEditSlots(actor, row.org_id, row.user_id)) throw forbidden();
    await repo.deleteUnavailability(tx, id);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'unavailability.deleted',
      entityType: 'user_unavailability',
      entityId: id,
      before: toUnavailability(row),
    });
  });
}

// --- iCalendar feed ---------------------------------------------------------------------------------

/** A new personal feed token (the old one stops working); the URL is shown once, only its hash is kept. */
export async function createCalendarToken(
  ctx: Ctx,
  baseUrl: string,
): Promise<{ url: string; createdAt: string }> {
  const actor = actorOf(ctx);
  if (actor.via !== 'session') throw forbidden();
  const token = randomToken();
  const createdAt = ctx.now.toISOString();
  await inTransaction(ctx, async (tx) => {
    await repo.replaceCalendarToken(tx, {
      user_id: actor.userId,
      token_hash: sha256(token),
      created_at: createdAt,
    });
    await recordAudit(tx, {
      orgId: null,
      action: 'calendar_token.created',
      entityType: 'user',
      entityId: actor.userId,
    });
  });
  return { url: `${baseUrl.replace(/\/$/, '')}/api/v1/planning/ical/${token}.ics`, createdAt };
}

export async function revokeCalendarToken(ctx: Ctx): Promise<void> {
  const actor = actorOf(ctx);
  if (actor.via === 'system') throw forbidden();
  await inTransaction(ctx, async (tx) => {
    if ((await repo.deleteCalendarToken(tx, actor.userId)) > 0)
      await recordAudit(tx, {
        orgId: null,
        action: 'calendar_token.revoked',
        entityType: 'user',
        entityId: actor.userId,
      });
  });
}

/** Days of the feed: the past month and the coming year. */
const FEED_PAST_MS = 31 * 24 * HOUR_MS;
const FEED_AHEAD_MS = 366 * 24 * HOUR_MS;

/**
 * The technician's work orders as RFC 5545 text, for the person whose token this is (an unknown or
 * revoked token, or a disabled person, is a 404). Only the organisations where they still read work
 * orders count.
 */
export async function calendarFeed(
  ctx: Ctx,
  token: string,
  locationName: (ctx: Ctx, id: string) => Promise<string>,
): Promise<string> {
  const userId = await repo.calendarTokenUser(ctx, sha256(token));
  if (!userId) throw notFound('calendar');
  const principal = await loadPrincipal(ctx, userId, {
    kind: 'session',
    sessionId: 'calendar-feed',
    csrfToken: '',
    mustChangePassword: false,
    totpEnabled: false,
  });
  if (!principal) throw notFound('calendar');
  const scope = orgsWhere(principal, 'workorder.read');
  const now = ctx.now.getTime();
  const rows = (
    await repo.scheduledIn(ctx, {
      technicianIds: [userId],
      from: new Date(now - FEED_PAST_MS).toISOString(),
      to: new Date(now + FEED_AHEAD_MS).toISOString(),
    })
  ).filter((r) => scope === 'all' || scope.includes(r.org_id));
  const names = new Map<string, string>();
  for (const r of rows)
    if (!names.has(r.location_id)) names.set(r.location_id, await locationName(ctx, r.location_id));
  return icalendar(
    rows.map((r) => ({
      uid: `${r.id}@parc`,
      stamp: r.updated_at,
      start: r.scheduled_start ?? '',
      end: r.scheduled_end ?? '',
      summary: `${r.reference} — ${r.title}`,
      location: names.get(r.location_id) ?? '',
      description: r.description,
      status: r.status,
    })),
  );
}

export type CalendarEvent = {
  uid: string;
  stamp: string;
  start: string;
  end: string;
  summary: string;
  location: string;
  description: string;
  status: string;
};

/** 20260131T080000Z */
const icalTime = (s: string) => `${new Date(s).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/** TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma escaped, newlines as \n. */
export const icalEscape = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

/** Lines of at most 75 octets (§3.1): the rest continues on lines starting with a space, never mid-character. */
export function icalFold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (octets + n > limit) {
      parts.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join('\r\n');
}

export function icalendar(events: CalendarEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Parc//Planning//EN', 'CALSCALE:GREGORIAN'];
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${icalTime(e.stamp)}`,
      `DTSTART:${icalTime(e.start)}`,
      `DTEND:${icalTime(e.end)}`,
      `SUMMARY:${icalEscape(e.summary)}`,
      `LOCATION:${icalEscape(e.location)}`,
      `DESCRIPTION:${icalEscape(e.description)}`,
      `STATUS:${e.status === 'cancelled' ? 'CANCELLED' : e.status === 'draft' ? 'TENTATIVE' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(icalFold).join('\r\n')}\r\n`;
}
