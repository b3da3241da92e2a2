/**
 * The GLPI agent's JSON inventory format (glpi-project/inventory_format), the subset Parc's agent fills,
 * plus one extension, `content.updates`. Units follow the GLPI agent: memory and memory modules in MiB
 * ("MB"), disk sizes in decimal MB, CPU speed in MHz, memory speed as a string in MHz (MT/s).
 */

export type GlpiHardware = {
  name?: string | undefined;
  uuid?: string | undefined;
  /** Total memory, MB. */
  memory?: number | undefined;
  /** Swap, MB. */
  swap?: number | undefined;
  vmsystem?: string | undefined;
  chassis_type?: string | undefined;
  lastloggeduser?: string | undefined;
  defaultgateway?: string | undefined;
  /** Resolvers, "/"-separated. */
  dns?: string | undefined;
  workgroup?: string | undefined;
  /** Seconds the inventory took. */
  etime?: number | undefined;
};

export type GlpiBios = {
  /** System serial number. */
  ssn?: string | undefined;
  smanufacturer?: string | undefined;
  smodel?: string | undefined;
  skunumber?: string | undefined;
  bmanufacturer?: string | undefined;
  bversion?: string | undefined;
  /** YYYY-MM-DD when the system says so. */
  bdate?: string | undefined;
  biosserial?: string | undefined;
  /** Motherboard serial number. */
  msn?: string | undefined;
  mmanufacturer?: string | undefined;
  mmodel?: string | undefined;
  assettag?: string | undefined;
};

export type GlpiOperatingSystem = {
  name?: string | undefined;
  version?: string | undefined;
  full_name?: string | undefined;
  arch?: string | undefined;
  kernel_name?: string | undefined;
  kernel_version?: string | undefined;
  fqdn?: string | undefined;
  dns_domain?: string | undefined;
  service_pack?: string | undefined;
  boot_time?: string | undefined;
  timezone?: { name: string; offset: string } | undefined;
};

export type GlpiCpu = {
  name?: string | undefined;
  manufacturer?: string | undefined;
  /** Cores of this processor. */
  core?: number | undefined;
  /** Threads per core. */
  thread?: number | undefined;
  /** MHz. */
  speed?: number | undefined;
  familynumber?: string | undefined;
  model?: string | undefined;
  stepping?: number | undefined;
};

export type GlpiMemory = {
  /** MB. */
  capacity?: number | undefined;
  caption?: string | undefined;
  description?: string | undefined;
  type?: string | undefined;
  /** MHz, as a string (the schema's type). */
  speed?: string | undefined;
  serialnumber?: string | undefined;
  manufacturer?: string | undefined;
  model?: string | undefined;
  numslots?: number | undefined;
};

export type GlpiStorage = {
  name?: string | undefined;
  model?: string | undefined;
  manufacturer?: string | undefined;
  serial?: string | undefined;
  /** Decimal MB. */
  disksize?: number | undefined;
  type?: string | undefined;
  description?: string | undefined;
  interface?: string | undefined;
  firmware?: string | undefined;
};

/** One entry per address, as the GLPI agent does; an interface without address has one entry. */
export type GlpiNetwork = {
  description: string;
  mac?: string | undefined;
  ipaddress?: string | undefined;
  ipmask?: string | undefined;
  ipsubnet?: string | undefined;
  ipaddress6?: string | undefined;
  ipmask6?: string | undefined;
  ipgateway?: string | undefined;
  virtualdev: boolean;
  status: 'up' | 'down';
  type?: string | undefined;
  /** Mbit/s, as a string. */
  speed?: string | undefined;
  mtu?: number | undefined;
};

export type GlpiSoftware = {
  name: string;
  version?: string | undefined;
  publisher?: string | undefined;
  arch?: string | undefined;
  /** "deb", "rpm", "registry", "system_profiler". */
  from?: string | undefined;
  /** YYYY-MM-DD. */
  install_date?: string | undefined;
  /** Bytes. */
  filesize?: number | undefined;
  system_category?: string | undefined;
  guid?: string | undefined;
  comments?: string | undefined;
};

export type GlpiUser = { login: string; domain?: string | undefined };

export type GlpiAntivirus = {
  name: string;
  company?: string | undefined;
  enabled?: boolean | undefined;
  uptodate?: boolean | undefined;
  version?: string | undefined;
  base_version?: string | undefined;
  guid?: string | undefined;
};

export type GlpiFirewall = {
  description: string;
  status: 'on' | 'off';
  profile?: string | undefined;
};

/** Parc's extension: an update the package manager or Windows Update would install. */
export type GlpiUpdate = {
  name: string;
  /** The version it would install (apt, dnf) or the KB number(s) (Windows). */
  version?: string | undefined;
  /** From a security origin (apt), a security advisory (dnf) or a security category (Windows). */
  security: boolean;
  /** "apt", "dnf", "windows-update". */
  source?: string | undefined;
};

export type GlpiContent = {
  versionclient: string;
  accesslog?: { logdate: string };
  hardware?: GlpiHardware;
  bios?: GlpiBios;
  operatingsystem?: GlpiOperatingSystem;
  cpus?: GlpiCpu[];
  memories?: GlpiMemory[];
  storages?: GlpiStorage[];
  networks?: GlpiNetwork[];
  softwares?: GlpiSoftware[];
  users?: GlpiUser[];
  antivirus?: GlpiAntivirus[];
  firewalls?: GlpiFirewall[];
  updates?: GlpiUpdate[];
};

export type GlpiInventory = {
  action: 'inventory';
  deviceid: string;
  itemtype: 'Computer';
  tag?: string | undefined;
  content: GlpiContent;
};
