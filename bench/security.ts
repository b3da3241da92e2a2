/**
 * Security analysis benchmark (issue 7, "Measured"). A deterministic generator writes a Debian-style
 * auth.log (default 1,000,000 lines over a month of 2025) with known attacks injected over realistic
 * background noise:
 * - noise: logins of the staff from their usual addresses in working hours (a few mistyped passwords),
 *   cron sessions, sudo by the administrators, internet scanners knocking once or twice, systemd lines;
 * - attacks: SSH bursts, slow password sprayers, compromises (failures, success, new account put in the
 *   sudo group), sudo refusals, logins at night.
 * Then it runs the real `parc security analyse` on it (the CLI bundle, in a child process), prints
 * lines/s and peak memory, checks that every injected attack is found and that the noise raised
 * nothing, and runs `fail2ban-regex` with its `sshd` filter on the same file for comparison
 * (target: at least 20× its rate). Between the two, `parc security import` of the same file into a
 * fresh SQLite data folder: the whole analysis with storage (parse, normalise, store, detect, open
 * incidents). Ratios are printed for the analysis and for the import: times with start-up excluded on
 * both sides, whole-process wall-clock and CPU time; the exit code checks the import's. Needs /usr/bin/time for CPU and memory figures.
 * Usage: npm run bench:security -- [--lines N] [--out FILE] [--keep 1] [--fail2ban 0] [--generate-only 1]
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDataDir } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const LINES = Number(args.get('lines') ?? 1_000_000);
const OUT = args.get('out') ?? path.join(os.tmpdir(), `parc-bench-auth-${LINES}.log`);
const KEEP = args.get('keep') === '1';
const RUN_FAIL2BAN = args.get('fail2ban') !== '0';
const YEAR = 2025;
const START = Date.UTC(YEAR, 2, 1); // 1 March 2025, 00:00 UTC
const MINUTE = 60_000;

/** A deterministic pseudo-random sequence (LCG), so every run writes the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const rand = rng(20250301);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
function stamp(t: number): string {
  const d = new Date(t);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const HOSTS = ['web1', 'web2', 'web3', 'web4', 'app1', 'app2', 'db1', 'db2', 'bastion', 'ci1', 'files1'];
const ADMINS = ['alice', 'bob', 'carol', 'dave'];
const STAFF = [
  ...ADMINS,
  'deploy',
  'emma',
  'farid',
  'gaelle',
  'hugo',
  'ines',
  'jules',
  'karim',
  'lea',
  'marc',
  'nora',
  'oscar',
  'paul',
  'rose',
  'sami',
  'theo',
];
/** Each member of staff logs in from one or two addresses of the office network. */
const KNOWN = new Map(
  STAFF.map((u, i) => [u, [`10.0.${1 + (i % 4)}.${20 + i}`, ...(i % 3 === 0 ? [`10.8.0.${100 + i}`] : [])]]),
);
const COMMANDS = [
  '/usr/bin/apt update',
  '/usr/bin/systemctl restart nginx',
  '/usr/bin/journalctl -u app',
  '/bin/cat /var/log/syslog',
  '/usr/sbin/reboot',
];
const CRON_CMDS = [
  '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)',
  '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
  '(www-data) CMD (php /var/www/app/cron.php)',
];
const SCAN_USERS = ['admin', 'test', 'oracle', 'ubuntu', 'user', 'postgres', 'git', 'pi', 'guest', 'ftpuser'];

type Line = [number, string];
let pid = 3000;
const nextPid = () => (pid = pid >= 65000 ? 3000 : pid + int(1, 7));

// ---------------------------------------------------------------- attacks (scheduled first)
type Expected = { rule: string; group: Record<string, string>; what: string };
const expected: Expected[] = [];
const attackLines: Line[] = [];
let attackIp = 0;
/** Attackers' addresses: documentation and public-looking ranges, never reused. */
const nextAttacker = () => {
  attackIp++;
  return `${[185, 45, 193, 91][attackIp % 4]}.${(attackIp * 37) % 250}.${Math.floor(attackIp / 250) + 1}.${((attackIp * 11) % 250) + 3}`;
};
const at = (day: number, hour: number, minute: number, second = 0) =>
  START + ((day * 24 + hour) * 60 + minute) * MINUTE + second * 1000;

// 1. SSH bursts: 6 to 40 failures a few seconds apart, one to three accounts
for (let i = 0; i < 40; i++) {
  const ip = nextAttacker();
  const host = pick(HOSTS);
  let t = at(2 + (i % 24), int(0, 23), int(0, 59));
  const n = int(6, 40);
  const users = ['root', pick(SCAN_USERS), 'admin'].slice(0, int(1, 3));
  for (let k = 0; k < n; k++) {
    const u = users[k % users.length]!;
    const p = nextPid();
    const port = int(30000, 65000);
    if (u !== 'root') attackLines.push([t, `${host} sshd[${p}]: Invalid user ${u} from ${ip} port ${port}`]);
    attackLines.push([
      t + 1500,
      `${host} sshd[${p}]: Failed password for ${u === 'root' ? '' : 'invalid user '}${u} from ${ip} port ${port} ssh2`,
    ]);
    attackLines.push([
      t + 1800,
      `${host} sshd[${p}]: Connection closed by ${u === 'root' ? 'authenticating' : 'invalid'} user ${u} ${ip} port ${port} [preauth]`,
    ]);
    t += int(2, 20) * 1000;
  }
  expected.push({ rule: 'ssh-brute-force', group: { src_ip: ip }, what: `burst of ${n} from ${ip}` });
}

// 2. Slow sprayers: 12 to 20 accounts, one try every 20-30 minutes
for (let i = 0; i < 10; i++) {
  const ip = nextAttacker();
  const host = pick(HOSTS);
  let t = at(3 + i * 2, int(0, 12), int(0, 59));
  const n = int(12, 20);
  for (let k = 0; k < n; k++) {
    const u = `${pick(['j', 'm', 's', 'a', 'c'])}.${pick(['martin', 'bernard', 'durand', 'petit', 'robert', 'richard', 'moreau', 'simon'])}${k}`;
    const p = nextPid();
    const port = int(30000, 65000);
    attackLines.push([t, `${host} sshd[${p}]: Invalid user ${u} from ${ip} port ${port}`]);
    attackLines.push([
      t + 2000,
      `${host} sshd[${p}]: Failed password for invalid user ${u} from ${ip} port ${port} ssh2`,
    ]);
    attackLines.push([
      t + 2100,
      `${host} sshd[${p}]: Connection closed by invalid user ${u} ${ip} port ${port} [preauth]`,
    ]);
    t += int(20, 30) * MINUTE;
  }
  expected.push({
    rule: 'password-spraying',
    group: { src_ip: ip },
    what: `sprayer of ${n} accounts from ${ip}`,
  });
}

// 3. Compromises: a burst on "deploy" that succeeds, then a new account put in the sudo group
for (let i = 0; i < 3; i++) {
  const ip = nextAttacker();
  const host = HOSTS[i]!;
  let t = at(6 + i * 6, int(9, 16), int(0, 59));
  for (let k = 0; k < 8; k++) {
    const p = nextPid();
    attackLines.push([
      t,
      `${host} sshd[${p}]: Failed password for deploy from ${ip} port ${int(30000, 65000)} ssh2`,
    ]);
    t += int(3, 9) * 1000;
  }
  const p = nextPid();
  attackLines.push([
    t,
    `${host} sshd[${p}]: Accepted password for deploy from ${ip} port ${int(30000, 65000)} ssh2`,
  ]);
  attackLines.push([
    t,
    `${host} sshd[${p}]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)`,
  ]);
  t += 4 * MINUTE;
  const backdoor = `svc-sync${i}`;
  const up = nextPid();
  attackLines.push([
    t,
    `${host} sudo:   deploy : TTY=pts/3 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/sbin/useradd -m -G sudo ${backdoor}`,
  ]);
  attackLines.push([t + 500, `${host} useradd[${up}]: new group: name=${backdoor}, GID=${1100 + i}`]);
  attackLines.push([
    t + 500,
    `${host} useradd[${up}]: new user: name=${backdoor}, UID=${1100 + i}, GID=${1100 + i}, home=/home/${backdoor}, shell=/bin/bash, from=/dev/pts/3`,
  ]);
  attackLines.push([t + 600, `${host} useradd[${up}]: add '${backdoor}' to group 'sudo'`]);
  attackLines.push([t + 600, `${host} useradd[${up}]: add '${backdoor}' to shadow group 'sudo'`]);
  expected.push(
    { rule: 'ssh-brute-force', group: { src_ip: ip }, what: `compromise burst from ${ip}` },
    { rule: 'success-after-failures', group: { src_ip: ip }, what: `compromise of deploy from ${ip}` },
    { rule: 'login-new-source', group: { user: 'deploy', src_ip: ip }, what: `deploy from new source ${ip}` },
    { rule: 'new-account', group: { host, target_user: backdoor }, what: `new account ${backdoor}` },
    {
      rule: 'admin-group-member',
      group: { host, target_user: backdoor, group: 'sudo' },
      what: `${backdoor} in sudo`,
    },
  );
}

// 4. sudo refusals
for (let i = 0; i < 6; i++) {
  const host = HOSTS[(i * 3) % HOSTS.length]!;
  const user = STAFF[5 + i]!;
  const t = at(4 + i * 4, int(9, 17), int(0, 59));
  const reason = i % 2 ? 'user NOT in sudoers' : '3 incorrect password attempts';
  attackLines.push([
    t,
    `${host} sudo: ${user.padStart(8)} : ${reason} ; TTY=pts/1 ; PWD=/home/${user} ; USER=root ; COMMAND=/bin/bash`,
  ]);
  expected.push({ rule: 'sudo-failure', group: { host, user }, what: `sudo refused to ${user} on ${host}` });
}

// 5. Logins at night, from the usual addresses
for (let i = 0; i < 5; i++) {
  const host = HOSTS[(i * 2) % HOSTS.length]!;
  const user = STAFF[8 + i]!;
  const t = at(5 + i * 5, int(1, 3), int(0, 59));
  const p = nextPid();
  attackLines.push([
    t,
    `${host} sshd[${p}]: Accepted publickey for ${user} from ${KNOWN.get(user)![0]} port ${int(30000, 65000)} ssh2: ED25519 SHA256:nightly${i}`,
  ]);
  expected.push({ rule: 'login-unusual-hours', group: { host, user }, what: `${user} on ${host} at night` });
}
attackLines.sort((a, b) => a[0] - b[0]);

// ---------------------------------------------------------------- noise, minute by minute
let scanner = 0;
const nextScanner = () => {
  scanner++;
  return `${100 + (scanner >> 16)}.${(scanner >> 8) & 255}.${scanner & 255}.${(scanner % 200) + 20}`;
};

function noise(minuteStart: number, out: Line[]) {
  const d = new Date(minuteStart);
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  const day = Math.floor((minuteStart - START) / (24 * 60 * MINUTE));
  const sec = () => minuteStart + int(0, 59_999);
  // cron on every host every 5 minutes, hourly jobs
  if (minute % 5 === 0)
    for (const host of HOSTS) {
      const p = nextPid();
      const t = minuteStart + int(0, 900);
      out.push([
        t,
        `${host} CRON[${p}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
      ]);
      out.push([t + 1, `${host} CRON[${p}]: ${pick(CRON_CMDS)}`]);
      out.push([t + 1500, `${host} CRON[${p}]: pam_unix(cron:session): session closed for user root`]);
    }
  // the staff, in working hours (the first day: every usual address once, for the learning period)
  const working = hour >= 7 && hour <= 20;
  const sessions = working ? (rand() < 0.9 ? int(1, 3) : 0) : 0;
  for (let s = 0; s < sessions; s++) {
    const user = pick(STAFF);
    const ips = KNOWN.get(user)!;
    const ip = day === 0 ? ips[(minuteStart / MINUTE) % ips.length]! : pick(ips);
    const host = pick(HOSTS);
    const p = nextPid();
    const port = int(40000, 60999);
    let t = sec();
    if (rand() < 0.04) {
      out.push([
        t,
        `${host} sshd[${p}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`,
      ]);
      out.push([t + 1800, `${host} sshd[${p}]: Failed password for ${user} from ${ip} port ${port} ssh2`]);
      t += 6000;
    }
    const key = rand() < 0.7;
    out.push([
      t,
      `${host} sshd[${p}]: Accepted ${key ? 'publickey' : 'password'} for ${user} from ${ip} port ${port} ssh2${key ? ': ED25519 SHA256:k2Vn1yq6kYp9Xx8cF0w3m8Q5Zb7d4J1aL9sT6uR2eE' : ''}`,
    ]);
    out.push([
      t + 5,
      `${host} sshd[${p}]: pam_unix(sshd:session): session opened for user ${user}(uid=${1000 + STAFF.indexOf(user)}) by (uid=0)`,
    ]);
    out.push([t + 9, `${host} systemd-logind[611]: New session ${p} of user ${user}.`]);
    if (ADMINS.includes(user) && rand() < 0.6) {
      const st = t + int(10, 50) * 1000;
      out.push([
        st,
        `${host} sudo: ${user.padStart(8)} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=${pick(COMMANDS)}`,
      ]);
      out.push([
        st + 2,
        `${host} sudo: pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${1000 + STAFF.indexOf(user)})`,
      ]);
      out.push([st + 900, `${host} sudo: pam_unix(sudo:session): session closed for user root`]);
    }
    const end = t + int(1, 50) * 1000;
    out.push([
      end,
      `${host} sshd[${p}]: Received disconnect from ${ip} port ${port}:11: disconnected by user`,
    ]);
    out.push([end + 1, `${host} sshd[${p}]: Disconnected from user ${user} ${ip} port ${port}`]);
    out.push([end + 2, `${host} sshd[${p}]: pam_unix(sshd:session): session closed for user ${user}`]);
    out.push([
      end + 3,
      `${host} systemd-logind[611]: Session ${p} logged out. Waiting for processes to exit.`,
    ]);
  }
  // internet scanners: one or two tries each, never the same address twice
  const scans = int(0, 4);
  for (let s = 0; s < scans; s++) {
    const ip = nextScanner();
    const host = pick(HOSTS);
    const t = sec();
    const p = nextPid();
    const port = int(1024, 65000);
    const r = rand();
    if (r < 0.5) out.push([t, `${host} sshd[${p}]: Connection closed by ${ip} port ${port} [preauth]`]);
    else if (r < 0.7)
      out.push([t, `${host} sshd[${p}]: Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`]);
    else {
      const tries = int(1, 2);
      for (let k = 0; k < tries; k++) {
        const u = pick(SCAN_USERS);
        out.push([t + k * 3000, `${host} sshd[${p}]: Invalid user ${u} from ${ip} port ${port}`]);
        out.push([
          t + k * 3000 + 2000,
          `${host} sshd[${p}]: Failed password for invalid user ${u} from ${ip} port ${port} ssh2`,
        ]);
      }
      out.push([
        t + tries * 3000,
        `${host} sshd[${p}]: Disconnected from invalid user ${pick(SCAN_USERS)} ${ip} port ${port} [preauth]`,
      ]);
    }
  }
}

function generate(): { lines: number; attackLinesWritten: number; end: number } {
  const fd = fs.openSync(OUT, 'w');
  let buf = '';
  let written = 0;
  let attackIdx = 0;
  let minute = START;
  const pending: Line[] = [];
  while (written < LINES) {
    const lines: Line[] = pending.splice(0);
    noise(minute, lines);
    while (attackIdx < attackLines.length && attackLines[attackIdx]![0] < minute + MINUTE)
      lines.push(attackLines[attackIdx++]!);
    lines.sort((a, b) => a[0] - b[0]);
    for (const [t, text] of lines) {
      // lines stamped after this minute (a session's end) wait for their minute
      if (t >= minute + MINUTE) {
        pending.push([t, text]);
        continue;
      }
      if (written >= LINES) break;
      buf += `${stamp(t)} ${text}\n`;
      written++;
    }
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
    minute += MINUTE;
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { lines: written, attackLinesWritten: attackIdx, end: minute };
}

type Summary = {
  lines: { read: number; parsed: number; ignored: number; rejected: number };
  detections: {
    total: number;
    byRule: { rule: string; count: number; detections: { group: Record<string, string | null> }[] }[];
  };
  durationMs: number;
};

type Measure = { wall: number; cpu: number | null; peakRssMb: number | null };

/** Runs a command, measuring wall time, and CPU time and peak memory through /usr/bin/time when present. */
function measured(
  cmd: string[],
  env: Record<string, string> = {},
): { stdout: string; stderr: string; status: number | null; m: Measure } {
  const hasTime = fs.existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const res = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'MEASURE rss=%M user=%U sys=%S', ...cmd], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        env: { ...process.env, ...env },
      })
    : spawnSync(cmd[0]!, cmd.slice(1), {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        env: { ...process.env, ...env },
      });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /MEASURE rss=(\d+) user=([\d.]+) sys=([\d.]+)/.exec(res.stderr ?? '');
  return {
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? '',
    status: res.status,
    m: { wall, cpu: m ? Number(m[2]) + Number(m[3]) : null, peakRssMb: m ? Number(m[1]) / 1024 : null },
  };
}

function runAnalysis(): { summary: Summary; m: Measure } {
  // Build the bundle first (bin/parc.mjs rebuilds a stale one), outside the measure.
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), 'security', '--help'], { cwd: ROOT });
  const res = measured([
    process.execPath,
    path.join(ROOT, 'bin/parc.mjs'),
    'security',
    'analyse',
    OUT,
    '--year',
    String(YEAR),
  ]);
  if (res.status !== 0) throw new Error(`parc security analyse failed: ${res.stderr}`);
  return { summary: JSON.parse(res.stdout) as Summary, m: res.m };
}

async function runImport(): Promise<{
  summary: Summary & { stored: number; incidentsOpened: number };
  m: Measure;
}> {
  const dir = await freshDataDir('sec-import');
  try {
    const res = measured(
      [
        process.execPath,
        path.join(ROOT, 'bin/parc.mjs'),
        'security',
        'import',
        OUT,
        '--org',
        'home',
        '--source',
        'bench',
        '--year',
        String(YEAR),
      ],
      { PARC_DATA_DIR: dir, PARC_LOG_LEVEL: 'warn', PARC_SYSLOG_PORT: '0' },
    );
    if (res.status !== 0) throw new Error(`parc security import failed: ${res.stderr}`);
    return { summary: JSON.parse(res.stdout.slice(res.stdout.indexOf('{'))), m: res.m };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runFail2ban(): { m: Measure; processed: number | null; matched: string } | null {
  const probe = spawnSync('fail2ban-regex', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  const res = measured(['fail2ban-regex', '--print-no-missed', '--print-no-ignored', OUT, 'sshd']);
  if (res.status !== 0) throw new Error(`fail2ban-regex failed: ${res.stderr || res.stdout}`);
  const lines = /Lines: (.*)/.exec(res.stdout);
  const processed = /processed in ([\d.]+) sec/.exec(res.stdout);
  return {
    m: res.m,
    processed: processed ? Number(processed[1]) : null,
    matched: lines ? lines[1]!.trim() : '?',
  };
}

const perSecond = (lines: number, seconds: number | null) =>
  seconds === null ? 'n/a' : `${Math.round(lines / seconds).toLocaleString('en')} lines/s`;
const secs = (s: number | null) => (s === null ? 'n/a' : `${s.toFixed(2)} s`);

const key = (rule: string, group: Record<string, string | null>) =>
  `${rule} ${Object.entries(group)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

const g0 = Date.now();
const gen = generate();
const size = fs.statSync(OUT).size;
console.log(
  `generated ${gen.lines.toLocaleString('en')} lines (${(size / 1048576).toFixed(1)} MB, ${stamp(START)} → ${stamp(gen.end)} ${YEAR}) in ${((Date.now() - g0) / 1000).toFixed(1)} s: ${OUT}`,
);
if (gen.attackLinesWritten < attackLines.length) {
  console.error(
    `only ${gen.attackLinesWritten} of ${attackLines.length} attack lines fit in ${LINES} lines; use more lines`,
  );
  process.exit(1);
}
console.log(`injected: ${expected.length} expected detections (${attackLines.length} attack lines)`);
// `--generate-only 1`: the file for another measure (bench/security-ingest.ts), and the expected detections.
if (args.get('generate-only') === '1') {
  fs.writeFileSync(
    `${OUT}.expected.json`,
    JSON.stringify(expected.map((e) => ({ rule: e.rule, group: e.group }))),
  );
  process.exit(0);
}

const parc = runAnalysis();
const read = parc.summary.lines.read;
const analysis = parc.summary.durationMs / 1000;
console.log('parc security analyse (the CLI bundle, in a child process):');
console.log(`  analysis (process start-up excluded): ${secs(analysis)}, ${perSecond(read, analysis)}`);
console.log(
  `  process: wall ${secs(parc.m.wall)} (${perSecond(read, parc.m.wall)}), CPU ${secs(parc.m.cpu)} (${perSecond(read, parc.m.cpu)}), peak RSS ${parc.m.peakRssMb === null ? 'n/a (no /usr/bin/time)' : `${parc.m.peakRssMb.toFixed(0)} MB`}`,
);
console.log(`  lines: ${JSON.stringify(parc.summary.lines)}`);

const found = new Set<string>();
const unexpected: string[] = [];
const wanted = new Set(expected.map((e) => key(e.rule, e.group)));
for (const r of parc.summary.detections.byRule)
  for (const d of r.detections) {
    const k = key(r.rule, d.group);
    if (wanted.has(k)) found.add(k);
    else unexpected.push(k);
  }
const missed = expected.filter((e) => !found.has(key(e.rule, e.group)));
console.log(
  `  detections: ${parc.summary.detections.total} (${parc.summary.detections.byRule.map((r) => `${r.rule} ${r.count}`).join(', ')})`,
);
console.log(`  injected attacks found: ${expected.length - missed.length}/${expected.length}`);
for (const m of missed) console.log(`    MISSED ${m.rule}: ${m.what}`);
console.log(`  detections not injected (noise): ${unexpected.length}`);
for (const u of unexpected.slice(0, 20)) console.log(`    UNEXPECTED ${u}`);

const imported = await runImport();
const importing = imported.summary.durationMs / 1000;
console.log('parc security import (the CLI bundle, in a child process, fresh SQLite data folder):');
console.log(
  `  whole analysis with storage (start-up excluded): ${secs(importing)}, ${perSecond(read, importing)}; ${imported.summary.stored.toLocaleString('en')} events stored, ${imported.summary.incidentsOpened} incidents opened`,
);
console.log(
  `  process: wall ${secs(imported.m.wall)} (${perSecond(read, imported.m.wall)}), CPU ${secs(imported.m.cpu)}, peak RSS ${imported.m.peakRssMb === null ? 'n/a' : `${imported.m.peakRssMb.toFixed(0)} MB`}`,
);
const importFound = new Set(
  imported.summary.detections.byRule.flatMap((r) => r.detections.map((d) => key(r.rule, d.group))),
);
const importMissed = expected.filter((e) => !importFound.has(key(e.rule, e.group)));
console.log(
  `  injected attacks found: ${expected.length - importMissed.length}/${expected.length}; incidents of the noise: ${imported.summary.incidentsOpened - (expected.length - importMissed.length)}`,
);

let ratio: number | null = null;
if (RUN_FAIL2BAN) {
  const f2b = runFail2ban();
  if (!f2b)
    console.log('fail2ban-regex: not installed (Debian: apt-get install fail2ban); no comparison made');
  else {
    console.log(`fail2ban-regex with its sshd filter (${f2b.matched}):`);
    console.log(
      `  processing (its "processed in", start-up excluded): ${secs(f2b.processed)}, ${perSecond(gen.lines, f2b.processed)}`,
    );
    console.log(
      `  process: wall ${secs(f2b.m.wall)} (${perSecond(gen.lines, f2b.m.wall)}), CPU ${secs(f2b.m.cpu)}, peak RSS ${f2b.m.peakRssMb === null ? 'n/a' : `${f2b.m.peakRssMb.toFixed(0)} MB`}`,
    );
    const r = (a: number | null, b: number | null) => (a === null || b === null ? null : b / a);
    const byAnalysis = r(analysis, f2b.processed);
    const byWall = r(parc.m.wall, f2b.m.wall);
    const byCpu = r(parc.m.cpu, f2b.m.cpu);
    const fmt = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}×`);
    console.log(
      `ratio, analysis only: ${fmt(byAnalysis)}, whole process wall ${fmt(byWall)}, whole process CPU ${fmt(byCpu)}`,
    );
    const withStorage = r(importing, f2b.processed);
    console.log(
      `ratio with storage (target ≥ 20×): ${fmt(withStorage)}, whole process wall ${fmt(r(imported.m.wall, f2b.m.wall))}, whole process CPU ${fmt(r(imported.m.cpu, f2b.m.cpu))}`,
    );
    ratio = withStorage;
  }
}
if (!KEEP && !args.has('out')) fs.rmSync(OUT, { force: true });
if (missed.length || unexpected.length || importMissed.length || (ratio !== null && ratio < 20))
  process.exitCode = 1;
