import { asArray, findCommand, powershellJson, run } from '../exec.js';
import type { GlpiUpdate } from '../glpi.js';
import { clean } from '../util.js';
import type { CollectContext } from './sources.js';

/**
 * `apt-get -s upgrade` lines such as
 * `Inst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])`:
 * the package, the version it would install, and a security flag when an origin is a security archive.
 */
export function parseAptSimulation(text: string): GlpiUpdate[] {
  const updates: GlpiUpdate[] = [];
  for (const line of text.split('\n')) {
    const match = /^Inst (\S+)(?: \[[^\]]*\])? \((\S+) ([^)]*)\)/.exec(line);
    if (!match?.[1]) continue;
    const origins = (match[3] ?? '').replace(/\s*\[[^\]]*\]\s*$/, '');
    updates.push({ name: match[1], version: match[2], security: /security/i.test(origins), source: 'apt' });
  }
  return updates;
}

async function aptUpdates(apt: string, timeoutMs: number): Promise<GlpiUpdate[]> {
  // A simulation takes no lock and changes nothing; it reads the package lists as they are (the
  // system's own apt timers refresh them).
  const r = await run(apt, ['-s', '-q', '-o', 'Debug::NoLocking=1', 'upgrade'], { timeoutMs });
  if (r.code !== 0) throw new Error(`apt-get -s upgrade exited with code ${r.code}: ${firstLine(r.stderr)}`);
  return parseAptSimulation(r.stdout);
}

/**
 * `dnf check-update` lines: `name.arch  version  repository`, a long name alone on its line with the
 * rest on the next; the "Obsoleting Packages" section that may follow is not an update.
 */
export function parseDnfCheckUpdate(text: string): Array<{ name: string; arch?: string; version: string }> {
  const body = text.split(/^Obsoleting Packages/m)[0] ?? '';
  const tokens: string[][] = [];
  let pending: string[] = [];
  for (const line of body.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    pending = [...pending, ...words];
    if (pending.length >= 3) {
      tokens.push(pending);
      pending = [];
    }
  }
  const updates: Array<{ name: string; arch?: string; version: string }> = [];
  for (const [nameArch, version] of tokens) {
    if (!nameArch || !version || !/^\S+\.\S+$/.test(nameArch) || !/\d/.test(version)) continue;
    const dot = nameArch.lastIndexOf('.');
    updates.push({ name: nameArch.slice(0, dot), arch: nameArch.slice(dot + 1), version });
  }
  return updates;
}

/** The package names of `dnf updateinfo list --security` (ADVISORY TYPE NEVRA). */
export function parseDnfSecurityList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const nevra = line.trim().split(/\s+/)[2];
    if (!nevra) continue;
    // name-[epoch:]version-release.arch
    const match = /^(.+)-(?:\d+:)?[^-]+-[^-]+\.[^.]+$/.exec(nevra);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

async function dnfUpdates(dnf: string, timeoutMs: number): Promise<GlpiUpdate[]> {
  // 100: updates available, 0: none.
  const r = await run(dnf, ['-q', '--cacheonly', 'check-update'], { timeoutMs });
  if (r.code !== 0 && r.code !== 100) {
    throw new Error(`dnf check-update exited with code ${r.code}: ${firstLine(r.stderr)}`);
  }
  const updates = parseDnfCheckUpdate(r.stdout);
  let security = new Set<string>();
  if (updates.length > 0) {
    try {
      const s = await run(dnf, ['-q', '--cacheonly', 'updateinfo', 'list', '--security'], { timeoutMs });
      if (s.code === 0) security = parseDnfSecurityList(s.stdout);
    } catch {
      // no advisory data: the updates are still listed, without the security flag
    }
  }
  return updates.map((u) => ({
    name: u.name,
    version: u.version,
    security: security.has(u.name),
    source: 'dnf',
  }));
}

// The Windows Update Agent's own search: what Windows Update would install, with its categories.
const WINDOWS_UPDATE_SCRIPT = `
$session = New-Object -ComObject 'Microsoft.Update.Session'
$searcher = $session.CreateUpdateSearcher()
$result = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
$out = New-Object System.Collections.Generic.List[object]
foreach ($u in $result.Updates) {
  $categories = @(foreach ($c in $u.Categories) { [string]$c.Name })
  $kbs = @(foreach ($kb in $u.KBArticleIDs) { 'KB' + [string]$kb })
  $out.Add([pscustomobject]@{
    title = [string]$u.Title
    kb = ($kbs -join ',')
    severity = [string]$u.MsrcSeverity
    categories = $categories
  })
}
ConvertTo-Json -InputObject @($out) -Compress -Depth 4
`;

export function mapWindowsUpdates(value: unknown): GlpiUpdate[] {
  return asArray(value).flatMap((item) => {
    const name = clean(item.title);
    if (!name) return [];
    const categories = Array.isArray(item.categories) ? item.categories.map(String) : [];
    const security = Boolean(clean(item.severity)) || categories.some((c) => /security/i.test(c));
    return [{ name, version: clean(item.kb), security, source: 'windows-update' }];
  });
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}

/**
 * Pending updates: apt or dnf on Linux, Windows Update on Windows. Left out where the agent knows no
 * package manager (macOS, other distributions).
 */
export async function collectUpdates(ctx: CollectContext): Promise<GlpiUpdate[] | undefined> {
  if (ctx.platform === 'win32') {
    return mapWindowsUpdates(await powershellJson(WINDOWS_UPDATE_SCRIPT, ctx.timeoutMs));
  }
  if (ctx.platform !== 'linux') return undefined;
  const apt = findCommand('apt-get');
  if (apt) return aptUpdates(apt, ctx.timeoutMs);
  const dnf = findCommand('dnf') ?? findCommand('yum');
  if (dnf) return dnfUpdates(dnf, ctx.timeoutMs);
  return undefined;
}
