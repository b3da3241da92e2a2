import { createRequire } from 'node:module';

// Replaced by scripts/build-agent.mjs with the version of package.json; unbundled (tests, tsx) the
// agent reads package.json itself.
declare const __PARC_AGENT_VERSION__: string | undefined;

function readVersion(): string {
  if (typeof __PARC_AGENT_VERSION__ === 'string') return __PARC_AGENT_VERSION__;
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0-dev';
  } catch {
    return '0.0.0-dev';
  }
}

export const AGENT_VERSION = readVersion();
/** The GLPI agent's `versionclient` convention: `<Name>_v<version>`. */
export const VERSION_CLIENT = `Parc-Agent_v${AGENT_VERSION}`;
