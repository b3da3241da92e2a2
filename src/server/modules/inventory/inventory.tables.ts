export type InventoryTokenTable = {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

export type InventoryRuleKind = 'ip_range' | 'tag' | 'hostname';

export type InventoryRuleTable = {
  id: string;
  org_id: string;
  kind: InventoryRuleKind;
  pattern: string;
  priority: number;
  created_at: string;
  updated_at: string;
  version: number;
};

export type DeviceStatus = 'active' | 'pending';

export type InventoryDeviceTable = {
  id: string;
  /** The agent's own id (DEVICEID / deviceid). */
  device_id: string;
  org_id: string | null;
  asset_id: string | null;
  status: DeviceStatus;
  hostname: string | null;
  hw_uuid: string | null;
  serial: string | null;
  model: string | null;
  agent_version: string | null;
  format: string;
  tag: string | null;
  last_ip: string | null;
  first_seen_at: string;
  last_contact_at: string;
  last_inventory_at: string | null;
  /** SHA-256 of the last inventory body as received (inflated): the same body again changes nothing. */
  body_hash: string | null;
  /** SHA-256 of the merged inventory's canonical JSON. */
  content_hash: string | null;
  /** The merged inventory's canonical JSON, deflated (stored-inventory.ts): the base a partial one merges on. */
  inventory_z: Uint8Array | null;
  /** A summary of the merged inventory for the lists (summaryOf in reconcile.ts). */
  os: string | null;
  manufacturer: string | null;
  cpu: string | null;
  memory_mb: number | null;
  disk_mb: number | null;
  updated_at: string;
  version: number;
};

export type InventoryDeviceMacTable = { device_row_id: string; mac: string };

export type InventoryErrorTable = {
  id: string;
  at: string;
  org_id: string | null;
  device_id: string | null;
  ip: string | null;
  agent: string | null;
  reason: string;
  detail: string | null;
};

export type SoftwareTable = {
  id: string;
  org_id: string;
  publisher: string;
  name: string;
  /** Folded "publisher|name": one software whatever the case and accents. */
  match_key: string;
  created_at: string;
};

export type SoftwareVersionTable = { id: string; software_id: string; version: string };

export type SoftwareInstallationTable = {
  asset_id: string;
  version_id: string;
  arch: string;
  installed_on: string | null;
  first_seen_at: string;
};

/** Which assets have a version, by version: "where is version X installed" reads it (migration 0014). */
export type SoftwareVersionAssetTable = { version_id: string; asset_id: string; arch: string };

/** SQLite: installations changed but not yet in software_version_asset (installations.service.ts). */
export type SoftwareIndexQueueTable = {
  id: string;
  asset_id: string;
  /** JSON [[version id, arch], …] of the keys a sync touched; null: all the asset's installations. */
  entries: string | null;
  queued_at: string;
};
