import { sql } from 'kysely';
import type { Ctx } from '../../../context.js';
import type { TicketEventTable, TicketTable } from '../helpdesk.tables.js';
import type {
  HelpdeskAlertTable,
  HelpdeskMailAttachmentTable,
  HelpdeskMailboxTable,
  HelpdeskMailMessageTable,
  HelpdeskNotificationTable,
} from './channels.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- mailboxes -------------------------------------------------------------------------------------

export async function findMailbox(ctx: DbCtx, orgId: string): Promise<HelpdeskMailboxTable | undefined> {
  return ctx.db.selectFrom('helpdesk_mailbox').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export async function insertMailbox(ctx: DbCtx, row: HelpdeskMailboxTable): Promise<boolean> {
  const r = await ctx.db
    .insertInto('helpdesk_mailbox')
    .values(row)
    .onConflict((oc) => oc.column('org_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateMailbox(
  ctx: DbCtx,
  orgId: string,
  version: number,
  set: Partial<Omit<HelpdeskMailboxTable, 'org_id' | 'version'>>,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('helpdesk_mailbox')
    .set({ ...set, version: version + 1 })
    .where('org_id', '=', orgId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function enabledMailboxes(ctx: DbCtx): Promise<Array<Pick<HelpdeskMailboxTable, 'org_id'>>> {
  return ctx.db
    .selectFrom('helpdesk_mailbox')
    .select('org_id')
    .where('enabled', '=', ctx.dialect.bool(true))
    .orderBy('org_id')
    .execute();
}

/** Takes the mailbox for one poller until `until`; false when another holds it. */
export async function takeLease(ctx: DbCtx, orgId: string, now: string, until: string): Promise<boolean> {
  const r = await ctx.db
    .updateTable('helpdesk_mailbox')
    .set({ lease_until: until })
    .where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Poll bookkeeping (not a user's change: no version bump). */
export async function setPollState(
  ctx: DbCtx,
  orgId: string,
  set: Partial<
    Pick<HelpdeskMailboxTable, 'uid_validity' | 'last_uid' | 'last_polled_at' | 'last_error' | 'lease_until'>
  >,
): Promise<void> {
  await ctx.db.updateTable('helpdesk_mailbox').set(set).where('org_id', '=', orgId).execute();
}

/** Moves the high-water mark forward only (a slower poller never moves it back). */
export async function advanceHighWater(
  ctx: DbCtx,
  orgId: string,
  uidValidity: string,
  uid: number,
): Promise<void> {
  await ctx.db
    .updateTable('helpdesk_mailbox')
    .set({ last_uid: uid })
    .where('org_id', '=', orgId)
    .where('uid_validity', '=', uidValidity)
    .where('last_uid', '<', uid)
    .execute();
}

// --- messages and attachments ----------------------------------------------------------------------

/** Records a handled message; false when it was handled already (the caller then does nothing). */
export async function claimMessage(ctx: DbCtx, row: HelpdeskMailMessageTable): Promise<boolean> {
  const r = await ctx.db
    .insertInto('helpdesk_mail_message')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'message_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findMessage(
  ctx: DbCtx,
  orgId: string,
  key: string,
): Promise<HelpdeskMailMessageTable | undefined> {
  return ctx.db
    .selectFrom('helpdesk_mail_message')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('message_key', '=', key)
    .executeTakeFirst();
}

export async function listMessages(
  ctx: DbCtx,
  orgId: string,
  limit: number,
): Promise<HelpdeskMailMessageTable[]> {
  return ctx.db
    .selectFrom('helpdesk_mail_message')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('processed_at', 'desc')
    .orderBy('message_key')
    .limit(limit)
    .execute();
}

export async function insertAttachment(ctx: DbCtx, row: HelpdeskMailAttachmentTable): Promise<void> {
  await ctx.db.insertInto('helpdesk_mail_attachment').values(row).execute();
}

export async function listAttachments(
  ctx: DbCtx,
  ticketId: string,
): Promise<Array<Omit<HelpdeskMailAttachmentTable, 'content'>>> {
  return ctx.db
    .selectFrom('helpdesk_mail_attachment')
    .select([
      'id',
      'org_id',
      'ticket_id',
      'message_key',
      'filename',
      'media_type',
      'size',
      'sha256',
      'created_at',
    ])
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(
  ctx: DbCtx,
  ticketId: string,
  id: string,
): Promise<HelpdeskMailAttachmentTable | undefined> {
  return ctx.db
    .selectFrom('helpdesk_mail_attachment')
    .selectAll()
    .where('id', '=', id)
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
}

// --- tickets, as the channels find them -----------------------------------------------------------

export async function findTicketByReference(
  ctx: DbCtx,
  orgId: string,
  reference: string,
): Promise<TicketTable | undefined> {
  return ctx.db
    .selectFrom('ticket')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

// --- notifications --------------------------------------------------------------------------------

export async function insertNotification(ctx: DbCtx, row: HelpdeskNotificationTable): Promise<boolean> {
  const r = await ctx.db
    .insertInto('helpdesk_notification')
    .values(row)
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The ticket a reply belongs to, from the Message-IDs of the notifications it answers. */
export async function ticketOfMessageIds(
  ctx: DbCtx,
  orgId: string,
  messageIds: string[],
): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const row = await ctx.db
    .selectFrom('helpdesk_notification')
    .select('ticket_id')
    .where('org_id', '=', orgId)
    .where('message_id', 'in', messageIds)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.ticket_id;
}

/** The first mail sent about a ticket: later mails reference it, so clients thread them. */
export async function firstMessageIdOfTicket(ctx: DbCtx, ticketId: string): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('helpdesk_notification')
    .select('message_id')
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('event_id')
    .executeTakeFirst();
  return row?.message_id;
}

/** Events of a ticket of these kinds since `since` that no mail has told yet, oldest first. */
export async function untoldEvents(
  ctx: DbCtx,
  ticketId: string,
  kinds: string[],
  since: string,
): Promise<TicketEventTable[]> {
  return ctx.db
    .selectFrom('ticket_event as e')
    .selectAll('e')
    .where('e.ticket_id', '=', ticketId)
    .where('e.kind', 'in', kinds)
    .where('e.at', '>=', since)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('helpdesk_notification as n')
            .select(sql.lit(1).as('one'))
            .whereRef('n.event_id', '=', 'e.id'),
        ),
      ),
    )
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

// --- alerts ---------------------------------------------------------------------------------------

/** Creates the alert's row when new; false when it existed. Either way the row is then locked by `lockAlert`. */
export async function claimAlert(ctx: DbCtx, row: HelpdeskAlertTable): Promise<boolean> {
  const r = await ctx.db
    .insertInto('helpdesk_alert')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'fingerprint']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Reads the alert's row after touching it: on PostgreSQL the UPDATE locks it until the transaction ends. */
export async function lockAlert(
  ctx: DbCtx,
  orgId: string,
  fingerprint: string,
  now: string,
): Promise<HelpdeskAlertTable | undefined> {
  await ctx.db
    .updateTable('helpdesk_alert')
    .set({ updated_at: now })
    .where('org_id', '=', orgId)
    .where('fingerprint', '=', fingerprint)
    .execute();
  return ctx.db
    .selectFrom('helpdesk_alert')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}

export async function updateAlert(
  ctx: DbCtx,
  orgId: string,
  fingerprint: string,
  set: Partial<Omit<HelpdeskAlertTable, 'org_id' | 'fingerprint'>>,
): Promise<void> {
  await ctx.db
    .updateTable('helpdesk_alert')
    .set(set)
    .where('org_id', '=', orgId)
    .where('fingerprint', '=', fingerprint)
    .execute();
}

export async function findAlertToken(ctx: DbCtx, orgId: string) {
  return ctx.db.selectFrom('helpdesk_alert_token').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export async function saveAlertToken(
  ctx: DbCtx,
  row: { org_id: string; token_hash: string; created_at: string; created_by: string | null },
): Promise<void> {
  await ctx.db
    .insertInto('helpdesk_alert_token')
    .values(row)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        token_hash: row.token_hash,
        created_at: row.created_at,
        created_by: row.created_by,
      }),
    )
    .execute();
}
