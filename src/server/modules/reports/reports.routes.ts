import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  DASHBOARD_ROLES,
  type TIncidentReport,
  ZChartQuery,
  ZDashboard,
  ZDashboardQuery,
  ZIncidentReport,
  ZReportCsvQuery,
  ZReportQuery,
  ZReportSchedule,
  ZReportScheduleCreate,
  ZReportScheduleListQuery,
  ZReportScheduleUpdate,
} from '../../../shared/schemas/reports.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import { fileReply } from '../../http/download.js';
import { requestLocale } from '../../http/problem.js';
import { dashboard } from './dashboards.service.js';
import { chartCsv, reportCsv, reportXlsx } from './export.service.js';
import { reportPdf } from './pdf.js';
import { incidentReport } from './report.service.js';
import * as schedules from './schedules.service.js';

const tags = ['reports'];

function fileName(r: TIncidentReport, ext: string, chart?: string): string {
  const base = r.locale === 'fr' ? 'rapport-incidents' : 'incident-report';
  return `${base}-${r.firstDay}-${r.lastDay}${chart ? `-${chart}` : ''}.${ext}`;
}

function download(reply: FastifyReply, type: string, filename: string, body: string | Buffer) {
  return fileReply(reply, { type, filename }).send(body);
}

export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const report = (req: Parameters<typeof ctxOf>[0], q: Parameters<typeof incidentReport>[1]) =>
    incidentReport(ctxOf(req), { ...q, locale: q.locale ?? req.actor?.locale ?? requestLocale(req) });

  app.get(
    '/reports/incidents',
    {
      schema: {
        tags,
        querystring: ZReportQuery,
        response: { 200: ZIncidentReport },
        description:
          'The incident report of an organisation for a week, month, quarter or custom days, with the ' +
          'previous period for comparison (report.read).',
      },
    },
    (req) => report(req, req.query),
  );
  app.get(
    '/reports/incidents.pdf',
    {
      schema: {
        tags,
        querystring: ZReportQuery,
        description: 'The report as PDF (charts drawn as vectors).',
      },
    },
    async (req, reply) => {
      const r = await report(req, req.query);
      return download(reply, 'application/pdf', fileName(r, 'pdf'), await reportPdf(r));
    },
  );
  app.get(
    '/reports/incidents.csv',
    {
      schema: {
        tags,
        querystring: ZReportCsvQuery,
        description: 'The report as CSV: summary, then each chart.',
      },
    },
    async (req, reply) => {
      const { dialect, ...q } = req.query;
      const r = await report(req, q);
      return download(reply, 'text/csv; charset=utf-8', fileName(r, 'csv'), reportCsv(r, dialect));
    },
  );
  app.get(
    '/reports/incidents.xlsx',
    {
      schema: {
        tags,
        querystring: ZReportQuery,
        description: 'The report as a workbook: one sheet per chart.',
      },
    },
    async (req, reply) => {
      const r = await report(req, req.query);
      return download(
        reply,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName(r, 'xlsx'),
        await reportXlsx(r),
      );
    },
  );
  app.get(
    '/reports/incidents/chart.csv',
    { schema: { tags, querystring: ZChartQuery, description: 'One chart’s data as CSV.' } },
    async (req, reply) => {
      const { dialect, chart, ...q } = req.query;
      const r = await report(req, q);
      return download(
        reply,
        'text/csv; charset=utf-8',
        fileName(r, 'csv', chart),
        chartCsv(r, chart, dialect),
      );
    },
  );
  app.get(
    '/dashboards/:role',
    {
      schema: {
        tags,
        params: z.strictObject({ role: z.enum(DASHBOARD_ROLES) }),
        querystring: ZDashboardQuery,
        response: { 200: ZDashboard },
        description:
          'The tiles of a role’s dashboard, each with the list behind it: technician (my queue, SLA at risk, ' +
          'today’s interventions, recurring problems), supervisor (backlog and its trend, SLA this month, ' +
          'incidents by category and site, oldest open tickets) and security officer (open security ' +
          'incidents by severity, those to acknowledge, incidents by detection rule this week) for one organisation.',
      },
    },
    (req) =>
      dashboard(ctxOf(req), req.params.role, {
        orgId: req.query.orgId,
        locale: req.query.locale ?? req.actor?.locale ?? requestLocale(req),
      }),
  );
  const IdParams = z.strictObject({ id: ZId });
  app.get(
    '/reports/schedules',
    {
      schema: {
        tags,
        querystring: ZReportScheduleListQuery,
        response: { 200: zPage(ZReportSchedule) },
        description: 'Scheduled mailings of the incident report, newest first (report.schedule).',
      },
    },
    (req) => schedules.listSchedules(ctxOf(req), req.query),
  );
  app.post(
    '/reports/schedules',
    { schema: { tags, body: ZReportScheduleCreate, response: { 201: ZReportSchedule } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await schedules.createSchedule(ctxOf(req), req.body))),
  );
  app.get(
    '/reports/schedules/:id',
    { schema: { tags, params: IdParams, response: { 200: ZReportSchedule } } },
    async (req, reply) => withEtag(reply, await schedules.getSchedule(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/reports/schedules/:id',
    { schema: { tags, params: IdParams, body: ZReportScheduleUpdate, response: { 200: ZReportSchedule } } },
    async (req, reply) =>
      withEtag(
        reply,
        await schedules.updateSchedule(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );
  app.delete(
    '/reports/schedules/:id',
    { schema: { tags, params: IdParams, description: 'Deletes the schedule (If-Match required).' } },
    async (req, reply) => {
      await schedules.deleteSchedule(ctxOf(req), req.params.id, expectedVersion(req));
      return reply.status(204).send();
    },
  );
  app.post(
    '/reports/schedules/:id/run',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 202: ZReportSchedule },
        description: 'Mails the last complete period’s report now, through the worker.',
      },
    },
    async (req, reply) => reply.status(202).send(await schedules.runScheduleNow(ctxOf(req), req.params.id)),
  );
};
