import type { DbBool, DbJson } from '../../../db/values.js';

export type HelpdeskMailboxTable = {
  org_id: string;
  enabled: DbBool;
  host: string;
  port: number;
  tls: DbBool;
  username: string;
  /** Sealed with the secret key (SecretBox); never returned. */
  password_sealed: string | null;
  folder: string;
  /** Where handled messages go; null: they stay, flagged \Seen. */
  processed_folder: string | null;
  /** The public address of the mailbox: the Reply-To of notifications. */
  address: string | null;
  /** create_requester or refuse */
  unknown_sender: string;
  uid_validity: string | null;
  last_uid: number;
  last_polled_at: string | null;
  last_error: string | null;
  lease_until: string | null;
  updated_at: string;
  version: number;
};

export type HelpdeskMailMessageTable = {
  org_id: string;
  /** mid:<Message-ID>, or uid:<UIDVALIDITY>:<UID> for a message without one. */
  message_key: string;
  uid_validity: string | null;
  uid: number | null;
  from_address: string | null;
  subject: string;
  /** ticket, followup, ignored, refused */
  outcome: string;
  reason: string | null;
  ticket_id: string | null;
  processed_at: string;
};

export type HelpdeskMailAttachmentTable = {
  id: string;
  org_id: string;
  ticket_id: string;
  message_key: string;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_at: string;
};

export type HelpdeskNotificationTable = {
  /** The ticket event told (created, assignment, status, solution, followup). */
  event_id: string;
  org_id: string;
  ticket_id: string;
  kind: string;
  recipient: string;
  mail_id: string | null;
  message_id: string;
  created_at: string;
};

export type HelpdeskAlertTable = {
  org_id: string;
  fingerprint: string;
  ticket_id: string | null;
  /** firing or resolved */
  status: string;
  starts_at: string | null;
  ends_at: string | null;
  labels: DbJson;
  updated_at: string;
};

export type HelpdeskAlertTokenTable = {
  org_id: string;
  token_hash: string;
  created_at: string;
  created_by: string | null;
};
