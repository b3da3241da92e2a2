import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';

export type ImapSettings = {
  host: string;
  port: number;
  /** Implicit TLS (IMAPS, port 993); otherwise STARTTLS when the server offers it. */
  tls: boolean;
  user: string;
  password: string;
  folder: string;
};

export type ImapMessageRef = { uid: number; size: number };

/** One opened folder: list what came after a UID, download a message, file it once handled. */
export type ImapFolder = {
  /** UIDVALIDITY as text (it may exceed 2^53 in theory; it never goes through a number). */
  uidValidity: string;
  uidNext: number;
  /** Messages with a UID above `afterUid`, oldest first, at most `limit`. */
  listAfter(afterUid: number, limit: number): Promise<ImapMessageRef[]>;
  /** The whole RFC 822 message as a stream; read it to the end before the next command. */
  download(uid: number): Promise<Readable>;
  /** Moves the message to `folder` (created when missing), or flags it \Seen when `folder` is null. */
  markProcessed(uid: number, folder: string | null): Promise<void>;
};

const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 120_000 };

/**
 * Connects, opens `settings.folder` under a lock, runs `fn`, and logs out whatever happens. imapflow
 * runs one command at a time: `fn` must finish reading a download before it asks for anything else.
 */
export async function withImapFolder<T>(
  settings: ImapSettings,
  log: FastifyBaseLogger,
  fn: (folder: ImapFolder) => Promise<T>,
): Promise<T> {
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.tls,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    disableAutoIdle: true,
    ...TIMEOUTS,
  });
  // A dropped connection is reported by the command that was running; without a listener the
  // 'error' event would crash the process.
  client.on('error', (err: Error) =>
    log.warn({ err: err.message, host: settings.host }, 'IMAP connection error'),
  );
  await client.connect();
  const created = new Set<string>();
  try {
    const lock = await client.getMailboxLock(settings.folder);
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error(`IMAP folder ${settings.folder} could not be opened`);
      const folder: ImapFolder = {
        uidValidity: String(mailbox.uidValidity),
        uidNext: mailbox.uidNext,
        async listAfter(afterUid, limit) {
          if (!client.mailbox || client.mailbox.exists === 0) return [];
          const rows = await client.fetchAll(`${afterUid + 1}:*`, { uid: true, size: true }, { uid: true });
          // "N:*" always answers the last message, even when its UID is below N.
          return rows
            .filter((r) => r.uid > afterUid)
            .map((r) => ({ uid: r.uid, size: r.size ?? 0 }))
            .sort((a, b) => a.uid - b.uid)
            .slice(0, limit);
        },
        async download(uid) {
          const res = await client.download(String(uid), undefined, { uid: true, chunkSize: 1024 * 1024 });
          if (!res.content) throw new Error(`IMAP message ${uid} vanished before it was read`);
          return res.content;
        },
        async markProcessed(uid, target) {
          if (!target) {
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            return;
          }
          if (!created.has(target)) {
            try {
              await client.mailboxCreate(target);
            } catch {
              // Already there (ALREADYEXISTS); a real problem shows on the move.
            }
            created.add(target);
          }
          const moved = await client.messageMove(String(uid), target, { uid: true });
          if (!moved) throw new Error(`IMAP message ${uid} could not be moved to ${target}`);
        },
      };
      return await fn(folder);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
