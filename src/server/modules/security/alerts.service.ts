/**
 * Immediate alert of a new incident: an in-app notification and an e-mail to each security officer
 * of the organisation, and a webhook POST signed with HMAC-SHA256 (a job, retried with back-off).
 * Delivered from the outbox by the worker, so it goes out within its poll interval of the detection.
 * A critical incident left unacknowledged is escalated to the supervisors and administrators.
 */
import { createHmac } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Role } from '../../../shared/policy.js';
import { type Ctx, inTransaction, systemPrincipal } from '../../context.js';
import { fromJson } from '../../db/values.js';
import { enqueue } from '../../jobs/queue.js';
import type { EventHandler, JobHandler } from '../../jobs/worker.js';
import { type MailLocale, type MailService, registerMailTemplates, renderMail } from '../mail/index.js';
import { contactsOf, getOrganisation } from '../orgs/index.js';
import { compactBlocks, deleteEventsBefore } from './events.repo.js';
import * as incidents from './incidents.repo.js';
import { INCIDENT_OPENED_EVENT } from './incidents.service.js';
import type { SecurityIncidentTable } from './security.tables.js';
import { SECURITY_MAIL_TEMPLATES } from './security.templates.js';
import { findSettings, retentionByOrg } from './settings.service.js';

registerMailTemplates(SECURITY_MAIL_TEMPLATES);

export const WEBHOOK_JOB = 'security.webhook';
export const ESCALATE_JOB = 'security.escalate';
export const RETENTION_JOB = 'security.retention';
export const COMPACT_JOB = 'security.compact';

export type SecurityAlertDeps = {
  mail: MailService;
  baseUrl: string;
  /** A critical incident still new and unacknowledged this long after detection is escalated. */
  escalateAfterMinutes: number;
  fetch?: typeof fetch;
};

const SEVERITY_WORDS: Record<MailLocale, Record<string, string>> = {
  fr: { low: 'faible', medium: 'moyenne', high: 'haute', critical: 'critique' },
  en: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function mailVars(row: SecurityIncidentTable, orgName: string, baseUrl: string) {
  const list = (v: unknown) => fromJson<string[]>(v as string).join(', ') || '-';
  return {
    reference: row.reference,
    title: row.title,
    severity: row.severity,
    sources: list(row.sources),
    users: list(row.users),
    hosts: list(row.hosts),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    eventCount: row.event_count,
    orgName,
    link: `${baseUrl}/security/incidents/${row.id}`,
  };
}

/** Notifications and one mail per language to the people of `roles`; returns how many were told. */
async function tell(
  tx: Ctx,
  deps: SecurityAlertDeps,
  row: SecurityIncidentTable,
  opts: {
    roles: Role[];
    kind: 'opened' | 'escalated';
    template: string;
    extra?: Record<string, string | number>;
  },
): Promise<number> {
  const org = await getOrganisation({ ...tx, actor: systemPrincipal('security') }, row.org_id);
  const people = await contactsOf(tx, { orgId: row.org_id, roles: opts.roles });
  const already = new Set(
    (
      await tx.db
        .selectFrom('security_notification')
        .select('user_id')
        .where('incident_id', '=', row.id)
        .where('kind', '=', opts.kind)
        .execute()
    ).map((r) => r.user_id),
  );
  const now = tx.now.toISOString();
  const fresh = people.filter((p) => !already.has(p.id));
  if (fresh.length)
    await tx.db
      .insertInto('security_notification')
      .values(
        fresh.map((p) => ({
          id: uuidv7(),
          org_id: row.org_id,
          user_id: p.id,
          incident_id: row.id,
          kind: opts.kind,
          title: row.title,
          severity: row.severity,
          created_at: now,
          read_at: null,
        })),
      )
      .execute();
  if (!deps.mail.enabled) return people.length;
  const byLocale = new Map<MailLocale, string[]>();
  for (const p of people) {
    const locale: MailLocale = (p.locale ?? org.locale) === 'en' ? 'en' : 'fr';
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), p.email]);
  }
  for (const [locale, emails] of byLocale) {
    const rendered = await renderMail(tx, {
      orgId: row.org_id,
      key: opts.template,
      locale,
      vars: {
        ...mailVars(row, org.name, deps.baseUrl),
        severity: SEVERITY_WORDS[locale][row.severity] ?? row.severity,
        ...opts.extra,
      },
    });
    await deps.mail.queueMail(tx, {
      orgId: row.org_id,
      dedupeKey: `${opts.template}:${row.id}:${locale}`,
      to: emails.join(', '),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: { 'Auto-Submitted': 'auto-generated', Importance: 'high' },
    });
  }
  return people.length;
}

/** The outbox handler of a new incident: officers told in app and by mail, the webhook queued. */
export async function alertIncident(ctx: Ctx, deps: SecurityAlertDeps, incidentId: string): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const row = await incidents.findIncident(tx, incidentId);
    if (!row) return 0;
    const told = await tell(tx, deps, row, {
      roles: ['security_officer'],
      kind: 'opened',
      template: 'security.incident_opened',
    });
    const settings = await findSettings(tx, row.org_id);
    if (settings?.webhook_url)
      await enqueue(tx, {
        name: WEBHOOK_JOB,
        payload: { incidentId },
        maxAttempts: 10,
        dedupeKey: `${WEBHOOK_JOB}:${incidentId}`,
      });
    await tx.db
      .updateTable('security_incident')
      .set({ alerted_at: tx.now.toISOString() })
      .where('id', '=', incidentId)
      .where('alerted_at', 'is', null)
      .execute();
    return told;
  });
}

/** The webhook job: POSTs the incident, signed; a refusal or a network error fails the job (retried). */
export async function deliverWebhook(ctx: Ctx, deps: SecurityAlertDeps, incidentId: string): Promise<void> {
  const row = await incidents.findIncident(ctx, incidentId);
  if (!row) return;
  const settings = await findSettings(ctx, row.org_id);
  if (!settings?.webhook_url || !settings.webhook_secret_sealed) return;
  const body = JSON.stringify({ type: INCIDENT_OPENED_EVENT, incident: incidents.toIncident(row) });
  const res = await (deps.fetch ?? fetch)(settings.webhook_url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-parc-event': INCIDENT_OPENED_EVENT,
      'x-parc-signature': signBody(ctx.secrets.open(settings.webhook_secret_sealed), body),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

/** Critical incidents still new and unacknowledged past the delay: supervisors and admins told once. */
export async function escalateIncidents(ctx: Ctx, deps: SecurityAlertDeps): Promise<number> {
  const limit = new Date(ctx.now.getTime() - deps.escalateAfterMinutes * 60_000).toISOString();
  const due = await ctx.db
    .selectFrom('security_incident')
    .select('id')
    .where('status', '=', 'new')
    .where('severity', '=', 'critical')
    .where('acknowledged_at', 'is', null)
    .where('escalated_at', 'is', null)
    .where('detected_at', '<=', limit)
    .where('deleted_at', 'is', null)
    .limit(100)
    .execute();
  let escalated = 0;
  for (const { id } of due)
    await inTransaction(ctx, async (tx) => {
      // One instance wins the conditional update; the others leave it.
      const r = await tx.db
        .updateTable('security_incident')
        .set({ escalated_at: tx.now.toISOString() })
        .where('id', '=', id)
        .where('escalated_at', 'is', null)
        .where('acknowledged_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return;
      const row = (await incidents.findIncident(tx, id))!;
      await tell(tx, deps, row, {
        roles: ['supervisor', 'admin'],
        kind: 'escalated',
        template: 'security.incident_escalated',
        extra: { minutes: deps.escalateAfterMinutes },
      });
      escalated++;
    });
  return escalated;
}

/** Deletes each organisation's events older than its retention, in chunks of 5,000. */
export async function applyRetention(ctx: Ctx): Promise<number> {
  let deleted = 0;
  for (const [orgId, days] of await retentionByOrg(ctx)) {
    const before = new Date(ctx.now.getTime() - days * 86_400_000).toISOString();
    for (;;) {
      const n = await deleteEventsBefore(ctx, orgId, before, 5000);
      deleted += n;
      if (n < 5000) break;
    }
  }
  return deleted;
}

/** The outbox handlers and jobs of the security module, for the job registry. */
export function securityJobs(deps: SecurityAlertDeps) {
  const opened: EventHandler = async (ctx, event) => {
    const told = await alertIncident(ctx, deps, String(event.payload.incidentId));
    ctx.log.info({ incidentId: event.payload.incidentId, told }, 'security officers alerted');
  };
  return {
    events: { [INCIDENT_OPENED_EVENT]: [opened] },
    jobs: {
      [WEBHOOK_JOB]: (ctx: Ctx, payload: Record<string, unknown>) =>
        deliverWebhook(ctx, deps, String(payload.incidentId)),
      [ESCALATE_JOB]: async (ctx: Ctx) => {
        const n = await escalateIncidents(ctx, deps);
        if (n) ctx.log.warn({ escalated: n }, 'critical security incidents escalated');
      },
      [COMPACT_JOB]: async (ctx: Ctx) => {
        let merged = 0;
        for (let n = await compactBlocks(ctx); n > 0; n = await compactBlocks(ctx)) merged += n;
        if (merged) ctx.log.info({ merged }, 'small security event blocks merged');
      },
      [RETENTION_JOB]: async (ctx: Ctx) => {
        const n = await applyRetention(ctx);
        ctx.log.info({ deleted: n }, 'security events past retention deleted');
      },
    } as Record<string, JobHandler>,
    schedules: [
      { name: ESCALATE_JOB, cron: '* * * * *', job: ESCALATE_JOB },
      { name: RETENTION_JOB, cron: '40 3 * * *', job: RETENTION_JOB },
      // Syslog sources write small blocks (one per flush): merged every ten minutes.
      { name: COMPACT_JOB, cron: '*/10 * * * *', job: COMPACT_JOB },
    ],
  };
}
