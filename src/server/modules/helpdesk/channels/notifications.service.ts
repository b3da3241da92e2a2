import { type Ctx, inTransaction, systemPrincipal } from '../../../context.js';
import { fromJson, toBool } from '../../../db/values.js';
import { AppError } from '../../../http/errors.js';
import type { EventHandler } from '../../../jobs/worker.js';
import {
  type MailAttachment,
  type MailLocale,
  type MailService,
  registerMailTemplates,
  renderMail,
  type TemplateVars,
} from '../../mail/index.js';
import { contactsOf, findGroupInOrg, getOrganisation, getUser } from '../../orgs/index.js';
import type { TicketEventTable, TicketTable } from '../helpdesk.tables.js';
import { settingsOf } from '../settings.service.js';
import * as tickets from '../tickets.repo.js';
import * as repo from './channels.repo.js';
import { formatDate, interventionNotePdf, noteDocumentOf } from './intervention-note.js';
import { TICKET_MAIL_TEMPLATES } from './notifications.templates.js';

registerMailTemplates(TICKET_MAIL_TEMPLATES);

/** Which ticket events each domain event may have produced, to tell the requester about. */
export const NOTIFIED_EVENTS: Record<string, string[]> = {
  'ticket.created': ['created'],
  'ticket.assigned': ['assignment'],
  'ticket.status_changed': ['status'],
  'ticket.resolved': ['solution'],
  'ticket.planned': ['planned'],
  'ticket.followup': ['followup'],
  // A technician writing on a closed ticket reopens it: their follow-up is told too.
  'ticket.reopened': ['followup'],
};

/** Events older than this are never told (a ticket from before the notifications, a worker long down). */
const LOOKBACK_MS = 2 * 24 * 3600_000;

export type NotifyDeps = { mail: MailService; baseUrl: string };

const WAITING_FOR: Record<string, Record<MailLocale, string>> = {
  user: { fr: 'votre réponse', en: 'your answer' },
  supplier: { fr: 'le fournisseur', en: 'the supplier' },
  parts: { fr: 'des pièces', en: 'parts' },
};

type Mail = { key: string; vars: TemplateVars; attachments: MailAttachment[] };

type Context = {
  row: TicketTable;
  lang: MailLocale;
  timeZone: string;
  base: TemplateVars;
};

/** What to tell about one ticket event, or null when it is not for the requester. */
async function mailFor(ctx: Ctx, c: Context, e: TicketEventTable): Promise<Mail | null> {
  const data = fromJson<Record<string, unknown> | null>(e.data as string) ?? {};
  switch (e.kind) {
    case 'created':
      return { key: 'helpdesk.ticket_created', vars: { description: c.row.description }, attachments: [] };
    case 'assignment': {
      const name = typeof data.assigneeName === 'string' ? data.assigneeName : null;
      if (!data.assigneeId || !name) return null;
      return { key: 'helpdesk.ticket_assigned', vars: { assigneeName: name }, attachments: [] };
    }
    case 'status': {
      if (data.to !== 'waiting') return null;
      const waitingFor = String(data.waitingFor ?? '');
      const until = typeof data.waitingUntil === 'string' ? data.waitingUntil : null;
      return {
        key: 'helpdesk.ticket_waiting',
        vars: {
          waitingFor: WAITING_FOR[waitingFor]?.[c.lang] ?? waitingFor,
          waitingUntil: until ? formatDate(until, c.lang, c.timeZone) : null,
          note: e.body || null,
          forYou: waitingFor === 'user',
        },
        attachments: [],
      };
    }
    case 'planned': {
      const at = typeof data.at === 'string' ? data.at : null;
      return {
        key: at ? 'helpdesk.ticket_planned' : 'helpdesk.ticket_unplanned',
        vars: { plannedAt: at ? formatDate(at, c.lang, c.timeZone) : null, note: e.body || null },
        attachments: [],
      };
    }
    case 'solution': {
      const doc = await noteDocumentOf(ctx, c.row, c.lang);
      const settings = await settingsOf(ctx, c.row.org_id);
      const attachments: MailAttachment[] = doc
        ? [
            {
              filename: `${c.lang === 'fr' ? 'note-intervention' : 'intervention-note'}-${c.row.reference}.pdf`,
              contentType: 'application/pdf',
              content: await interventionNotePdf(doc),
            },
          ]
        : [];
      // The technical report (the solution) stays with the technicians: only the note is told.
      return {
        key: 'helpdesk.ticket_resolved',
        vars: {
          hasNote: !!doc,
          cause: doc?.note.cause ?? null,
          action: doc?.note.action ?? null,
          impact: doc?.note.impact || null,
          advice: doc?.note.advice || null,
          technicianName: doc?.technicianName ?? e.author_label,
          resolvedAt: doc?.resolvedAt ?? null,
          reopenDays: settings.reopenDays,
        },
        attachments,
      };
    }
    case 'followup': {
      // Public follow-ups by the helpdesk's people; not the requester's own, not those of people in copy.
      if (!toBool(e.public) || !e.author_id || e.author_id === c.row.requester_id) return null;
      return {
        key: 'helpdesk.ticket_followup',
        vars: { authorName: e.author_label, body: e.body },
        attachments: [],
      };
    }
    default:
      return null;
  }
}

/**
 * Tells the requester, in their language (else the organisation's), about the ticket events a domain
 * event produced. Each ticket event is told once: its notification row (with the mail's Message-ID,
 * which replies quote) is written in the transaction that queues the mail.
 */
export async function notifyTicketEvent(
  ctx: Ctx,
  deps: NotifyDeps,
  event: { type: string; payload: Record<string, unknown> },
): Promise<number> {
  const kinds = NOTIFIED_EVENTS[event.type];
  const ticketId = typeof event.payload.ticketId === 'string' ? event.payload.ticketId : null;
  if (!kinds || !ticketId) return 0;
  if (!deps.mail.enabled) {
    ctx.log.debug({ event: event.type, ticketId }, 'notifications: outgoing mail is not configured');
    return 0;
  }
  const row = await tickets.findTicket(ctx, ticketId);
  if (!row?.requester_id) return 0;
  const events = await repo.untoldEvents(
    ctx,
    ticketId,
    kinds,
    new Date(ctx.now.getTime() - LOOKBACK_MS).toISOString(),
  );
  if (events.length === 0) return 0;
  const system = { ...ctx, actor: systemPrincipal('notifications') };
  const requester = await getUser(system, row.requester_id).catch((err: unknown) => {
    // A requester removed since: nobody to tell.
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  });
  if (!requester || requester.disabled) return 0;
  const org = await getOrganisation(system, row.org_id);
  const lang: MailLocale = (requester.locale ?? org.locale) === 'en' ? 'en' : 'fr';
  const mailbox = await repo.findMailbox(ctx, row.org_id);
  // The helpdesk's public address: replies land in the intake mailbox.
  const replyTo = mailbox?.address ?? null;
  const c: Context = {
    row,
    lang,
    timeZone: org.timeZone,
    base: {
      reference: row.reference,
      title: row.title,
      requesterName: requester.displayName,
      orgName: org.name,
      link: `${deps.baseUrl}/tickets/${row.id}`,
    },
  };
  let sent = 0;
  for (const e of events) {
    const mail = await mailFor(ctx, c, e);
    if (!mail) continue;
    const rendered = await renderMail(ctx, {
      orgId: row.org_id,
      key: mail.key,
      locale: lang,
      vars: { ...c.base, ...mail.vars },
    });
    await inTransaction(ctx, async (tx) => {
      const messageId = deps.mail.newMessageId();
      const thread = await repo.firstMessageIdOfTicket(tx, row.id);
      const fresh = await repo.insertNotification(tx, {
        event_id: e.id,
        org_id: row.org_id,
        ticket_id: row.id,
        kind: e.kind,
        recipient: requester.email,
        mail_id: null,
        message_id: messageId,
        created_at: tx.now.toISOString(),
      });
      if (!fresh) return;
      const queued = await deps.mail.queueMail(tx, {
        orgId: row.org_id,
        dedupeKey: `notification:${e.id}`,
        messageId,
        to: requester.email,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: mail.attachments,
        replyTo,
        inReplyTo: thread ?? null,
        references: thread ? [thread] : [],
        headers: {
          // Out-of-office robots must not answer, and Parc's own intake ignores these.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          'X-Parc-Ticket': row.reference,
        },
      });
      if (queued) {
        await tx.db
          .updateTable('helpdesk_notification')
          .set({ mail_id: queued.id })
          .where('event_id', '=', e.id)
          .execute();
        sent++;
      }
    });
  }
  return sent;
}

/**
 * Tells staff about a ticket's SLA: the warning to whoever holds it (the technician, else the members
 * of its group), the breach to the organisation's supervisors, the group now holding it (the escalation
 * group) and the technician. One mail per SLA event, in the organisation's language.
 */
export async function notifySla(
  ctx: Ctx,
  deps: NotifyDeps,
  event: { type: string; payload: Record<string, unknown> },
): Promise<number> {
  const ticketId = typeof event.payload.ticketId === 'string' ? event.payload.ticketId : null;
  if (!ticketId || !deps.mail.enabled) return 0;
  const row = await tickets.findTicket(ctx, ticketId);
  if (!row) return 0;
  const events = await repo.untoldEvents(
    ctx,
    ticketId,
    ['sla'],
    new Date(ctx.now.getTime() - LOOKBACK_MS).toISOString(),
  );
  const system = { ...ctx, actor: systemPrincipal('notifications') };
  const org = await getOrganisation(system, row.org_id);
  const lang: MailLocale = org.locale === 'en' ? 'en' : 'fr';
  const groupMembers = row.group_id
    ? ((await findGroupInOrg(ctx, row.org_id, row.group_id))?.memberIds ?? [])
    : [];
  let sent = 0;
  for (const e of events) {
    const data = fromJson<{ state?: string; dueAt?: string } | null>(e.data as string) ?? {};
    const breached = data.state === 'breached';
    const holders = row.assignee_id ? [row.assignee_id] : groupMembers;
    const people = await contactsOf(ctx, {
      orgId: row.org_id,
      roles: breached ? ['supervisor'] : [],
      userIds: breached ? [...holders, ...groupMembers] : holders,
    });
    if (people.length === 0) continue;
    const rendered = await renderMail(ctx, {
      orgId: row.org_id,
      key: breached ? 'helpdesk.sla_breached' : 'helpdesk.sla_warning',
      locale: lang,
      vars: {
        reference: row.reference,
        title: row.title,
        orgName: org.name,
        link: `${deps.baseUrl}/tickets/${row.id}`,
        dueAt: formatDate(data.dueAt ?? row.resolve_due_at ?? e.at, lang, org.timeZone),
        priority: String(row.priority),
      },
    });
    const to = people.map((p) => p.email).join(', ');
    await inTransaction(ctx, async (tx) => {
      const messageId = deps.mail.newMessageId();
      const fresh = await repo.insertNotification(tx, {
        event_id: e.id,
        org_id: row.org_id,
        ticket_id: row.id,
        kind: e.kind,
        recipient: to,
        mail_id: null,
        message_id: messageId,
        created_at: tx.now.toISOString(),
      });
      if (!fresh) return;
      const queued = await deps.mail.queueMail(tx, {
        orgId: row.org_id,
        dedupeKey: `notification:${e.id}`,
        messageId,
        to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: [],
        replyTo: null,
        inReplyTo: null,
        references: [],
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Parc-Ticket': row.reference },
      });
      if (queued) {
        await tx.db
          .updateTable('helpdesk_notification')
          .set({ mail_id: queued.id })
          .where('event_id', '=', e.id)
          .execute();
        sent++;
      }
    });
  }
  return sent;
}

/** The outbox handlers of the notifications, for the job registry. */
export function notificationHandlers(deps: NotifyDeps): Record<string, EventHandler[]> {
  const handler: EventHandler = async (ctx, event) => {
    const sent = await notifyTicketEvent(ctx, deps, event);
    if (sent > 0)
      ctx.log.info({ event: event.type, ticket: event.payload.ticketId, sent }, 'requester notified');
  };
  const sla: EventHandler = async (ctx, event) => {
    const sent = await notifySla(ctx, deps, event);
    if (sent > 0)
      ctx.log.info({ event: event.type, ticket: event.payload.ticketId, sent }, 'staff told of SLA');
  };
  return {
    ...Object.fromEntries(Object.keys(NOTIFIED_EVENTS).map((type) => [type, [handler]])),
    'ticket.sla_warning': [sla],
    'ticket.sla_breached': [sla],
  };
}
