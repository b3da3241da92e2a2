/**
 * Multi-row writes for the paths that write thousands of rows in one transaction (imports): one
 * statement per chunk instead of one round trip per row. The chunk size keeps every statement under
 * both databases' limits on bound parameters (SQLite 32,766, PostgreSQL 65,535).
 */
const MAX_PARAMETERS = 30_000;

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per statement for rows of this many columns. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(MAX_PARAMETERS / columns)));
}

/** Runs `write` on successive chunks of `rows`, sized for their column count. */
export async function inChunks<T extends object>(
  rows: readonly T[],
  write: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunksOf(rows, rowsPerStatement(Object.keys(rows[0]!).length))) await write(chunk);
}
