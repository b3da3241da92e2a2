import type { WorkOrderKind } from '../../../shared/schemas/workorders.js';
import { type Ctx, systemPrincipal } from '../../context.js';
import { fromJson } from '../../db/values.js';
import { getLocation } from '../assets/index.js';
import { type MailLocale, type MailService, registerMailTemplates, renderMail } from '../mail/index.js';
import { contactsOf, getOrganisation } from '../orgs/index.js';
import * as repo from './planning.repo.js';
import { KINDS } from './report.js';
import * as woRepo from './workorders.repo.js';
import { PLANNING_MAIL_TEMPLATES } from './workorders.templates.js';

registerMailTemplates(PLANNING_MAIL_TEMPLATES);

export const REMINDERS_JOB = 'workorders.reminders';

/** The appointment as people read it, in their language and the organisation's time zone. */
export function appointmentDate(start: string, end: string, locale: MailLocale, timeZone: string): string {
  const day = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(start));
  const time = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
  });
  const range = `${time.format(new Date(start))}–${time.format(new Date(end))}`;
  return `${day}, ${range}`;
}

/**
 * Tells the affected users of each work order whose reminder is due (N hours before its start, or
 * at once when scheduled closer): one mail each, in their language, with a dedupe key naming the
 * scheduled start, so a schedule is told once and a new schedule again. A work order no longer
 * planned, or moved since, is skipped. Returns how many mails were queued.
 */
export async function sendDueReminders(ctx: Ctx, mail: MailService, limit = 200): Promise<number> {
  const sys = { ...ctx, actor: systemPrincipal('workorders') };
  let queued = 0;
  for (const due of await repo.dueReminders(ctx, ctx.now.toISOString(), limit)) {
    const wo = await woRepo.findWorkOrder(ctx, due.work_order_id);
    const current =
      wo &&
      (wo.status === 'planned' || wo.status === 'in_progress') &&
      wo.scheduled_start === due.scheduled_start &&
      wo.scheduled_end;
    if (current && mail.enabled) {
      const org = await getOrganisation(sys, wo.org_id);
      const location = await getLocation(sys, wo.location_id).then(
        (l) => l.name,
        () => '',
      );
      const users = await contactsOf(ctx, {
        orgId: wo.org_id,
        userIds: fromJson<string[]>(wo.affected_user_ids) ?? [],
      });
      for (const u of users) {
        const locale: MailLocale = (u.locale ?? org.locale) === 'en' ? 'en' : 'fr';
        const rendered = await renderMail(ctx, {
          orgId: wo.org_id,
          key: 'workorder.reminder',
          locale,
          vars: {
            name: u.displayName,
            reference: wo.reference,
            title: wo.title,
            kind: KINDS[locale][wo.kind as WorkOrderKind] ?? wo.kind,
            description: wo.description,
            date: appointmentDate(due.scheduled_start, wo.scheduled_end ?? '', locale, org.timeZone),
            location,
            orgName: org.name,
          },
        });
        const m = await mail.queueMail(ctx, {
          orgId: wo.org_id,
          dedupeKey: `workorder.reminder:${wo.id}:${due.scheduled_start}:${u.id}`,
          to: u.email,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        if (m) queued++;
      }
    }
    // Told (mail off, as elsewhere, tells nobody); a schedule that no longer holds loses its reminder,
    // and planning it again makes a new one.
    if (current)
      await repo.markReminderSent(ctx, due.work_order_id, due.scheduled_start, ctx.now.toISOString());
    else await repo.deleteReminder(ctx, due.work_order_id, due.scheduled_start);
  }
  return queued;
}
