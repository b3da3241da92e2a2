import { type Action, can } from '../../../shared/policy.js';
import type { TDashboard, TDashboardTile } from '../../../shared/schemas/reports.js';
import { type Ctx, requireActor } from '../../context.js';
import { forbidden, notFound } from '../../http/errors.js';
import {
  backlogSeries,
  categoryNames,
  myQueueFigures,
  openFigures,
  slaFigures,
  type TicketLine,
  volumeFigures,
} from '../helpdesk/index.js';
import { getOrganisation } from '../orgs/index.js';
import { securitySummary } from '../security/index.js';
import { reorderSummary } from '../stock/index.js';
import { lateSummary, todaysWorkOrders } from '../workorders/index.js';
import { LABELS, type Lang } from './labels.js';
import { addDays, dayIn, resolvePeriods, startOfDay } from './periods.js';
import { bySite } from './report.service.js';

type Role = TDashboard['role'];

/** What a person needs to see each dashboard at all. */
const GATE: Record<Role, Action> = {
  technician: 'ticket.manage',
  supervisor: 'report.read',
  security: 'security.read',
};
/** Dashboards about one organisation (the technician's is about the caller). */
const perOrg = (role: Role) => role !== 'technician';
type Env = { orgId: string | null; timeZone: string; lang: Lang };

/**
 * The tiles of each dashboard, in order. A module that brings its own figures (stock alerts, late work
 * orders, security incidents…) adds its tiles here, with the action a person needs to see them.
 */
type TileDefinition = {
  key: string;
  role: Role;
  action: Action;
  build(ctx: Ctx, env: Env, shared: Shared): Promise<Omit<TDashboardTile, 'key'>>;
};

/** What several tiles of one dashboard read, loaded once. */
type Shared = { get<T>(key: string, load: () => Promise<T>): Promise<T> };

const tile = (t: Partial<Omit<TDashboardTile, 'key'>>): Omit<TDashboardTile, 'key'> => ({
  value: null,
  total: null,
  rows: [],
  series: [],
  link: null,
  ...t,
});
const rows = (lines: TicketLine[]) => lines.map((l) => ({ ...l }));
const q = encodeURIComponent;

async function myQueue(ctx: Ctx, env: Env, shared: Shared) {
  return shared.get('queue', () => {
    const today = dayIn(env.timeZone, ctx.now);
    return myQueueFigures(ctx, {
      start: startOfDay(env.timeZone, today),
      end: startOfDay(env.timeZone, addDays(today, 1)),
    });
  });
}

function orgOf(env: Env): string {
  if (!env.orgId) throw notFound('org');
  return env.orgId;
}

async function month(ctx: Ctx, env: Env) {
  return resolvePeriods({ period: 'month' }, env.timeZone, ctx.now).current;
}

export const TILES: TileDefinition[] = [
  {
    key: 'myQueue',
    role: 'technician',
    action: 'ticket.manage',
    build: async (ctx, env, shared) => {
      const f = await myQueue(ctx, env, shared);
      return tile({ value: f.total, rows: rows(f.next), link: '/tickets?tab=queue' });
    },
  },
  {
    key: 'slaAtRisk',
    role: 'technician',
    action: 'ticket.manage',
    build: async (ctx, env, shared) => {
      const f = await myQueue(ctx, env, shared);
      return tile({ value: f.atRisk, total: f.total, rows: rows(f.atRiskLines), link: '/tickets?tab=queue' });
    },
  },
  {
    key: 'planned',
    role: 'technician',
    action: 'ticket.manage',
    build: async (ctx, env, shared) => {
      const f = await myQueue(ctx, env, shared);
      return tile({ value: f.planned.length, rows: rows(f.planned), link: '/tickets?tab=queue' });
    },
  },
  {
    key: 'recurring',
    role: 'technician',
    action: 'ticket.manage',
    build: async (ctx, env, shared) => {
      const f = await myQueue(ctx, env, shared);
      return tile({
        value: f.recurring,
        total: f.total,
        rows: rows(f.recurringLines),
        link: '/tickets?tab=queue',
      });
    },
  },
  {
    key: 'backlog',
    role: 'supervisor',
    action: 'report.read',
    build: async (ctx, env, shared) => {
      const f = await shared.get('open', () => openFigures(ctx, orgOf(env)));
      return tile({ value: f.open, link: '/tickets?tab=open' });
    },
  },
  {
    key: 'backlogTrend',
    role: 'supervisor',
    action: 'report.read',
    build: async (ctx, env) => {
      // The open tickets at the start of each of the last 12 weeks (Mondays), and now.
      const today = dayIn(env.timeZone, ctx.now);
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
      const monday = addDays(today, -weekday);
      const days = Array.from({ length: 11 }, (_, i) => addDays(monday, -7 * (10 - i)));
      const instants = [...days.map((d) => startOfDay(env.timeZone, d)), ctx.now];
      const values = await backlogSeries(ctx, orgOf(env), instants);
      return tile({
        value: values[values.length - 1] ?? null,
        total: values[0] ?? null,
        series: values.map((v, i) => ({
          key: instants[i]!.toISOString(),
          label: days[i] ?? today,
          value: v,
          link: null,
        })),
        link: '/tickets?tab=open',
      });
    },
  },
  {
    key: 'slaMonth',
    role: 'supervisor',
    action: 'report.read',
    build: async (ctx, env) => {
      const m = await month(ctx, env);
      const f = await slaFigures(ctx, orgOf(env), m.from, m.to);
      const L = LABELS[env.lang];
      const link = `/reports?orgId=${q(orgOf(env))}&period=month`;
      return tile({
        value: f.resolve.percent,
        total: f.own.percent,
        series: [
          { key: 'own', label: L.slaOwn, value: f.own.percent ?? 0, link },
          { key: 'resolve', label: L.slaResolve, value: f.resolve.percent ?? 0, link },
          { key: 'own_due', label: `${L.slaOwn} — ${L.slaDue}`, value: f.own.due, link },
          { key: 'own_met', label: `${L.slaOwn} — ${L.slaMet}`, value: f.own.met, link },
          { key: 'resolve_due', label: `${L.slaResolve} — ${L.slaDue}`, value: f.resolve.due, link },
          { key: 'resolve_met', label: `${L.slaResolve} — ${L.slaMet}`, value: f.resolve.met, link },
        ],
        link,
      });
    },
  },
  {
    key: 'byCategory',
    role: 'supervisor',
    action: 'report.read',
    build: async (ctx, env, shared) => {
      const m = await month(ctx, env);
      const f = await shared.get('volumes', () => volumeFigures(ctx, orgOf(env), m.from, m.to));
      const names = await categoryNames(
        ctx,
        f.byCategory.map((c) => c.key),
      );
      const L = LABELS[env.lang];
      return tile({
        value: f.created,
        series: f.byCategory.slice(0, 10).map((c) => ({
          key: c.key,
          label: c.key ? (names.get(c.key)?.[env.lang] ?? L.unknown) : L.noCategory,
          value: c.count,
          link: c.key ? `/tickets?tab=all&categoryId=${q(c.key)}` : null,
        })),
        link: `/reports?orgId=${q(orgOf(env))}&period=month`,
      });
    },
  },
  {
    key: 'bySite',
    role: 'supervisor',
    action: 'report.read',
    build: async (ctx, env, shared) => {
      const m = await month(ctx, env);
      const f = await shared.get('volumes', () => volumeFigures(ctx, orgOf(env), m.from, m.to));
      const sites = await bySite(ctx, [f]);
      const L = LABELS[env.lang];
      return tile({
        value: f.created,
        series: sites.counts[0]!.sort((a, b) => b.count - a.count)
          .slice(0, 10)
          .map((s) => ({
            key: s.key,
            label: s.key === null ? L.noSite : (sites.names.get(s.key) ?? L.unknown),
            value: s.count,
            link: null,
          })),
        link: `/reports?orgId=${q(orgOf(env))}&period=month`,
      });
    },
  },
  {
    key: 'oldest',
    role: 'supervisor',
    action: 'report.read',
    build: async (ctx, env, shared) => {
      const f = await shared.get('open', () => openFigures(ctx, orgOf(env)));
      return tile({ value: f.oldest.length, total: f.open, rows: rows(f.oldest), link: '/tickets?tab=open' });
    },
  },
  {
    // Levels at or below their minimum; each line is an article in a store, with what is available.
    key: 'stockAlerts',
    role: 'supervisor',
    action: 'stock.read',
    build: async (ctx, env) => {
      const orgId = orgOf(env);
      const f = await reorderSummary(ctx, orgId, 5);
      const list = `/stock?orgId=${q(orgId)}&toReorder=true`;
      return tile({
        value: f.count,
        series: f.first.map((l) => ({
          key: `${l.articleId}:${l.stockLocationId}`,
          label: `${l.articleName} — ${l.stockLocationName}`,
          value: l.available,
          link: `${list}&stockLocationId=${q(l.stockLocationId)}`,
        })),
        link: list,
      });
    },
  },
  {
    // Open work orders past the last day of their window; each line says since which day.
    key: 'workOrdersLate',
    role: 'supervisor',
    action: 'workorder.read',
    build: async (ctx, env) => {
      const orgId = orgOf(env);
      const f = await lateSummary(ctx, orgId, dayIn(env.timeZone, ctx.now));
      return tile({
        value: f.count,
        series: f.first.map((w) => ({
          key: w.id,
          label: `${w.reference} — ${w.title} (${w.latestDate})`,
          value: 0,
          link: `/work-orders/${w.id}`,
        })),
        link: `/work-orders?orgId=${q(orgId)}&late=true`,
      });
    },
  },
  {
    // The caller's work orders scheduled today (their organisation's day).
    key: 'workOrdersToday',
    role: 'technician',
    action: 'workorder.read',
    build: async (ctx, env) => {
      const today = dayIn(env.timeZone, ctx.now);
      const list = await todaysWorkOrders(
        ctx,
        startOfDay(env.timeZone, today),
        startOfDay(env.timeZone, addDays(today, 1)),
      );
      return tile({
        value: list.length,
        series: list.map((w) => ({
          key: w.id,
          label: `${w.at ? new Intl.DateTimeFormat(env.lang === 'fr' ? 'fr-FR' : 'en-GB', { timeStyle: 'short', timeZone: env.timeZone }).format(new Date(w.at)) : ''} ${w.reference} — ${w.title}`,
          value: 0,
          link: `/work-orders/${w.id}`,
        })),
        link: `/work-orders?mine=true`,
      });
    },
  },
  {
    // Open security incidents by severity, most severe first.
    key: 'securityOpen',
    role: 'security',
    action: 'security.read',
    build: async (ctx, env, shared) => {
      const f = await shared.get('security', () => securityOf(ctx, env));
      return tile({
        value: f.open.reduce((s, o) => s + o.count, 0),
        series: f.open.map((o) => ({
          key: o.severity,
          label: LABELS[env.lang].severity[o.severity],
          value: o.count,
          link: `/security?tab=incidents&severity=${o.severity}`,
        })),
        link: '/security?tab=incidents',
      });
    },
  },
  {
    // Incidents nobody has taken up yet, the oldest first: each line opens one.
    key: 'securityToAcknowledge',
    role: 'security',
    action: 'security.read',
    build: async (ctx, env, shared) => {
      const f = await shared.get('security', () => securityOf(ctx, env));
      return tile({
        value: f.toAcknowledge.count,
        series: f.toAcknowledge.first.map((i) => ({
          key: i.id,
          label: `${i.reference} — ${i.title} (${LABELS[env.lang].severity[i.severity]})`,
          value: 0,
          link: `/security/incidents/${i.id}`,
        })),
        link: '/security?tab=incidents&status=new',
      });
    },
  },
  {
    // Incidents with activity in the last seven days, by detection rule.
    key: 'securityByRule',
    role: 'security',
    action: 'security.read',
    build: async (ctx, env, shared) => {
      const f = await shared.get('security', () => securityOf(ctx, env));
      return tile({
        value: f.byRule.reduce((s, r) => s + r.incidents, 0),
        series: f.byRule.map((r) => ({ key: r.ruleId, label: r.title, value: r.incidents, link: null })),
        link: '/security?tab=incidents',
      });
    },
  },
];

/** The security officer's figures: incidents open now, and those active over the last seven days. */
function securityOf(ctx: Ctx, env: Env) {
  return securitySummary(ctx, orgOf(env), new Date(ctx.now.getTime() - 7 * 86_400_000));
}

/** The organisation a supervisor's dashboard is about: the one asked, else their first where allowed. */
async function envOf(
  ctx: Ctx,
  role: Role,
  q: { orgId?: string | undefined; locale?: Lang | undefined },
): Promise<Env> {
  const actor = requireActor(ctx);
  const orgId =
    q.orgId ?? actor.memberships.find((m) => can(actor, GATE[role], { orgId: m.orgId }))?.orgId ?? null;
  if (orgId && !can(actor, 'org.read', { orgId })) throw notFound('org');
  const org = orgId ? await getOrganisation(ctx, orgId) : null;
  const lang: Lang = q.locale ?? actor.locale ?? (org?.locale === 'en' ? 'en' : 'fr');
  return { orgId, timeZone: org?.timeZone ?? 'Europe/Paris', lang };
}

/** The tiles of a role's dashboard that the caller may see, each with the list behind it. */
export async function dashboard(
  ctx: Ctx,
  role: Role,
  q: { orgId?: string | undefined; locale?: Lang | undefined },
): Promise<TDashboard> {
  const actor = requireActor(ctx);
  const gate = GATE[role];
  if (!can(actor, gate, q.orgId ? { orgId: q.orgId } : {})) {
    if (q.orgId && !can(actor, 'org.read', { orgId: q.orgId })) throw notFound('org');
    throw forbidden();
  }
  const env = await envOf(ctx, role, q);
  if (perOrg(role) && !env.orgId) throw notFound('org');
  const cache = new Map<string, Promise<unknown>>();
  const shared: Shared = {
    get: <T>(key: string, load: () => Promise<T>) => {
      if (!cache.has(key)) cache.set(key, load());
      return cache.get(key) as Promise<T>;
    },
  };
  const visible = TILES.filter(
    (t) => t.role === role && can(actor, t.action, env.orgId && perOrg(role) ? { orgId: env.orgId } : {}),
  );
  // Tiles load together (what several read is loaded once, through `shared`).
  const tiles: TDashboardTile[] = await Promise.all(
    visible.map(async (t) => ({ key: t.key, ...(await t.build(ctx, env, shared)) })),
  );
  return { role, orgId: env.orgId, generatedAt: ctx.now.toISOString(), tiles };
}
