import type { Kysely } from 'kysely';
import { blockBatchOf, encodeBlock } from '../../modules/security/blocks.js';
import type { DialectHelpers } from '../dialect.js';

/**
 * Security events move from one indexed row each to blocks of up to 8,192 events (one row per block,
 * records compressed, a Bloom filter of the filtered values): the import stores at the rate it parses.
 * Stored events are carried over, re-encoded through the module's block encoder: unlike the schema,
 * the data is written in the format the code of the day reads.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, bigint } = d.types;
  const bytes = d.name === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('security_event_block')
    // the smallest event id of the block (event ids come from security_id_block)
    .addColumn('id', bigint, (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('id_max', bigint, (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('time_min', ts, (c) => c.notNull())
    .addColumn('time_max', ts, (c) => c.notNull())
    // Bloom filter of host, user, source address, program, action and outcome values
    .addColumn('terms', bytes, (c) => c.notNull())
    // Brotli-compressed JSON columns: ids, times, reception times, sources, records
    .addColumn('payload', bytes, (c) => c.notNull())
    .execute();
  // The explorer and retention: newest blocks of an organisation first.
  await db.schema
    .createIndex('security_event_block_org_time_idx')
    .on('security_event_block')
    .columns(['org_id', 'time_max'])
    .execute();
  // Evidence: the blocks holding given (recent) event ids.
  await db.schema
    .createIndex('security_event_block_org_id_idx')
    .on('security_event_block')
    .columns(['org_id', 'id_max'])
    .execute();

  let after: [string, number] | null = null;
  for (;;) {
    let q = db
      .selectFrom('security_event')
      .select(['id', 'org_id', 'source_id', 'time', 'received_at', 'raw'])
      .orderBy('org_id')
      .orderBy('id')
      .limit(8192);
    if (after) {
      const [org, id] = after;
      q = q.where((eb) =>
        eb.or([eb('org_id', '>', org), eb.and([eb('org_id', '=', org), eb('id', '>', id)])]),
      );
    }
    const rows: Array<{
      id: number | string;
      org_id: string;
      source_id: string | null;
      time: string;
      received_at: string;
      raw: string;
    }> = await q.execute();
    if (!rows.length) break;
    const byOrg = new Map<string, typeof rows>();
    for (const r of rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
    for (const [orgId, list] of byOrg) {
      const b = encodeBlock(
        blockBatchOf(orgId, {
          ids: list.map((r) => Number(r.id)),
          times: list.map((r) => Date.parse(r.time)),
          received: list.map((r) => Date.parse(r.received_at)),
          sources: list.map((r) => r.source_id),
          raws: list.map((r) => r.raw),
        }),
      );
      await db
        .insertInto('security_event_block')
        .values({
          id: b.id,
          org_id: orgId,
          id_max: b.idMax,
          event_count: b.count,
          time_min: new Date(b.timeMin).toISOString(),
          time_max: new Date(b.timeMax).toISOString(),
          terms: Buffer.from(b.terms),
          payload: Buffer.from(b.payload),
        })
        .execute();
    }
    const last = rows[rows.length - 1]!;
    after = [last.org_id, Number(last.id)];
  }
  await db.schema.dropTable('security_event').execute();
}
