import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { can } from '../../../../shared/policy.js';
import type { TMailbox, TMailboxUpdate } from '../../../../shared/schemas/channels.js';
import { type Ctx, inTransaction, requireActor } from '../../../context.js';
import { randomToken, safeEqual, sha256 } from '../../../crypto.js';
import { toBool } from '../../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../../http/errors.js';
import { recordAudit } from '../../audit/index.js';
import * as tickets from '../tickets.repo.js';
import { getTicket } from '../tickets.service.js';
import * as repo from './channels.repo.js';
import type { HelpdeskMailboxTable } from './channels.tables.js';

function assertConfigure(ctx: Ctx, orgId: string): void {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'helpdesk.configure', { orgId })) throw forbidden();
}

function toMailbox(row: HelpdeskMailboxTable): TMailbox {
  return {
    orgId: row.org_id,
    enabled: toBool(row.enabled),
    host: row.host,
    port: row.port,
    tls: toBool(row.tls),
    username: row.username,
    hasPassword: !!row.password_sealed,
    folder: row.folder,
    processedFolder: row.processed_folder,
    address: row.address,
    unknownSender: row.unknown_sender as TMailbox['unknownSender'],
    uidValidity: row.uid_validity,
    lastUid: row.last_uid,
    lastPolledAt: row.last_polled_at,
    lastError: row.last_error,
    version: row.version,
  };
}

/** What the audit keeps of a mailbox: never the password, only whether there is one. */
function audited(m: TMailbox) {
  const { lastPolledAt: _p, lastError: _e, lastUid: _u, uidValidity: _v, ...rest } = m;
  return rest;
}

export async function getMailbox(ctx: Ctx, orgId: string): Promise<TMailbox> {
  assertConfigure(ctx, orgId);
  const row = await repo.findMailbox(ctx, orgId);
  if (!row) throw notFound('mailbox');
  return toMailbox(row);
}

/**
 * Creates or changes the intake mailbox of an organisation (If-Match "v0" the first time). The
 * password is sealed with the secret key; omitted, the stored one is kept. A new server, account or
 * folder starts over from its first message (the handled ones are recognised and skipped).
 */
export async function putMailbox(
  ctx: Ctx,
  orgId: string,
  expectedVersion: number,
  input: TMailboxUpdate,
): Promise<TMailbox> {
  assertConfigure(ctx, orgId);
  return inTransaction(ctx, async (tx) => {
    const before = await repo.findMailbox(tx, orgId);
    const current = before?.version ?? 0;
    if (current !== expectedVersion) throw preconditionFailed(current);
    if (!before && !input.password) {
      throw new AppError('validation.failed', 422, {}, {}, [{ path: 'password', code: 'required' }]);
    }
    const now = tx.now.toISOString();
    const moved =
      !before ||
      before.host !== input.host ||
      before.port !== input.port ||
      before.username !== input.username ||
      before.folder !== input.folder;
    const set = {
      enabled: input.enabled,
      host: input.host,
      port: input.port,
      tls: input.tls,
      username: input.username,
      password_sealed: input.password ? tx.secrets.seal(input.password) : (before?.password_sealed ?? null),
      folder: input.folder,
      processed_folder: input.processedFolder,
      address: input.address?.toLowerCase() ?? null,
      unknown_sender: input.unknownSender,
      ...(moved && { uid_validity: null, last_uid: 0 }),
      last_error: null,
      updated_at: now,
    };
    let after: HelpdeskMailboxTable;
    if (before) {
      if (!(await repo.updateMailbox(tx, orgId, current, set))) throw preconditionFailed(current);
      after = { ...before, ...set, version: current + 1 };
    } else {
      after = {
        org_id: orgId,
        ...set,
        uid_validity: null,
        last_uid: 0,
        last_polled_at: null,
        lease_until: null,
        version: 1,
      };
      if (!(await repo.insertMailbox(tx, after))) throw preconditionFailed(1);
    }
    await recordAudit(tx, {
      orgId,
      action: 'helpdesk.mailbox_updated',
      entityType: 'helpdesk_mailbox',
      entityId: orgId,
      before: before ? audited(toMailbox(before)) : null,
      after: { ...audited(toMailbox(after)), passwordChanged: !!input.password },
    });
    return toMailbox(after);
  });
}

/** The last messages the intake handled, with what became of each (ticket, follow-up, ignored, refused). */
export async function listMailMessages(ctx: Ctx, orgId: string, limit: number) {
  assertConfigure(ctx, orgId);
  const rows = await repo.listMessages(ctx, orgId, limit);
  return rows.map((r) => ({
    messageKey: r.message_key,
    uid: r.uid,
    from: r.from_address,
    subject: r.subject,
    outcome: r.outcome as 'ticket' | 'followup' | 'ignored' | 'refused',
    reason: r.reason,
    ticketId: r.ticket_id,
    processedAt: r.processed_at,
  }));
}

// --- Alertmanager tokens ---------------------------------------------------------------------------

export const ALERT_TOKEN_PREFIX = 'palrt_';

/** A new webhook token for the organisation (the previous one stops working); shown once. */
export async function createAlertToken(ctx: Ctx, orgId: string) {
  assertConfigure(ctx, orgId);
  const actor = requireActor(ctx);
  const token = `${ALERT_TOKEN_PREFIX}${randomToken(32)}`;
  const createdAt = ctx.now.toISOString();
  await inTransaction(ctx, async (tx) => {
    await repo.saveAlertToken(tx, {
      org_id: orgId,
      token_hash: sha256(token),
      created_at: createdAt,
      created_by: actor.via === 'system' ? null : actor.userId,
    });
    await recordAudit(tx, {
      orgId,
      action: 'helpdesk.alert_token_created',
      entityType: 'helpdesk_alert_token',
      entityId: orgId,
    });
  });
  return { orgId, token, createdAt, webhookPath: `/api/v1/helpdesk/alerts/${orgId}` };
}

export async function alertTokenStatus(ctx: Ctx, orgId: string) {
  assertConfigure(ctx, orgId);
  const row = await repo.findAlertToken(ctx, orgId);
  return { orgId, exists: !!row, createdAt: row?.created_at ?? null };
}

const sha256Bytes = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Whether `token` is the organisation's webhook token (compared by hash). */
export async function checkAlertToken(ctx: Ctx, orgId: string, token: string | undefined): Promise<boolean> {
  if (!token?.startsWith(ALERT_TOKEN_PREFIX)) return false;
  const row = await repo.findAlertToken(ctx, orgId);
  return !!row && safeEqual(row.token_hash, sha256(token));
}

// --- attachments kept from mail -------------------------------------------------------------------

export async function listTicketAttachments(ctx: Ctx, ticketId: string) {
  await getTicket(ctx, ticketId);
  return (await repo.listAttachments(ctx, ticketId)).map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    filename: r.filename,
    mediaType: r.media_type,
    size: r.size,
    createdAt: r.created_at,
  }));
}

export async function readTicketAttachment(ctx: Ctx, ticketId: string, id: string) {
  await getTicket(ctx, ticketId);
  const row = await repo.findAttachment(ctx, ticketId, id);
  if (!row) throw notFound('attachment');
  return { filename: row.filename, mediaType: row.media_type, content: Buffer.from(row.content) };
}

/**
 * A file a requester or a technician adds to a ticket (a screenshot, a log): kept with the mail
 * attachments, told in the ticket's story. Closed tickets take no more files.
 */
export async function attachToTicket(
  ctx: Ctx,
  ticketId: string,
  file: { filename: string; mediaType: string; content: Buffer },
) {
  const actor = requireActor(ctx);
  const ticket = await getTicket(ctx, ticketId);
  if (ticket.requesterId !== actor.userId && !can(actor, 'ticket.manage', { orgId: ticket.orgId }))
    throw forbidden();
  if (ticket.status === 'closed') {
    throw new AppError('ticket.closed', 409, { reference: ticket.reference }, {}, []);
  }
  if (file.content.length === 0)
    throw new AppError('validation.failed', 400, {}, {}, [{ path: 'body', code: 'required' }]);
  // No path separators nor control characters in a stored name.
  const filename =
    [...file.filename]
      .map((c) => (c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 ? '_' : c))
      .join('')
      .slice(0, 200) || 'file';
  const now = ctx.now.toISOString();
  const id = uuidv7();
  return inTransaction(ctx, async (tx) => {
    await repo.insertAttachment(tx, {
      id,
      org_id: ticket.orgId,
      ticket_id: ticket.id,
      message_key: `upload:${id}`,
      filename,
      media_type: file.mediaType.slice(0, 200),
      size: file.content.length,
      sha256: sha256Bytes(file.content),
      content: file.content,
      created_at: now,
    });
    await tickets.insertEvent(tx, {
      id: uuidv7(),
      ticket_id: ticket.id,
      org_id: ticket.orgId,
      at: now,
      author_id: actor.via === 'system' ? null : actor.userId,
      author_label: actor.displayName,
      kind: 'attachment',
      public: true,
      body: filename,
      data: JSON.stringify({ attachmentId: id, filename, size: file.content.length }),
    });
    await recordAudit(tx, {
      orgId: ticket.orgId,
      action: 'ticket.attachment_added',
      entityType: 'ticket',
      entityId: ticket.id,
      after: { attachmentId: id, filename, size: file.content.length },
    });
    return {
      id,
      ticketId: ticket.id,
      filename,
      mediaType: file.mediaType,
      size: file.content.length,
      createdAt: now,
    };
  });
}
