import type { DbBool, DbJson } from '../../db/values.js';

type Versioned = { created_at: string; updated_at: string; version: number; deleted_at: string | null };

export type SecuritySourceTable = Versioned & {
  id: string;
  /** Null: an unknown sender, waiting to be mapped to an organisation. */
  org_id: string | null;
  name: string;
  kind: string;
  host: string | null;
  ip: string | null;
  asset_id: string | null;
  last_seen_at: string | null;
};

export type SecuritySourceCounterTable = { source_id: string; name: string; count: number | string };

export type SecurityIdBlockTable = { name: string; next_id: number | string };

/** Stored events, in blocks (blocks.ts); the id is the block's smallest event id. */
export type SecurityEventBlockTable = {
  id: number | string;
  org_id: string;
  id_max: number | string;
  event_count: number;
  time_min: string;
  time_max: string;
  terms: Uint8Array;
  payload: Uint8Array;
};

export type SecurityRuleTable = Versioned & {
  id: string;
  org_id: string;
  rule_id: string;
  builtin: DbBool;
  yaml: string | null;
  enabled: DbBool;
};

export type SecurityIncidentTable = Versioned & {
  id: string;
  org_id: string;
  reference: string;
  rule_id: string;
  title: string;
  severity: string;
  rule_severity: string;
  group_key: string;
  group_values: DbJson;
  status: string;
  asset_ids: DbJson;
  users: DbJson;
  sources: DbJson;
  hosts: DbJson;
  ticket_ids: DbJson;
  first_seen: string;
  last_seen: string;
  event_count: number;
  detected_at: string;
  alerted_at: string | null;
  acknowledged_at: string | null;
  escalated_at: string | null;
};

export type SecurityIncidentEventTable = {
  incident_id: string;
  event_id: number | string;
  time: string;
  host: string | null;
  user_name: string | null;
  src_ip: string | null;
  action: string;
  outcome: string;
  raw: string;
};

export type SecuritySettingsTable = {
  org_id: string;
  retention_days: number;
  webhook_url: string | null;
  webhook_secret_sealed: string | null;
  ingest_token_hash: string | null;
  updated_at: string;
  version: number;
};

export type SecurityNotificationTable = {
  id: string;
  org_id: string;
  user_id: string;
  incident_id: string;
  kind: string;
  title: string;
  severity: string;
  created_at: string;
  read_at: string | null;
};
