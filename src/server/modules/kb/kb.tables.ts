import type { DbJson } from '../../db/values.js';

export type KbArticleTable = {
  id: string;
  org_id: string;
  title: string;
  symptoms: string;
  cause: string;
  resolution: string;
  language: string;
  visibility: string;
  status: string;
  tags: DbJson;
  /** Folded tags between bars: "|vpn|outlook|". */
  tags_text: string;
  applies_to_models: DbJson;
  applies_to_software: DbJson;
  /** Folded title (lower case, no accents). */
  title_search: string;
  /** Folded title, symptoms, cause, resolution and tags. */
  search_text: string;
  source_ticket_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};

export type KbArticleVersionTable = {
  article_id: string;
  version: number;
  org_id: string;
  content: DbJson;
  author_id: string | null;
  author_label: string;
  at: string;
  change_note: string | null;
};
