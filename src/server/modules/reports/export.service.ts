import type ExcelJS from 'exceljs';
import type { ChartKey, TIncidentReport } from '../../../shared/schemas/reports.js';
import { type CsvDialect, csvWriter } from '../../http/csv.js';
import { formatDay, LABELS, type Labels } from './labels.js';

type Row = [label: string, current: number | null, previous: number | null];

/** The summary figures, this period beside the previous one. */
export function summaryRows(r: TIncidentReport): Row[] {
  const L = LABELS[r.locale];
  const c = r.current;
  const p = r.previous;
  return [
    [L.created, c.created, p.created],
    [L.resolved, c.resolved, p.resolved],
    [L.backlogStart, c.backlogStart, p.backlogStart],
    [L.backlogEnd, c.backlogEnd, p.backlogEnd],
    [L.ownMean, c.timeToOwn.mean, p.timeToOwn.mean],
    [L.ownMedian, c.timeToOwn.median, p.timeToOwn.median],
    [L.resolveMean, c.timeToResolve.mean, p.timeToResolve.mean],
    [L.resolveMedian, c.timeToResolve.median, p.timeToResolve.median],
    [L.slaOwn, c.slaOwn.percent, p.slaOwn.percent],
    [`${L.slaOwn} — ${L.slaDue}`, c.slaOwn.due, p.slaOwn.due],
    [`${L.slaOwn} — ${L.slaMet}`, c.slaOwn.met, p.slaOwn.met],
    [L.slaResolve, c.slaResolve.percent, p.slaResolve.percent],
    [`${L.slaResolve} — ${L.slaDue}`, c.slaResolve.due, p.slaResolve.due],
    [`${L.slaResolve} — ${L.slaMet}`, c.slaResolve.met, p.slaResolve.met],
    [L.fcr, c.firstContact.percent, p.firstContact.percent],
    [L.fcrCount, c.firstContact.count, p.firstContact.count],
    [L.recurring, c.recurring, p.recurring],
    [L.satisfactionCount, c.satisfaction.count, p.satisfaction.count],
    [L.satisfactionMean, c.satisfaction.mean, p.satisfaction.mean],
    ...(r.interventions
      ? ([
          [L.interventionsDone, r.interventions.current.done, r.interventions.previous.done],
          [L.interventionsFailed, r.interventions.current.failed, r.interventions.previous.failed],
        ] as Row[])
      : []),
  ];
}

/** One chart's data as a table: header and rows (label, this period, previous period). */
export function chartTable(r: TIncidentReport, chart: ChartKey): { header: string[]; rows: unknown[][] } {
  const L = LABELS[r.locale];
  if (chart === 'trend') {
    return {
      header: [L.trendStart, L.createdShort, L.resolvedShort],
      rows: r.current.trend.buckets.map((b) => [b.start, b.created, b.resolved]),
    };
  }
  if (chart === 'satisfaction') {
    return {
      header: [L.rating, L.current, L.previous],
      rows: [1, 2, 3, 4, 5].map((v, i) => [
        v,
        r.current.satisfaction.distribution[i],
        r.previous.satisfaction.distribution[i],
      ]),
    };
  }
  return {
    header: [L.key, L.label, L.current, L.previous],
    rows: r.labels[chart].map((x) => [x.key ?? '', x.label, x.count, x.previous]),
  };
}

export const CHARTS: ChartKey[] = [
  'trend',
  'byTypology',
  'byCategory',
  'byPriority',
  'bySite',
  'topAssets',
  'topProblems',
  'satisfaction',
  'interventions',
];

function chartTitle(L: Labels, chart: ChartKey): string {
  return L.charts[chart];
}

export function reportTitle(r: TIncidentReport): string {
  const L = LABELS[r.locale];
  return `${L.title} — ${r.orgName} — ${L.from} ${formatDay(r.firstDay, r.locale)} ${L.to} ${formatDay(r.lastDay, r.locale)}`;
}

/** The whole report as one CSV: the summary, then each chart's table under its title. */
export function reportCsv(r: TIncidentReport, dialect: CsvDialect): string {
  const L = LABELS[r.locale];
  const csv = csvWriter(dialect);
  let out = csv.preamble + csv.row([reportTitle(r)]);
  out += csv.row([L.section, L.figure, L.current, L.previous]);
  for (const [label, cur, prev] of summaryRows(r)) out += csv.row([L.summary, label, cur, prev]);
  for (const chart of CHARTS) {
    const t = chartTable(r, chart);
    out += csv.row([]);
    out += csv.row([chartTitle(L, chart), ...t.header]);
    for (const row of t.rows) out += csv.row([chartTitle(L, chart), ...row]);
  }
  return out;
}

/** One chart's data as CSV. */
export function chartCsv(r: TIncidentReport, chart: ChartKey, dialect: CsvDialect): string {
  const csv = csvWriter(dialect);
  const t = chartTable(r, chart);
  return csv.preamble + csv.row(t.header) + t.rows.map((row) => csv.row(row)).join('');
}

/** The report as a workbook: a summary sheet, then one sheet per chart. */
export async function reportXlsx(r: TIncidentReport): Promise<Buffer> {
  const L = LABELS[r.locale];
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Parc';
  workbook.created = new Date(r.generatedAt);
  const summary = workbook.addWorksheet(L.summary.slice(0, 31));
  summary.addRow([reportTitle(r)]).font = { bold: true, size: 13 };
  summary.addRow([]);
  const head = summary.addRow([L.figure, L.current, L.previous]);
  head.font = { bold: true };
  for (const row of summaryRows(r)) summary.addRow(row);
  summary.getColumn(1).width = 58;
  summary.getColumn(2).width = 14;
  summary.getColumn(3).width = 18;
  for (const chart of CHARTS) {
    const t = chartTable(r, chart);
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    const sheet: ExcelJS.Worksheet = workbook.addWorksheet(
      chartTitle(L, chart)
        .replace(/[:\\/?*[\]]/g, ' ')
        .slice(0, 31),
    );
    sheet.addRow(t.header).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((c, i) => {
      c.width = i === (chart === 'trend' || chart === 'satisfaction' ? 0 : 1) ? 40 : 16;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
