import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.js';
import { AppError } from '../../http/errors.js';

export type StoredFile = { sha256: string; size: number; mediaType: string };

/** What a stored file may be, checked on its first bytes, never on what the client claims. */
const SIGNATURES: Record<string, Buffer> = { 'application/pdf': Buffer.from('%PDF-') };

/**
 * Content-addressed storage: a file is kept once under its SHA-256, however many records point at
 * it. Size and type are checked before anything is written.
 */
export async function storeFile(
  ctx: Ctx,
  content: Buffer,
  opts: { mediaType: 'application/pdf'; maxBytes: number },
): Promise<StoredFile> {
  if (content.length === 0) throw new AppError('file.empty', 400);
  if (content.length > opts.maxBytes) throw new AppError('file.too_large', 413, { limit: opts.maxBytes });
  const signature = SIGNATURES[opts.mediaType]!;
  if (!content.subarray(0, signature.length).equals(signature))
    throw new AppError('file.bad_type', 415, { expected: opts.mediaType });
  const sha256 = createHash('sha256').update(content).digest('hex');
  await ctx.db
    .insertInto('file_blob')
    .values({
      sha256,
      size: content.length,
      media_type: opts.mediaType,
      content,
      created_at: ctx.now.toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return { sha256, size: content.length, mediaType: opts.mediaType };
}

export async function readFile(
  ctx: Ctx,
  sha256: string,
): Promise<(StoredFile & { content: Buffer }) | undefined> {
  const row = await ctx.db
    .selectFrom('file_blob')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row) return undefined;
  return { sha256: row.sha256, size: row.size, mediaType: row.media_type, content: Buffer.from(row.content) };
}
