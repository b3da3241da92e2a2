import { z } from 'zod';
import { zPage } from '../../../shared/schemas/common.js';
import {
  type IncidentStatus,
  ZEventHistogram,
  ZRuleTestResult,
  ZSecurityEvent,
  ZSecurityIncident,
  ZSecurityIncidentDetail,
  ZSecurityNotification,
  ZSecurityRule,
  ZSecuritySource,
} from '../../../shared/schemas/security.js';
import { request } from '../../api/client.js';

/** The web client of /api/v1/security, typed by the shared schemas. */

export type Incident = z.infer<typeof ZSecurityIncident>;
export type IncidentDetail = z.infer<typeof ZSecurityIncidentDetail>;
export type SecurityEvent = z.infer<typeof ZSecurityEvent>;
export type SecurityRule = z.infer<typeof ZSecurityRule>;
export type SecuritySource = z.infer<typeof ZSecuritySource>;
export type RuleTestResult = z.infer<typeof ZRuleTestResult>;

export type EventFilters = {
  orgId?: string;
  from?: string;
  to?: string;
  host?: string;
  user?: string;
  srcIp?: string;
  program?: string;
  outcome?: 'success' | 'failure' | 'unknown';
  q?: string;
};

const id = (value: string) => encodeURIComponent(value);

export async function listIncidents(query: {
  orgId?: string;
  status?: string;
  severity?: string;
  cursor?: string;
}) {
  return (
    await request('GET', '/security/incidents', {
      query: { limit: 50, ...query },
      schema: zPage(ZSecurityIncident),
    })
  ).data;
}
export const getIncident = (incidentId: string) =>
  request('GET', `/security/incidents/${id(incidentId)}`, { schema: ZSecurityIncidentDetail });
export async function transitionIncident(incidentId: string, etag: string, status: IncidentStatus) {
  return request('POST', `/security/incidents/${id(incidentId)}/transition`, {
    body: { status },
    ifMatch: etag,
    schema: ZSecurityIncident,
  });
}

export async function listEvents(query: EventFilters & { cursor?: string }) {
  return (
    await request('GET', '/security/events', {
      query: { limit: 50, ...query },
      schema: zPage(ZSecurityEvent),
    })
  ).data;
}
export async function eventHistogram(query: EventFilters & { from: string; to: string; buckets?: number }) {
  return (await request('GET', '/security/events/histogram', { query, schema: ZEventHistogram })).data;
}

export async function listRules(orgId: string) {
  return (
    await request('GET', '/security/rules', {
      query: { orgId },
      schema: z.object({ items: z.array(ZSecurityRule) }),
    })
  ).data.items;
}
export async function setRuleEnabled(rule: SecurityRule, enabled: boolean) {
  return (
    await request('PATCH', `/security/rules/${id(rule.orgId)}/${id(rule.ruleId)}`, {
      body: { enabled },
      ifMatch: `"v${rule.version}"`,
      schema: ZSecurityRule,
    })
  ).data;
}
export async function createRule(input: { orgId: string; yaml: string; enabled: boolean }) {
  return (await request('POST', '/security/rules', { body: input, schema: ZSecurityRule })).data;
}
export async function testRule(input: { orgId: string; yaml: string; log?: string }) {
  return (await request('POST', '/security/rules/test', { body: input, schema: ZRuleTestResult })).data;
}

export async function listSources(query: { orgId?: string; unknown?: 'true' | 'false'; cursor?: string }) {
  return (
    await request('GET', '/security/sources', {
      query: { limit: 50, ...query },
      schema: zPage(ZSecuritySource),
    })
  ).data;
}
export async function mapSource(source: SecuritySource, orgId: string) {
  return (
    await request('POST', `/security/sources/${id(source.id)}/map`, {
      body: { orgId },
      ifMatch: `"v${source.version}"`,
      schema: ZSecuritySource,
    })
  ).data;
}

export async function listNotifications() {
  return (
    await request('GET', '/security/notifications', {
      query: { limit: 20 },
      schema: zPage(ZSecurityNotification).extend({ unread: z.number() }),
    })
  ).data;
}
export const markNotificationRead = (notificationId: string) =>
  request('POST', `/security/notifications/${id(notificationId)}/read`);
