import { z } from 'zod';

export const ZId = z.uuid();
export const ZIsoDate = z.iso.datetime({ offset: false });

export const PASSWORD_MIN = 12;
export const ZPassword = z.string().min(PASSWORD_MIN).max(256);

export const ZListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const zPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type Page<T> = { items: T[]; nextCursor: string | null };

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

/**
 * The PATCH body of a create body: every field optional, defaults dropped. Zod 4 fills in the default
 * of a field left out even under `.partial()`, which would reset every field a PATCH does not name.
 */
export function zPatch<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    shape[key] = ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional();
  }
  return z.strictObject(shape as { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> });
}
