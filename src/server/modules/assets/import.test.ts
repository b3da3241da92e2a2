import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult } from '../../../shared/schemas/assets.js';
import type { Ctx } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';
import { loadPrincipal } from '../orgs/index.js';
import { listAssets } from './assets.service.js';
import { createAssetType } from './catalogue.service.js';
import { parseSpreadsheet, suggestMapping } from './import.parse.js';
import { previewImport, runImport } from './import.service.js';
import { createLocation } from './locations.service.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let requester: Session;
/** The technician of organisation A, as the services see them. */
let techCtx: Ctx;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  requester = await login(t.app, w.requesterA.email);
  const actor = await loadPrincipal(t.ctx, w.techA.id, {
    kind: 'session',
    sessionId: 'test',
    csrfToken: 'test',
    mustChangePassword: false,
    totpEnabled: false,
  });
  techCtx = { ...t.ctx, actor: actor! };
  const place = (parentId: string | null, kind: 'site' | 'building' | 'room', name: string) =>
    createLocation(t.ctx, {
      orgId: w.orgA.id,
      parentId,
      kind,
      name,
      address: null,
      latitude: null,
      longitude: null,
      rackUnits: null,
    });
  const site = await place(null, 'site', 'Siège');
  const building = await place(site.id, 'building', 'Bâtiment A');
  await place(building.id, 'room', 'Salle 12');
  await createAssetType(t.ctx, {
    orgId: w.orgA.id,
    code: 'thin_client',
    category: 'computer',
    name: { fr: 'Client léger', en: 'Thin client' },
    customFields: [{ key: 'ram_gb', label: 'Mémoire (Go)', type: 'number', required: false }],
  });
});
afterAll(() => t.close());

function post(s: Session, url: string, file: Buffer, contentType = CSV) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...s.headers, 'content-type': contentType },
    payload: file,
  });
}

async function assetsBySerial(prefix: string) {
  const page = await listAssets(techCtx, {
    orgId: w.orgA.id,
    q: prefix,
    sort: 'name',
    order: 'asc',
    limit: 200,
  });
  return page.items
    .filter((a) => a.serial?.startsWith(prefix))
    .sort((a, b) => a.serial!.localeCompare(b.serial!));
}

async function historyCount(assetId: string): Promise<number> {
  const row = await t.ctx.db
    .selectFrom('asset_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('asset_id', '=', assetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditCount(): Promise<number> {
  const row = await t.ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('reading import files', () => {
  it('reads a UTF-8 CSV with commas, keeping the file line numbers across blank and multi-line rows', async () => {
    const sheet = await parseSpreadsheet(fixture('assets-utf8.csv'));
    expect(sheet).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    expect(sheet.columns[0]).toBe('Name');
    expect(sheet.rows.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(sheet.rows[2]!.values).toMatchObject({ Name: 'Écran 27', Notes: 'sur deux\nlignes' });
  });

  it('reads a French Excel CSV: Windows-1252 accents and semicolons', async () => {
    const sheet = await parseSpreadsheet(fixture('assets-fr-1252.csv'));
    expect(sheet).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(sheet.columns).toContain('N° de série');
    expect(sheet.rows[0]!.values).toMatchObject({
      Nom: 'Écran accueil',
      Emplacement: 'Bâtiment A / Salle 12',
    });
  });

  it('reads the typographic characters of Windows-1252 (’ € œ), which Node’s own decoder turns into control codes', async () => {
    const body = Buffer.concat([
      Buffer.from('Nom;Notes\r\n', 'latin1'),
      Buffer.from([0x50, 0x6f, 0x73, 0x74, 0x65, 0x20, 0x64, 0x92, 0x61, 0x63, 0x63, 0x75, 0x65, 0x69, 0x6c]), // Poste d’accueil
      Buffer.from(';', 'latin1'),
      Buffer.from([0x31, 0x32, 0x30, 0x20, 0x80, 0x2c, 0x20, 0x9c, 0x75, 0x76, 0x72, 0x65]), // 120 €, œuvre
      Buffer.from('\r\n', 'latin1'),
    ]);
    const sheet = await parseSpreadsheet(body);
    expect(sheet.encoding).toBe('windows-1252');
    expect(sheet.rows[0]!.values).toEqual({ Nom: 'Poste d’accueil', Notes: '120 €, œuvre' });
  });

  it('suggests a mapping from French and English header names', () => {
    expect(
      suggestMapping(
        [
          'Nom',
          'N° de série',
          'Numéro d’inventaire',
          'Statut',
          'Emplacement',
          'Utilisateur',
          'Fin de garantie',
          'RAM',
        ],
        [{ key: 'ram_gb', label: 'RAM' }],
      ),
    ).toEqual({
      Nom: 'name',
      'N° de série': 'serial',
      'Numéro d’inventaire': 'assetTag',
      Statut: 'status',
      Emplacement: 'location',
      Utilisateur: 'assignee',
      'Fin de garantie': 'warrantyEnd',
      RAM: 'custom.ram_gb',
    });
    expect(suggestMapping(['Serial', 'Name', 'Type', 'Garantie'])).toEqual({
      Serial: 'serial',
      Name: 'name',
      Type: 'type',
      Garantie: 'warrantyEnd',
    });
  });

  it('refuses binary files and encodings it cannot tell, naming the problem', async () => {
    const binary = Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x00, 0x9d, 0x81]);
    const utf16NoBom = Buffer.from('Name,Serial\nPC,1\n', 'utf16le');
    for (const file of [binary, utf16NoBom]) {
      await expect(parseSpreadsheet(file)).rejects.toMatchObject({
        code: 'import.unknown_encoding',
        status: 400,
      });
    }
    const res = await post(tech, `/assets/import?orgId=${w.orgA.id}`, binary, 'application/octet-stream');
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ code: 'import.unknown_encoding' });
  });

  it('refuses a header row that is missing, blank or repeated', async () => {
    await expect(parseSpreadsheet(Buffer.from('Name,Serial,Name\nA,1,B\n'))).rejects.toMatchObject({
      code: 'import.bad_header',
      fieldErrors: [{ path: 'columns.2', code: 'duplicate' }],
    });
    await expect(parseSpreadsheet(Buffer.from('Name,,Type\nA,1,desktop\n'))).rejects.toBeInstanceOf(AppError);
    // A file whose first line is data: no column is recognised.
    const res = await post(tech, `/assets/import?orgId=${w.orgA.id}`, Buffer.from('PC-01,SN-9,desktop\n'));
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ code: 'import.bad_header' });
    const dup = await post(tech, `/assets/import/preview?orgId=${w.orgA.id}`, Buffer.from('Nom;Nom\na;b\n'));
    expect(dup.statusCode).toBe(400);
    expect(json(dup)).toMatchObject({ code: 'import.bad_header', errors: [{ path: 'columns.1' }] });
  });
});

describe('importing assets', () => {
  it('previews columns, suggested mapping and first rows over HTTP', async () => {
    const res = await post(tech, `/assets/import/preview?orgId=${w.orgA.id}`, fixture('assets-fr-1252.csv'));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({
      rowCount: 2,
      encoding: 'windows-1252',
      delimiter: ';',
      suggestedMapping: { Nom: 'name', 'N° de série': 'serial', 'Mémoire (Go)': 'custom.ram_gb' },
      sample: [{ line: 2, values: { Nom: 'Écran accueil' } }, { line: 3 }],
    });
  });

  it('imports a UTF-8 CSV, and importing it again changes nothing', async () => {
    const file = fixture('assets-utf8.csv');
    const dry = await runImport(techCtx, { orgId: w.orgA.id, file, dryRun: true });
    expect(dry).toEqual({ dryRun: true, created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(await assetsBySerial('SN-U-')).toHaveLength(0);

    const first = await runImport(techCtx, { orgId: w.orgA.id, file, dryRun: false });
    expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0, errors: [] });
    const assets = await assetsBySerial('SN-U-');
    expect(assets.map((a) => [a.name, a.status, a.warrantyEnd])).toEqual([
      ['PC-COMPTA-01', 'in_stock', '2027-01-15'],
      ['Laptop Marie', 'deployed', null],
      ['Écran 27', 'in_stock', null],
    ]);
    expect(assets[0]!.locationId).toBe(assets[1]!.locationId);
    expect(assets[0]!.notes).toBe('Poste, compta');

    const histories = await Promise.all(assets.map((a) => historyCount(a.id)));
    const audits = await auditCount();
    const again = await runImport(techCtx, { orgId: w.orgA.id, file, dryRun: false });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, errors: [] });
    const after = await assetsBySerial('SN-U-');
    expect(after.map((a) => a.version)).toEqual(assets.map((a) => a.version));
    expect(await Promise.all(after.map((a) => historyCount(a.id)))).toEqual(histories);
    expect(await auditCount()).toBe(audits);

    // One changed cell updates that asset only, matched on its serial.
    const changed = Buffer.from(file.toString('utf8').replace('"Poste, compta"', 'Compta'));
    const update = await runImport(techCtx, { orgId: w.orgA.id, file: changed, dryRun: false });
    expect(update).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const pc = (await assetsBySerial('SN-U-001'))[0]!;
    expect(pc).toMatchObject({ notes: 'Compta', version: assets[0]!.version + 1 });
  });

  it('imports a French Windows-1252 CSV with French dates, labels and decimal commas', async () => {
    const res = await post(tech, `/assets/import?orgId=${w.orgA.id}`, fixture('assets-fr-1252.csv'));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ dryRun: false, created: 2, errors: [] });
    const [screen, desktop] = await assetsBySerial('FR-');
    expect(screen).toMatchObject({
      name: 'Écran accueil',
      status: 'in_stock',
      purchaseDate: '2024-03-15',
      warrantyEnd: '2027-03-15',
    });
    expect(desktop).toMatchObject({ name: 'Poste Hélène', status: 'deployed', custom: { ram_gb: 16.5 } });
  });

  it('imports an XLSX workbook with date and number cells and an assignee by e-mail', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Parc');
    sheet.addRow(['Nom', 'Numéro de série', 'Type', 'Utilisateur', 'Fin de garantie', 'RAM (custom.ram_gb)']);
    sheet.addRow(['TC-01', 'XL-001', 'thin_client', w.techA.email, new Date(Date.UTC(2028, 5, 30)), 8]);
    sheet.addRow(['TC-02', 'XL-002', 'Thin client', '', '30/06/2029', 4.5]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const mapping = encodeURIComponent(
      JSON.stringify({
        Nom: 'name',
        'Numéro de série': 'serial',
        Type: 'type',
        Utilisateur: 'assignee',
        'Fin de garantie': 'warrantyEnd',
        'RAM (custom.ram_gb)': 'custom.ram_gb',
      }),
    );
    const res = await post(tech, `/assets/import?orgId=${w.orgA.id}&mapping=${mapping}`, file, XLSX);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ created: 2, errors: [] });
    const [one, two] = await assetsBySerial('XL-');
    expect(one).toMatchObject({
      assignedUserId: w.techA.id,
      warrantyEnd: '2028-06-30',
      custom: { ram_gb: 8 },
    });
    expect(two).toMatchObject({ assignedUserId: null, warrantyEnd: '2029-06-30', custom: { ram_gb: 4.5 } });
  });

  it('a dry run lists every bad row with its line and reason, and writes nothing', async () => {
    const res = await post(
      tech,
      `/assets/import?orgId=${w.orgA.id}&dryRun=true`,
      fixture('assets-bad-rows.csv'),
    );
    expect(res.statusCode).toBe(422);
    const body = json<TImportResult>(res);
    expect(body.dryRun).toBe(true);
    expect(body.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [3, 'purchaseDate', 'bad_date'],
      [4, 'type', 'not_found'],
      [5, 'serial', 'duplicate_in_file'],
    ]);
    expect(body.errors[2]!.message).toContain('2');
    expect(await assetsBySerial('BAD-')).toHaveLength(0);
  });

  it('is all or nothing: one bad row and no row is written', async () => {
    const audits = await auditCount();
    const file = Buffer.from(
      'Name,Serial,Type,Location\nOK 1,AON-1,desktop,Salle 12\nOK 2,AON-2,desktop,\nBad,AON-3,desktop,Nowhere\n',
    );
    const result = await runImport(techCtx, { orgId: w.orgA.id, file, dryRun: false, locale: 'en' });
    expect(result.errors).toEqual([{ line: 4, field: 'location', code: 'not_found', message: 'Not found' }]);
    expect(result).toMatchObject({ created: 2 });
    expect(await assetsBySerial('AON-')).toHaveLength(0);
    expect(await auditCount()).toBe(audits);
  });

  it('reports a serial already used by another asset of the organisation with its name', async () => {
    // Matched on its serial to "Laptop Marie", the row would take the tag of "PC-COMPTA-01".
    const file = Buffer.from('Name,Serial,Asset tag\nClash,SN-U-002,INV-U-001\n');
    const result = await runImport(techCtx, { orgId: w.orgA.id, file, dryRun: true, locale: 'en' });
    expect(result.errors).toEqual([
      {
        line: 2,
        field: 'assetTag',
        code: 'duplicate_asset',
        message: 'Already used by the asset "PC-COMPTA-01"',
      },
    ]);
  });

  it('answers 404 for an organisation the caller cannot see and 403 to a requester', async () => {
    const file = fixture('assets-utf8.csv');
    const other = await post(tech, `/assets/import?orgId=${w.orgB.id}`, file);
    expect(other.statusCode).toBe(404);
    const otherPreview = await post(tech, `/assets/import/preview?orgId=${w.orgB.id}`, file);
    expect(otherPreview.statusCode).toBe(404);
    const denied = await post(requester, `/assets/import?orgId=${w.orgA.id}`, file);
    expect(denied.statusCode).toBe(403);
    await expect(previewImport({ ...techCtx }, { orgId: w.orgB.id, file })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses a mapping naming a column the file does not have', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ Nom: 'name', Ghost: 'serial' }));
    const res = await post(
      tech,
      `/assets/import?orgId=${w.orgA.id}&mapping=${mapping}`,
      Buffer.from('Nom\nA\n'),
    );
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ code: 'validation.failed', errors: [{ path: 'mapping.Ghost' }] });
  });
});
