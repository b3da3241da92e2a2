import type { TInterventionNote } from '../../../../shared/schemas/channels.js';
import { type Ctx, systemPrincipal } from '../../../context.js';
import { fromJson } from '../../../db/values.js';
import { AppError } from '../../../http/errors.js';
import { getOrganisation, userDisplayNames } from '../../orgs/index.js';
import type { TicketTable } from '../helpdesk.tables.js';
import * as tickets from '../tickets.repo.js';
import { getTicket } from '../tickets.service.js';

type Lang = 'fr' | 'en';

const LABELS = {
  fr: {
    title: 'Note d’intervention',
    request: 'Demande',
    requester: 'Demandeur',
    technician: 'Technicien',
    resolvedAt: 'Résolue le',
    cause: 'Ce qui n’allait pas',
    action: 'Ce que nous avons fait',
    impact: 'Ce qui change pour vous',
    advice: 'Nos conseils',
  },
  en: {
    title: 'Intervention note',
    request: 'Request',
    requester: 'Requester',
    technician: 'Technician',
    resolvedAt: 'Resolved on',
    cause: 'What was wrong',
    action: 'What we did',
    impact: 'What changes for you',
    advice: 'Our advice',
  },
} as const;

export type NoteDocument = {
  lang: Lang;
  orgName: string;
  reference: string;
  title: string;
  requesterName: string | null;
  technicianName: string | null;
  resolvedAt: string | null;
  note: TInterventionNote;
};

export function formatDate(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** The note as an A4 PDF the requester can keep: what was wrong, what was done, what changes, advice. */
export async function interventionNotePdf(d: NoteDocument): Promise<Buffer> {
  const L = LABELS[d.lang];
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `${L.title} ${d.reference}`, Creator: 'Parc', Author: d.orgName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Helvetica').fontSize(10).fillColor('#666').text(d.orgName);
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(20).fillColor('#111').text(`${L.title} — ${d.reference}`);
  doc.moveDown(0.5);
  const meta: Array<[string, string | null]> = [
    [L.request, d.title],
    [L.requester, d.requesterName],
    [L.technician, d.technicianName],
    [L.resolvedAt, d.resolvedAt],
  ];
  for (const [label, value] of meta) {
    if (!value) continue;
    const colon = d.lang === 'fr' ? ' : ' : ': ';
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#333').text(`${label}${colon}`, { continued: true });
    doc.font('Helvetica').text(value);
  }
  doc.moveDown(1);
  for (const field of ['cause', 'action', 'impact', 'advice'] as const) {
    const text = d.note[field].trim();
    if (!text) continue;
    doc.font('Helvetica-Bold').fontSize(13).fillColor('#1a4f8b').text(L[field]);
    doc.moveDown(0.2);
    doc.font('Helvetica').fontSize(11).fillColor('#222').text(text, { align: 'left' });
    doc.moveDown(0.8);
  }
  doc.end();
  return done;
}

/** The note of a resolved ticket as a PDF, or null when the technician wrote none. */
export async function noteDocumentOf(ctx: Ctx, row: TicketTable, lang: Lang): Promise<NoteDocument | null> {
  const note = fromJson<TInterventionNote | null>((row.intervention_note ?? null) as string);
  if (!note) return null;
  const org = await getOrganisation({ ...ctx, actor: systemPrincipal('helpdesk') }, row.org_id);
  const ids = [row.requester_id, row.assignee_id].filter((v): v is string => !!v);
  const names = await userDisplayNames(ctx, ids);
  return {
    lang,
    orgName: org.name,
    reference: row.reference,
    title: row.title,
    requesterName: row.requester_id ? (names.get(row.requester_id) ?? null) : null,
    technicianName: row.assignee_id ? (names.get(row.assignee_id) ?? null) : null,
    resolvedAt: row.resolved_at ? formatDate(row.resolved_at, lang, org.timeZone) : null,
    note,
  };
}

/** GET /tickets/:id/intervention-note.pdf: the requester or staff of the ticket; 404 without a note. */
export async function interventionNoteOfTicket(
  ctx: Ctx,
  ticketId: string,
  lang: Lang,
): Promise<{ filename: string; content: Buffer }> {
  await getTicket(ctx, ticketId);
  const row = (await tickets.findTicket(ctx, ticketId))!;
  const doc = await noteDocumentOf(ctx, row, lang);
  if (!doc) throw new AppError('intervention_note.not_found', 404);
  return {
    filename: `${lang === 'fr' ? 'note-intervention' : 'intervention-note'}-${row.reference}.pdf`,
    content: await interventionNotePdf(doc),
  };
}
