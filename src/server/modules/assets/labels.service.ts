import QRCode from 'qrcode';
import { can } from '../../../shared/policy.js';
import { type Ctx, requireActor } from '../../context.js';
import { AppError, notFound } from '../../http/errors.js';
import * as repo from './assets.repo.js';

/** A4 sheet of 3 x 7 labels of 63.5 x 38.1 mm (the common "L7160" stock), in PDF points. */
const MM = 72 / 25.4;
export const SHEET = {
  columns: 3,
  rows: 7,
  width: 63.5 * MM,
  height: 38.1 * MM,
  left: 7.2 * MM,
  top: 15.1 * MM,
  gap: 2.5 * MM,
};
export const MAX_LABELS = 1000;

/**
 * A printable sheet of asset labels: each carries a QR code that opens the asset's page in Parc,
 * its name, asset tag and serial number. Assets the caller cannot see answer 404 as a whole.
 */
export async function assetLabelsPdf(ctx: Ctx, ids: string[], baseUrl: string): Promise<Buffer> {
  const actor = requireActor(ctx);
  const unique = [...new Set(ids)];
  if (unique.length > MAX_LABELS)
    throw new AppError('validation.failed', 400, {}, {}, [{ path: 'ids', code: 'too_big' }]);
  const assets = [];
  for (const id of unique) {
    const row = await repo.findAsset(ctx, id);
    if (!row || !can(actor, 'asset.read', { orgId: row.org_id })) throw notFound('asset');
    assets.push(row);
  }
  // Loaded on first use, like every heavy library that only one route needs.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: { Title: 'Parc asset labels', Creator: 'Parc' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const perPage = SHEET.columns * SHEET.rows;
  for (const [i, a] of assets.entries()) {
    if (i > 0 && i % perPage === 0) doc.addPage();
    const slot = i % perPage;
    const x = SHEET.left + (slot % SHEET.columns) * (SHEET.width + SHEET.gap);
    const y = SHEET.top + Math.floor(slot / SHEET.columns) * SHEET.height;
    const url = `${baseUrl}/assets/${a.id}`;
    const qr = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
    const size = SHEET.height - 8;
    doc.image(qr, x + 4, y + 4, { width: size, height: size });
    doc.link(x + 4, y + 4, size, size, url);
    const textX = x + size + 8;
    const textWidth = SHEET.width - size - 12;
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(a.name, textX, y + 8, { width: textWidth, height: 24, ellipsis: true });
    doc.font('Helvetica').fontSize(8);
    if (a.asset_tag)
      doc.text(a.asset_tag, textX, y + 34, { width: textWidth, lineBreak: false, ellipsis: true });
    if (a.serial)
      doc.text(`S/N ${a.serial}`, textX, y + 46, { width: textWidth, lineBreak: false, ellipsis: true });
  }
  if (assets.length === 0) doc.font('Helvetica').fontSize(10).text('—', SHEET.left, SHEET.top);
  doc.end();
  return done;
}
