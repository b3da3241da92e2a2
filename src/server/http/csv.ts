/**
 * CSV writing for exports. `excel-fr` is what a French Excel opens by double click: semicolons and a
 * UTF-8 byte order mark. Cells that a spreadsheet would run as a formula (= + - @ and tab/CR first)
 * are prefixed with a quote, so an exported asset name cannot become a command (CSV injection).
 */
export type CsvDialect = 'rfc4180' | 'excel-fr';

export function csvCell(value: unknown, separator: string): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvWriter(dialect: CsvDialect) {
  const separator = dialect === 'excel-fr' ? ';' : ',';
  return {
    contentType: 'text/csv; charset=utf-8',
    preamble: dialect === 'excel-fr' ? '\uFEFF' : '',
    row: (cells: unknown[]) => `${cells.map((c) => csvCell(c, separator)).join(separator)}\r\n`,
  };
}
