import type { DbBool, DbJson } from '../../db/values.js';

export type DiagnosticTreeTable = {
  id: string;
  org_id: string;
  title: string;
  /** Folded title (lower case, no accents). */
  title_search: string;
  description: string;
  /** draft, published, archived. */
  status: string;
  root_node_id: string;
  /** The version walks run on (its snapshot is a diagnostic_tree_version row); null until published. */
  published_version: number | null;
  published_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** Never set; present for the shared versioned update. */
  deleted_at: string | null;
};

export type DiagnosticNodeTable = {
  tree_id: string;
  id: string;
  position: number;
  /** question, outcome. */
  kind: string;
  text: string;
  /** [{id, label, next_node_id}] */
  answers: DbJson;
  kb_article_id: string | null;
  category_id: string | null;
  impact: string | null;
  urgency: string | null;
  create_ticket: DbBool;
};

export type DiagnosticTreeVersionTable = {
  tree_id: string;
  version: number;
  org_id: string;
  /** {title, description, rootNodeId, nodes} as the API shows them. */
  document: DbJson;
  published_by: string | null;
  published_at: string;
};
