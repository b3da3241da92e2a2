import { CsvError, parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import type { IMPORT_FIELDS, ImportField, TImportMapping } from '../../../shared/schemas/assets.js';
import { foldText } from '../../../shared/text.js';
import { AppError } from '../../http/errors.js';
import { decodeWindows1252 } from '../../text-encoding.js';

export const MAX_IMPORT_ROWS = 50_000;

export type SheetRow = {
  /** The line in the file (header = 1), to name a bad row the way a spreadsheet shows it. */
  line: number;
  values: Record<string, string>;
  /** The row has more non-empty values than the header has columns (a stray separator). */
  overflow?: boolean;
};

export type Spreadsheet = {
  columns: string[];
  rows: SheetRow[];
  encoding: 'utf-8' | 'utf-16' | 'windows-1252' | 'xlsx';
  /** null for XLSX. */
  delimiter: string | null;
};

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const DELIMITERS = [';', ',', '\t'] as const;

function startsWith(buffer: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buffer[i] === b);
}

/** Reads a CSV or XLSX file: the format comes from its bytes, never from its name. */
export async function parseSpreadsheet(buffer: Buffer, _filename?: string): Promise<Spreadsheet> {
  if (startsWith(buffer, ZIP_MAGIC)) return parseXlsx(buffer);
  const { text, encoding } = decodeText(buffer);
  return parseCsv(text, encoding);
}

const unknownEncoding = () => new AppError('import.unknown_encoding', 400);

/**
 * UTF-8 (with or without BOM) when the bytes are valid UTF-8, UTF-16 only with its BOM, otherwise
 * Windows-1252 (what French Excel writes). NUL or control bytes mean a binary file or an encoding we
 * cannot guess (UTF-16 without BOM, an old .xls): refused rather than imported as mojibake.
 */
export function decodeText(buffer: Buffer): { text: string; encoding: Spreadsheet['encoding'] } {
  if (startsWith(buffer, [0xff, 0xfe]) || startsWith(buffer, [0xfe, 0xff])) {
    const le = buffer[0] === 0xff;
    return {
      text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(buffer.subarray(2)),
      encoding: 'utf-16',
    };
  }
  if (buffer.includes(0)) throw unknownEncoding();
  const body = startsWith(buffer, [0xef, 0xbb, 0xbf]) ? buffer.subarray(3) : buffer;
  let text: string;
  let encoding: Spreadsheet['encoding'] = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = decodeWindows1252(body);
    encoding = 'windows-1252';
  }
  if (hasControlCharacters(text)) throw unknownEncoding();
  return { text, encoding };
}

/** C0 controls other than tab, LF, FF and CR, and C1 controls (the bytes Windows-1252 leaves undefined). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || (c >= 0x7f && c <= 0x9f))
      return true;
  }
  return false;
}

/** The separator used most in the header line, outside quotes; a comma when there is none. */
function detectDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const header = end === -1 ? text : text.slice(0, end);
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [d, n] of counts) {
    if (n > bestCount) [best, bestCount] = [d, n];
  }
  return best;
}

type CsvRecord = { record: string[]; raw: string; info: { lines: number } };

function parseCsv(text: string, encoding: Spreadsheet['encoding']): Spreadsheet {
  const delimiter = detectDelimiter(text);
  let records: CsvRecord[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines ?? 0;
      throw new AppError('import.malformed_csv', 400, { line }, { line });
    }
    throw err;
  }
  const first = records[0];
  if (!first || leadingNewlines(first.raw) > 0) throw badHeader([], 'missing');
  const columns = checkHeader(first.record);
  const rows: SheetRow[] = [];
  let previousEnd = first.info.lines;
  for (const { record, raw, info } of records.slice(1)) {
    const line = previousEnd + 1 + leadingNewlines(raw);
    previousEnd = info.lines;
    if (record.every((v) => v.trim() === '')) continue;
    rows.push(toRow(line, columns, record));
    if (rows.length > MAX_IMPORT_ROWS) throw tooManyRows();
  }
  return { columns, rows, encoding, delimiter };
}

/** Empty lines csv-parse skipped before a record, which its raw text starts with. */
function leadingNewlines(raw: string): number {
  return /^(?:\r?\n)*/.exec(raw)![0].replace(/\r/g, '').length;
}

function toRow(line: number, columns: string[], record: string[]): SheetRow {
  const values: Record<string, string> = {};
  columns.forEach((c, i) => {
    values[c] = (record[i] ?? '').trim();
  });
  const overflow = record.slice(columns.length).some((v) => v.trim() !== '');
  return overflow ? { line, values, overflow } : { line, values };
}

const tooManyRows = () => new AppError('import.too_many_rows', 400, { limit: MAX_IMPORT_ROWS });

function badHeader(positions: number[], reason: 'missing' | 'blank' | 'duplicate'): AppError {
  return new AppError(
    'import.bad_header',
    400,
    { columns: positions.map((p) => p + 1).join(', ') || '—' },
    { reason },
    positions.map((p) => ({ path: `columns.${p}`, code: reason === 'blank' ? 'required' : 'duplicate' })),
  );
}

/** Line 1 must name every column once; a blank trailing column (a trailing separator) is dropped. */
function checkHeader(raw: string[]): string[] {
  const names = raw.map((n) => n.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length === 0) throw badHeader([], 'missing');
  const blank = names.flatMap((n, i) => (n === '' ? [i] : []));
  if (blank.length > 0) throw badHeader(blank, 'blank');
  const seen = new Map<string, number>();
  const dup: number[] = [];
  names.forEach((n, i) => {
    const key = n.toLowerCase();
    if (seen.has(key)) dup.push(i);
    else seen.set(key, i);
  });
  if (dup.length > 0) throw badHeader(dup, 'duplicate');
  return names;
}

/** A cell as the text a person sees: dates as YYYY-MM-DD, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function parseXlsx(buffer: Buffer): Promise<Spreadsheet> {
  // Loaded on first use: the workbook library weighs more than the rest of the server's start-up.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer.
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    throw new AppError('import.unreadable_file', 400);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw badHeader([], 'missing');
  if (sheet.rowCount - 1 > MAX_IMPORT_ROWS) throw tooManyRows();
  const header = sheet.getRow(1);
  const raw: string[] = [];
  for (let c = 1; c <= header.cellCount; c++) raw.push(cellText(header.getCell(c).value));
  const columns = checkHeader(raw);
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const record: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, columns.length); c++)
      record.push(cellText(row.getCell(c).value));
    if (record.every((v) => v.trim() === '')) return;
    rows.push(toRow(line, columns, record));
  });
  return { columns, rows, encoding: 'xlsx', delimiter: null };
}

// --- column mapping and cell values --------------------------------------------------------------

/** "N° de série" → "n de serie": lower case, no accents, punctuation as spaces. */
export function foldHeader(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Header names seen in French and English inventories, folded. */
const HEADER_SYNONYMS: Record<(typeof IMPORT_FIELDS)[number], string[]> = {
  name: [
    'nom',
    'name',
    'nom de l equipement',
    'designation',
    'libelle',
    'hostname',
    'nom d hote',
    'asset name',
  ],
  assetTag: [
    'asset tag',
    'tag',
    'etiquette',
    'inventaire',
    'n d inventaire',
    'no d inventaire',
    'numero d inventaire',
    'n inventaire',
    'num inventaire',
    'code inventaire',
    'inventory number',
  ],
  serial: [
    'serial',
    'serial number',
    'serial no',
    'sn',
    's n',
    'n de serie',
    'no de serie',
    'numero de serie',
    'n serie',
    'num serie',
    'serie',
  ],
  type: ['type', 'asset type', 'type d equipement', 'type de materiel'],
  model: ['modele', 'model'],
  status: ['statut', 'status', 'etat', 'state'],
  location: ['emplacement', 'location', 'localisation', 'lieu'],
  assignee: [
    'utilisateur',
    'user',
    'assignee',
    'assigned to',
    'affecte a',
    'attribue a',
    'e mail utilisateur',
  ],
  supplier: ['fournisseur', 'supplier', 'vendor'],
  purchaseDate: ['date d achat', 'date achat', 'achat', 'purchase date', 'purchased'],
  warrantyEnd: [
    'garantie',
    'fin de garantie',
    'fin garantie',
    'date de fin de garantie',
    'warranty',
    'warranty end',
  ],
  contractEnd: ['fin de contrat', 'fin contrat', 'contrat', 'contract end', 'contract'],
  notes: [
    'notes',
    'note',
    'remarques',
    'remarque',
    'commentaire',
    'commentaires',
    'comments',
    'observations',
  ],
};
const SYNONYM_FIELD = new Map<string, ImportField>(
  Object.entries(HEADER_SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as ImportField])),
);

/**
 * Guesses which asset field each column fills, from French and English header names; a custom field
 * matches by key ("ram_gb", "custom.ram_gb") or label. Each field is given to its first column only.
 */
export function suggestMapping(
  columns: string[],
  customFields: Array<{ key: string; label: string }> = [],
): TImportMapping {
  const custom = new Map<string, string>();
  for (const f of customFields) {
    custom.set(foldHeader(f.key), f.key);
    custom.set(foldHeader(f.label), f.key);
  }
  const mapping: TImportMapping = {};
  const taken = new Set<string>();
  for (const column of columns) {
    const folded = foldHeader(column);
    const explicit = /^custom\.([a-z][a-z0-9_]{0,39})$/.exec(column.trim());
    const key = explicit?.[1] ?? custom.get(folded);
    const field: ImportField | undefined = key ? `custom.${key}` : SYNONYM_FIELD.get(folded);
    if (!field || taken.has(field)) continue;
    taken.add(field);
    mapping[column] = field;
  }
  return mapping;
}

/** "2024-03-31" or the French "31/03/2024" (also 31-03-2024, 31.03.2024) → "2024-03-31"; undefined if not a day. */
export function parseDay(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : fr
      ? [Number(fr[3]), Number(fr[2]), Number(fr[1])]
      : [0, 0, 0];
  if (!y) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/** "1 234,5" (French) or "1234.5"; undefined if not a number. */
export function parseNumber(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  const normal = /^-?\d+(,\d+)?$/.test(compact) ? compact.replace(',', '.') : compact;
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(normal)) return undefined;
  return Number(normal);
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'oui', 'o', 'vrai', 'x']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'non', 'faux']);

export function parseBoolean(text: string): boolean | undefined {
  const folded = foldText(text);
  if (TRUE_WORDS.has(folded)) return true;
  if (FALSE_WORDS.has(folded)) return false;
  return undefined;
}
