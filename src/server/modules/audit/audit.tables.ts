import type { DbJson } from '../../db/values.js';

export type AuditLogTable = {
  seq: number;
  id: string;
  org_id: string | null;
  actor_id: string | null;
  actor_label: string;
  at: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: DbJson;
  after: DbJson;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
};
