import { type Ctx, systemPrincipal } from '../../context.js';
import { fromJson } from '../../db/values.js';
import type { EventHandler } from '../../jobs/worker.js';
import { type MailLocale, type MailService, registerMailTemplates, renderMail } from '../mail/index.js';
import { contactsOf, getOrganisation } from '../orgs/index.js';
import { ITEMS_MISSING_EVENT } from './completion.service.js';
import * as repo from './workorders.repo.js';
import { WORKORDER_MAIL_TEMPLATES } from './workorders.templates.js';

registerMailTemplates(WORKORDER_MAIL_TEMPLATES);

export type WorkOrderAlertDeps = { mail: MailService; baseUrl: string };

/**
 * Items missing: one mail per language to the organisation's supervisors, and one to each affected
 * user with the new expected date, each in their language (else the organisation's). Dedupe keys
 * name the event, so retries queue nothing twice. Returns how many mails were queued.
 */
export async function notifyMissing(
  ctx: Ctx,
  deps: WorkOrderAlertDeps,
  event: { id: string; orgId: string | null; payload: Record<string, unknown> },
): Promise<number> {
  const p = event.payload as {
    workOrderId?: string;
    missing?: string[];
    note?: string;
    expectedDate?: string;
  };
  if (!deps.mail.enabled || !event.orgId || !p.workOrderId || !p.expectedDate) return 0;
  const wo = await repo.findWorkOrder(ctx, p.workOrderId);
  if (!wo) return 0;
  const org = await getOrganisation({ ...ctx, actor: systemPrincipal('workorders') }, event.orgId);
  const localeOf = (l: string | null): MailLocale => ((l ?? org.locale) === 'en' ? 'en' : 'fr');
  let queued = 0;
  const supervisors = await contactsOf(ctx, { orgId: event.orgId, roles: ['supervisor'] });
  const byLocale = new Map<MailLocale, string[]>();
  for (const s of supervisors)
    byLocale.set(localeOf(s.locale), [...(byLocale.get(localeOf(s.locale)) ?? []), s.email]);
  for (const [locale, emails] of byLocale) {
    const rendered = await renderMail(ctx, {
      orgId: event.orgId,
      key: 'workorder.items_missing',
      locale,
      vars: {
        reference: wo.reference,
        title: wo.title,
        missing: (p.missing ?? []).join(', '),
        note: p.note ?? '',
        expectedDate: p.expectedDate,
        orgName: org.name,
        link: `${deps.baseUrl}/work-orders/${wo.id}`,
      },
    });
    const mail = await deps.mail.queueMail(ctx, {
      orgId: event.orgId,
      dedupeKey: `workorder.missing:${event.id}:supervisors:${locale}`,
      to: emails.join(', '),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (mail) queued++;
  }
  const users = await contactsOf(ctx, {
    orgId: event.orgId,
    userIds: fromJson<string[]>(wo.affected_user_ids) ?? [],
  });
  for (const u of users) {
    const rendered = await renderMail(ctx, {
      orgId: event.orgId,
      key: 'workorder.new_date',
      locale: localeOf(u.locale),
      vars: {
        name: u.displayName,
        reference: wo.reference,
        title: wo.title,
        expectedDate: p.expectedDate,
        orgName: org.name,
      },
    });
    const mail = await deps.mail.queueMail(ctx, {
      orgId: event.orgId,
      dedupeKey: `workorder.missing:${event.id}:user:${u.id}`,
      to: u.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (mail) queued++;
  }
  return queued;
}

/** The outbox handlers of the work orders module, for the job registry. */
export function workOrderHandlers(deps: WorkOrderAlertDeps): Record<string, EventHandler[]> {
  const missing: EventHandler = async (ctx, event) => {
    const queued = await notifyMissing(ctx, deps, event);
    if (queued > 0)
      ctx.log.info({ event: event.type, workOrder: event.payload.workOrderId, queued }, 'missing items told');
  };
  return { [ITEMS_MISSING_EVENT]: [missing] };
}
