/**
 * Security incidents: opened by detections (one attacker of one rule within the grouping window is one
 * incident; later detections append evidence), severity from the rule and the assets' criticality,
 * workflow per INCIDENT_TRANSITIONS, links to assets, users and tickets. Versioned (If-Match).
 */
import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import {
  CLOSED_INCIDENT_STATUSES,
  INCIDENT_TRANSITIONS,
  type IncidentStatus,
  type SecuritySeverity,
  type TSecurityIncident,
} from '../../../shared/schemas/security.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { fromJson, toJson } from '../../db/values.js';
import { updateVersioned } from '../../db/versioned.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { publish } from '../../jobs/outbox.js';
import { assetCriticality } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { getTicket } from '../helpdesk/index.js';
import { nextReference } from '../orgs/index.js';
import type { StoredEvent } from './events.repo.js';
import * as repo from './incidents.repo.js';
import { incidentSeverity } from './severity.js';

export const INCIDENT_OPENED_EVENT = 'security.incident_opened';
/** A new detection of the same rule and attacker within this time of the incident's last event joins it. */
export const INCIDENT_GROUPING_MS = 24 * 3600_000;
const MAX_EVIDENCE_PER_INCIDENT = 1000;

/** What the pipeline hands over per detection per write: its state and the evidence since the last write. */
export type DetectionChange = {
  orgId: string;
  seq: number;
  opened: boolean;
  ruleId: string;
  title: string;
  severity: SecuritySeverity;
  group: Record<string, string | null>;
  first: number;
  last: number;
  /** Events added since the last write. */
  count: number;
  /** The ids of the evidence events since the last write. */
  evidence: number[];
  sources: string[];
  users: string[];
  hosts: string[];
  assetIds: Set<string>;
  /** Wall-clock time the detection (or its extension) was made. */
  detectedAt: number;
  /** The incident this detection already feeds, once written. */
  incidentId: string | null;
};

const merge = (a: string[], b: string[], max = 50) => [...new Set([...a, ...b])].slice(0, max);

/**
 * Writes the detections' incidents in the pipeline's transaction: opens an incident (and publishes
 * INCIDENT_OPENED_EVENT for the alerts) or appends to the open one of the same rule and attacker.
 */
export async function applyDetections(
  tx: Ctx,
  changes: DetectionChange[],
  /** The evidence events of an organisation by id (the pipeline holds the recent ones). */
  eventsOf: (orgId: string, ids: number[]) => Promise<StoredEvent[]>,
): Promise<Map<DetectionChange, { id: string; opened: boolean }>> {
  const out = new Map<DetectionChange, { id: string; opened: boolean }>();
  const assetIds = [...new Set(changes.flatMap((c) => [...c.assetIds]))];
  const criticality = await assetCriticality(tx, assetIds);
  const now = tx.now.toISOString();
  for (const c of changes) {
    const groupKey = JSON.stringify(c.group);
    let row = c.incidentId ? await repo.findIncident(tx, c.incidentId) : undefined;
    if (!row || CLOSED_INCIDENT_STATUSES.includes(row.status as IncidentStatus))
      row = await repo.findOpenIncident(tx, {
        orgId: c.orgId,
        ruleId: c.ruleId,
        groupKey,
        since: new Date(c.first - INCIDENT_GROUPING_MS).toISOString(),
        closed: CLOSED_INCIDENT_STATUSES,
      });
    const assets = [...c.assetIds].filter((id) => criticality.get(id)?.orgId === c.orgId);
    if (!row) {
      const id = uuidv7();
      const severity = incidentSeverity(
        c.severity,
        assets.map((a) => criticality.get(a)!),
      );
      await repo.insertIncident(tx, {
        id,
        org_id: c.orgId,
        reference: await nextReference(tx, c.orgId, 'security_incident', 'SEC'),
        rule_id: c.ruleId,
        title: c.title,
        severity,
        rule_severity: c.severity,
        group_key: groupKey,
        group_values: toJson(c.group),
        status: 'new',
        asset_ids: toJson(assets),
        users: toJson(c.users),
        sources: toJson(c.sources),
        hosts: toJson(c.hosts),
        ticket_ids: toJson([]),
        first_seen: new Date(c.first).toISOString(),
        last_seen: new Date(c.last).toISOString(),
        event_count: c.count,
        detected_at: new Date(c.detectedAt).toISOString(),
        alerted_at: null,
        acknowledged_at: null,
        escalated_at: null,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      });
      await repo.insertEvidence(
        tx,
        id,
        await eventsOf(c.orgId, c.evidence.slice(0, MAX_EVIDENCE_PER_INCIDENT)),
      );
      await publish(tx, {
        type: INCIDENT_OPENED_EVENT,
        orgId: c.orgId,
        payload: { incidentId: id, severity },
      });
      out.set(c, { id, opened: true });
      continue;
    }
    // Appending changes what the incident holds, not its workflow: no version bump, no lost edit.
    const assetsNow = merge(fromJson<string[]>(row.asset_ids), assets, 100);
    await tx.db
      .updateTable('security_incident')
      .set({
        last_seen: new Date(Math.max(c.last, Date.parse(row.last_seen))).toISOString(),
        event_count: row.event_count + c.count,
        users: toJson(merge(fromJson(row.users), c.users)),
        sources: toJson(merge(fromJson(row.sources), c.sources)),
        hosts: toJson(merge(fromJson(row.hosts), c.hosts)),
        asset_ids: toJson(assetsNow),
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    if (row.event_count < MAX_EVIDENCE_PER_INCIDENT)
      await repo.insertEvidence(
        tx,
        row.id,
        await eventsOf(c.orgId, c.evidence.slice(0, MAX_EVIDENCE_PER_INCIDENT - row.event_count)),
      );
    out.set(c, { id: row.id, opened: false });
  }
  return out;
}

async function visibleIncident(ctx: Ctx, id: string) {
  const actor = requireActor(ctx);
  const row = await repo.findIncident(ctx, id);
  if (!row || !can(actor, 'security.read', { orgId: row.org_id })) throw notFound('security_incident');
  return row;
}

export async function listIncidents(
  ctx: Ctx,
  q: { orgId?: string; status?: string; severity?: string; cursor?: string; limit: number },
): Promise<Page<TSecurityIncident>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'security.read')) throw forbidden();
  const rows = await repo.listIncidents(ctx, {
    ...q,
    scope: orgsWhere(actor, 'security.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, repo.toIncident, (r) => [r.created_at, r.id]);
}

export async function getIncident(ctx: Ctx, id: string) {
  const row = await visibleIncident(ctx, id);
  const evidence = await repo.evidenceOf(ctx, id, MAX_EVIDENCE_PER_INCIDENT);
  return {
    ...repo.toIncident(row),
    evidence: evidence.map((e) => ({
      eventId: Number(e.event_id),
      time: e.time,
      host: e.host,
      user: e.user_name,
      srcIp: e.src_ip,
      action: e.action,
      outcome: e.outcome,
      raw: e.raw,
    })),
  };
}

async function writable(ctx: Ctx, id: string) {
  const row = await visibleIncident(ctx, id);
  if (!can(requireActor(ctx), 'security.manage', { orgId: row.org_id })) throw forbidden();
  return row;
}

export async function transitionIncident(
  ctx: Ctx,
  id: string,
  version: number,
  input: { status: IncidentStatus; comment?: string },
): Promise<TSecurityIncident> {
  const row = await writable(ctx, id);
  const from = row.status as IncidentStatus;
  if (!INCIDENT_TRANSITIONS[from].includes(input.status))
    throw new AppError(
      'security_incident.invalid_transition',
      409,
      { from, to: input.status },
      { allowed: INCIDENT_TRANSITIONS[from] },
    );
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const ok = await updateVersioned(tx.db, 'security_incident', id, version, {
      status: input.status,
      // Taking an incident in hand, whatever the move, stops its escalation.
      acknowledged_at: row.acknowledged_at ?? now,
      updated_at: now,
    });
    if (!ok) throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'security_incident.status_changed',
      entityType: 'security_incident',
      entityId: id,
      before: { status: from },
      after: { status: input.status, comment: input.comment ?? null },
    });
    return repo.toIncident((await repo.findIncident(tx, id))!);
  });
}

export async function linkIncident(
  ctx: Ctx,
  id: string,
  version: number,
  input: { assetIds?: string[]; users?: string[]; ticketIds?: string[] },
): Promise<TSecurityIncident> {
  const row = await writable(ctx, id);
  const problems: Array<{ path: string; code: string }> = [];
  if (input.assetIds?.length) {
    const found = await assetCriticality(ctx, input.assetIds);
    input.assetIds.forEach((a, i) => {
      if (found.get(a)?.orgId !== row.org_id) problems.push({ path: `assetIds.${i}`, code: 'not_found' });
    });
  }
  for (const [i, t] of (input.ticketIds ?? []).entries()) {
    const ticket = await getTicket(ctx, t).catch(() => null);
    if (ticket?.orgId !== row.org_id) problems.push({ path: `ticketIds.${i}`, code: 'not_found' });
  }
  if (problems.length) throw new AppError('validation.failed', 422, {}, {}, problems);
  return inTransaction(ctx, async (tx) => {
    const set = {
      ...(input.assetIds ? { asset_ids: toJson([...new Set(input.assetIds)]) } : {}),
      ...(input.users ? { users: toJson([...new Set(input.users)]) } : {}),
      ...(input.ticketIds ? { ticket_ids: toJson([...new Set(input.ticketIds)]) } : {}),
      updated_at: tx.now.toISOString(),
    };
    if (!(await updateVersioned(tx.db, 'security_incident', id, version, set)))
      throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'security_incident.links_changed',
      entityType: 'security_incident',
      entityId: id,
      after: input,
    });
    return repo.toIncident((await repo.findIncident(tx, id))!);
  });
}
