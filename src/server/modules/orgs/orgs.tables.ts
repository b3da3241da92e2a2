import type { DbBool, DbJson } from '../../db/values.js';

export type OrganisationTable = {
  id: string;
  name: string;
  slug: string;
  time_zone: string;
  locale: string;
  is_home: DbBool;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};

export type AppUserTable = {
  id: string;
  email: string;
  display_name: string;
  locale: string | null;
  disabled: DbBool;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};

export type UserRoleTable = {
  user_id: string;
  org_id: string;
  role: string;
  created_at: string;
};

export type UserGroupTable = {
  id: string;
  org_id: string;
  name: string;
  description: string;
  /** An external supplier's support desk: its contact (JSON), null for an internal group. */
  support_contact?: DbJson | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
};

export type GroupMemberTable = {
  group_id: string;
  user_id: string;
  created_at: string;
};

export type CounterTable = {
  org_id: string;
  name: string;
  value: number;
};
