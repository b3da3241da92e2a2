import { type Kysely, sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json } = d.types;

  await db.schema
    .createTable('kb_article')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('symptoms', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    // Markdown.
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tags', json, (c) => c.notNull())
    // The folded tags between bars ("|vpn|outlook|"): one tag is matched exactly with a LIKE.
    .addColumn('tags_text', 'text', (c) => c.notNull())
    .addColumn('applies_to_models', json, (c) => c.notNull())
    .addColumn('applies_to_software', json, (c) => c.notNull())
    // Folded (lower case, no accents) title alone, to rank title matches first, and the whole text.
    .addColumn('title_search', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    // No foreign key: the tickets module owns tickets, and a procedure outlives its ticket.
    .addColumn('source_ticket_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Never set (a procedure is archived, not deleted); present for the shared versioned update.
    .addColumn('deleted_at', ts)
    .execute();
  // Lists and searches sort by last change: walking one of these stops at the first page.
  await db.schema
    .createIndex('kb_article_org_updated_idx')
    .on('kb_article')
    .columns(['org_id', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('kb_article_updated_idx')
    .on('kb_article')
    .columns(['updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('kb_article_source_ticket_idx')
    .on('kb_article')
    .columns(['source_ticket_id'])
    .execute();

  await db.schema
    .createTable('kb_article_version')
    .addColumn('article_id', 'text', (c) => c.notNull().references('kb_article.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    // The whole content as the reader saw it at that version.
    .addColumn('content', json, (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addPrimaryKeyConstraint('kb_article_version_pk', ['article_id', 'version'])
    .execute();

  // Substring search on the folded text, from trigram indexes: one on the whole text, one on the
  // title (title matches rank first, and a word common in bodies may be rare in titles).
  if (d.name === 'postgres') {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`.execute(db);
    const { rows } = await sql<{ schema: string }>`
      SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`.execute(
      db,
    );
    const opclass = sql.raw(`${rows[0]!.schema}.gin_trgm_ops`);
    await sql`CREATE INDEX kb_article_search_trgm_idx ON kb_article USING gin (search_text ${opclass})`.execute(
      db,
    );
    await sql`CREATE INDEX kb_article_title_trgm_idx ON kb_article USING gin (title_search ${opclass})`.execute(
      db,
    );
  } else {
    // `dialect.containsWords(table, …)` reads `<table>_search`: the whole text is kb_article_search,
    // and the titles are kb_title_search, which queries reach by naming the table `kb_title`.
    for (const [fts, column] of [
      ['kb_article_search', 'search_text'],
      ['kb_title_search', 'title_search'],
    ] as const) {
      await sql`CREATE VIRTUAL TABLE ${sql.raw(fts)} USING fts5(${sql.raw(column)}, content='kb_article', content_rowid='rowid', tokenize='trigram')`.execute(
        db,
      );
      await sql`CREATE TRIGGER ${sql.raw(`${fts}_ai`)} AFTER INSERT ON kb_article BEGIN
        INSERT INTO ${sql.raw(fts)}(rowid, ${sql.raw(column)}) VALUES (new.rowid, new.${sql.raw(column)}); END`.execute(
        db,
      );
      await sql`CREATE TRIGGER ${sql.raw(`${fts}_ad`)} AFTER DELETE ON kb_article BEGIN
        INSERT INTO ${sql.raw(fts)}(${sql.raw(fts)}, rowid, ${sql.raw(column)}) VALUES ('delete', old.rowid, old.${sql.raw(column)}); END`.execute(
        db,
      );
      await sql`CREATE TRIGGER ${sql.raw(`${fts}_au`)} AFTER UPDATE OF ${sql.raw(column)} ON kb_article BEGIN
        INSERT INTO ${sql.raw(fts)}(${sql.raw(fts)}, rowid, ${sql.raw(column)}) VALUES ('delete', old.rowid, old.${sql.raw(column)});
        INSERT INTO ${sql.raw(fts)}(rowid, ${sql.raw(column)}) VALUES (new.rowid, new.${sql.raw(column)}); END`.execute(
        db,
      );
    }
  }
}
