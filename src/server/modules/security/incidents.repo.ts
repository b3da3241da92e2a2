/** Every statement on security incidents, their evidence and notifications. */

import type { TSecurityIncident } from '../../../shared/schemas/security.js';
import type { Ctx } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { type OrgScope, whereOrg } from '../../db/scope.js';
import { fromJson } from '../../db/values.js';
import type { StoredEvent } from './events.repo.js';
import type { SecurityIncidentTable } from './security.tables.js';

type DbCtx = Pick<Ctx, 'db'>;

export function toIncident(r: SecurityIncidentTable): TSecurityIncident {
  return {
    id: r.id,
    orgId: r.org_id,
    reference: r.reference,
    ruleId: r.rule_id,
    title: r.title,
    severity: r.severity as TSecurityIncident['severity'],
    ruleSeverity: r.rule_severity as TSecurityIncident['severity'],
    status: r.status as TSecurityIncident['status'],
    group: fromJson(r.group_values),
    assetIds: fromJson(r.asset_ids),
    users: fromJson(r.users),
    sources: fromJson(r.sources),
    hosts: fromJson(r.hosts),
    ticketIds: fromJson(r.ticket_ids),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    eventCount: r.event_count,
    detectedAt: r.detected_at,
    alertedAt: r.alerted_at,
    acknowledgedAt: r.acknowledged_at,
    escalatedAt: r.escalated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export async function findIncident(ctx: DbCtx, id: string) {
  return ctx.db
    .selectFrom('security_incident')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The open incident of one attacker of one rule seen since `since`, if any. */
export async function findOpenIncident(
  ctx: DbCtx,
  q: { orgId: string; ruleId: string; groupKey: string; since: string; closed: readonly string[] },
) {
  return ctx.db
    .selectFrom('security_incident')
    .selectAll()
    .where('org_id', '=', q.orgId)
    .where('rule_id', '=', q.ruleId)
    .where('group_key', '=', q.groupKey)
    .where('last_seen', '>=', q.since)
    .where('status', 'not in', q.closed as string[])
    .where('deleted_at', 'is', null)
    .orderBy('last_seen', 'desc')
    .executeTakeFirst();
}

export async function insertIncident(ctx: DbCtx, row: SecurityIncidentTable) {
  await ctx.db.insertInto('security_incident').values(row).execute();
}

export async function listIncidents(
  ctx: DbCtx,
  q: {
    scope: OrgScope;
    orgId?: string;
    status?: string;
    severity?: string;
    after?: [string, string];
    limit: number;
  },
) {
  let qb = whereOrg(ctx.db.selectFrom('security_incident').selectAll(), 'org_id', q.scope).where(
    'deleted_at',
    'is',
    null,
  );
  if (q.orgId) qb = qb.where('org_id', '=', q.orgId);
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.severity) qb = qb.where('severity', '=', q.severity);
  if (q.after)
    qb = qb.where((eb) =>
      eb.or([
        eb('created_at', '<', q.after![0]),
        eb.and([eb('created_at', '=', q.after![0]), eb('id', '<', q.after![1])]),
      ]),
    );
  return qb.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** Keeps events as an incident's evidence (they outlive the events' retention). */
export async function insertEvidence(
  ctx: DbCtx,
  incidentId: string,
  events: Array<Pick<StoredEvent, 'id' | 'time' | 'host' | 'user' | 'srcIp' | 'action' | 'outcome' | 'raw'>>,
) {
  await inChunks(
    events.map((e) => ({
      incident_id: incidentId,
      event_id: e.id,
      time: new Date(e.time).toISOString(),
      host: e.host,
      user_name: e.user,
      src_ip: e.srcIp,
      action: e.action,
      outcome: e.outcome,
      raw: e.raw,
    })),
    (chunk) =>
      ctx.db
        .insertInto('security_incident_event')
        .values(chunk)
        .onConflict((oc) => oc.doNothing())
        .execute(),
  );
}

export async function evidenceOf(ctx: DbCtx, incidentId: string, limit: number) {
  return ctx.db
    .selectFrom('security_incident_event')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('time')
    .orderBy('event_id')
    .limit(limit)
    .execute();
}

/** An organisation's open incidents by severity (the security officer's dashboard). */
export async function openBySeverity(ctx: DbCtx, orgId: string, closed: readonly string[]) {
  const rows = await ctx.db
    .selectFrom('security_incident')
    .select((eb) => ['severity', eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('status', 'not in', [...closed])
    .where('deleted_at', 'is', null)
    .groupBy('severity')
    .execute();
  return rows.map((r) => ({ severity: r.severity, n: Number(r.n) }));
}

/** An organisation's incidents nobody has taken up yet, the oldest first. */
export async function unacknowledged(ctx: DbCtx, orgId: string, limit: number) {
  const base = () =>
    ctx.db
      .selectFrom('security_incident')
      .where('org_id', '=', orgId)
      .where('status', '=', 'new')
      .where('acknowledged_at', 'is', null)
      .where('deleted_at', 'is', null);
  const count = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const first = await base().selectAll().orderBy('detected_at').orderBy('id').limit(limit).execute();
  return { count: Number(count.n), first };
}

/** Incidents of an organisation with activity since `since`, and their events, by rule. */
export async function activeByRule(ctx: DbCtx, orgId: string, since: string) {
  const rows = await ctx.db
    .selectFrom('security_incident')
    .select((eb) => [
      'rule_id',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('event_count').as('events'),
    ])
    .where('org_id', '=', orgId)
    .where('last_seen', '>=', since)
    .where('deleted_at', 'is', null)
    .groupBy('rule_id')
    .execute();
  return rows.map((r) => ({ ruleId: r.rule_id, incidents: Number(r.n), events: Number(r.events ?? 0) }));
}
