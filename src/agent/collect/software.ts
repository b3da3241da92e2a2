import fs from 'node:fs/promises';
import { asArray, findCommand, powershellJson, run } from '../exec.js';
import type { GlpiSoftware } from '../glpi.js';
import { clean, positive } from '../util.js';
import type { CollectContext } from './sources.js';

const DPKG_STATUS = '/var/lib/dpkg/status';

/** Debian's many maintainer teams are one publisher; others keep their name, without the address. */
export function publisherFromMaintainer(maintainer: string | undefined): string | undefined {
  if (!maintainer) return undefined;
  const email = /<([^>]+)>/.exec(maintainer)?.[1]?.toLowerCase() ?? '';
  if (/@(?:[\w.-]+\.)?debian\.(?:org|net)$/.test(email)) return 'Debian';
  return clean(maintainer.replace(/<[^>]*>/g, ''));
}

/** The installed packages of a dpkg status file (/var/lib/dpkg/status). */
export function parseDpkgStatus(text: string): GlpiSoftware[] {
  const softwares: GlpiSoftware[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    for (const line of paragraph.split('\n')) {
      if (line.startsWith(' ') || line.startsWith('\t')) continue; // continuation (Description, Conffiles)
      const colon = line.indexOf(':');
      if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
    const name = clean(fields.Package);
    // "install ok installed", "hold ok installed"; not "deinstall ok config-files", "half-installed".
    if (!name || fields.Status?.split(/\s+/)[2] !== 'installed') continue;
    const size = positive(fields['Installed-Size']);
    softwares.push({
      name,
      version: clean(fields.Version),
      arch: clean(fields.Architecture),
      publisher: publisherFromMaintainer(fields.Maintainer),
      from: 'deb',
      filesize: size ? Math.round(size * 1024) : undefined,
      system_category: clean(fields.Section),
    });
  }
  return softwares;
}

// dpkg-query's own ${Field} syntax, one line per package, tab-separated.
const DPKG_QUERY_FIELDS = ['Package', 'Version', 'Architecture', 'Maintainer', 'Installed-Size', 'Section'];
const DPKG_QUERY_FORMAT = `${[...DPKG_QUERY_FIELDS, 'db:Status-Abbrev'].map((f) => `\${${f}}`).join('\t')}\n`;

/** `dpkg-query -W -f` lines, fields as in DPKG_QUERY_FORMAT (the status abbreviation last). */
export function parseDpkgQuery(text: string): GlpiSoftware[] {
  const softwares: GlpiSoftware[] = [];
  for (const line of text.split('\n')) {
    const [name, version, arch, maintainer, size, section, status] = line.split('\t');
    if (!clean(name) || !status?.startsWith('ii')) continue;
    const kib = positive(size);
    softwares.push({
      name: (name ?? '').trim(),
      version: clean(version),
      arch: clean(arch),
      publisher: publisherFromMaintainer(maintainer),
      from: 'deb',
      filesize: kib ? Math.round(kib * 1024) : undefined,
      system_category: clean(section),
    });
  }
  return softwares;
}

async function dpkgSoftwares(timeoutMs: number): Promise<GlpiSoftware[] | undefined> {
  try {
    return parseDpkgStatus(await fs.readFile(DPKG_STATUS, 'utf8'));
  } catch {
    // not readable: ask dpkg-query, when there is one
  }
  const dpkgQuery = findCommand('dpkg-query');
  if (!dpkgQuery) return undefined;
  const result = await run(dpkgQuery, ['-W', '-f', DPKG_QUERY_FORMAT], { timeoutMs });
  if (result.code !== 0)
    throw new Error(`dpkg-query exited with code ${result.code}: ${firstLine(result.stderr)}`);
  return parseDpkgQuery(result.stdout);
}

const RPM_QUERY_FORMAT =
  '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\t%{INSTALLTIME}\\t%{SIZE}\\t%{GROUP}\\n';

function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `rpm -qa --queryformat` lines, fields as in RPM_QUERY_FORMAT. */
export function parseRpmQuery(text: string): GlpiSoftware[] {
  const softwares: GlpiSoftware[] = [];
  for (const line of text.split('\n')) {
    const [name, version, arch, vendor, installTime, size, group] = line.split('\t');
    const pkg = clean(name);
    // gpg-pubkey "packages" are the keys rpm trusts, not software.
    if (!pkg || pkg === 'gpg-pubkey') continue;
    const none = (v: string | undefined) => (v === '(none)' ? undefined : clean(v));
    const installed = positive(installTime);
    softwares.push({
      name: pkg,
      version: none(version),
      arch: none(arch),
      publisher: none(vendor),
      from: 'rpm',
      install_date: installed ? isoDate(new Date(installed * 1000)) : undefined,
      filesize: positive(size),
      system_category: none(group),
    });
  }
  return softwares;
}

async function rpmSoftwares(timeoutMs: number): Promise<GlpiSoftware[] | undefined> {
  const rpm = findCommand('rpm');
  if (!rpm) return undefined;
  const result = await run(rpm, ['-qa', '--queryformat', RPM_QUERY_FORMAT], { timeoutMs });
  if (result.code !== 0) throw new Error(`rpm exited with code ${result.code}: ${firstLine(result.stderr)}`);
  return parseRpmQuery(result.stdout);
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}

// The machine's and every loaded user hive's Uninstall keys (running as SYSTEM, HKCU is SYSTEM's own).
const WINDOWS_SOFTWARE_SCRIPT = String.raw`
$is64 = [Environment]::Is64BitOperatingSystem
$sources = @(
  @{ Path = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*'; Arch = $(if ($is64) { 'x86_64' } else { 'i386' }) },
  @{ Path = 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*'; Arch = 'i386' },
  @{ Path = 'Registry::HKEY_USERS\*\Software\Microsoft\Windows\CurrentVersion\Uninstall\*'; Arch = '' }
)
$out = New-Object System.Collections.Generic.List[object]
foreach ($source in $sources) {
  foreach ($key in @(Get-ItemProperty -Path $source.Path -ErrorAction SilentlyContinue)) {
    if (-not $key.DisplayName) { continue }
    $out.Add([pscustomobject]@{
      name = [string]$key.DisplayName
      version = [string]$key.DisplayVersion
      publisher = [string]$key.Publisher
      installDate = [string]$key.InstallDate
      guid = [string]$key.PSChildName
      size = $key.EstimatedSize
      comments = [string]$key.Comments
      systemComponent = $key.SystemComponent
      arch = $source.Arch
    })
  }
}
ConvertTo-Json -InputObject @($out) -Compress -Depth 3
`;

/** The objects WINDOWS_SOFTWARE_SCRIPT prints, to GLPI software entries. */
export function mapWindowsSoftwares(value: unknown): GlpiSoftware[] {
  const softwares: GlpiSoftware[] = [];
  const seen = new Set<string>();
  for (const item of asArray(value)) {
    const name = clean(item.name);
    if (!name) continue;
    const version = clean(item.version);
    const arch = clean(item.arch);
    const key = `${name}\u0000${version ?? ''}\u0000${arch ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const date = /^(\d{4})(\d{2})(\d{2})$/.exec(clean(item.installDate) ?? '');
    const kib = positive(item.size);
    softwares.push({
      name,
      version,
      publisher: clean(item.publisher),
      arch,
      from: 'registry',
      guid: clean(item.guid),
      install_date: date ? `${date[1]}-${date[2]}-${date[3]}` : undefined,
      filesize: kib ? Math.round(kib * 1024) : undefined,
      comments: clean(item.comments),
    });
  }
  return softwares;
}

type MacApplication = { _name?: unknown; version?: unknown; obtained_from?: unknown; arch_kind?: unknown };

async function macSoftwares(timeoutMs: number): Promise<GlpiSoftware[]> {
  const result = await run(
    '/usr/sbin/system_profiler',
    ['-json', '-detailLevel', 'mini', 'SPApplicationsDataType'],
    {
      timeoutMs,
    },
  );
  if (result.code !== 0) throw new Error(`system_profiler exited with code ${result.code}`);
  const parsed = JSON.parse(result.stdout) as { SPApplicationsDataType?: MacApplication[] };
  return (parsed.SPApplicationsDataType ?? []).flatMap((app) => {
    const name = clean(app._name);
    if (!name) return [];
    return [
      {
        name,
        version: clean(app.version),
        publisher: app.obtained_from === 'apple' ? 'Apple' : undefined,
        arch: clean(app.arch_kind),
        from: 'system_profiler',
      },
    ];
  });
}

/** Installed software: dpkg and rpm on Linux, the registry on Windows, system_profiler on macOS. */
export async function collectSoftwares(ctx: CollectContext): Promise<GlpiSoftware[] | undefined> {
  switch (ctx.platform) {
    case 'win32':
      return mapWindowsSoftwares(await powershellJson(WINDOWS_SOFTWARE_SCRIPT, ctx.timeoutMs));
    case 'darwin':
      return macSoftwares(ctx.timeoutMs);
    default: {
      // Both may be installed (rpm on Debian, alien): a failing one does not hide the other's list.
      const results = await Promise.allSettled([dpkgSoftwares(ctx.timeoutMs), rpmSoftwares(ctx.timeoutMs)]);
      const lists = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
      const failure = results.find((r) => r.status === 'rejected');
      if (lists.length === 0 && failure) throw failure.reason;
      if (lists.length === 0) return undefined;
      return lists.flat();
    }
  }
}
