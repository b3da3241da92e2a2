import { can } from '../../../shared/policy.js';
import type {
  TIncidentReport,
  TLabelled,
  TReportQuery,
  TTicketFigures,
} from '../../../shared/schemas/reports.js';
import { type Ctx, requireActor } from '../../context.js';
import { forbidden, invalid, notFound } from '../../http/errors.js';
import { assetNames, getLocation } from '../assets/index.js';
import { categoryNames, ticketFigures } from '../helpdesk/index.js';
import { getOrganisation } from '../orgs/index.js';
import { interventionFigures } from '../workorders/index.js';
import { LABELS, type Lang } from './labels.js';
import { type Period, resolvePeriods } from './periods.js';

/** A custom period longer than this is refused: a year compared with the year before is the widest. */
const MAX_CUSTOM_DAYS = 366;

type Count = { key: string | null; count: number };

/** Joins this period's and the previous one's counts by key, largest first, with labels. */
function labelled(
  current: Count[],
  previous: Count[],
  label: (key: string | null) => string,
  limit?: number,
): TLabelled[] {
  const rows = new Map<string | null, TLabelled>();
  for (const c of current) rows.set(c.key, { key: c.key, label: label(c.key), count: c.count, previous: 0 });
  for (const p of previous) {
    const row = rows.get(p.key) ?? { key: p.key, label: label(p.key), count: 0, previous: 0 };
    row.previous = p.count;
    rows.set(p.key, row);
  }
  const out = [...rows.values()].sort(
    (a, b) => b.count - a.count || b.previous - a.previous || a.label.localeCompare(b.label),
  );
  return limit ? out.filter((r) => r.count > 0).slice(0, limit) : out;
}

/** Ticket counts by location, regrouped by the site the location belongs to (the root of its path). */
export async function bySite(
  ctx: Ctx,
  figures: Array<Pick<TTicketFigures, 'byLocation'>>,
): Promise<{ counts: Count[][]; names: Map<string, string> }> {
  const sites = new Map<string, { id: string; name: string } | null>();
  for (const f of figures) {
    for (const { key } of f.byLocation) {
      if (!key || sites.has(key)) continue;
      try {
        const location = await getLocation(ctx, key);
        const root = location.breadcrumb[0] ?? { id: location.id, name: location.name };
        sites.set(key, { id: root.id, name: root.name });
      } catch {
        // A location removed since, or out of the caller's sight: counted as unknown.
        sites.set(key, null);
      }
    }
  }
  const names = new Map<string, string>();
  for (const s of sites.values()) if (s) names.set(s.id, s.name);
  const counts = figures.map((f) => {
    const map = new Map<string | null, number>();
    for (const { key, count } of f.byLocation) {
      const site = key ? sites.get(key) : null;
      const id = key === null ? null : (site?.id ?? 'unknown');
      map.set(id, (map.get(id) ?? 0) + count);
    }
    return [...map.entries()].map(([key, count]) => ({ key, count }));
  });
  return { counts, names };
}

export type ReportContext = { period: Period; previous: Period; lang: Lang };

/** The incident report of an organisation over a period, with the previous period's figures. */
export async function incidentReport(ctx: Ctx, q: TReportQuery): Promise<TIncidentReport> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: q.orgId })) throw notFound('org');
  if (!can(actor, 'report.read', { orgId: q.orgId })) throw forbidden();
  const org = await getOrganisation(ctx, q.orgId);
  const lang: Lang = q.locale ?? actor.locale ?? (org.locale === 'en' ? 'en' : 'fr');
  const { current, previous } = resolvePeriods(q, org.timeZone, ctx.now);
  const days = Math.round((current.to.getTime() - current.from.getTime()) / 86_400_000);
  if (q.period === 'custom' && days > MAX_CUSTOM_DAYS) {
    throw invalid([{ path: 'to', code: 'too_big', message: String(MAX_CUSTOM_DAYS) }]);
  }
  const figures = (p: Period) =>
    ticketFigures(ctx, { orgId: q.orgId, from: p.from, to: p.to, trend: p.trend });
  const [cur, prev, woCur, woPrev] = await Promise.all([
    figures(current),
    figures(previous),
    interventionFigures(ctx, q.orgId, current.from, current.to),
    interventionFigures(ctx, q.orgId, previous.from, previous.to),
  ]);
  const L = LABELS[lang];
  const categories = await categoryNames(ctx, [
    ...[cur, prev].flatMap((f) => f.byCategory.map((c) => c.key)),
    ...[cur, prev].flatMap((f) => f.topProblems.map((c) => c.key)),
  ]);
  const assets = await assetNames(
    ctx,
    [...cur.topAssets, ...prev.topAssets].map((a) => a.key),
  );
  const sites = await bySite(ctx, [cur, prev]);
  const category = (k: string | null) => (k ? (categories.get(k)?.[lang] ?? L.unknown) : L.noCategory);
  return {
    orgId: org.id,
    orgName: org.name,
    locale: lang,
    timeZone: org.timeZone,
    period: q.period,
    firstDay: current.firstDay,
    lastDay: current.lastDay,
    generatedAt: ctx.now.toISOString(),
    current: cur,
    previous: prev,
    labels: {
      byKind: labelled(cur.byKind, prev.byKind, (k) => L.kind[k as keyof Labels['kind']] ?? k ?? L.none),
      byTypology: labelled(cur.byTypology, prev.byTypology, (k) =>
        k ? (L.typology[k as keyof Labels['typology']] ?? k) : L.none,
      ),
      byCategory: labelled(cur.byCategory, prev.byCategory, category),
      byPriority: labelled(cur.byPriority, prev.byPriority, (k) => L.priority(k ?? '?')).sort(
        (a, b) => Number(a.key) - Number(b.key),
      ),
      bySite: labelled(sites.counts[0]!, sites.counts[1]!, (k) =>
        k === null ? L.noSite : k === 'unknown' ? L.unknown : (sites.names.get(k) ?? L.unknown),
      ),
      topAssets: labelled(
        cur.topAssets,
        prev.topAssets,
        (k) => (k ? (assets.get(k) ?? L.unknown) : L.none),
        10,
      ),
      topProblems: labelled(cur.topProblems, prev.topProblems, category, 10),
      interventions: labelled(woCur?.doneByKind ?? [], woPrev?.doneByKind ?? [], (k) =>
        k ? (L.workOrderKind[k] ?? k) : L.none,
      ),
    },
    interventions:
      woCur && woPrev
        ? {
            current: { done: woCur.done, failed: woCur.failed },
            previous: { done: woPrev.done, failed: woPrev.failed },
          }
        : null,
  };
}

type Labels = (typeof LABELS)['fr'];
