import type { Generated } from 'kysely';
import type { JobTable, OutboxTable, ScheduleTable } from '../jobs/jobs.tables.js';
import type {
  AssetExpiryNoticeTable,
  AssetHistoryTable,
  AssetModelTable,
  AssetRelationTable,
  AssetTable,
  AssetTypeTable,
  LocationTable,
  PartyTable,
} from '../modules/assets/assets.tables.js';
import type { AuditLogTable } from '../modules/audit/audit.tables.js';
import type {
  ApiTokenTable,
  AuthSessionTable,
  RateLimitTable,
  UserCredentialTable,
} from '../modules/auth/auth.tables.js';
import type {
  DiagnosticNodeTable,
  DiagnosticTreeTable,
  DiagnosticTreeVersionTable,
} from '../modules/diagnostics/diagnostics.tables.js';
import type {
  DataWipeTable,
  DisposalBatchTable,
  DisposalItemTable,
} from '../modules/disposal/disposal.tables.js';
import type { FileBlobTable } from '../modules/files/files.tables.js';
import type {
  HelpdeskAlertTable,
  HelpdeskAlertTokenTable,
  HelpdeskMailAttachmentTable,
  HelpdeskMailboxTable,
  HelpdeskMailMessageTable,
  HelpdeskNotificationTable,
} from '../modules/helpdesk/channels/channels.tables.js';
import type {
  HelpdeskSettingsTable,
  TicketAssetTable,
  TicketCategoryTable,
  TicketEventTable,
  TicketTable,
  TicketTaskTable,
} from '../modules/helpdesk/helpdesk.tables.js';
import type {
  InventoryDeviceMacTable,
  InventoryDeviceTable,
  InventoryErrorTable,
  InventoryRuleTable,
  InventoryTokenTable,
  SoftwareIndexQueueTable,
  SoftwareInstallationTable,
  SoftwareTable,
  SoftwareVersionAssetTable,
  SoftwareVersionTable,
} from '../modules/inventory/inventory.tables.js';
import type { KbArticleTable, KbArticleVersionTable } from '../modules/kb/kb.tables.js';
import type { MailOutgoingTable, MailTemplateTable } from '../modules/mail/mail.tables.js';
import type {
  AppUserTable,
  CounterTable,
  GroupMemberTable,
  OrganisationTable,
  UserGroupTable,
  UserRoleTable,
} from '../modules/orgs/orgs.tables.js';
import type { ReportScheduleTable } from '../modules/reports/reports.tables.js';
import type { SavedSearchTable } from '../modules/searches/searches.tables.js';
import type {
  SecurityEventBlockTable,
  SecurityIdBlockTable,
  SecurityIncidentEventTable,
  SecurityIncidentTable,
  SecurityNotificationTable,
  SecurityRuleTable,
  SecuritySettingsTable,
  SecuritySourceCounterTable,
  SecuritySourceTable,
} from '../modules/security/security.tables.js';
import type {
  PurchaseOrderLineTable,
  PurchaseOrderTable,
  StockArticleTable,
  StockLevelTable,
  StockLocationTable,
  StockMovementTable,
  StockReservationTable,
  StockTakeLineTable,
  StockTakeTable,
} from '../modules/stock/stock.tables.js';
import type {
  CalendarTokenTable,
  PlanningSettingTable,
  UserUnavailabilityTable,
  WorkOrderCheckTable,
  WorkOrderItemTable,
  WorkOrderReminderTable,
  WorkOrderTable,
  WorkOrderTestRunTable,
  WorkOrderTestTable,
  WorkOrderUnitTable,
} from '../modules/workorders/workorders.tables.js';

/** The whole database as Kysely sees it; each module declares its own tables in `<module>.tables.ts`. */
export type Database = {
  schema_migration: { name: string; applied_at: string };
  organisation: OrganisationTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  user_group: UserGroupTable;
  group_member: GroupMemberTable;
  counter: CounterTable;
  user_credential: UserCredentialTable;
  auth_session: AuthSessionTable;
  api_token: ApiTokenTable;
  rate_limit: RateLimitTable;
  audit_log: Omit<AuditLogTable, 'seq'> & { seq: Generated<number> };
  outbox: OutboxTable;
  job: JobTable;
  schedule: ScheduleTable;
  location: LocationTable;
  manufacturer: PartyTable;
  supplier: PartyTable;
  asset_type: AssetTypeTable;
  asset_model: AssetModelTable;
  asset: AssetTable;
  asset_relation: AssetRelationTable;
  asset_history: AssetHistoryTable;
  asset_expiry_notice: AssetExpiryNoticeTable;
  saved_search: SavedSearchTable;
  file_blob: FileBlobTable;
  inventory_token: InventoryTokenTable;
  inventory_rule: InventoryRuleTable;
  inventory_device: InventoryDeviceTable;
  inventory_device_mac: InventoryDeviceMacTable;
  inventory_error: InventoryErrorTable;
  software: SoftwareTable;
  software_version: SoftwareVersionTable;
  software_installation: SoftwareInstallationTable;
  /** A view on PostgreSQL, a table written in batches on SQLite (migration 0014). */
  software_version_asset: SoftwareVersionAssetTable;
  software_index_queue: SoftwareIndexQueueTable;
  ticket_category: TicketCategoryTable;
  helpdesk_settings: HelpdeskSettingsTable;
  ticket: TicketTable;
  ticket_asset: TicketAssetTable;
  ticket_event: TicketEventTable;
  ticket_task: TicketTaskTable;
  kb_article: KbArticleTable;
  kb_article_version: KbArticleVersionTable;
  diagnostic_tree: DiagnosticTreeTable;
  diagnostic_node: DiagnosticNodeTable;
  diagnostic_tree_version: DiagnosticTreeVersionTable;
  mail_outgoing: MailOutgoingTable;
  mail_template: MailTemplateTable;
  helpdesk_mailbox: HelpdeskMailboxTable;
  helpdesk_mail_message: HelpdeskMailMessageTable;
  helpdesk_mail_attachment: HelpdeskMailAttachmentTable;
  helpdesk_notification: HelpdeskNotificationTable;
  helpdesk_alert: HelpdeskAlertTable;
  helpdesk_alert_token: HelpdeskAlertTokenTable;
  report_schedule: ReportScheduleTable;
  stock_location: StockLocationTable;
  stock_article: StockArticleTable;
  stock_level: StockLevelTable;
  stock_movement: StockMovementTable;
  stock_reservation: StockReservationTable;
  purchase_order: PurchaseOrderTable;
  purchase_order_line: PurchaseOrderLineTable;
  stock_take: StockTakeTable;
  stock_take_line: StockTakeLineTable;
  disposal_batch: DisposalBatchTable;
  disposal_item: DisposalItemTable;
  data_wipe: DataWipeTable;
  work_order: WorkOrderTable;
  work_order_item: WorkOrderItemTable;
  work_order_unit: WorkOrderUnitTable;
  work_order_check: WorkOrderCheckTable;
  work_order_test: WorkOrderTestTable;
  work_order_test_run: WorkOrderTestRunTable;
  user_unavailability: UserUnavailabilityTable;
  calendar_token: CalendarTokenTable;
  work_order_reminder: WorkOrderReminderTable;
  planning_setting: PlanningSettingTable;
  security_source: SecuritySourceTable;
  security_source_counter: SecuritySourceCounterTable;
  security_id_block: SecurityIdBlockTable;
  security_event_block: SecurityEventBlockTable;
  security_rule: SecurityRuleTable;
  security_incident: SecurityIncidentTable;
  security_incident_event: SecurityIncidentEventTable;
  security_settings: SecuritySettingsTable;
  security_notification: SecurityNotificationTable;
};
