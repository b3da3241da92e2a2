import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_assets.js';
import * as m0003 from './0003_saved_searches.js';
import * as m0004 from './0004_files.js';
import * as m0005 from './0005_rack_positions.js';
import * as m0006 from './0006_inventory.js';
import * as m0007 from './0007_helpdesk.js';
import * as m0008 from './0008_kb.js';
import * as m0009 from './0009_channels.js';
import * as m0010 from './0010_diagnostics.js';
import * as m0011 from './0011_asset_filter_index.js';
import * as m0012 from './0012_group_support_contact.js';
import * as m0013 from './0013_ticket_planned.js';
import * as m0014 from './0014_software_index.js';
import * as m0015 from './0015_reports.js';
import * as m0016 from './0016_security.js';
import * as m0017 from './0017_stock.js';
import * as m0018 from './0018_workorders.js';
import * as m0019 from './0019_disposal.js';
import * as m0020 from './0020_planning.js';
import * as m0021 from './0021_security_event_blocks.js';

export type Migration = {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
  up(db: Kysely<any>, dialect: DialectHelpers): Promise<void>;
};

/** The static, ordered list of migrations. Append only. */
export const migrations: Migration[] = [
  { name: '0001_foundation', up: m0001.up },
  { name: '0002_assets', up: m0002.up },
  { name: '0003_saved_searches', up: m0003.up },
  { name: '0004_files', up: m0004.up },
  { name: '0005_rack_positions', up: m0005.up },
  { name: '0006_inventory', up: m0006.up },
  { name: '0007_helpdesk', up: m0007.up },
  { name: '0008_kb', up: m0008.up },
  { name: '0009_channels', up: m0009.up },
  { name: '0010_diagnostics', up: m0010.up },
  { name: '0011_asset_filter_index', up: m0011.up },
  { name: '0012_group_support_contact', up: m0012.up },
  { name: '0013_ticket_planned', up: m0013.up },
  { name: '0014_software_index', up: m0014.up },
  { name: '0015_reports', up: m0015.up },
  { name: '0016_security', up: m0016.up },
  { name: '0017_stock', up: m0017.up },
  { name: '0019_disposal', up: m0019.up },
  { name: '0018_workorders', up: m0018.up },
  { name: '0020_planning', up: m0020.up },
  { name: '0021_security_event_blocks', up: m0021.up },
];
