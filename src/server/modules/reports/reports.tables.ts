import type { DbBool, DbJson } from '../../db/values.js';

export type ReportScheduleTable = {
  id: string;
  org_id: string;
  /** weekly, monthly */
  frequency: string;
  /** [{email, locale}] */
  recipients: DbJson;
  active: DbBool;
  next_run_at: string;
  last_run_at: string | null;
  /** The outgoing mail ids of the last run (their status: GET /mail/outgoing). */
  last_mail_ids: DbJson;
  last_error: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};
