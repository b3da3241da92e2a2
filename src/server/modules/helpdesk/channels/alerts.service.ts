import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type {
  TAlertmanagerAlert,
  TAlertmanagerPayload,
  ZAlertResult,
} from '../../../../shared/schemas/channels.js';
import { IMPACTS, type Impact, URGENCIES, type Urgency } from '../../../../shared/schemas/helpdesk.js';
import { type Ctx, inTransaction, systemPrincipal } from '../../../context.js';
import { fromJson, toBool, toJson } from '../../../db/values.js';
import { findAssetsByName } from '../../assets/index.js';
import { getOrganisation } from '../../orgs/index.js';
import type { TicketTable } from '../helpdesk.tables.js';
import * as tickets from '../tickets.repo.js';
import { addFollowup, createTicket, updateTicket } from '../tickets.service.js';
import * as repo from './channels.repo.js';

type AlertResult = z.infer<typeof ZAlertResult>;
type AlertItem = AlertResult['items'][number];
type Lang = 'fr' | 'en';

/** Alertmanager's severity → the ticket's urgency. */
const URGENCY_OF: Record<string, Urgency> = {
  critical: 'critical',
  error: 'high',
  warning: 'high',
  info: 'low',
  none: 'low',
};

const T = {
  alert: { fr: 'Alerte', en: 'Alert' },
  status: { fr: 'Statut', en: 'Status' },
  since: { fr: 'Début', en: 'Since' },
  labels: { fr: 'Libellés', en: 'Labels' },
  source: { fr: 'Source', en: 'Source' },
  missing: { fr: 'Libellés manquants', en: 'Missing labels' },
  firingAgain: {
    fr: (since: string) => `Alerte de nouveau active${since ? ` depuis ${since}` : ''}.`,
    en: (since: string) => `Alert firing again${since ? ` since ${since}` : ''}.`,
  },
  severity: {
    fr: (from: string, to: string) => `Sévérité de l’alerte : ${from} → ${to}.`,
    en: (from: string, to: string) => `Alert severity: ${from} → ${to}.`,
  },
  resolved: {
    fr: (at: string) => `Alerte résolue${at ? ` (fin : ${at})` : ''}.`,
    en: (at: string) => `Alert resolved${at ? ` (ended ${at})` : ''}.`,
  },
};

/** `host:9100`, `[::1]:9100`, `https://host:8443/metrics` → the host alone. */
export function hostOfInstance(instance: string): string | null {
  let v = instance.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  v = v.split('/')[0] ?? '';
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    return end > 1 ? v.slice(1, end) : null;
  }
  if ((v.match(/:/g) ?? []).length === 1) v = v.split(':')[0] ?? '';
  return v.length > 0 ? v : null;
}

const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');

/** Names an asset of the alert may carry, best first: asset, hostname, instance host, their short names. */
export function assetCandidates(labels: Record<string, string>): string[] {
  const names: string[] = [];
  const add = (v: string | null | undefined) => {
    const name = v?.trim();
    if (!name) return;
    names.push(name);
    if (!isIp(name) && name.includes('.')) names.push(name.split('.')[0]!);
  };
  add(labels.asset);
  add(labels.hostname);
  if (labels.instance) add(hostOfInstance(labels.instance));
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

function fingerprintOf(alert: TAlertmanagerAlert): string {
  if (alert.fingerprint) return alert.fingerprint;
  // Alertmanager always sends one; without it, the same labels are the same alert.
  const canonical = JSON.stringify(
    Object.keys(alert.labels)
      .sort()
      .map((k) => [k, alert.labels[k]]),
  );
  return `h${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

/** Alertmanager sends 0001-01-01T00:00:00Z for "no end yet". */
function when(value: string | undefined): string | null {
  if (!value || value.startsWith('0001-')) return null;
  return Number.isNaN(Date.parse(value)) ? null : value;
}

/** French puts a space before a colon. */
const colon = (lang: Lang) => (lang === 'fr' ? ' : ' : ': ');

function describe(alert: TAlertmanagerAlert, fingerprint: string, missing: string[], lang: Lang): string {
  const a = alert.annotations;
  const c = colon(lang);
  const lines: string[] = [];
  const text = a.description ?? a.message ?? '';
  if (text) lines.push(text, '');
  lines.push(`Alertmanager — ${T.status[lang]}${c}${alert.status}`);
  const since = when(alert.startsAt);
  if (since) lines.push(`${T.since[lang]}${c}${since}`);
  const labels = Object.entries(alert.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  if (labels) lines.push(`${T.labels[lang]}${c}${labels}`);
  if (alert.generatorURL) lines.push(`${T.source[lang]}${c}${alert.generatorURL}`);
  if (a.runbook_url) lines.push(`Runbook${c}${a.runbook_url}`);
  lines.push(`Fingerprint${c}${fingerprint}`);
  if (missing.length > 0) lines.push('', `${T.missing[lang]}${c}${missing.join(', ')}`);
  return lines.join('\n').slice(0, 20_000);
}

function titleOf(alert: TAlertmanagerAlert, lang: Lang): string {
  const name = alert.labels.alertname ?? T.alert[lang];
  const host =
    (alert.labels.instance && hostOfInstance(alert.labels.instance)) ||
    alert.labels.hostname ||
    alert.labels.asset ||
    '';
  const summary = alert.annotations.summary ?? alert.annotations.title ?? '';
  return `${name}${host ? ` — ${host}` : ''}${summary ? `${colon(lang)}${summary}` : ''}`.slice(0, 200);
}

async function openTicketOf(tx: Ctx, orgId: string, key: string): Promise<TicketTable | undefined> {
  const row = await tickets.findOpenByExternalKey(tx, orgId, key);
  return row && toBool(row.is_open) ? row : undefined;
}

async function handleAlert(
  tx: Ctx,
  orgId: string,
  lang: Lang,
  alert: TAlertmanagerAlert,
): Promise<AlertItem> {
  const fingerprint = fingerprintOf(alert);
  const now = tx.now.toISOString();
  const startsAt = when(alert.startsAt);
  const endsAt = when(alert.endsAt);
  const inserted = await repo.claimAlert(tx, {
    org_id: orgId,
    fingerprint,
    ticket_id: null,
    status: alert.status,
    starts_at: startsAt,
    ends_at: null,
    labels: toJson(alert.labels),
    updated_at: now,
  });
  // The row is locked from here: the same alert posted twice at once is handled one after the other.
  const state = (await repo.lockAlert(tx, orgId, fingerprint, now))!;
  const previous = inserted ? null : state.status;
  const key = `alert:${fingerprint}`;
  const ticket = await openTicketOf(tx, orgId, key);
  const item = (
    action: AlertItem['action'],
    t: TicketTable | { id: string; reference: string } | undefined,
  ) => ({
    fingerprint,
    status: alert.status,
    action,
    ticketId: t?.id ?? null,
    reference: t?.reference ?? null,
  });

  if (alert.status === 'resolved') {
    await repo.updateAlert(tx, orgId, fingerprint, {
      status: 'resolved',
      ends_at: endsAt ?? now,
      updated_at: now,
    });
    if (!ticket || previous === 'resolved') return item('ignored', ticket);
    await addFollowup(tx, ticket.id, { body: T.resolved[lang](endsAt ?? ''), public: false });
    return item('resolved', ticket);
  }

  const severity = alert.labels.severity?.toLowerCase();
  const urgency: Urgency = (severity && URGENCY_OF[severity]) || 'medium';
  if (ticket) {
    let action: AlertItem['action'] = 'unchanged';
    const again =
      previous === 'resolved' ||
      (startsAt !== null && state.starts_at !== null && startsAt !== state.starts_at);
    if (again) {
      await addFollowup(tx, ticket.id, { body: T.firingAgain[lang](startsAt ?? ''), public: false });
      action = 'updated';
    }
    const before = fromJson<Record<string, string>>(state.labels as string)?.severity?.toLowerCase();
    if (!inserted && severity && before !== severity) {
      const current = (await tickets.findTicket(tx, ticket.id))!;
      if (URGENCIES.indexOf(urgency) > URGENCIES.indexOf(current.urgency as Urgency)) {
        await updateTicket(tx, current.id, current.version, { urgency });
      }
      await addFollowup(tx, ticket.id, { body: T.severity[lang](before ?? '—', severity), public: false });
      action = 'updated';
    }
    await repo.updateAlert(tx, orgId, fingerprint, {
      status: 'firing',
      starts_at: startsAt ?? state.starts_at,
      ends_at: null,
      ticket_id: ticket.id,
      labels: toJson(alert.labels),
      updated_at: now,
    });
    return item(action, ticket);
  }

  const missing = ['alertname', 'severity'].filter((k) => !alert.labels[k]);
  if (!alert.labels.instance && !alert.labels.hostname && !alert.labels.asset) missing.push('instance');
  if (missing.length > 0) {
    tx.log.warn(
      { orgId, fingerprint, missing },
      'alert with missing labels: ticket opened with what is there',
    );
  }
  const candidates = assetCandidates(alert.labels);
  const found = await findAssetsByName(tx, orgId, candidates);
  const asset = candidates
    .map((c) => found.find((f) => f.name.toLowerCase() === c))
    .find((f) => f !== undefined);
  if (candidates.length > 0 && !asset)
    tx.log.info({ orgId, fingerprint, candidates }, 'alert: no asset of that name');
  const impact = IMPACTS.includes(alert.labels.impact as Impact) ? (alert.labels.impact as Impact) : 'user';
  const created = await createTicket(tx, {
    orgId,
    kind: 'incident',
    title: titleOf(alert, lang),
    description: describe(alert, fingerprint, missing, lang),
    categoryId: null,
    requesterId: null,
    locationId: null,
    assetIds: asset ? [asset.id] : [],
    impact,
    urgency,
    source: 'monitoring',
    assigneeId: null,
    groupId: null,
    diagnosticPath: null,
    externalKey: key,
  });
  await repo.updateAlert(tx, orgId, fingerprint, {
    status: 'firing',
    starts_at: startsAt,
    ends_at: null,
    ticket_id: created.id,
    labels: toJson(alert.labels),
    updated_at: now,
  });
  return item('created', created);
}

/**
 * The Alertmanager webhook (the token was checked by the route): one ticket per alert fingerprint,
 * opened on the first firing, told of later firings and of the resolution, never duplicated. Each
 * alert is its own transaction; Alertmanager resending the group changes nothing twice.
 */
export async function receiveAlerts(
  ctx: Ctx,
  orgId: string,
  payload: TAlertmanagerPayload,
): Promise<AlertResult> {
  const as: Ctx = { ...ctx, actor: systemPrincipal('Alertmanager') };
  const org = await getOrganisation(as, orgId);
  const lang: Lang = org.locale === 'en' ? 'en' : 'fr';
  const items: AlertItem[] = [];
  for (const alert of payload.alerts) {
    items.push(await inTransaction(as, (tx) => handleAlert(tx, orgId, lang, alert)));
  }
  return { received: payload.alerts.length, items };
}
