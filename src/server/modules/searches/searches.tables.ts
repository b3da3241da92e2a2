import type { DbBool, DbJson } from '../../db/values.js';

export type SavedSearchTable = {
  id: string;
  user_id: string;
  /** Set when shared: the organisation whose staff see it. */
  org_id: string | null;
  scope: string;
  name: string;
  query: DbJson;
  shared: DbBool;
  created_at: string;
  updated_at: string;
  version: number;
};
