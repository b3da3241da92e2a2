import type { DbBool, DbJson } from '../../db/values.js';

export type TicketCategoryTable = {
  id: string;
  /** Null for the built-in categories, one per typology. */
  org_id: string | null;
  typology: string;
  name_fr: string;
  name_en: string;
  active: DbBool;
  created_at: string;
  updated_at: string;
  version: number;
};

export type HelpdeskSettingsTable = {
  org_id: string;
  settings: DbJson;
  updated_at: string;
  version: number;
};

export type TicketTable = {
  id: string;
  org_id: string;
  reference: string;
  kind: string;
  title: string;
  description: string;
  category_id: string | null;
  typology: string | null;
  requester_id: string | null;
  location_id: string | null;
  impact: string;
  urgency: string;
  priority: number;
  status: string;
  is_open: DbBool;
  waiting_for: string | null;
  waiting_until: string | null;
  assignee_id: string | null;
  group_id: string | null;
  recurring: DbBool;
  source: string;
  own_due_at: string | null;
  warn_at: string | null;
  /** When a technician will intervene, told to the requester. */
  planned_at?: string | null;
  resolve_due_at: string | null;
  owned_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  paused_since: string | null;
  paused_minutes: number;
  own_minutes: number | null;
  resolve_minutes: number | null;
  /** ok, warned (near its deadline), breached. */
  sla_state: string;
  solution: string | null;
  satisfaction: number | null;
  satisfaction_comment: string | null;
  merged_into_id: string | null;
  diagnostic_path: DbJson;
  /** A channel's own key (an alert fingerprint, a message id), to never open a ticket twice. */
  external_key: string | null;
  /** The plain-language intervention note of the resolution (cause, action, impact, advice), JSON. */
  intervention_note?: DbJson;
  created_at: string;
  updated_at: string;
  version: number;
};

export type TicketAssetTable = { ticket_id: string; asset_id: string; created_at: string };

export type TicketEventTable = {
  id: string;
  ticket_id: string;
  org_id: string;
  at: string;
  author_id: string | null;
  author_label: string;
  /** followup, status, assignment, escalation, solution, sla, merge, satisfaction… */
  kind: string;
  public: DbBool;
  body: string;
  data: DbJson;
};

export type TicketTaskTable = {
  id: string;
  ticket_id: string;
  description: string;
  assignee_id: string | null;
  done: DbBool;
  minutes: number;
  created_at: string;
  updated_at: string;
  version: number;
};
