import { asArray, CommandError, findCommand, powershellJson, run } from '../exec.js';
import type { GlpiAntivirus, GlpiFirewall } from '../glpi.js';
import { clean } from '../util.js';
import type { CollectContext } from './sources.js';

// SecurityCenter2 lists every registered antivirus on client editions; Windows Server has no
// SecurityCenter2, so Defender's own status (Get-MpComputerStatus) fills in, and adds its versions.
const WINDOWS_ANTIVIRUS_SCRIPT = `
$out = New-Object System.Collections.Generic.List[object]
try {
  foreach ($p in @(Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName AntiVirusProduct -ErrorAction Stop)) {
    $out.Add([pscustomobject]@{ name = [string]$p.displayName; guid = [string]$p.instanceGuid; productState = [int64]$p.productState })
  }
} catch { }
try {
  $mp = Get-MpComputerStatus -ErrorAction Stop
  $outOfDate = $mp.DefenderSignaturesOutOfDate
  if ($null -eq $outOfDate) { $outOfDate = $mp.AntivirusSignatureAge -gt 7 }
  $out.Add([pscustomobject]@{
    name = 'Microsoft Defender Antivirus'; defender = $true
    enabled = [bool]$mp.AntivirusEnabled; uptodate = -not [bool]$outOfDate
    version = [string]$mp.AMProductVersion; baseVersion = [string]$mp.AntivirusSignatureVersion
  })
} catch { }
ConvertTo-Json -InputObject @($out) -Compress -Depth 3
`;

/**
 * SecurityCenter2's productState packs the state in bytes: 0x1000 set = real-time protection on, 0x10
 * set = signatures out of date.
 */
export function decodeProductState(state: number): { enabled: boolean; uptodate: boolean } {
  return { enabled: (state & 0x1000) !== 0, uptodate: (state & 0x10) === 0 };
}

/** The objects WINDOWS_ANTIVIRUS_SCRIPT prints, Defender's status merged into its SecurityCenter2 entry. */
export function mapWindowsAntivirus(value: unknown): GlpiAntivirus[] {
  const items = asArray(value);
  const defender = items.find((i) => i.defender === true);
  const result: GlpiAntivirus[] = [];
  for (const item of items) {
    if (item.defender === true) continue;
    const name = clean(item.name);
    if (!name) continue;
    const state = typeof item.productState === 'number' ? decodeProductState(item.productState) : {};
    const entry: GlpiAntivirus = { name, guid: clean(item.guid), ...state };
    if (defender && /defender/i.test(name)) {
      entry.company = 'Microsoft Corporation';
      entry.version = clean(defender.version);
      entry.base_version = clean(defender.baseVersion);
    }
    result.push(entry);
  }
  if (defender && !result.some((r) => /defender/i.test(r.name))) {
    result.push({
      name: clean(defender.name) ?? 'Microsoft Defender Antivirus',
      company: 'Microsoft Corporation',
      enabled: defender.enabled === true,
      uptodate: defender.uptodate === true,
      version: clean(defender.version),
      base_version: clean(defender.baseVersion),
    });
  }
  return result;
}

/** Windows only: Linux and macOS expose no common antivirus status, so the section is left out. */
export async function collectAntivirus(ctx: CollectContext): Promise<GlpiAntivirus[] | undefined> {
  if (ctx.platform !== 'win32') return undefined;
  return mapWindowsAntivirus(await powershellJson(WINDOWS_ANTIVIRUS_SCRIPT, ctx.timeoutMs));
}

const WINDOWS_FIREWALL_SCRIPT = `
$out = @(Get-NetFirewallProfile -ErrorAction Stop | ForEach-Object {
  [pscustomobject]@{ profile = [string]$_.Name; enabled = ([string]$_.Enabled -eq 'True') }
})
ConvertTo-Json -InputObject $out -Compress -Depth 3
`;

export function mapWindowsFirewalls(value: unknown): GlpiFirewall[] {
  return asArray(value).flatMap((item) => {
    const profile = clean(item.profile);
    if (!profile) return [];
    return [
      {
        description: `Windows Defender Firewall (${profile})`,
        profile: `${profile}Profile`,
        status: item.enabled === true ? 'on' : 'off',
      } satisfies GlpiFirewall,
    ];
  });
}

/** An nftables ruleset filters when it has a filter base chain (one hooked into the kernel); NAT alone does not. */
export function nftablesActive(ruleset: string): boolean {
  return /\btype\s+filter\s+hook\b/.test(ruleset);
}

/**
 * Linux: the state of ufw, firewalld and nftables, for each one installed. Each needs root; one that
 * cannot answer is left out. When none is installed the section is left out (unknown, not "none").
 */
async function linuxFirewalls(timeoutMs: number): Promise<GlpiFirewall[] | undefined> {
  const checks: Array<{ name: string; run: (file: string) => Promise<'on' | 'off' | undefined> }> = [
    {
      name: 'ufw',
      run: async (file) => {
        const r = await run(file, ['status'], { timeoutMs });
        const match = /^Status:\s*(\w+)/m.exec(r.stdout);
        return match ? (match[1] === 'active' ? 'on' : 'off') : undefined;
      },
    },
    {
      name: 'firewall-cmd',
      run: async (file) => {
        // "running" (0) or "not running" (252).
        const r = await run(file, ['--state'], { timeoutMs });
        const text = `${r.stdout}${r.stderr}`.trim();
        if (text === 'running') return 'on';
        return /not running/.test(text) ? 'off' : undefined;
      },
    },
    {
      name: 'nft',
      run: async (file) => {
        const r = await run(file, ['list', 'ruleset'], { timeoutMs });
        if (r.code !== 0) return undefined;
        return nftablesActive(r.stdout) ? 'on' : 'off';
      },
    },
  ];
  const present = checks.flatMap((check) => {
    const file = findCommand(check.name);
    return file ? [{ ...check, file }] : [];
  });
  if (present.length === 0) return undefined;
  const results = await Promise.all(
    present.map(async (check) => {
      try {
        const status = await check.run(check.file);
        const description =
          check.name === 'firewall-cmd' ? 'firewalld' : check.name === 'nft' ? 'nftables' : 'ufw';
        return status ? [{ description, status } satisfies GlpiFirewall] : [];
      } catch (error) {
        if (error instanceof CommandError) return [];
        throw error;
      }
    }),
  );
  const answered = results.flat();
  return answered.length > 0 ? answered : undefined;
}

async function macFirewall(timeoutMs: number): Promise<GlpiFirewall[] | undefined> {
  const file = '/usr/libexec/ApplicationFirewall/socketfilterfw';
  const r = await run(file, ['--getglobalstate'], { timeoutMs });
  if (r.code !== 0) return undefined;
  return [{ description: 'macOS Application Firewall', status: /enabled/i.test(r.stdout) ? 'on' : 'off' }];
}

export async function collectFirewalls(ctx: CollectContext): Promise<GlpiFirewall[] | undefined> {
  switch (ctx.platform) {
    case 'win32':
      return mapWindowsFirewalls(await powershellJson(WINDOWS_FIREWALL_SCRIPT, ctx.timeoutMs));
    case 'darwin':
      return macFirewall(ctx.timeoutMs);
    default:
      return linuxFirewalls(ctx.timeoutMs);
  }
}
