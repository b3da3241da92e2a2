import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real IMAP server for the mail intake tests: Debian's dovecot (dovecot-imapd, installed by .ci/run),
 * started in the foreground from a configuration in a temporary folder: one passwd-file user, maildir
 * in that folder, plain IMAP (no SSL) on a free port of 127.0.0.1. Messages are delivered with IMAP
 * APPEND, as a mail server would.
 *
 * Without /usr/sbin/dovecot the tests skip with a message; with PARC_REQUIRE_AGENTS=1 (CI) they fail.
 */
export const DOVECOT = '/usr/sbin/dovecot';

/** Whether the IMAP tests can run; throws when they must and cannot. */
export function dovecotAvailable(): boolean {
  if (fs.existsSync(DOVECOT)) return true;
  const message = `${DOVECOT} is missing: apt-get install dovecot-imapd (IMAP intake tests skipped)`;
  if (process.env.PARC_REQUIRE_AGENTS === '1') throw new Error(message);
  console.warn(message);
  return false;
}

export type Dovecot = {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** dovecot's own log, to explain a failure. */
  log(): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}):\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not answer on ${port}:\n${output()}`);
}

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const user = opts.user ?? 'support';
  const password = opts.password ?? 'imap secret 123';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-dovecot-'));
  // Dovecot drops privileges: the folders must be reachable by its users.
  fs.chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub), { mode: 0o755 });
  const root = process.getuid?.() === 0;
  // As root, mail is stored as nobody (dovecot refuses root); otherwise as whoever runs the tests.
  const uid = root ? 65534 : (process.getuid?.() ?? 1000);
  const gid = root ? 65534 : (process.getgid?.() ?? 1000);
  const me = os.userInfo().username;
  const mailHome = path.join(dir, 'mail', user);
  fs.mkdirSync(mailHome, { mode: 0o700 });
  if (root) {
    fs.chownSync(path.join(dir, 'mail'), uid, gid);
    fs.chownSync(mailHome, uid, gid);
  }
  fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}:${uid}:${gid}::${mailHome}\n`, {
    mode: 0o644,
  });
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `# Parc test instance
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = parc-test-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  let output = '';
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const logFile = path.join(dir, 'dovecot.log');
  const log = () => `${output}${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`;
  // A test runner that dies must not leave dovecot behind.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  try {
    await waitForPort(port, child, log);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    log,
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
