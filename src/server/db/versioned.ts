import type { Kysely, Updateable } from 'kysely';
import type { Database } from './schema.js';

/** Tables whose rows carry an optimistic-lock version and a soft-delete mark. */
export type VersionedTable = {
  [K in keyof Database]: Database[K] extends { id: string; version: number; deleted_at: string | null }
    ? K
    : never;
}[keyof Database];

/**
 * The optimistic update every module uses: writes `set` and bumps the version only if the live row
 * still has the version the caller read. False means someone else changed it (or it is gone): 412.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<Database>,
  table: T,
  id: string,
  version: number,
  set: Omit<Updateable<Database[T]>, 'id' | 'version'>,
): Promise<boolean> {
  // Kysely cannot check a statement over a table chosen by a type parameter; the constraint on T
  // guarantees the columns used here exist.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const r = await (db as Kysely<any>)
    .updateTable(table as string)
    .set({ ...(set as Record<string, unknown>), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
