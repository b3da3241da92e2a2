import { uuidv7 } from 'uuidv7';
import { can } from '../../../shared/policy.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { toBool } from '../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import { membersOf } from '../orgs/index.js';
import type { TicketTaskTable } from './helpdesk.tables.js';
import * as repo from './tickets.repo.js';

export type TTask = {
  id: string;
  ticketId: string;
  description: string;
  assigneeId: string | null;
  done: boolean;
  minutes: number;
  createdAt: string;
  version: number;
};

function toTask(row: TicketTaskTable): TTask {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    description: row.description,
    assigneeId: row.assignee_id,
    done: toBool(row.done),
    minutes: row.minutes,
    createdAt: row.created_at,
    version: row.version,
  };
}

/** Tasks are the technicians' side of a ticket: only staff who work tickets see and write them. */
async function workableTicket(ctx: Ctx, ticketId: string) {
  const actor = requireActor(ctx);
  const ticket = await repo.findTicket(ctx, ticketId);
  if (!ticket || !can(actor, 'ticket.read', { orgId: ticket.org_id })) throw notFound('ticket');
  if (!can(actor, 'ticket.manage', { orgId: ticket.org_id })) throw forbidden();
  return ticket;
}

async function checkAssignee(ctx: Ctx, orgId: string, assigneeId: string | null | undefined): Promise<void> {
  if (assigneeId && !(await membersOf(ctx, orgId, [assigneeId])).has(assigneeId)) {
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'assigneeId', code: 'not_found' }]);
  }
}

export async function listTasks(ctx: Ctx, ticketId: string): Promise<TTask[]> {
  await workableTicket(ctx, ticketId);
  return (await repo.listTasks(ctx, ticketId)).map(toTask);
}

export async function createTask(
  ctx: Ctx,
  ticketId: string,
  input: { description: string; assigneeId: string | null; minutes: number; done: boolean },
): Promise<TTask> {
  const ticket = await workableTicket(ctx, ticketId);
  await checkAssignee(ctx, ticket.org_id, input.assigneeId);
  const now = ctx.now.toISOString();
  const row: TicketTaskTable = {
    id: uuidv7(),
    ticket_id: ticketId,
    description: input.description,
    assignee_id: input.assigneeId,
    done: input.done,
    minutes: input.minutes,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  return inTransaction(ctx, async (tx) => {
    await repo.insertTask(tx, row);
    await recordAudit(tx, {
      orgId: ticket.org_id,
      action: 'ticket.task_created',
      entityType: 'ticket_task',
      entityId: row.id,
      after: toTask(row),
    });
    return toTask(row);
  });
}

export async function updateTask(
  ctx: Ctx,
  taskId: string,
  expectedVersion: number,
  patch: {
    description?: string | undefined;
    assigneeId?: string | null | undefined;
    minutes?: number | undefined;
    done?: boolean | undefined;
  },
): Promise<TTask> {
  const row = await repo.findTask(ctx, taskId);
  if (!row) throw notFound('ticket_task');
  const ticket = await workableTicket(ctx, row.ticket_id);
  if (row.version !== expectedVersion) throw preconditionFailed(row.version);
  await checkAssignee(ctx, ticket.org_id, patch.assigneeId);
  const set = {
    ...(patch.description !== undefined && { description: patch.description }),
    ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
    ...(patch.minutes !== undefined && { minutes: patch.minutes }),
    ...(patch.done !== undefined && { done: patch.done }),
    updated_at: ctx.now.toISOString(),
  };
  return inTransaction(ctx, async (tx) => {
    if (!(await repo.updateTask(tx, taskId, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = toTask({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: ticket.org_id,
      action: 'ticket.task_updated',
      entityType: 'ticket_task',
      entityId: taskId,
      before: toTask(row),
      after,
    });
    return after;
  });
}

export async function deleteTask(ctx: Ctx, taskId: string, expectedVersion: number): Promise<void> {
  const row = await repo.findTask(ctx, taskId);
  if (!row) throw notFound('ticket_task');
  const ticket = await workableTicket(ctx, row.ticket_id);
  if (row.version !== expectedVersion) throw preconditionFailed(row.version);
  await inTransaction(ctx, async (tx) => {
    await repo.deleteTask(tx, taskId);
    await recordAudit(tx, {
      orgId: ticket.org_id,
      action: 'ticket.task_deleted',
      entityType: 'ticket_task',
      entityId: taskId,
      before: toTask(row),
    });
  });
}
