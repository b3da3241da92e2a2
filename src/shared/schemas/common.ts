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
