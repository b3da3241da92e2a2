import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TIncidentReport, TReportSchedule } from '../../../shared/schemas/reports.js';
import { type Ctx, inTransaction, requireActor, systemPrincipal } from '../../context.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { forbidden, invalid, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { enqueue } from '../../jobs/queue.js';
import { recordAudit } from '../audit/index.js';
import type { MailService } from '../mail/index.js';
import { getOrganisation } from '../orgs/index.js';
import { formatDay, formatNumber, LABELS, type Lang } from './labels.js';
import { reportPdf } from './pdf.js';
import { addDays, dayIn, lastCompleteFrom, startOfDay } from './periods.js';
import { incidentReport } from './report.service.js';
import type { ReportScheduleTable } from './reports.tables.js';
import * as repo from './schedules.repo.js';

export const REPORTS_DUE_JOB = 'reports.due';
export const REPORT_SEND_JOB = 'reports.send';
/** Tries of one mailing (building the PDFs and queueing the mails) before it is given up. */
const SEND_ATTEMPTS = 5;
/** Reports are mailed at this local hour, on Mondays (weekly) or on the 1st (monthly). */
const SEND_HOUR = 7;

type Frequency = TReportSchedule['frequency'];
type Recipient = TReportSchedule['recipients'][number];

function toSchedule(row: ReportScheduleTable): TReportSchedule {
  return {
    id: row.id,
    orgId: row.org_id,
    frequency: row.frequency as Frequency,
    recipients: fromJson<Recipient[]>(row.recipients) ?? [],
    active: toBool(row.active),
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    lastMailIds: fromJson<string[]>(row.last_mail_ids) ?? [],
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** The first sending time after `after`: Monday (weekly) or the 1st (monthly), 07:00 local time. */
export function nextRunAt(frequency: Frequency, timeZone: string, after: Date): Date {
  const today = dayIn(timeZone, after);
  const at = (day: string) => new Date(startOfDay(timeZone, day).getTime() + SEND_HOUR * 3600_000);
  const candidates: string[] = [];
  if (frequency === 'weekly') {
    const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    candidates.push(monday, addDays(monday, 7));
  } else {
    const first = `${today.slice(0, 8)}01`;
    const next = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 1));
    candidates.push(first, next.toISOString().slice(0, 10));
  }
  return candidates.map(at).find((d) => d > after)!;
}

function checkRecipients(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  const errors: Array<{ path: string; code: string }> = [];
  const out = recipients.map((r, i) => {
    const email = r.email.trim().toLowerCase();
    if (seen.has(email)) errors.push({ path: `recipients.${i}.email`, code: 'duplicate' });
    seen.add(email);
    return { email, locale: r.locale };
  });
  if (errors.length > 0) throw invalid(errors);
  return out;
}

async function manageable(ctx: Ctx, id: string): Promise<ReportScheduleTable> {
  const actor = requireActor(ctx);
  const row = await repo.findSchedule(ctx, id);
  if (!row || !can(actor, 'report.read', { orgId: row.org_id })) throw notFound('report_schedule');
  if (!can(actor, 'report.schedule', { orgId: row.org_id })) throw forbidden();
  return row;
}

export async function listSchedules(
  ctx: Ctx,
  q: { orgId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TReportSchedule>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'report.schedule')) throw forbidden();
  const rows = await repo.listSchedules(ctx, {
    scope: orgsWhere(actor, 'report.schedule'),
    orgId: q.orgId,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toSchedule, (r) => [r.created_at, r.id]);
}

export async function getSchedule(ctx: Ctx, id: string): Promise<TReportSchedule> {
  return toSchedule(await manageable(ctx, id));
}

export async function createSchedule(
  ctx: Ctx,
  input: { orgId: string; frequency: Frequency; recipients: Recipient[]; active: boolean },
): Promise<TReportSchedule> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'report.schedule', { orgId: input.orgId })) throw forbidden();
  const recipients = checkRecipients(input.recipients);
  const org = await getOrganisation(ctx, input.orgId);
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row: ReportScheduleTable = {
      id: uuidv7(),
      org_id: input.orgId,
      frequency: input.frequency,
      recipients: toJson(recipients),
      active: input.active,
      next_run_at: nextRunAt(input.frequency, org.timeZone, tx.now).toISOString(),
      last_run_at: null,
      last_mail_ids: toJson([]),
      last_error: null,
      created_by: actor.via === 'system' ? null : actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertSchedule(tx, row);
    const schedule = toSchedule(row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'report.schedule_created',
      entityType: 'report_schedule',
      entityId: row.id,
      after: schedule,
    });
    return schedule;
  });
}

export async function updateSchedule(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: {
    frequency?: Frequency | undefined;
    recipients?: Recipient[] | undefined;
    active?: boolean | undefined;
  },
): Promise<TReportSchedule> {
  return inTransaction(ctx, async (tx) => {
    const row = await manageable(tx, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const org = await getOrganisation(tx, row.org_id);
    const frequency = patch.frequency ?? (row.frequency as Frequency);
    const active = patch.active ?? toBool(row.active);
    const set: Partial<ReportScheduleTable> = {
      frequency,
      active,
      ...(patch.recipients && { recipients: toJson(checkRecipients(patch.recipients)) }),
      // A new frequency, or a schedule started again, counts from now.
      ...((frequency !== row.frequency || (active && !toBool(row.active))) && {
        next_run_at: nextRunAt(frequency, org.timeZone, tx.now).toISOString(),
      }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateSchedule(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = toSchedule({ ...row, ...set, version: row.version + 1 } as ReportScheduleTable);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'report.schedule_updated',
      entityType: 'report_schedule',
      entityId: id,
      before: toSchedule(row),
      after,
    });
    return after;
  });
}

export async function deleteSchedule(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await manageable(tx, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const now = tx.now.toISOString();
    if (!(await repo.updateSchedule(tx, id, expectedVersion, { deleted_at: now, updated_at: now }))) {
      throw preconditionFailed(row.version);
    }
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'report.schedule_deleted',
      entityType: 'report_schedule',
      entityId: id,
      before: toSchedule(row),
    });
  });
}

/** "Send now": the last complete period's report is built and mailed by the worker. */
export async function runScheduleNow(ctx: Ctx, id: string): Promise<TReportSchedule> {
  return inTransaction(ctx, async (tx) => {
    const row = await manageable(tx, id);
    await enqueue(tx, {
      name: REPORT_SEND_JOB,
      payload: { scheduleId: id, manual: tx.now.toISOString() },
      maxAttempts: SEND_ATTEMPTS,
    });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'report.schedule_run',
      entityType: 'report_schedule',
      entityId: id,
    });
    return toSchedule(row);
  });
}

// --- the worker ------------------------------------------------------------------------------------

/** The `reports.due` job: each schedule whose time has come moves to its next time and is sent. */
export async function enqueueDueReports(ctx: Ctx, limit = 100): Promise<number> {
  const due = await repo.dueSchedules(ctx, ctx.now.toISOString(), limit);
  const sys = { ...ctx, actor: systemPrincipal('reports') };
  let sent = 0;
  for (const row of due) {
    const org = await getOrganisation(sys, row.org_id);
    const next = nextRunAt(row.frequency as Frequency, org.timeZone, ctx.now).toISOString();
    await inTransaction(sys, async (tx) => {
      // One instance claims it (the others find next_run_at moved); the send job is its own, with retries.
      if (!(await repo.claimRun(tx, row.id, row.next_run_at, next))) return;
      await enqueue(tx, {
        name: REPORT_SEND_JOB,
        payload: { scheduleId: row.id },
        maxAttempts: SEND_ATTEMPTS,
        dedupeKey: `report:${row.id}:${row.next_run_at}`,
      });
      sent++;
    });
  }
  return sent;
}

function mailText(r: TIncidentReport): { subject: string; text: string } {
  const L = LABELS[r.locale];
  const range = `${L.from} ${formatDay(r.firstDay, r.locale)} ${L.to} ${formatDay(r.lastDay, r.locale)}`;
  const n = (v: number | null) => formatNumber(v, r.locale);
  const colon = r.locale === 'fr' ? ' : ' : ': ';
  const lines = [
    `${L.title} — ${r.orgName}`,
    `${L.period[r.period]} ${range}`,
    '',
    `${L.created}${colon}${n(r.current.created)} (${L.previous.toLowerCase()}${colon}${n(r.previous.created)})`,
    `${L.resolved}${colon}${n(r.current.resolved)}`,
    `${L.backlogEnd}${colon}${n(r.current.backlogEnd)}`,
    `${L.slaResolve}${colon}${n(r.current.slaResolve.percent)}`,
    `${L.fcr}${colon}${n(r.current.firstContact.percent)}`,
    '',
    r.locale === 'fr' ? 'Le rapport complet est joint en PDF.' : 'The full report is attached as a PDF.',
  ];
  return { subject: `${L.title} — ${r.orgName} — ${range}`, text: lines.join('\n') };
}

/**
 * The `reports.send` job: builds the last complete period's report once per language and queues one
 * mail per recipient with the PDF attached (the mail queue retries delivery). A failure is recorded on
 * the schedule (last error) and thrown, so the job is retried.
 */
export async function sendScheduledReport(
  ctx: Ctx,
  mail: Pick<MailService, 'queueMail'>,
  payload: { scheduleId: string; manual?: string | undefined },
): Promise<void> {
  const sys = { ...ctx, actor: systemPrincipal('reports') };
  const row = await repo.findSchedule(sys, payload.scheduleId);
  if (!row || (!toBool(row.active) && !payload.manual)) return;
  try {
    const org = await getOrganisation(sys, row.org_id);
    const kind = row.frequency === 'weekly' ? 'week' : 'month';
    const from = lastCompleteFrom(kind, org.timeZone, ctx.now);
    const recipients = fromJson<Recipient[]>(row.recipients) ?? [];
    const built = new Map<Lang, { report: TIncidentReport; pdf: Buffer }>();
    for (const locale of new Set(recipients.map((r) => r.locale))) {
      const report = await incidentReport(sys, { orgId: row.org_id, period: kind, from, locale });
      built.set(locale, { report, pdf: await reportPdf(report) });
    }
    await inTransaction(sys, async (tx) => {
      const ids: string[] = [];
      for (const r of recipients) {
        const { report, pdf } = built.get(r.locale)!;
        const { subject, text } = mailText(report);
        const base = report.locale === 'fr' ? 'rapport-incidents' : 'incident-report';
        const queued = await mail.queueMail(tx, {
          orgId: row.org_id,
          to: r.email,
          subject,
          text,
          attachments: [
            { filename: `${base}-${report.firstDay}.pdf`, contentType: 'application/pdf', content: pdf },
          ],
          // Once per schedule, period and recipient; "send now" sends again.
          dedupeKey: `report:${row.id}:${report.firstDay}:${r.email}${payload.manual ? `:${payload.manual}` : ''}`,
        });
        if (queued) ids.push(queued.id);
      }
      await repo.recordRun(tx, row.id, {
        last_run_at: tx.now.toISOString(),
        last_error: null,
        last_mail_ids: toJson(ids),
      });
    });
  } catch (err) {
    await repo.recordRun(sys, row.id, {
      last_run_at: ctx.now.toISOString(),
      last_error: (err as Error).message.slice(0, 2000),
    });
    throw err;
  }
}
