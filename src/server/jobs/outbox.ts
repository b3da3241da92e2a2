import { uuidv7 } from 'uuidv7';
import type { Ctx } from '../context.js';
import { toJson } from '../db/values.js';

export type DomainEvent = { type: string; orgId: string | null; payload: Record<string, unknown> };

/**
 * Writes a domain event in the caller's transaction. The worker delivers it afterwards, so an event
 * is never lost on a crash and never sent for a change that rolled back.
 */
export async function publish(ctx: Ctx, event: DomainEvent): Promise<string> {
  if (!ctx.db.isTransaction) throw new Error('publish must run inside the transaction of its write');
  const id = uuidv7();
  const at = ctx.now.toISOString();
  await ctx.db
    .insertInto('outbox')
    .values({
      id,
      org_id: event.orgId,
      type: event.type,
      payload: toJson(event.payload),
      created_at: at,
      attempts: 0,
      next_attempt_at: at,
      processed_at: null,
      last_error: null,
    })
    .execute();
  return id;
}
