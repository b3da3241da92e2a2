import type { Transporter } from 'nodemailer';
import { uuidv7 } from 'uuidv7';
import { can } from '../../../shared/policy.js';
import type { TOutgoingMail } from '../../../shared/schemas/channels.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { Config } from '../../config.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { keysetAfter } from '../../db/scope.js';
import { fromJson, toJson } from '../../db/values.js';
import { forbidden, notFound } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { enqueue } from '../../jobs/queue.js';
import type { MailOutgoingTable } from './mail.tables.js';

export const MAIL_SEND_JOB = 'mail.send';
/** Tries before a mail is given up (with the queue's back-off: about two hours). */
export const MAIL_MAX_ATTEMPTS = 12;

export type MailAttachment = { filename: string; contentType: string; content: Buffer };

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string | null | undefined;
  attachments?: MailAttachment[] | undefined;
  headers?: Record<string, string> | undefined;
  replyTo?: string | null | undefined;
  inReplyTo?: string | null | undefined;
  references?: string[] | undefined;
};

export type QueuedMail = { id: string; messageId: string };

export type MailService = {
  /** False without PARC_SMTP_HOST: nothing can leave. */
  readonly enabled: boolean;
  readonly from: string;
  /** A fresh Message-ID (without angle brackets) on the sender's domain. */
  newMessageId(): string;
  /** Sends now, through the one transport of this service. */
  sendMail(message: MailMessage & { messageId?: string }): Promise<{ messageId: string }>;
  /**
   * Queues a mail in the caller's transaction: a row (its status and last error are visible) and a
   * `mail.send` job (retries with back-off). Null when `dedupeKey` was queued already.
   */
  queueMail(
    ctx: Ctx,
    message: MailMessage & { orgId: string | null; dedupeKey?: string; messageId?: string },
  ): Promise<QueuedMail | null>;
  /** The `mail.send` job: sends a queued mail and records the outcome. */
  deliverQueued(ctx: Ctx, id: string): Promise<void>;
  close(): void;
};

function domainOf(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match?.[1]?.toLowerCase() ?? 'parc.local';
}

type StoredAttachment = { filename: string; contentType: string; content: string };

/** The mail service of one configuration; its SMTP transport is created once, on first use. */
export function createMailService(smtp: Config['smtp']): MailService {
  let transport: Promise<Transporter> | undefined;
  const domain = domainOf(smtp.from);
  const transporter = (): Promise<Transporter> => {
    if (!smtp.host) return Promise.reject(new Error('outgoing mail is not configured (PARC_SMTP_HOST)'));
    const host = smtp.host;
    // Loaded on first use, like every heavy library only a job needs; one transport for the service.
    transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.user && { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
      }),
    );
    return transport;
  };

  const service: MailService = {
    enabled: !!smtp.host,
    from: smtp.from,
    newMessageId: () => `${uuidv7()}@${domain}`,

    async sendMail(message) {
      const messageId = message.messageId ?? service.newMessageId();
      await (await transporter()).sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html && { html: message.html }),
        messageId: `<${messageId}>`,
        ...(message.replyTo && { replyTo: message.replyTo }),
        ...(message.inReplyTo && { inReplyTo: `<${message.inReplyTo}>` }),
        ...(message.references?.length && { references: message.references.map((r) => `<${r}>`) }),
        headers: message.headers ?? {},
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return { messageId };
    },

    async queueMail(ctx, message) {
      return inTransaction(ctx, async (tx) => {
        const id = uuidv7();
        const messageId = message.messageId ?? service.newMessageId();
        const now = tx.now.toISOString();
        const inserted = await tx.db
          .insertInto('mail_outgoing')
          .values({
            id,
            org_id: message.orgId,
            dedupe_key: message.dedupeKey ?? null,
            to_address: message.to,
            subject: message.subject,
            text_body: message.text,
            html_body: message.html ?? null,
            headers: toJson({
              ...message.headers,
              ...(message.references?.length && {
                References: message.references.map((r) => `<${r}>`).join(' '),
              }),
            }),
            attachments: toJson(
              (message.attachments ?? []).map(
                (a): StoredAttachment => ({
                  filename: a.filename,
                  contentType: a.contentType,
                  content: a.content.toString('base64'),
                }),
              ),
            ),
            message_id: messageId,
            in_reply_to: message.inReplyTo ?? null,
            reply_to: message.replyTo ?? null,
            status: 'queued',
            attempts: 0,
            last_error: null,
            created_at: now,
            updated_at: now,
            sent_at: null,
          })
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return null;
        await enqueue(tx, {
          name: MAIL_SEND_JOB,
          payload: { mailId: id },
          maxAttempts: MAIL_MAX_ATTEMPTS,
          dedupeKey: `mail:${id}`,
        });
        return { id, messageId };
      });
    },

    async deliverQueued(ctx, id) {
      const row = await ctx.db
        .selectFrom('mail_outgoing')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || row.status === 'sent' || row.status === 'failed') return;
      const attempts = row.attempts + 1;
      const headers = fromJson<Record<string, string>>(row.headers) ?? {};
      try {
        await service.sendMail({
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          headers,
          messageId: row.message_id,
          replyTo: row.reply_to,
          inReplyTo: row.in_reply_to,
          attachments: (fromJson<StoredAttachment[]>(row.attachments) ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.content, 'base64'),
          })),
        });
        const at = new Date().toISOString();
        await ctx.db
          .updateTable('mail_outgoing')
          .set({ status: 'sent', attempts, last_error: null, sent_at: at, updated_at: at })
          .where('id', '=', id)
          .execute();
        ctx.log.info({ mailId: id, to: row.to_address, messageId: row.message_id }, 'mail sent');
      } catch (err) {
        const message = (err as Error).message.slice(0, 2000);
        await ctx.db
          .updateTable('mail_outgoing')
          .set({
            status: attempts >= MAIL_MAX_ATTEMPTS ? 'failed' : 'retrying',
            attempts,
            last_error: message,
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', id)
          .execute();
        // The queue retries with back-off until MAIL_MAX_ATTEMPTS.
        throw err;
      }
    },

    close() {
      const closing = transport;
      transport = undefined;
      void closing?.then((t) => t.close()).catch(() => undefined);
    },
  };
  return service;
}

function toOutgoing(row: MailOutgoingTable): TOutgoingMail {
  return {
    id: row.id,
    orgId: row.org_id,
    to: row.to_address,
    subject: row.subject,
    messageId: row.message_id,
    status: row.status as TOutgoingMail['status'],
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** An organisation's outgoing mail, newest first: what left, what waits, and why it failed. */
export async function listOutgoingMail(
  ctx: Ctx,
  q: { orgId: string; status?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TOutgoingMail>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: q.orgId })) throw notFound('org');
  if (!can(actor, 'helpdesk.configure', { orgId: q.orgId })) throw forbidden();
  let query = ctx.db.selectFrom('mail_outgoing').selectAll().where('org_id', '=', q.orgId);
  if (q.status) query = query.where('status', '=', q.status);
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  if (after) query = query.where(keysetAfter('created_at', 'id', after, 'desc'));
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return toPage(rows, q.limit, toOutgoing, (r) => [r.created_at, r.id]);
}
