import type { z } from 'zod';
import { zPage } from '../../shared/schemas/common.js';
import {
  type ChartKey,
  type ReportPeriod,
  ZDashboard,
  ZIncidentReport,
  ZReportSchedule,
  type ZReportScheduleCreate,
  type ZReportScheduleUpdate,
} from '../../shared/schemas/reports.js';
import { type ApiResult, buildUrl, request } from './client.js';

export type IncidentReport = z.infer<typeof ZIncidentReport>;
export type Dashboard = z.infer<typeof ZDashboard>;
export type DashboardTile = Dashboard['tiles'][number];
export type ReportSchedule = z.infer<typeof ZReportSchedule>;
export type ReportScheduleCreate = z.input<typeof ZReportScheduleCreate>;
export type ReportScheduleUpdate = z.input<typeof ZReportScheduleUpdate>;
export type ReportQuery = {
  orgId: string;
  period: ReportPeriod;
  from?: string | undefined;
  to?: string | undefined;
  locale?: 'fr' | 'en' | undefined;
};

const ZSchedulePage = zPage(ZReportSchedule);
const id = (value: string) => encodeURIComponent(value);

export async function getIncidentReport(q: ReportQuery): Promise<IncidentReport> {
  return (await request('GET', '/reports/incidents', { query: q, schema: ZIncidentReport })).data;
}

/** Where the browser downloads an export (a plain link: the session cookie goes with it). */
export function reportExportUrl(q: ReportQuery, format: 'pdf' | 'csv' | 'xlsx'): string {
  return buildUrl(`/reports/incidents.${format}`, q);
}
export function chartCsvUrl(q: ReportQuery, chart: ChartKey): string {
  return buildUrl('/reports/incidents/chart.csv', { ...q, chart });
}

export async function getDashboard(role: Dashboard['role'], orgId?: string | null): Promise<Dashboard> {
  return (
    await request('GET', `/dashboards/${role}`, { query: { orgId: orgId ?? undefined }, schema: ZDashboard })
  ).data;
}

export async function listReportSchedules(query: { orgId?: string | undefined; cursor?: string }) {
  return (
    await request('GET', '/reports/schedules', { query: { limit: 50, ...query }, schema: ZSchedulePage })
  ).data;
}
export async function createReportSchedule(input: ReportScheduleCreate): Promise<ReportSchedule> {
  return (await request('POST', '/reports/schedules', { body: input, schema: ZReportSchedule })).data;
}
export async function updateReportSchedule(
  scheduleId: string,
  input: ReportScheduleUpdate,
  etag: string | null,
): Promise<ApiResult<ReportSchedule>> {
  return request('PATCH', `/reports/schedules/${id(scheduleId)}`, {
    body: input,
    ifMatch: etag,
    schema: ZReportSchedule,
  });
}
export async function deleteReportSchedule(scheduleId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/reports/schedules/${id(scheduleId)}`, { ifMatch: etag });
}
export async function runReportSchedule(scheduleId: string): Promise<ReportSchedule> {
  return (await request('POST', `/reports/schedules/${id(scheduleId)}/run`, { schema: ZReportSchedule }))
    .data;
}
