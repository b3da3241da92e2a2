import { can } from '../../../shared/policy.js';
import {
  CLOSED_INCIDENT_STATUSES,
  SECURITY_SEVERITIES,
  type SecuritySeverity,
} from '../../../shared/schemas/security.js';
import { type Ctx, requireActor } from '../../context.js';
import { forbidden, notFound } from '../../http/errors.js';
import * as repo from './incidents.repo.js';
import { orgRules } from './rules.service.js';

export type SecuritySummary = {
  /** Open incidents (not resolved, not false positives) by severity, most severe first. */
  open: Array<{ severity: SecuritySeverity; count: number }>;
  /** Incidents still new and unacknowledged: how many, and the oldest. */
  toAcknowledge: {
    count: number;
    first: Array<{
      id: string;
      reference: string;
      title: string;
      severity: SecuritySeverity;
      detectedAt: string;
    }>;
  };
  /** Incidents with activity since `since`, by rule, with the rule's title. */
  byRule: Array<{ ruleId: string; title: string; incidents: number; events: number }>;
};

/** What the security officer's dashboard shows of an organisation. */
export async function securitySummary(ctx: Ctx, orgId: string, since: Date): Promise<SecuritySummary> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'security.read', { orgId })) throw forbidden();
  const [open, waiting, active, rules] = await Promise.all([
    repo.openBySeverity(ctx, orgId, CLOSED_INCIDENT_STATUSES),
    repo.unacknowledged(ctx, orgId, 5),
    repo.activeByRule(ctx, orgId, since.toISOString()),
    orgRules(ctx, orgId),
  ]);
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  const count = new Map(open.map((o) => [o.severity, o.n]));
  return {
    open: [...SECURITY_SEVERITIES]
      .reverse()
      .map((severity) => ({ severity, count: count.get(severity) ?? 0 })),
    toAcknowledge: {
      count: waiting.count,
      first: waiting.first.map((r) => ({
        id: r.id,
        reference: r.reference,
        title: r.title,
        severity: r.severity as SecuritySeverity,
        detectedAt: r.detected_at,
      })),
    },
    byRule: active
      .map((a) => ({ ...a, title: titles.get(a.ruleId) ?? a.ruleId }))
      .sort((a, b) => b.incidents - a.incidents || b.events - a.events || a.ruleId.localeCompare(b.ruleId)),
  };
}
