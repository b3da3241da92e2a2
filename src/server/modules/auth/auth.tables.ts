import type { DbBool, DbJson } from '../../db/values.js';

export type UserCredentialTable = {
  user_id: string;
  password_hash: string | null;
  must_change_password: DbBool;
  password_changed_at: string | null;
  /** AES-256-GCM sealed base32 secret. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: DbBool;
  /** JSON array of SHA-256 hashes of unused recovery codes. */
  recovery_codes: DbJson;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
};

export type AuthSessionTable = {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
};

export type ApiTokenTable = {
  id: string;
  user_id: string;
  org_id: string;
  role: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
};

export type RateLimitTable = {
  key: string;
  window_start: string;
  count: number;
};
