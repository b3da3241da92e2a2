import type { DbJson } from '../../db/values.js';

export type MailOutgoingTable = {
  id: string;
  org_id: string | null;
  dedupe_key: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** Extra headers, as a JSON object. */
  headers: DbJson;
  /** [{ filename, contentType, content (base64) }] */
  attachments: DbJson;
  message_id: string;
  in_reply_to: string | null;
  reply_to: string | null;
  /** queued, retrying, sent, failed */
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
};

export type MailTemplateTable = {
  org_id: string;
  key: string;
  locale: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  updated_at: string;
  version: number;
};
