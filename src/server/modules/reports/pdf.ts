import type { TIncidentReport } from '../../../shared/schemas/reports.js';
import { chartTable, reportTitle, summaryRows } from './export.service.js';
import { formatDay, formatNumber, LABELS } from './labels.js';

type Doc = PDFKit.PDFDocument;
type Bar = { label: string; value: number; previous: number };

const BLUE = '#1a4f8b';
const GREY = '#9aa5b1';
const GREEN = '#2f9e44';
const TEXT = '#222222';
const MARGIN = 48;

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 40);
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(13).fillColor(BLUE).text(text, MARGIN);
  doc.moveDown(0.3);
}

/** Horizontal bars (this period dark, the previous one a thin grey bar under it), numbers beside. */
function barChart(doc: Doc, bars: Bar[], lang: 'fr' | 'en'): void {
  const rows = bars.slice(0, 12);
  const rowHeight = 18;
  ensureRoom(doc, rows.length * rowHeight + 10);
  const top = doc.y;
  const labelWidth = 150;
  const chartX = MARGIN + labelWidth + 6;
  const chartWidth = 230;
  const max = Math.max(1, ...rows.flatMap((r) => [r.value, r.previous]));
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    doc.font('Helvetica').fontSize(9).fillColor(TEXT);
    doc.text(r.label, MARGIN, y + 2, {
      width: labelWidth,
      height: rowHeight,
      ellipsis: true,
      lineBreak: false,
    });
    doc.rect(chartX, y + 1, (chartWidth * r.value) / max, 10).fill(BLUE);
    doc.rect(chartX, y + 12, (chartWidth * r.previous) / max, 3).fill(GREY);
    doc
      .fillColor(TEXT)
      .text(formatNumber(r.value, lang), chartX + chartWidth + 10, y + 2, { width: 50, lineBreak: false });
    doc.fillColor('#666').text(formatNumber(r.previous, lang), chartX + chartWidth + 65, y + 2, {
      width: 60,
      lineBreak: false,
    });
  });
  doc.x = MARGIN;
  doc.y = top + rows.length * rowHeight + 6;
}

/** Created and resolved per bucket as two lines over the period, with the totals beside. */
function lineChart(doc: Doc, r: TIncidentReport): void {
  const L = LABELS[r.locale];
  const buckets = r.current.trend.buckets;
  const height = 140;
  const width = 340;
  ensureRoom(doc, height + 40);
  const top = doc.y + 4;
  const left = MARGIN + 24;
  const max = Math.max(1, ...buckets.flatMap((b) => [b.created, b.resolved]));
  doc.lineWidth(0.5).strokeColor('#cccccc');
  for (let g = 0; g <= 4; g++) {
    const y = top + height - (height * g) / 4;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .stroke();
    doc
      .font('Helvetica')
      .fontSize(7)
      .fillColor('#666')
      .text(formatNumber(Math.round((max * g) / 4), r.locale), MARGIN, y - 3, {
        width: 20,
        align: 'right',
        lineBreak: false,
      });
  }
  const step = buckets.length > 1 ? width / (buckets.length - 1) : 0;
  const point = (i: number, v: number): [number, number] => [
    left + i * step,
    top + height - (height * v) / max,
  ];
  for (const [key, color] of [
    ['created', BLUE],
    ['resolved', GREEN],
  ] as const) {
    doc.lineWidth(1.5).strokeColor(color);
    buckets.forEach((b, i) => {
      const [x, y] = point(i, b[key]);
      if (i === 0) doc.moveTo(x, y);
      else doc.lineTo(x, y);
    });
    if (buckets.length > 0) doc.stroke();
    if (buckets.length === 1) {
      const [x, y] = point(0, buckets[0]![key]);
      doc.circle(x, y, 2).fill(color);
    }
  }
  doc.font('Helvetica').fontSize(7).fillColor('#666');
  if (buckets.length > 0) {
    const day = (iso: string) => formatDay(iso.slice(0, 10), r.locale);
    doc.text(day(buckets[0]!.start), left, top + height + 4, { lineBreak: false });
    doc.text(day(buckets[buckets.length - 1]!.start), left + width - 80, top + height + 4, {
      width: 80,
      align: 'right',
      lineBreak: false,
    });
  }
  // The numbers beside the chart: totals and legend.
  const sideX = left + width + 20;
  doc.rect(sideX, top + 4, 10, 3).fill(BLUE);
  doc
    .fontSize(9)
    .fillColor(TEXT)
    .text(
      `${L.createdShort}${r.locale === 'fr' ? ' : ' : ': '}${formatNumber(r.current.created, r.locale)}`,
      sideX + 14,
      top,
      { lineBreak: false },
    );
  doc.rect(sideX, top + 22, 10, 3).fill(GREEN);
  doc
    .fillColor(TEXT)
    .text(
      `${L.resolvedShort}${r.locale === 'fr' ? ' : ' : ': '}${formatNumber(r.current.resolved, r.locale)}`,
      sideX + 14,
      top + 18,
      {
        lineBreak: false,
      },
    );
  doc.x = MARGIN;
  doc.y = top + height + 20;
}

/** The summary table: figure, this period, the previous one. */
function summaryTable(doc: Doc, r: TIncidentReport): void {
  const L = LABELS[r.locale];
  const col = [MARGIN, MARGIN + 330, MARGIN + 410];
  doc.font('Helvetica-Bold').fontSize(9).fillColor(TEXT);
  const head = doc.y;
  doc.text(L.figure, col[0]!, head, { lineBreak: false });
  doc.text(L.current, col[1]!, head, { width: 70, align: 'right', lineBreak: false });
  doc.text(L.previous, col[2]!, head, { width: 90, align: 'right', lineBreak: false });
  let y = head + 14;
  doc.font('Helvetica');
  for (const [label, cur, prev] of summaryRows(r)) {
    ensureRoom(doc, 14);
    if (doc.y < y) doc.y = y;
    y = doc.y;
    doc.fillColor(TEXT).text(label, col[0]!, y, { width: 320, lineBreak: false, ellipsis: true });
    doc.text(formatNumber(cur, r.locale), col[1]!, y, { width: 70, align: 'right', lineBreak: false });
    doc
      .fillColor('#666')
      .text(formatNumber(prev, r.locale), col[2]!, y, { width: 90, align: 'right', lineBreak: false });
    y += 13;
    doc.y = y;
  }
  doc.x = MARGIN;
}

/** The incident report as an A4 PDF: the summary, then each chart drawn as vectors with its numbers. */
export async function reportPdf(r: TIncidentReport): Promise<Buffer> {
  const L = LABELS[r.locale];
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: reportTitle(r), Creator: 'Parc', Author: r.orgName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Helvetica').fontSize(10).fillColor('#666').text(r.orgName);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#111').text(L.title);
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor(TEXT)
    .text(
      `${L.period[r.period]} ${L.from} ${formatDay(r.firstDay, r.locale)} ${L.to} ${formatDay(r.lastDay, r.locale)}`,
    );
  doc
    .fontSize(8)
    .fillColor('#666')
    .text(`${L.generated} ${formatDay(r.generatedAt.slice(0, 10), r.locale)}`);
  heading(doc, L.charts.trend);
  lineChart(doc, r);
  heading(doc, L.summary);
  summaryTable(doc, r);
  const bars = (key: 'byTypology' | 'byCategory' | 'byPriority' | 'bySite' | 'topAssets' | 'topProblems') =>
    r.labels[key].map((x) => ({ label: x.label, value: x.count, previous: x.previous }));
  for (const key of [
    'byTypology',
    'byPriority',
    'byCategory',
    'bySite',
    'topAssets',
    'topProblems',
  ] as const) {
    heading(doc, L.charts[key]);
    const data = bars(key);
    if (data.length === 0) doc.font('Helvetica').fontSize(9).fillColor('#666').text(L.noData);
    else barChart(doc, data, r.locale);
  }
  heading(doc, L.charts.satisfaction);
  const sat = chartTable(r, 'satisfaction').rows.map((row) => ({
    label: `${L.rating} ${row[0]}`,
    value: Number(row[1]),
    previous: Number(row[2]),
  }));
  barChart(doc, sat, r.locale);
  if (r.interventions) {
    heading(doc, L.charts.interventions);
    const data = r.labels.interventions.map((x) => ({
      label: x.label,
      value: x.count,
      previous: x.previous,
    }));
    if (data.length === 0) doc.font('Helvetica').fontSize(9).fillColor('#666').text(L.noData);
    else barChart(doc, data, r.locale);
  }
  doc.end();
  return done;
}
