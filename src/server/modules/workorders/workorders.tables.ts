import type { DbBool, DbJson } from '../../db/values.js';

export type WorkOrderTable = {
  id: string;
  org_id: string;
  reference: string;
  kind: string;
  title: string;
  description: string;
  status: string;
  location_id: string;
  stock_location_id: string | null;
  earliest_date: string | null;
  latest_date: string | null;
  scheduled_start: string | null;
  scheduled_end: string | null;
  technician_id: string | null;
  affected_user_ids: DbJson;
  expected_date: string | null;
  configuration: DbJson;
  outcome_note: string;
  completed_at: string | null;
  completed_by: string | null;
  search_text: string;
  sort_day: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};

export type WorkOrderItemTable = {
  id: string;
  work_order_id: string;
  position: number;
  article_id: string | null;
  model_id: string | null;
  label: string;
  quantity: number;
  reservation_id: string | null;
  missing_since: string | null;
  missing_note: string;
};

export type WorkOrderTestTable = {
  id: string;
  work_order_id: string;
  position: number;
  kind: string;
  label: string;
  host: string | null;
  port: number | null;
  url: string | null;
  expected_status: number | null;
  expected_address: string | null;
};

export type WorkOrderTestRunTable = {
  id: string;
  test_id: string;
  work_order_id: string;
  outcome: string;
  detail: string;
  duration_ms: number;
  source: string;
  by_id: string | null;
  by_label: string;
  at: string;
};

export type WorkOrderCheckTable = {
  id: string;
  work_order_id: string;
  position: number;
  kind: string;
  label: string;
  model_name: string | null;
  test_id: string | null;
  mandatory: DbBool;
  done: DbBool;
  done_by: string | null;
  done_at: string | null;
};

export type WorkOrderUnitTable = {
  work_order_id: string;
  item_id: string;
  asset_id: string;
  /** True while the work order is open: the unit is promised to it. */
  held: DbBool;
};

/** Planning: a slot a person declared unavailable. */
export type UserUnavailabilityTable = {
  id: string;
  org_id: string;
  user_id: string;
  start_at: string;
  end_at: string;
  reason: string;
  created_by: string | null;
  created_at: string;
};

/** A person's iCalendar feed token (SHA-256 of it; a new one replaces the old). */
export type CalendarTokenTable = {
  user_id: string;
  token_hash: string;
  created_at: string;
};

/** The mail telling the affected users ahead, due N hours before the scheduled start. */
export type WorkOrderReminderTable = {
  work_order_id: string;
  org_id: string;
  scheduled_start: string;
  due_at: string;
  sent_at: string | null;
};

export type PlanningSettingTable = {
  org_id: string;
  reminder_hours: number;
  updated_at: string;
};
