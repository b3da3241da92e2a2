import type { TWorkOrderDetail, WorkOrderKind } from '../../../shared/schemas/workorders.js';
import { type Ctx, systemPrincipal } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { getAsset } from '../assets/index.js';
import { getOrganisation, userDisplayNames } from '../orgs/index.js';
import { visibleWorkOrder } from './access.js';
import { detailOf } from './workorders.service.js';

type Lang = 'fr' | 'en';

export const KINDS: Record<Lang, Record<WorkOrderKind, string>> = {
  fr: {
    new_workstation: 'Poste de travail (nouvel arrivant)',
    peripheral: 'Périphérique',
    network_equipment: 'Équipement réseau',
    software_deployment: 'Déploiement de logiciel',
    replacement: 'Remplacement',
    removal: 'Retrait',
  },
  en: {
    new_workstation: 'New workstation (new arrival)',
    peripheral: 'Peripheral',
    network_equipment: 'Network equipment',
    software_deployment: 'Software deployment',
    replacement: 'Replacement',
    removal: 'Removal',
  },
};

const LABELS = {
  fr: {
    title: 'Rapport d’intervention',
    kind: 'Type',
    location: 'Lieu',
    technician: 'Technicien',
    completedAt: 'Terminée le',
    users: 'Utilisateurs concernés',
    installed: 'Matériel installé',
    serials: 'n° de série',
    configuration: 'Configuration appliquée',
    hostname: 'Nom d’hôte',
    ipAddress: 'Adresse IP',
    vlan: 'VLAN',
    switchPort: 'Port du commutateur',
    wifiSsid: 'SSID Wi-Fi',
    tests: 'Tests de validation',
    passed: 'réussi',
    failed: 'échoué',
    unavailable: 'indisponible',
    notRun: 'non exécuté',
    checklist: 'Liste de contrôle',
    checked: 'point(s) vérifié(s) sur',
    note: 'Remarques',
    none: 'aucun',
  },
  en: {
    title: 'Intervention report',
    kind: 'Kind',
    location: 'Location',
    technician: 'Technician',
    completedAt: 'Completed on',
    users: 'Users concerned',
    installed: 'Installed',
    serials: 'serial',
    configuration: 'Configuration applied',
    hostname: 'Hostname',
    ipAddress: 'IP address',
    vlan: 'VLAN',
    switchPort: 'Switch port',
    wifiSsid: 'Wi-Fi SSID',
    tests: 'Validation tests',
    passed: 'passed',
    failed: 'failed',
    unavailable: 'unavailable',
    notRun: 'not run',
    checklist: 'Checklist',
    checked: 'item(s) checked of',
    note: 'Notes',
    none: 'none',
  },
} as const;

export type ReportDocument = {
  lang: Lang;
  orgName: string;
  timeZone: string;
  wo: TWorkOrderDetail;
  userNames: string[];
  /** Per item, the serial numbers (or names) of its units. */
  units: Map<string, string[]>;
};

const when = (iso: string, lang: Lang, timeZone: string) =>
  new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));

/** The intervention report as an A4 PDF: what was installed, tests, configuration, who and when. */
export async function workOrderReportPdf(d: ReportDocument): Promise<Buffer> {
  const L = LABELS[d.lang];
  const colon = d.lang === 'fr' ? ' : ' : ': ';
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `${L.title} ${d.wo.reference}`, Creator: 'Parc', Author: d.orgName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const heading = (text: string) => {
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(13).fillColor('#1a4f8b').text(text);
    doc.moveDown(0.2);
  };
  const line = (label: string, value: string) => {
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#333').text(`${label}${colon}`, { continued: true });
    doc.font('Helvetica').text(value);
  };
  const wo = d.wo;
  doc.font('Helvetica').fontSize(10).fillColor('#666').text(d.orgName);
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(20).fillColor('#111').text(`${L.title} — ${wo.reference}`);
  doc.font('Helvetica').fontSize(13).fillColor('#222').text(wo.title);
  doc.moveDown(0.5);
  line(L.kind, KINDS[d.lang][wo.kind]);
  line(L.location, wo.locationName);
  if (wo.technicianName) line(L.technician, wo.technicianName);
  if (wo.completedAt) line(L.completedAt, when(wo.completedAt, d.lang, d.timeZone));
  if (d.userNames.length > 0) line(L.users, d.userNames.join(', '));

  heading(L.installed);
  if (wo.items.length === 0) doc.font('Helvetica').fontSize(11).text(L.none);
  for (const item of wo.items) {
    const units = d.units.get(item.id) ?? [];
    doc
      .font('Helvetica')
      .fontSize(11)
      .fillColor('#222')
      .text(
        `• ${item.label} × ${item.quantity}${units.length ? ` (${L.serials}${colon}${units.join(', ')})` : ''}`,
      );
  }

  const c = wo.configuration;
  if (c) {
    heading(L.configuration);
    for (const key of ['hostname', 'ipAddress', 'vlan', 'switchPort', 'wifiSsid'] as const)
      if (c[key] !== null && c[key] !== '') line(L[key], String(c[key]));
  }

  heading(L.tests);
  if (wo.tests.length === 0) doc.font('Helvetica').fontSize(11).text(L.none);
  for (const t of wo.tests) {
    const r = t.lastRun;
    const outcome = r ? L[r.outcome] : L.notRun;
    const color = r?.outcome === 'passed' ? '#1b7a3a' : r ? '#b42318' : '#666';
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor(color)
      .text(`${outcome.toUpperCase()}  `, { continued: true });
    doc
      .font('Helvetica')
      .fillColor('#222')
      .text(`${t.label}${r ? ` — ${r.detail} (${r.durationMs} ms, ${when(r.at, d.lang, d.timeZone)})` : ''}`);
  }

  heading(L.checklist);
  const checked = wo.checklist.filter((x) => x.done).length;
  doc.font('Helvetica').fontSize(11).fillColor('#222').text(`${checked} ${L.checked} ${wo.checklist.length}`);

  if (wo.outcomeNote.trim()) {
    heading(L.note);
    doc.font('Helvetica').fontSize(11).fillColor('#222').text(wo.outcomeNote);
  }
  doc.end();
  return done;
}

/** GET /work-orders/:id/report.pdf: a completed work order's report in the caller's language. */
export async function workOrderReport(
  ctx: Ctx,
  id: string,
  lang: Lang,
): Promise<{ filename: string; content: Buffer }> {
  const row = await visibleWorkOrder(ctx, id);
  if (row.status !== 'done') throw new AppError('work_order.not_done', 409, { status: row.status });
  const wo = await detailOf(ctx, row);
  const org = await getOrganisation({ ...ctx, actor: systemPrincipal('workorders') }, row.org_id);
  const names = await userDisplayNames(ctx, wo.affectedUserIds);
  const units = new Map<string, string[]>();
  for (const item of wo.items) {
    const list: string[] = [];
    for (const assetId of item.assetIds) {
      const a = await getAsset(ctx, assetId).catch(() => undefined);
      if (a) list.push(a.serial ?? a.assetTag ?? a.name);
    }
    units.set(item.id, list);
  }
  return {
    filename: `${lang === 'fr' ? 'rapport-intervention' : 'intervention-report'}-${wo.reference}.pdf`,
    content: await workOrderReportPdf({
      lang,
      orgName: org.name,
      timeZone: org.timeZone,
      wo,
      userNames: wo.affectedUserIds.map((u) => names.get(u) ?? u),
      units,
    }),
  };
}
