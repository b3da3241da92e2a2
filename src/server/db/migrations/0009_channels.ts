import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json, boolean: bool } = d.types;
  const bytes = d.name === 'postgres' ? 'bytea' : 'blob';

  // The plain-language note the requester receives on resolution: cause, action, impact, advice.
  await db.schema.alterTable('ticket').addColumn('intervention_note', json).execute();

  // --- mail module: the outgoing queue and the organisations' template overrides ---------------------
  await db.schema
    .createTable('mail_outgoing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text')
    // One mail per cause (an event and a recipient): a second queueing is ignored.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('headers', json, (c) => c.notNull())
    .addColumn('attachments', json, (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('reply_to', 'text')
    // queued, retrying, sent, failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .execute();
  await db.schema
    .createIndex('mail_outgoing_org_created_idx')
    .on('mail_outgoing')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createTable('mail_template')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_template_pk', ['org_id', 'key', 'locale'])
    .execute();

  // --- helpdesk channels ------------------------------------------------------------------------------
  // One intake mailbox per organisation; the password is sealed with the secret key.
  await db.schema
    .createTable('helpdesk_mailbox')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisation.id'))
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('tls', bool, (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_sealed', 'text')
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('processed_folder', 'text')
    .addColumn('address', 'text')
    .addColumn('unknown_sender', 'text', (c) => c.notNull())
    // The high-water mark: the last UID handled under this UIDVALIDITY (text: it may exceed 2^31).
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'integer', (c) => c.notNull())
    .addColumn('last_polled_at', ts)
    .addColumn('last_error', 'text')
    // One poller at a time per mailbox, whichever instance runs the job.
    .addColumn('lease_until', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // Every message handled, written in the transaction of its ticket or follow-up: never twice.
  await db.schema
    .createTable('helpdesk_mail_message')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('uid_validity', 'text')
    .addColumn('uid', 'integer')
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    // ticket, followup, ignored, refused
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('processed_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('helpdesk_mail_message_pk', ['org_id', 'message_key'])
    .execute();
  await db.schema
    .createIndex('helpdesk_mail_message_processed_idx')
    .on('helpdesk_mail_message')
    .columns(['org_id', 'processed_at'])
    .execute();
  await db.schema
    .createTable('helpdesk_mail_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('helpdesk_mail_attachment_ticket_idx')
    .on('helpdesk_mail_attachment')
    .columns(['ticket_id', 'created_at'])
    .execute();
  // The ticket events told to the requester, with the Message-ID of the mail: replies find their ticket.
  await db.schema
    .createTable('helpdesk_notification')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('mail_id', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('helpdesk_notification_ticket_idx')
    .on('helpdesk_notification')
    .columns(['ticket_id', 'created_at'])
    .execute();
  // Alertmanager: the state of each alert (by fingerprint) and the organisation's webhook token.
  await db.schema
    .createTable('helpdesk_alert')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('labels', json, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('helpdesk_alert_pk', ['org_id', 'fingerprint'])
    .execute();
  await db.schema
    .createTable('helpdesk_alert_token')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisation.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
}
