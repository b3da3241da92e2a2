import type { DbBool } from '../../db/values.js';

export type DisposalBatchTable = {
  id: string;
  org_id: string;
  reference: string;
  channel: string;
  status: string;
  recipient: string;
  notes: string;
  handed_over_on: string | null;
  certificate_ref: string;
  created_by: string | null;
  closed_by: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};

export type DisposalItemTable = {
  /** The CMDB asset (assets module): in one batch at most. */
  asset_id: string;
  batch_id: string;
  org_id: string;
  type_id: string;
  weight_grams: number | null;
  holds_data: DbBool;
  added_by: string | null;
  added_at: string;
};

export type DataWipeTable = {
  id: string;
  org_id: string;
  asset_id: string;
  method: string;
  result: string;
  performed_at: string;
  operator: string;
  tool: string;
  media_serial: string;
  certificate_ref: string;
  notes: string;
  recorded_by: string | null;
  recorded_at: string;
};
