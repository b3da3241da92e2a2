import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, bigint, boolean: bool, json } = d.types;

  // Criticality of an asset (assets module): confidentiality, integrity, availability, 1 to 4.
  await db.schema.alterTable('asset').addColumn('confidentiality', 'integer').execute();
  await db.schema.alterTable('asset').addColumn('integrity', 'integer').execute();
  await db.schema.alterTable('asset').addColumn('availability', 'integer').execute();

  // Where security logs come from. A syslog sender not yet known has no organisation (to triage).
  await db.schema
    .createTable('security_source')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // syslog, http, file
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('ip', 'text')
    // CMDB asset (assets module; no foreign key across modules)
    .addColumn('asset_id', 'text')
    .addColumn('last_seen_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('security_source_org_name_idx')
    .on('security_source')
    .columns(['org_id', 'name'])
    .execute();
  await db.schema.createIndex('security_source_ip_idx').on('security_source').columns(['ip']).execute();

  // Counters per source: received, stored, rejected:<reason>, dropped:<reason>; added to, never rewritten.
  await db.schema
    .createTable('security_source_counter')
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('count', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('security_source_counter_pk', ['source_id', 'name'])
    .execute();

  // Event ids are integers handed out in blocks (one UPDATE per block), so the ingestion path knows an
  // event's id before it is written: the detection engine's evidence references are those ids.
  await db.schema
    .createTable('security_id_block')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_id', bigint, (c) => c.notNull())
    .execute();
  await db.insertInto('security_id_block').values({ name: 'event', next_id: 1 }).execute();

  await db.schema
    .createTable('security_event')
    .addColumn('id', bigint, (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('time', ts, (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('program', 'text')
    .addColumn('pid', 'integer')
    .addColumn('user_name', 'text')
    .addColumn('target_user', 'text')
    .addColumn('group_name', 'text')
    .addColumn('src_ip', 'text')
    .addColumn('src_port', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('detail', 'text')
    .addColumn('event_id', 'integer')
    .addColumn('repeat_count', 'integer', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .execute();
  // The explorer: by time, by source address, by user, each within an organisation.
  await db.schema
    .createIndex('security_event_org_time_idx')
    .on('security_event')
    .columns(['org_id', 'time', 'id'])
    .execute();
  await db.schema
    .createIndex('security_event_org_ip_idx')
    .on('security_event')
    .columns(['org_id', 'src_ip', 'time'])
    .execute();
  await db.schema
    .createIndex('security_event_org_user_idx')
    .on('security_event')
    .columns(['org_id', 'user_name', 'time'])
    .execute();

  // The security officer's rules, and the built-in rules an organisation turned off (yaml null).
  await db.schema
    .createTable('security_rule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('builtin', bool, (c) => c.notNull())
    .addColumn('yaml', 'text')
    .addColumn('enabled', bool, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('security_rule_org_rule_idx')
    .on('security_rule')
    .columns(['org_id', 'rule_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('security_incident')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    // SEC-000001: the organisation's counter, for people.
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('rule_severity', 'text', (c) => c.notNull())
    // The rule's group-by values: one attacker of one rule within the grouping window is one incident.
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('group_values', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('asset_ids', json, (c) => c.notNull())
    .addColumn('users', json, (c) => c.notNull())
    .addColumn('sources', json, (c) => c.notNull())
    .addColumn('hosts', json, (c) => c.notNull())
    .addColumn('ticket_ids', json, (c) => c.notNull())
    .addColumn('first_seen', ts, (c) => c.notNull())
    .addColumn('last_seen', ts, (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('detected_at', ts, (c) => c.notNull())
    .addColumn('alerted_at', ts)
    .addColumn('acknowledged_at', ts)
    .addColumn('escalated_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('security_incident_org_created_idx')
    .on('security_incident')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('security_incident_group_idx')
    .on('security_incident')
    .columns(['org_id', 'rule_id', 'group_key', 'last_seen'])
    .execute();
  await db.schema
    .createIndex('security_incident_status_idx')
    .on('security_incident')
    .columns(['status', 'severity', 'created_at'])
    .execute();

  // Evidence: a copy of each event's key fields and raw line, so it outlives the events' retention.
  await db.schema
    .createTable('security_incident_event')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('security_incident.id'))
    .addColumn('event_id', bigint, (c) => c.notNull())
    .addColumn('time', ts, (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('user_name', 'text')
    .addColumn('src_ip', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_incident_event_pk', ['incident_id', 'event_id'])
    .execute();

  // Per organisation: retention, the alert webhook (secret sealed), the ingest token (hashed).
  await db.schema
    .createTable('security_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisation.id'))
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret_sealed', 'text')
    .addColumn('ingest_token_hash', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  // In-app notifications, per person.
  await db.schema
    .createTable('security_notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('read_at', ts)
    .execute();
  await db.schema
    .createIndex('security_notification_user_idx')
    .on('security_notification')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
}
