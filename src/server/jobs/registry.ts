import { type Config, loadConfig } from '../config.js';
import { announceExpiries } from '../modules/assets/index.js';
import { purgeExpired } from '../modules/auth/index.js';
import { MAIL_INTAKE_JOB, notificationHandlers, pollMailboxes, watchSla } from '../modules/helpdesk/index.js';
import { createMailService, MAIL_SEND_JOB } from '../modules/mail/index.js';
import {
  enqueueDueReports,
  REPORT_SEND_JOB,
  REPORTS_DUE_JOB,
  sendScheduledReport,
} from '../modules/reports/index.js';
import { securityJobs } from '../modules/security/index.js';
import { stockHandlers } from '../modules/stock/index.js';
import { REMINDERS_JOB, sendDueReminders, workOrderHandlers } from '../modules/workorders/index.js';
import { purgeFinishedJobs } from './queue.js';
import type { JobRegistry } from './worker.js';

const DAY_MS = 24 * 3600_000;

/**
 * Every job, event handler and schedule of the modules, in one place the worker reads. The mail jobs
 * need the configuration (SMTP, attachment cap); without one it is read from the environment.
 */
export function buildJobRegistry(config: Config = loadConfig()): JobRegistry {
  // One mail service (one SMTP transport) for the worker's life.
  const mail = createMailService(config.smtp);
  const notifications = notificationHandlers({ mail, baseUrl: config.baseUrl });
  const security = securityJobs({
    mail,
    baseUrl: config.baseUrl,
    escalateAfterMinutes: config.security.escalateAfterMinutes,
  });
  return {
    jobs: {
      'maintenance.purge': async (ctx) => {
        await purgeExpired(ctx);
        const jobs = await purgeFinishedJobs(ctx.db, new Date(ctx.now.getTime() - 7 * DAY_MS));
        const events = await ctx.db
          .deleteFrom('outbox')
          .where('processed_at', '<', new Date(ctx.now.getTime() - 30 * DAY_MS).toISOString())
          .executeTakeFirst();
        ctx.log.info({ jobs, events: Number(events.numDeletedRows) }, 'purged finished work');
      },
      'helpdesk.sla': async (ctx) => {
        const { warned, breached } = await watchSla(ctx);
        if (warned + breached > 0) ctx.log.info({ warned, breached }, 'SLA warnings and breaches');
      },
      'assets.expiry': async (ctx) => {
        const announced = await announceExpiries(ctx);
        ctx.log.info({ announced }, 'warranty and contract expiries announced');
      },
      [MAIL_SEND_JOB]: async (ctx, payload) => {
        await mail.deliverQueued(ctx, String(payload.mailId));
      },
      [REPORTS_DUE_JOB]: async (ctx) => {
        const due = await enqueueDueReports(ctx);
        if (due > 0) ctx.log.info({ due }, 'scheduled reports to send');
      },
      [REPORT_SEND_JOB]: async (ctx, payload) => {
        await sendScheduledReport(ctx, mail, {
          scheduleId: String(payload.scheduleId),
          manual: payload.manual ? String(payload.manual) : undefined,
        });
      },
      [MAIL_INTAKE_JOB]: async (ctx) => {
        const polls = await pollMailboxes(ctx, { maxAttachmentBytes: config.mail.maxAttachmentBytes });
        for (const p of polls.filter((x) => x.fetched > 0 || x.error)) {
          ctx.log.info({ orgId: p.orgId, fetched: p.fetched, ...p.outcomes, error: p.error }, 'mailbox read');
        }
      },
      // Work orders: the affected users told N hours before a scheduled intervention.
      [REMINDERS_JOB]: async (ctx) => {
        const queued = await sendDueReminders(ctx, mail);
        if (queued > 0) ctx.log.info({ queued }, 'work order reminders queued');
      },
      // Security: the signed webhook of a new incident, escalation of critical ones, event retention.
      ...security.jobs,
    },
    events: {
      // Telling requesters: created, assigned, waiting, resolved (intervention note), staff follow-ups.
      ...notifications,
      // Stock: a level at or below its minimum is mailed to the organisation's supervisors.
      ...stockHandlers({ mail, baseUrl: config.baseUrl }),
      // Work orders: items missing alert the supervisors and tell the users the new date.
      ...workOrderHandlers({ mail, baseUrl: config.baseUrl }),
      // Security: a new incident is told to the security officers (in app, mail, webhook) at once.
      ...security.events,
    },
    schedules: [
      { name: 'maintenance.purge', cron: '17 3 * * *', job: 'maintenance.purge' },
      { name: 'assets.expiry', cron: '0 6 * * *', job: 'assets.expiry' },
      // Warnings before breach and escalations on breach, within a minute.
      { name: 'helpdesk.sla', cron: '* * * * *', job: 'helpdesk.sla' },
      // New mail in the organisations' intake mailboxes, within a minute.
      { name: 'helpdesk.mail_intake', cron: '* * * * *', job: MAIL_INTAKE_JOB },
      // Incident reports mailed on their schedules (Mondays or the 1st, 07:00 local time).
      { name: REPORTS_DUE_JOB, cron: '*/5 * * * *', job: REPORTS_DUE_JOB },
      // Work order reminders to the affected users, within five minutes of being due.
      { name: REMINDERS_JOB, cron: '*/5 * * * *', job: REMINDERS_JOB },
      ...security.schedules,
    ],
  };
}
