/**
 * One device's inventory, whatever agent sent it (OCS/FusionInventory XML, GLPI agent JSON, parc-agent,
 * which speaks the GLPI agent's JSON). The parsers fill it; reconciliation reads only this.
 *
 * A section left undefined was not sent: in a partial inventory (GLPI agent `"partial": true`) that
 * means "unchanged", never "deleted". An empty array means "the agent reports none".
 * Strings are trimmed; empty strings become undefined. Sizes are in MB, speeds in MHz.
 */
export type Inventory = {
  /** The agent's stable id for this install (DEVICEID / deviceid). */
  deviceId: string;
  /** The id the agent had before (OCS OLD_DEVICEID): the same machine, re-installed agent. */
  oldDeviceId?: string | undefined;
  /** "FusionInventory-Agent_v2.6-3", "GLPI-Agent_v1.12-dev", "parc-agent/0.1.0". */
  agentVersion?: string | undefined;
  /** The agent's TAG (OCS ACCOUNTINFO KEYNAME=TAG, GLPI `tag`), used by organisation rules. */
  tag?: string | undefined;
  partial: boolean;
  /** Computer, or what the agent says it inventoried. */
  itemType: string;
  hardware?: {
    name?: string | undefined;
    uuid?: string | undefined;
    domain?: string | undefined;
    /** Total memory in MB. */
    memoryMb?: number | undefined;
    chassisType?: string | undefined;
    vmSystem?: string | undefined;
    lastLoggedUser?: string | undefined;
    defaultGateway?: string | undefined;
    dns?: string | undefined;
  };
  bios?: {
    serial?: string | undefined;
    manufacturer?: string | undefined;
    /** System model (SMODEL / smodel). */
    model?: string | undefined;
    version?: string | undefined;
    date?: string | undefined;
    assetTag?: string | undefined;
    /** Motherboard serial (MSN / msn). */
    boardSerial?: string | undefined;
  };
  os?: {
    name?: string | undefined;
    version?: string | undefined;
    fullName?: string | undefined;
    arch?: string | undefined;
    kernelName?: string | undefined;
    kernelVersion?: string | undefined;
    fqdn?: string | undefined;
  };
  cpus?: Array<{
    name?: string | undefined;
    manufacturer?: string | undefined;
    cores?: number | undefined;
    threads?: number | undefined;
    speedMhz?: number | undefined;
  }>;
  memories?: Array<{
    capacityMb?: number | undefined;
    type?: string | undefined;
    speedMhz?: number | undefined;
    serial?: string | undefined;
    slot?: string | undefined;
  }>;
  storages?: Array<{
    name?: string | undefined;
    model?: string | undefined;
    manufacturer?: string | undefined;
    serial?: string | undefined;
    sizeMb?: number | undefined;
    type?: string | undefined;
  }>;
  networks?: Array<{
    description?: string | undefined;
    /** Lower case, colon-separated. */
    mac?: string | undefined;
    ipv4?: string | undefined;
    ipv6?: string | undefined;
    mask?: string | undefined;
    /** Loopback, bridges, docker and other software interfaces. */
    virtual: boolean;
    /** Lower case: "up", "down". */
    status?: string | undefined;
    /** The agent's interface type: "ethernet", "wifi", "loopback", "bridge"… */
    type?: string | undefined;
  }>;
  software?: Array<{
    name: string;
    version?: string | undefined;
    publisher?: string | undefined;
    arch?: string | undefined;
    installDate?: string | undefined;
  }>;
  /** Users logged in (OCS USERS / GLPI users). */
  users?: Array<{ login: string; domain?: string | undefined }>;
  antivirus?: Array<{
    name: string;
    enabled?: boolean | undefined;
    upToDate?: boolean | undefined;
    version?: string | undefined;
  }>;
  firewalls?: Array<{ name: string; status?: string | undefined }>;
  /** Pending updates (parc-agent: apt, dnf, Windows Update). */
  updates?: Array<{ name: string; version?: string | undefined; security?: boolean | undefined }>;
};

/** What an agent asks for in one request. */
export type AgentMessage =
  /** OCS/FusionInventory PROLOG: "anything for me?" */
  | { kind: 'prolog'; deviceId: string; token?: string | undefined }
  /** GLPI agent CONTACT: announces its tasks. */
  | {
      kind: 'contact';
      deviceId: string;
      agentVersion?: string | undefined;
      tag?: string | undefined;
      /** The tasks the agent would run ("inventory", "deploy", "netdiscovery"…), lower case. */
      enabledTasks?: string[] | undefined;
    }
  | { kind: 'inventory'; format: 'ocs-xml' | 'glpi-json'; inventory: Inventory };
