import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json, boolean: bool } = d.types;

  await db.schema
    .createTable('diagnostic_tree')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // Folded title (lower case, no accents), for the list's search.
    .addColumn('title_search', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // draft, published, archived.
    .addColumn('status', 'text', (c) => c.notNull())
    // A node of diagnostic_node; no foreign key, the nodes are replaced as a whole on each save.
    .addColumn('root_node_id', 'text', (c) => c.notNull())
    // The version walks run on (its snapshot is in diagnostic_tree_version); null until published.
    .addColumn('published_version', 'integer')
    .addColumn('published_at', ts)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Never set (a draft is deleted, a published tree archived); present for the shared versioned update.
    .addColumn('deleted_at', ts)
    .execute();
  // The list: an organisation's trees by title.
  await db.schema
    .createIndex('diagnostic_tree_org_title_idx')
    .on('diagnostic_tree')
    .columns(['org_id', 'title_search', 'id'])
    .execute();
  await db.schema
    .createIndex('diagnostic_tree_title_idx')
    .on('diagnostic_tree')
    .columns(['title_search', 'id'])
    .execute();

  // The working document, one row per node, replaced as a whole by each save.
  await db.schema
    .createTable('diagnostic_node')
    .addColumn('tree_id', 'text', (c) => c.notNull().references('diagnostic_tree.id'))
    // Chosen by the editor; unique within its tree.
    .addColumn('id', 'text', (c) => c.notNull())
    // The order the editor sent the nodes in.
    .addColumn('position', 'integer', (c) => c.notNull())
    // question, outcome.
    .addColumn('kind', 'text', (c) => c.notNull())
    // The question, or the outcome's advice.
    .addColumn('text', 'text', (c) => c.notNull())
    // A question's answers: [{id, label, next_node_id}].
    .addColumn('answers', json, (c) => c.notNull())
    // No foreign key: the knowledge base owns its articles, which may be archived or purged.
    .addColumn('kb_article_id', 'text')
    .addColumn('category_id', 'text', (c) => c.references('ticket_category.id'))
    .addColumn('impact', 'text')
    .addColumn('urgency', 'text')
    .addColumn('create_ticket', bool, (c) => c.notNull())
    .addPrimaryKeyConstraint('diagnostic_node_pk', ['tree_id', 'id'])
    .execute();

  // Published snapshots: the document walks of that version read.
  await db.schema
    .createTable('diagnostic_tree_version')
    .addColumn('tree_id', 'text', (c) => c.notNull().references('diagnostic_tree.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    // {title, description, rootNodeId, nodes}, as the API returns them.
    .addColumn('document', json, (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('diagnostic_tree_version_pk', ['tree_id', 'version'])
    .execute();
}
