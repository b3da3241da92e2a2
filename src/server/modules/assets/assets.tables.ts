import type { DbBool, DbJson } from '../../db/values.js';

type Versioned = { created_at: string; updated_at: string; version: number; deleted_at: string | null };

export type LocationTable = Versioned & {
  id: string;
  org_id: string;
  parent_id: string | null;
  kind: string;
  name: string;
  path: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  rack_units: number | null;
};

export type PartyTable = Versioned & {
  id: string;
  org_id: string;
  name: string;
  website: string | null;
  contact_email: string | null;
  phone: string | null;
  notes: string;
};

export type AssetTypeTable = Versioned & {
  id: string;
  org_id: string | null;
  code: string;
  category: string;
  name_fr: string;
  name_en: string;
  custom_fields: DbJson;
  built_in: DbBool;
};

export type AssetModelTable = Versioned & {
  id: string;
  org_id: string;
  manufacturer_id: string;
  type_id: string;
  name: string;
  part_number: string | null;
  specs: DbJson;
  lifetime_months: number | null;
  power_watts: number | null;
  box_contents: DbJson;
  /** Installation steps, copied into each work order's checklist (migration 0018). */
  install_steps: DbJson;
  notice_sha256: string | null;
  notice_name: string | null;
};

export type AssetTable = Versioned & {
  id: string;
  org_id: string;
  type_id: string;
  model_id: string | null;
  name: string;
  asset_tag: string | null;
  serial: string | null;
  status: string;
  location_id: string | null;
  location_path: string | null;
  /** The lowest U occupied in the rack (1 at the bottom); only in a location of kind 'rack'. */
  rack_position: number | null;
  /** How many U it occupies; null counts as 1 when placed. */
  rack_height: number | null;
  assigned_user_id: string | null;
  supplier_id: string | null;
  purchase_date: string | null;
  warranty_end: string | null;
  contract_end: string | null;
  custom: DbJson;
  notes: string;
  search_text: string;
  /** Criticality for security incidents, 1 (low) to 4 (vital); null: not assessed. */
  confidentiality: number | null;
  integrity: number | null;
  availability: number | null;
};

export type AssetRelationTable = {
  id: string;
  org_id: string;
  kind: string;
  from_asset_id: string;
  to_asset_id: string;
  from_port: string | null;
  to_port: string | null;
  created_at: string;
};

export type AssetHistoryTable = {
  id: string;
  org_id: string;
  asset_id: string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  kind: string;
  changes: DbJson;
  note: string | null;
};

export type AssetExpiryNoticeTable = {
  asset_id: string;
  kind: 'warranty' | 'contract';
  end_date: string;
  notified_at: string;
};
