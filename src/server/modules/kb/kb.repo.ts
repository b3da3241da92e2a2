import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { KbLanguage, KbStatus, KbVisibility } from '../../../shared/schemas/kb.js';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type { KbArticleTable, KbArticleVersionTable } from './kb.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

/**
 * What a reader may see: every procedure of the organisations in `internal` (staff), and the published
 * public ones of those in `publicOnly` (requesters).
 */
export type KbScope = { internal: OrgScope; publicOnly: readonly string[] };

export type KbFilter = {
  scope: KbScope;
  orgId?: string | undefined;
  /** Left out: every status but archived. */
  status?: KbStatus | undefined;
  visibility?: KbVisibility | undefined;
  language?: KbLanguage | undefined;
  /** Folded. */
  tag?: string | undefined;
};

/** A row of the result lists: no full text, the start of the symptoms only. */
export type SummaryRow = Pick<
  KbArticleTable,
  'id' | 'org_id' | 'title' | 'language' | 'visibility' | 'status' | 'tags' | 'updated_at' | 'version'
> & { symptoms_start: string };
/** …with the folded texts, for the suggestions' scoring. */
export type TextRow = SummaryRow & Pick<KbArticleTable, 'title_search' | 'search_text'>;

// --- articles ------------------------------------------------------------------------------------

export async function findArticle(ctx: DbCtx, id: string): Promise<KbArticleTable | undefined> {
  return ctx.db
    .selectFrom('kb_article')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertArticle(ctx: DbCtx, row: KbArticleTable): Promise<void> {
  await ctx.db.insertInto('kb_article').values(row).execute();
}

export async function updateArticle(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<KbArticleTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'kb_article', id, version, set);
}

// --- lists and search ----------------------------------------------------------------------------

/**
 * kb_article under one of two names. `dialect.containsWords(table, …)` searches `<table>_search`: as
 * `kb_article` the whole text (kb_article_search), as `kb_title` the titles (kb_title_search). On
 * PostgreSQL each column has its own trigram index and the name changes nothing.
 */
type Alias = 'kb_article' | 'kb_title';
// biome-ignore lint/suspicious/noExplicitAny: one builder over kb_article under either name; columns are named with sql.ref
type KbQuery = SelectQueryBuilder<any, any, any>;

function from(ctx: DbCtx, t: Alias): KbQuery {
  // biome-ignore lint/suspicious/noExplicitAny: see KbQuery
  const db = ctx.db as unknown as Kysely<any>;
  return db.selectFrom(t === 'kb_title' ? 'kb_article as kb_title' : 'kb_article');
}

const col = (t: Alias, name: keyof KbArticleTable) => sql.ref(`${t}.${name}`);

function visibleTo(t: Alias, scope: KbScope): RawBuilder<SqlBool> | undefined {
  if (scope.internal === 'all') return undefined;
  const parts: RawBuilder<unknown>[] = [];
  if (scope.internal.length > 0) parts.push(sql`${col(t, 'org_id')} IN (${sql.join(scope.internal)})`);
  if (scope.publicOnly.length > 0) {
    parts.push(
      sql`(${col(t, 'org_id')} IN (${sql.join(scope.publicOnly)}) AND ${col(t, 'visibility')} = ${'public'} AND ${col(t, 'status')} = ${'published'})`,
    );
  }
  return parts.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

function filtered(ctx: DbCtx, t: Alias, f: KbFilter): KbQuery {
  let q = from(ctx, t);
  const visible = visibleTo(t, f.scope);
  if (visible) q = q.where(visible);
  if (f.orgId) q = q.where(col(t, 'org_id'), '=', f.orgId);
  q = f.status ? q.where(col(t, 'status'), '=', f.status) : q.where(col(t, 'status'), '!=', 'archived');
  if (f.visibility) q = q.where(col(t, 'visibility'), '=', f.visibility);
  if (f.language) q = q.where(col(t, 'language'), '=', f.language);
  if (f.tag) q = q.where(ctx.dialect.containsInsensitive(col(t, 'tags_text'), `|${f.tag}|`));
  return q;
}

/** Columns of the result rows; the folded texts only for the suggestions' scoring. */
const ROW_COLUMNS = [
  'id',
  'org_id',
  'title',
  'language',
  'visibility',
  'status',
  'tags',
  'updated_at',
  'version',
];

function selectRows(q: KbQuery, t: Alias, withText: boolean): KbQuery {
  const columns = withText ? [...ROW_COLUMNS, 'title_search', 'search_text'] : ROW_COLUMNS;
  return q
    .select(columns.map((c) => sql.ref(`${t}.${c}`).as(c)))
    .select(sql<string>`substr(${col(t, 'symptoms')}, 1, 400)`.as('symptoms_start'));
}

const newestFirst = (q: KbQuery, t: Alias, after: readonly [string, string] | undefined, limit: number) =>
  (after ? q.where(keysetAfter(`${t}.updated_at`, `${t}.id`, after, 'desc')) : q)
    .orderBy(col(t, 'updated_at'), 'desc')
    .orderBy(col(t, 'id'), 'desc')
    // A literal LIMIT lets SQLite's planner walk the sort index and stop, instead of sorting everything.
    .limit(sql.lit(limit));

/** Newest change first, keyset-paged on (updated_at, id). */
export async function listArticles(
  ctx: DbCtx,
  f: KbFilter & { after?: readonly [string, string] | undefined; limit: number },
): Promise<SummaryRow[]> {
  const q = selectRows(filtered(ctx, 'kb_article', f), 'kb_article', false);
  return (await newestFirst(q, 'kb_article', f.after, f.limit).execute()) as SummaryRow[];
}

/** Up to this many matches, a page is sorted from their ids; beyond, the sort index is walked. */
const CANDIDATES = 2000;

/**
 * One segment of a search, newest first: the procedures whose title holds every word (`inTitle`), or
 * those whose text holds every word but whose title does not.
 *
 * As for the asset list, no single statement has a good plan: the text index's cost grows with the
 * number of matches, and walking the date index while checking the text never stops when nothing
 * matches. So, in order, until one gives the answer:
 *  1. the most recent procedures (a bounded walk of the date index) are checked: a common word fills
 *     a page there, without touching the text index;
 *  2. with a tag or an organisation, the procedures those leave, if few, are checked;
 *  3. the text index is asked for at most CANDIDATES matches (id and date): those are the exact
 *     answer, sorted here, and only the page's rows are read;
 *  4. more matches than that: the words are common, and the date index walk finds a page quickly.
 */
async function segment(
  ctx: DbCtx,
  f: KbFilter & { words: string[]; withText: boolean },
  inTitle: boolean,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<TextRow[]> {
  const t: Alias = inTitle ? 'kb_title' : 'kb_article';
  const column = inTitle ? 'title_search' : 'search_text';
  const matching = (q: KbQuery) => {
    const text = q.where(ctx.dialect.containsWords(t, column, f.words, { viaIndex: false }));
    if (inTitle) return text;
    return text.where(
      sql<SqlBool>`NOT ${ctx.dialect.containsWords(t, 'title_search', f.words, { viaIndex: false })}`,
    );
  };
  const run = async (q: KbQuery) => (await q.execute()) as TextRow[];

  // 1. The most recent procedures, checked one by one.
  // Enough rows to hold a page of words found in 2 % of the procedures.
  const window = Math.min(2500, Math.max(250, limit * 50));
  const recent = newestFirst(selectRows(filtered(ctx, t, f), t, true), t, after, window).as(t);
  const outer = [...ROW_COLUMNS, 'symptoms_start', ...(f.withText ? ['title_search', 'search_text'] : [])];
  // biome-ignore lint/suspicious/noExplicitAny: see KbQuery
  const fromRecent = (ctx.db as unknown as Kysely<any>)
    .selectFrom(recent)
    .select(outer.map((c) => sql.ref(`${t}.${c}`).as(c)));
  const early = await run(newestFirst(matching(fromRecent), t, undefined, limit));
  if (early.length === limit) return early;

  const upTo = async (query: KbQuery): Promise<Array<{ id: string; updated_at: string }> | undefined> => {
    const rows = (await query
      .select([col(t, 'id').as('id'), col(t, 'updated_at').as('updated_at')])
      .limit(sql.lit(CANDIDATES + 1))
      .execute()) as Array<{ id: string; updated_at: string }>;
    return rows.length <= CANDIDATES ? rows : undefined;
  };
  // 2. A tag or an organisation may leave few procedures whatever the words.
  const scoped = filtered(ctx, t, f);
  if (f.tag || f.orgId) {
    const few = await upTo(scoped);
    if (few?.length === 0) return [];
    if (few) {
      const q = matching(
        scoped.where(
          ctx.dialect.inList(
            `${t}.id`,
            few.map((r) => r.id),
          ),
        ),
      );
      return run(newestFirst(selectRows(q, t, f.withText), t, after, limit));
    }
  }
  // 3. Few matches in the text index: sorted here.
  const indexed = matching(scoped).where(ctx.dialect.containsWords(t, column, f.words, { viaIndex: true }));
  const matches = await upTo(indexed);
  if (matches) {
    const page = matches
      .filter((r) => !after || r.updated_at < after[0] || (r.updated_at === after[0] && r.id < after[1]))
      .sort((a, b) => (a.updated_at === b.updated_at ? cmp(b.id, a.id) : cmp(b.updated_at, a.updated_at)))
      .slice(0, limit);
    if (page.length === 0) return [];
    const rows = from(ctx, t).where(
      ctx.dialect.inList(
        `${t}.id`,
        page.map((r) => r.id),
      ),
    );
    return run(newestFirst(selectRows(rows, t, f.withText), t, undefined, limit));
  }
  // 4. Many matches: the date index walk.
  return run(newestFirst(selectRows(matching(scoped), t, f.withText), t, after, limit));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Procedures holding every word: those with every word in the title first, then the others, each
 * newest first. Keyset-paged on (title hit, updated_at, id).
 */
export async function searchArticles(
  ctx: DbCtx,
  f: KbFilter & {
    words: string[];
    after?: readonly [0 | 1, string, string] | undefined;
    limit: number;
    withText?: boolean;
  },
): Promise<Array<TextRow & { title_hit: 0 | 1 }>> {
  const opts = { ...f, withText: f.withText ?? false };
  const out: Array<TextRow & { title_hit: 0 | 1 }> = [];
  if (!f.after || f.after[0] === 1) {
    const after = f.after ? ([f.after[1], f.after[2]] as const) : undefined;
    for (const row of await segment(ctx, opts, true, after, f.limit)) out.push({ ...row, title_hit: 1 });
  }
  if (out.length < f.limit) {
    const after = f.after?.[0] === 0 ? ([f.after[1], f.after[2]] as const) : undefined;
    for (const row of await segment(ctx, opts, false, after, f.limit - out.length))
      out.push({ ...row, title_hit: 0 });
  }
  return out;
}

// --- versions ------------------------------------------------------------------------------------

export async function insertVersion(ctx: DbCtx, row: KbArticleVersionTable): Promise<void> {
  await ctx.db.insertInto('kb_article_version').values(row).execute();
}

/** Newest first, keyset-paged on the version number; the content is left out. */
export async function listVersions(
  ctx: DbCtx,
  articleId: string,
  opts: { before?: number | undefined; limit: number },
): Promise<KbArticleVersionTable[]> {
  let q = ctx.db.selectFrom('kb_article_version').selectAll().where('article_id', '=', articleId);
  if (opts.before !== undefined) q = q.where('version', '<', opts.before);
  return q.orderBy('version', 'desc').limit(opts.limit).execute();
}

export async function findVersion(
  ctx: DbCtx,
  articleId: string,
  version: number,
): Promise<KbArticleVersionTable | undefined> {
  return ctx.db
    .selectFrom('kb_article_version')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('version', '=', version)
    .executeTakeFirst();
}
